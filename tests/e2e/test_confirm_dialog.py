"""The one in-app confirm dialog, never the browser's confirm(): a form with data-confirm and an htmx
request with hx-confirm ask it first; Cancel (or Escape) does nothing, Confirm goes on."""

import pytest
from playwright.sync_api import expect

from apps.customers.models import Customer
from tests.factories import provision_customer


@pytest.mark.e2e
def test_removal_and_restricted_mode_ask_the_in_app_dialog(page, e2e_world, sign_in_by_cookie, shot):
    customer = provision_customer(
        actor=e2e_world.acme_admin,
        partner=e2e_world.acme,
        name="Dialog Dental",
        admin_email="admin@dialog.test",
        packages=["webex_meetings"],
    )
    native: list[str] = []
    page.on("dialog", lambda d: (native.append(d.message), d.dismiss()))
    sign_in_by_cookie(
        "admin@acme.test", to=f"/partner/{e2e_world.acme.webex_id}/customers/{customer.webex_id}/"
    )
    dialog = page.get_by_test_id("confirm-dialog")
    expect(dialog).to_be_hidden()

    # A plain form (data-confirm): removing the customer's services. Cancel keeps everything.
    page.get_by_test_id("remove-services").click()
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Remove wholesale services of Dialog Dental?")
    expect(page.get_by_test_id("confirm-dialog-ok")).to_have_text("Remove wholesale services")
    shot("remove-asked")
    page.get_by_test_id("confirm-dialog-cancel").click()
    expect(dialog).to_be_hidden()
    page.keyboard.press("Escape")  # nothing open: nothing happens
    assert Customer.objects.get(pk=customer.pk).status == customer.status

    # An htmx form (data-confirm on an hx-post): Escape cancels, Confirm turns the mode off in place.
    toggle = page.get_by_test_id("restricted-mode-toggle")
    toggle.click()
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Turn Restricted by Partner Mode off for Dialog Dental?")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(page.get_by_test_id("restricted-mode-state")).to_have_text("On")
    toggle.click()
    expect(page.get_by_test_id("confirm-dialog-ok")).to_have_text("Turn off")
    shot("restricted-asked")
    page.get_by_test_id("confirm-dialog-ok").click()
    expect(page.get_by_test_id("restricted-mode-state")).to_have_text("Off")
    assert not Customer.objects.get(pk=customer.pk).restricted_by_partner
    assert native == []  # the browser's own confirm() never opened
