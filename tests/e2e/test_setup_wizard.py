"""A partner admin sets up a provisioned customer in Partner Hub's "Set up customer" wizard: two branch
offices, three users (two with calling: a number of the headquarters' inventory, and a new number with an
extension at a new branch), fixing the mistake the users step points out, then creates them all."""

import re

import pytest
from playwright.sync_api import expect

from apps.locations.models import Location, PhoneNumber
from apps.subscribers.models import Subscriber


def _mark_document(page) -> None:
    page.evaluate("window.__e2eNoReload = true")


def _assert_not_reloaded(page) -> None:
    assert page.evaluate("window.__e2eNoReload === true"), "the page reloaded instead of swapping in place"


@pytest.mark.e2e
def test_partner_admin_sets_up_a_customer(page, e2e_world, sign_in_by_cookie, shot):
    from apps.accounts.services import person_assign_customers
    from apps.locations.services.numbers import numbers_add
    from tests.factories import provision_customer

    world = e2e_world
    harbor = provision_customer(
        actor=world.acme_admin,
        partner=world.acme,
        name="Harbor Clinic",
        admin_email="admin@harborclinic.test",
        external_id="HARB",
        country="US",
        packages=["webex_calling", "webex_meetings"],
    )
    hq = Location.objects.get(org=harbor.org, is_headquarters=True)
    numbers_add(actor=world.acme_admin, location=hq, phone_numbers=["+14155552001", "+14155552002"])
    person_assign_customers(
        actor=world.acme_admin,
        org=world.acme,
        person=world.acme_partner_admin,
        customers=[world.blue_harbor.org, harbor.org],
    )

    sign_in_by_cookie(
        "partneradmin@acme.test", to=f"/partner/{world.acme.webex_id}/customers/{harbor.webex_id}/"
    )
    shot("panel")
    page.get_by_test_id("set-up-customer").click()
    expect(page).to_have_url(re.compile(rf"/customers/{harbor.webex_id}/setup/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up customer")
    _mark_document(page)

    # 1. Locations: the headquarters from onboarding is listed; two branch offices are added.
    step = page.get_by_test_id("step-locations")
    expect(step.get_by_test_id("existing-location")).to_have_count(1)
    expect(step.get_by_test_id("existing-location")).to_contain_text("Headquarters")
    branches = [("Oakland Branch", "1 Broadway", "Oakland"), ("San Jose Branch", "2 Market St", "San Jose")]
    for n, (name, street, city) in enumerate(branches, start=1):
        page.get_by_test_id("add-location").click()
        expect(page.get_by_test_id("new-location")).to_have_count(n)
        block = page.get_by_test_id("new-location").nth(n - 1)
        expect(block.get_by_label("Country")).to_have_value("US")  # the headquarters' country
        block.get_by_label("Name").fill(name)
        block.get_by_label("Address line 1").fill(street)
        block.get_by_label("City").fill(city)
    shot("locations")
    page.get_by_test_id("setup-next").click()

    # 2. Users: the same e-mail twice is refused on its row, then fixed.
    step = page.get_by_test_id("step-users")
    expect(step).to_be_visible()
    expect(page.get_by_test_id("admin-note")).to_contain_text("Webex Calling")
    rows = [
        ("Ann", "Lee", "ann@harborclinic.test", "webex_calling", "Headquarters"),
        ("Bob", "Ray", "ann@harborclinic.test", "webex_calling", "Oakland Branch"),
        ("Cy", "Poe", "cy@harborclinic.test", "webex_meetings", "Headquarters"),
    ]
    for n, (first, last, email, package, location) in enumerate(rows, start=1):
        step.get_by_label(f"First name of user {n}", exact=True).fill(first)
        step.get_by_label(f"Last name of user {n}", exact=True).fill(last)
        step.get_by_label(f"E-mail of user {n}", exact=True).fill(email)
        step.get_by_label(f"Package of user {n}", exact=True).select_option(package)
        step.get_by_label(f"Location of user {n}", exact=True).select_option(location)
    shot("users")
    page.get_by_test_id("setup-next").click()
    expect(step.get_by_text("This e-mail is listed twice.")).to_be_visible()
    shot("users-error")
    step.get_by_label("E-mail of user 2", exact=True).fill("bob@harborclinic.test")
    page.get_by_test_id("setup-next").click()

    # 3. Phone numbers, for the two calling users: Ann takes a headquarters number, Bob a new one and an
    # extension.
    step = page.get_by_test_id("step-numbers")
    expect(step).to_be_visible()
    expect(step.get_by_test_id("calling-row")).to_have_count(2)
    step.get_by_label("Phone number of ann@harborclinic.test").fill("+14155552001")
    step.get_by_label("Phone number of bob@harborclinic.test").fill("+15105550123")
    step.get_by_label("Extension of bob@harborclinic.test").fill("4102")
    shot("numbers")
    page.get_by_test_id("setup-next").click()

    # 4. Review, then create.
    review = page.get_by_test_id("step-review")
    expect(review).to_be_visible()
    expect(review.get_by_test_id("review-new-location")).to_have_count(2)
    expect(review.get_by_test_id("review-user")).to_have_count(3)
    expect(review).to_contain_text("+15105550123")
    shot("review")
    _assert_not_reloaded(page)
    assert not Subscriber.objects.filter(email="ann@harborclinic.test").exists()  # nothing written yet
    page.get_by_test_id("setup-create").click()

    done = page.get_by_test_id("setup-done")
    expect(done).to_contain_text("3 users created and 2 locations added")
    expect(done.get_by_test_id("created-users")).to_contain_text("bob@harborclinic.test")
    _assert_not_reloaded(page)
    shot("done")
    bob = Subscriber.objects.get(email="bob@harborclinic.test")
    assert bob.location.name == "Oakland Branch"
    assert PhoneNumber.objects.get(e164="+15105550123").subscriber == bob
    assert PhoneNumber.objects.get(e164="+14155552001").subscriber.email == "ann@harborclinic.test"

    done.get_by_test_id("setup-back-to-customer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Harbor Clinic")
    expect(page.get_by_text("Oakland Branch")).to_be_visible()
    shot("panel-after")


@pytest.mark.e2e
def test_a_user_that_cannot_be_created_stays_in_the_wizard(page, e2e_world, sign_in_by_cookie, shot):
    """Two calling seats, the administrator holds one: the second calling user fails, is shown with the
    reason, gets meetings instead and is created."""
    from apps.customers.models import Customer
    from tests.factories import provision_customer

    world = e2e_world
    harbor = provision_customer(
        actor=world.acme_admin,
        partner=world.acme,
        name="Harbor Clinic",
        admin_email="admin@harborclinic.test",
        external_id="HARB",
        packages=["webex_calling", "webex_meetings"],
    )
    Customer.objects.filter(pk=harbor.pk).update(package_limits={"webex_calling": 2})
    sign_in_by_cookie(
        "admin@acme.test", to=f"/partner/{world.acme.webex_id}/customers/{harbor.webex_id}/setup/"
    )
    page.get_by_test_id("setup-next").click()
    step = page.get_by_test_id("step-users")
    for n, email in enumerate(("dee@harborclinic.test", "eve@harborclinic.test"), start=1):
        step.get_by_label(f"E-mail of user {n}", exact=True).fill(email)
        step.get_by_label(f"Package of user {n}", exact=True).select_option("webex_calling")
    page.get_by_test_id("setup-next").click()
    step = page.get_by_test_id("step-numbers")
    step.get_by_label("Extension of dee@harborclinic.test").fill("4201")
    step.get_by_label("Extension of eve@harborclinic.test").fill("4202")
    page.get_by_test_id("setup-next").click()
    page.get_by_test_id("setup-create").click()

    review = page.get_by_test_id("step-review")
    expect(page.get_by_test_id("setup-outcome")).to_contain_text("1 user created")
    expect(review.get_by_test_id("review-user")).to_have_count(1)
    expect(review.get_by_test_id("review-user-errors")).to_contain_text("at most 2 Webex Calling subscribers")
    shot("partial-failure")

    review.get_by_role("button", name="Edit users").click()
    step = page.get_by_test_id("step-users")
    step.get_by_label("Package of user 1", exact=True).select_option("webex_meetings")
    page.get_by_test_id("setup-next").click()
    expect(page.get_by_test_id("no-calling")).to_be_visible()
    page.get_by_test_id("setup-next").click()
    page.get_by_test_id("setup-create").click()
    expect(page.get_by_test_id("setup-done")).to_contain_text("1 user created")
    shot("fixed")
