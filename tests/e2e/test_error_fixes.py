"""Subscriber errors lead somewhere (issue 12, item 3), in the browser: a CSV row refused for a number missing
from the inventory links to the Locations page; once the number is added there, Retry adds the user."""

import re

import pytest
from playwright.sync_api import expect

from apps.locations.models import Location
from apps.locations.services.numbers import numbers_add
from apps.subscribers.models import Subscriber

HEADER = "Action,First Name,Last Name,Email,Package,Location,Phone Number,Extension"
NUMBER = "+14155550188"


@pytest.mark.e2e
def test_a_refused_row_leads_to_its_fixing_page_and_retry_adds_the_user(
    page, e2e_world, sign_in_by_cookie, shot
):
    blue = e2e_world.blue_harbor
    sign_in_by_cookie("admin@acme.test", to=f"/org/{blue.org.webex_id}/user-imports/new/")
    data = f"{HEADER}\r\nadd,Nia,Park,nia@blueharbor.test,webex_calling,,{NUMBER},\r\n".encode()
    page.get_by_label("CSV file").set_input_files({"name": "nia.csv", "mimeType": "text/csv", "buffer": data})
    page.get_by_test_id("user-import-submit").click()
    expect(page.get_by_test_id("import-live")).to_have_attribute("data-status", "done")
    expect(page.get_by_test_id("count-failed")).to_have_text("1")
    fix = page.get_by_test_id("import-error-fix")
    expect(fix).to_have_text("Add the number to a location on the Locations page")
    expect(page.get_by_test_id("import-retry-box")).to_be_visible()
    shot("refused-row-with-its-fix")

    fix.click()
    expect(page).to_have_url(re.compile(rf"/org/{blue.org.webex_id}/locations/$"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    # The fix, made where the link led: the number joins the headquarters' inventory.
    hq = Location.objects.get(org=blue.org, is_headquarters=True)
    numbers_add(actor=e2e_world.acme_admin, location=hq, phone_numbers=[NUMBER])
    page.go_back()

    page.get_by_test_id("import-retry").click()
    expect(page).to_have_url(re.compile(rf"/org/{blue.org.webex_id}/user-imports/[^/]+/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("nia-retry.csv")
    expect(page.get_by_test_id("import-live")).to_have_attribute("data-status", "done")
    expect(page.get_by_test_id("count-added")).to_have_text("1")
    expect(page.get_by_test_id("count-failed")).to_have_text("0")
    shot("retried")
    assert Subscriber.objects.get(email="nia@blueharbor.test").phone_numbers.get().e164 == NUMBER
