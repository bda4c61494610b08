"""Control Hub's Users page in a real browser: a partner admin cross-launched adds three people by hand and
moves one from Meetings to Calling with an extension; a customer admin under restricted-by-partner mode sees
"Manage users" greyed and the work number read-only."""

import re

import pytest
from playwright.sync_api import expect

from apps.subscribers.models import Subscriber
from tests.factories import provision_customer


@pytest.mark.e2e
def test_partner_admin_adds_three_users_and_changes_a_package(page, e2e_world, sign_in_by_cookie, shot):
    meadow = provision_customer(
        actor=e2e_world.acme_admin,
        partner=e2e_world.acme,
        name="Meadow Clinic",
        admin_email="admin@meadow.test",
        packages=["webex_meetings", "webex_calling"],
    )
    org = meadow.org
    sign_in_by_cookie("admin@acme.test", to=f"/org/{org.webex_id}/")
    page.get_by_role("navigation", name="Control Hub").get_by_role("link", name="Users", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/org/{org.webex_id}/users/$"))
    expect(page.get_by_test_id("cross-launch-banner")).to_be_visible()
    expect(page.get_by_test_id("user-row")).to_have_count(1)  # the first administrator
    shot("users-list")

    page.get_by_test_id("add-users").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add users manually")
    rows = page.get_by_test_id("user-add-row")
    expect(rows).to_have_count(3)
    page.get_by_test_id("add-row").click()  # "+ Add row" without a reload
    expect(rows).to_have_count(4)
    people = [
        ("Ada", "Lovelace", "ada@meadow.test", "webex_meetings", ""),
        ("Bob", "Kahn", "bob@meadow.test", "webex_calling", "4001"),
        ("Cyd", "Charisse", "cyd@meadow.test", "webex_meetings", ""),
    ]
    for i, (first, last, email, package, extension) in enumerate(people):
        page.locator(f"[name=users-{i}-first_name]").fill(first)
        page.locator(f"[name=users-{i}-last_name]").fill(last)
        page.locator(f"[name=users-{i}-email]").fill(email)
        page.locator(f"[name=users-{i}-package]").select_option(package)
        if extension:
            page.locator(f"[name=users-{i}-extension]").fill(extension)
    # The added row: someone who already belongs to another organisation.
    page.locator("[name=users-3-email]").fill("maria@blueharbor.test")
    page.locator("[name=users-3-package]").select_option("webex_meetings")
    shot("add-form-filled")
    page.get_by_test_id("submit-users").click()
    expect(page.get_by_role("alert").filter(has_text="3 users added.")).to_be_visible()
    expect(rows).to_have_count(1)  # only the failing row stays, with its own error
    expect(page.locator("[name=users-0-email]")).to_have_value("maria@blueharbor.test")
    expect(rows.first.locator(".errorlist")).to_contain_text("already associated with an existing user")
    shot("failing-row-kept")
    page.get_by_role("link", name="Cancel").click()
    expect(page).to_have_url(re.compile(rf"/org/{org.webex_id}/users/$"))
    expect(page.get_by_test_id("user-row")).to_have_count(4)
    shot("three-users-added")

    # Open Ada's panel (htmx), then change her package to Calling with an extension.
    page.locator('[data-testid=user-row][data-email="ada@meadow.test"]').get_by_test_id("user-link").click()
    panel = page.get_by_test_id("user-panel")
    expect(panel.get_by_test_id("user-package-name")).to_have_text("Webex Meetings")
    shot("panel")
    panel.get_by_test_id("change-package").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change package")
    expect(page.locator("[name=extension]")).to_have_count(0)
    page.get_by_test_id("package-select").select_option("webex_calling")
    expect(page.get_by_test_id("calling-hint")).to_contain_text("enter a phone number, an extension or both")
    shot("package-calling-asked")
    page.get_by_test_id("save-package").click()  # no number or extension yet: the service refuses
    expect(page.locator(".errorlist").filter(has_text="give a phone number")).to_be_visible()
    page.locator("[name=extension]").fill("5001")
    page.get_by_test_id("save-package").click()
    expect(page.get_by_test_id("user-package-name")).to_have_text("Webex Calling")
    expect(page.get_by_test_id("user-extension")).to_have_text("5001")
    expect(page.get_by_test_id("history-row")).to_have_count(2)
    shot("package-changed")
    ada = Subscriber.objects.get(email="ada@meadow.test")
    assert ada.package == "webex_calling"


@pytest.mark.e2e
def test_restricted_customer_admin_sees_manage_users_greyed(page, e2e_world, sign_in_by_cookie, shot):
    org = e2e_world.blue_harbor.org
    assert e2e_world.blue_harbor.restricted_by_partner
    sign_in_by_cookie("admin@blueharbor.test", to=f"/org/{org.webex_id}/users/")
    expect(page.get_by_test_id("restricted-mode-banner")).to_be_visible()
    manage = page.get_by_test_id("manage-users")
    expect(manage).to_be_visible()
    expect(manage).to_be_disabled()
    expect(manage).to_have_accessible_description(re.compile("Restricted by your partner"))
    expect(page.get_by_test_id("add-users")).to_have_count(0)
    expect(page.get_by_test_id("import-users")).to_have_count(0)
    expect(page.get_by_test_id("export-users")).to_be_visible()
    shot("restricted-list")

    page.locator('[data-testid=user-row][data-email="tom@blueharbor.test"]').get_by_test_id(
        "user-link"
    ).click()
    panel = page.get_by_test_id("user-panel")
    expect(panel.get_by_test_id("work-number")).to_have_attribute("readonly", "")
    expect(panel.get_by_test_id("change-package")).to_have_count(0)
    expect(panel.get_by_test_id("remove-user")).to_have_count(0)
    shot("restricted-panel")
