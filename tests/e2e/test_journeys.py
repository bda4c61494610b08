"""What the personas do in a real browser: sign in, find a customer, cross-launch and come back, invite an
administrator, create a partner, filter the audit log, reach the password and two-factor pages, and land in
the right hub. The tests about signing in and landing, and those on allauth's own pages, go through the real
sign-in form (``sign_in_through_form``): they are what proves it end to end."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.conftest import PASSWORD


def _mark_document(page) -> None:
    """Tag the current document; the tag survives htmx swaps but not a full page load."""
    page.evaluate("window.__e2eNoReload = true")


def _assert_not_reloaded(page) -> None:
    assert page.evaluate("window.__e2eNoReload === true"), "the page reloaded instead of swapping in place"


@pytest.mark.e2e
def test_partner_admin_finds_a_customer_cross_launches_and_comes_back(
    page, e2e_world, sign_in_through_form, shot
):
    acme, blue = e2e_world.acme, e2e_world.blue_harbor.org

    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    shot("sign-in")
    sign_in_through_form("admin@acme.test")  # on the page the browser was sent to
    expect(page).to_have_url(re.compile(rf"/partner/{acme.webex_id}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Acme Telecom")
    expect(page.get_by_test_id("org-name")).to_have_text("Acme Telecom")
    shot("partner-hub-overview")

    page.get_by_role("navigation", name="Partner Hub").get_by_role("link", name="Customers").click()
    expect(page).to_have_url(re.compile(rf"/partner/{acme.webex_id}/customers/$"))
    rows = page.get_by_test_id("customer-row")
    expect(rows).to_have_count(2)
    shot("customers")

    _mark_document(page)
    page.get_by_role("searchbox", name="Search customers").fill("Blue")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Blue Harbor Dental")
    expect(page).to_have_url(re.compile(r"[?&]q=Blue"))
    _assert_not_reloaded(page)
    shot("customers-searched")

    page.get_by_role("link", name="Open Control Hub of Blue Harbor Dental").click()
    expect(page).to_have_url(re.compile(rf"/org/{blue.webex_id}/$"))
    banner = page.get_by_test_id("cross-launch-banner")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("admin@acme.test")
    expect(banner).to_contain_text("Blue Harbor Dental")
    expect(banner).to_contain_text("Acme Telecom")
    expect(page.get_by_role("heading", level=1)).to_have_text("Blue Harbor Dental")
    shot("control-hub-cross-launched")

    page.get_by_test_id("cross-launch-back").click()
    expect(page).to_have_url(re.compile(rf"/partner/{acme.webex_id}/customers/(\?.*)?$"))  # as it was left
    expect(page.get_by_test_id("cross-launch-banner")).to_have_count(0)
    expect(rows).to_have_count(1)  # the search the admin left it with is kept
    shot("back-to-customers")


@pytest.mark.e2e
def test_full_admin_invites_an_administrator(page, e2e_world, sign_in_by_cookie, shot):
    sign_in_by_cookie("admin@acme.test", to=f"/partner/{e2e_world.acme.webex_id}/administrators/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Administrators")
    rows = page.get_by_test_id("admin-row")
    before = rows.count()
    shot("administrators")

    email = page.get_by_label("E-mail address")
    email.fill("not-an-email")
    page.get_by_role("checkbox", name=re.compile(r"^Partner administrator")).check()
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("Enter a valid email address.")).to_be_visible()
    expect(email).to_have_attribute("aria-invalid", "true")
    expect(rows).to_have_count(before)
    shot("invalid-e-mail")

    email.fill("new.admin@acme.test")
    page.get_by_label("First name").fill("Nora")
    page.get_by_label("Last name").fill("Newcomer")
    page.get_by_role("checkbox", name=re.compile(r"^Partner administrator")).check()
    page.get_by_role("button", name="Send invitation").click()
    toast = page.get_by_role("alert").filter(has_text="Invitation sent to new.admin@acme.test.")
    expect(toast).to_be_visible()
    expect(rows).to_have_count(before + 1)
    new_row = rows.filter(has_text="new.admin@acme.test")
    expect(new_row).to_contain_text("Nora Newcomer")
    expect(new_row).to_contain_text("Partner administrator")
    expect(new_row).to_contain_text("Invited")
    shot("invited")
    assert any("new.admin@acme.test" in m.to for m in mail.outbox)


@pytest.mark.e2e
def test_operator_creates_a_partner(page, e2e_world, sign_in_through_form, shot):
    sign_in_through_form("operator@platform.test")
    expect(page).to_have_url(re.compile(r"/ops/$"))
    shot("operations")

    page.get_by_role("link", name="New partner").first.click()
    expect(page).to_have_url(re.compile(r"/ops/partners/new/$"))
    page.get_by_role("button", name="Create partner").click()
    expect(page.get_by_text("This field is required.").first).to_be_visible()
    shot("required-fields")

    page.get_by_label("Partner name").fill("Zenith Voice")
    page.get_by_label("First administrator's e-mail").fill("admin@zenith.test")
    page.get_by_label("First name").fill("Zoe")
    page.get_by_label("Last name").fill("Zenith")
    shot("filled")
    page.get_by_role("button", name="Create partner").click()

    expect(page).to_have_url(re.compile(r"/ops/$"))
    expect(page.get_by_role("alert").filter(has_text="Zenith Voice created")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="Zenith Voice")).to_have_count(1)
    shot("created")
    assert any("admin@zenith.test" in m.to for m in mail.outbox)


@pytest.mark.e2e
def test_audit_log_filters_by_event(page, e2e_world, sign_in_by_cookie, shot):
    sign_in_by_cookie("admin@acme.test", to=f"/partner/{e2e_world.acme.webex_id}/audit/")
    rows = page.get_by_test_id("audit-row")
    expect(rows.first).to_be_visible()
    all_events = rows.count()
    shot("audit-log")

    _mark_document(page)
    page.get_by_label("Event").select_option(label="Administrator invited")  # events offered in words
    expect(page).to_have_url(re.compile(r"[?&]action=admin\.invite"))
    expect(rows.filter(has_not_text="Administrator invited")).to_have_count(0)  # the event in words
    invites = rows.count()
    assert 0 < invites < all_events
    _assert_not_reloaded(page)
    shot("filtered-admin-invite")

    page.get_by_label("Actor e-mail").fill("nobody@nowhere.test")
    expect(rows).to_have_count(0)
    expect(page.get_by_text("No events match")).to_be_visible()
    shot("filtered-nothing")


@pytest.mark.e2e
def test_signed_in_admin_requests_a_password_reset(page, e2e_world, sign_in_through_form, shot):
    sign_in_through_form("admin@acme.test")
    page.goto("/accounts/password/reset/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Password Reset")
    expect(page.get_by_role("link", name="Back to my console")).to_be_visible()
    shot("password-reset")
    page.get_by_label("Email").fill("admin@acme.test")
    page.get_by_role("button", name="Reset My Password").click()
    expect(page).to_have_url(re.compile(r"/accounts/password/reset/done/$"))
    shot("password-reset-sent")
    assert any("admin@acme.test" in m.to for m in mail.outbox)


@pytest.mark.e2e
def test_signed_in_admin_reaches_the_authenticator_app_set_up(page, e2e_world, sign_in_through_form, shot):
    sign_in_through_form("admin@acme.test")
    page.goto("/accounts/2fa/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-Factor Authentication")
    shot("two-factor")
    with page.expect_navigation():
        page.get_by_role("link", name="Activate").click()
    # allauth asks for the password again before an authenticator is added.
    assert "/accounts/reauthenticate/" in page.url, f"bounced to {page.url}"
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm Access")
    shot("confirm-access")
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Confirm").click()
    shot("two-factor-activate")
    assert page.url.endswith("/accounts/2fa/totp/activate/"), f"bounced to {page.url}"
    expect(page.get_by_role("heading", level=1)).to_have_text("Activate Authenticator App")
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    expect(page.get_by_label("Authenticator code")).to_be_visible()
    expect(page.get_by_role("button", name="Activate")).to_be_visible()


@pytest.mark.e2e
def test_customer_admin_lands_in_control_hub_without_partner_hub(page, e2e_world, sign_in_through_form, shot):
    blue, acme = e2e_world.blue_harbor.org, e2e_world.acme
    sign_in_through_form("admin@blueharbor.test")
    expect(page).to_have_url(re.compile(rf"/org/{blue.webex_id}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Blue Harbor Dental")
    nav = page.get_by_role("navigation", name="Control Hub")
    expect(nav.get_by_role("link")).to_have_text(
        [
            *("Overview", "Users", "Workspaces", "Locations", "Administrators", "Audit log", "Account"),
            *("Organisation settings", "Domains", "Calling", "Directory sync", "Help"),
        ]
    )
    expect(page.get_by_role("navigation", name="Partner Hub")).to_have_count(0)
    expect(page.get_by_text("Partner Hub")).to_have_count(0)
    expect(page.get_by_test_id("cross-launch-banner")).to_have_count(0)
    shot("control-hub")

    response = page.goto(f"/partner/{acme.webex_id}/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    shot("partner-hub-is-not-found")
