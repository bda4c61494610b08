"""Partner Hub's "Set up customer" wizard: locations → users → phone numbers → review → create users.

The wizard keeps its state in the session per customer, checks each step with the services' rules, writes
nothing before "Create users", then creates each user in its own transaction: a failing user stays in the
wizard with its reason while the others are created.
"""

import pytest
from django.test import TestCase
from django.urls import reverse

from apps.core.wizard import SESSION_KEY
from apps.customers.models import Customer
from apps.customers.selectors import restricted_mode_of
from apps.locations.models import Extension, Location, PhoneNumber
from apps.locations.services.numbers import numbers_add
from apps.provisioning.services.provisioning import customer_remove, customer_remove_request
from apps.provisioning.views.setup import SETUP_WIZARD, USERS_MAX
from apps.subscribers.models import PackageAssignment, Subscriber
from apps.subscribers.services.subscribers import subscriber_add
from tests.conftest import fresh
from tests.factories import provision_customer

pytestmark = pytest.mark.django_db

HQ_NUMBERS = ["+14155552001", "+14155552002", "+14155552003"]


@pytest.fixture
def harbor(world):
    """A provisioned acme customer holding Webex Calling and Webex Meetings, with three numbers at its
    headquarters (the inventory the numbers step offers)."""
    customer = provision_customer(
        actor=world.acme_admin,
        partner=world.acme,
        name="Harbor Clinic",
        admin_email="admin@harborclinic.test",
        external_id="HARB",
        country="US",
        packages=["webex_calling", "webex_meetings"],
    )
    numbers_add(actor=world.acme_admin, location=_hq(customer), phone_numbers=list(HQ_NUMBERS))
    return customer


def _hq(customer: Customer) -> Location:
    return Location.objects.get(org=customer.org, is_headquarters=True)


def setup_url(world, customer: Customer) -> str:
    return reverse(
        "partner:customer_setup", kwargs={"org_id": world.acme.webex_id, "customer_id": customer.webex_id}
    )


def location_row(i: int, name: str, **values) -> dict:
    row = {
        "name": name,
        "address_line1": "1 Broadway",
        "address_line2": "",
        "city": "Oakland",
        "state_or_province": "CA",
        "zip_or_postal_code": "94607",
        "country": "US",
        "timezone": "America/Los_Angeles",
        "language": "en_US",
        "emergency_location_identifier": "",
    } | values
    return {f"loc-{i}-{key}": value for key, value in row.items()}


def locations_post(*names_or_rows) -> dict:
    data = {"step": "locations", "nav": "next", "loc-count": len(names_or_rows)}
    for i, item in enumerate(names_or_rows):
        data |= location_row(i, item) if isinstance(item, str) else location_row(i, **item)
    return data


def users_post(*rows: dict, nav: str = "next") -> dict:
    data = {"step": "users", "nav": nav, "user-count": len(rows)}
    for i, row in enumerate(rows):
        full = {"first_name": "", "last_name": "", "email": "", "package": "", "location": ""} | row
        data |= {f"user-{i}-{key}": value for key, value in full.items()}
    return data


def numbers_post(calling: dict[int, tuple[str, str]], nav: str = "next") -> dict:
    data = {"step": "numbers", "nav": nav}
    for i, (number, extension) in calling.items():
        data |= {f"user-{i}-phone_number": number, f"user-{i}-extension": extension}
    return data


THREE_USERS = (
    {"first_name": "Ann", "last_name": "Lee", "email": "ann@harborclinic.test", "package": "webex_calling"},
    {
        "first_name": "Bob",
        "last_name": "Ray",
        "email": "bob@harborclinic.test",
        "package": "webex_calling",
        "location": "Oakland Branch",
    },
    {"first_name": "Cy", "last_name": "Poe", "email": "cy@harborclinic.test", "package": "webex_meetings"},
)


def _step(response) -> str:
    return response.context["step"]


def _walk_to_review(client, url, users=THREE_USERS, calling=None) -> None:
    """Locations (two branches) → users → numbers → review, asserting each step moves on."""
    assert _step(client.post(url, locations_post("Oakland Branch", {"name": "San Jose Branch"}))) == "users"
    rows = [{"location": "Headquarters"} | row for row in users]  # as the location select posts it
    assert _step(client.post(url, users_post(*rows))) == "numbers"
    calling = calling if calling is not None else {0: (HQ_NUMBERS[0], ""), 1: ("+15105550123", "4102")}
    response = client.post(url, numbers_post(calling))
    assert _step(response) == "review", response.context.get("calling_rows")


# --- the happy path ----------------------------------------------------------------------------------------


def test_two_locations_and_three_users_are_created(world, harbor, page_client):
    client = page_client(world.acme_admin)
    url = setup_url(world, harbor)
    response = client.get(url)
    assert response.status_code == 200
    assert _step(response) == "locations"
    assert [loc.name for loc in response.context["existing"]] == ["Headquarters"]  # from onboarding

    _walk_to_review(client, url)
    # Nothing is written before "Create users".
    assert not Location.objects.filter(org=harbor.org, is_headquarters=False).exists()
    assert (
        not Subscriber.objects.filter(email__endswith="@harborclinic.test")
        .exclude(email="admin@harborclinic.test")
        .exists()
    )
    review = client.get(url)
    assert _step(review) == "review"
    assert [r["new_number"] for r in review.context["review"]] == [False, True, False]

    response = client.post(url, {"step": "review", "nav": "create"})
    assert response.status_code == 200
    assert response.context["done"] is True
    assert b"3 users created" in response.content

    oakland = Location.objects.get(org=harbor.org, name="Oakland Branch")
    assert Location.objects.filter(org=harbor.org, name="San Jose Branch").exists()
    ann = Subscriber.objects.get(email="ann@harborclinic.test")
    bob = Subscriber.objects.get(email="bob@harborclinic.test")
    cy = Subscriber.objects.get(email="cy@harborclinic.test")
    assert (ann.package, ann.location, ann.first_name) == ("webex_calling", _hq(harbor), "Ann")
    assert PhoneNumber.objects.get(e164=HQ_NUMBERS[0]).subscriber == ann
    # Bob's typed number joined the new location's inventory, with his extension.
    assert bob.location == oakland
    assert PhoneNumber.objects.get(e164="+15105550123").location == oakland
    assert PhoneNumber.objects.get(e164="+15105550123").subscriber == bob
    assert Extension.objects.get(org=harbor.org, extension="4102").subscriber == bob
    assert (cy.package, cy.location) == ("webex_meetings", None)
    # Each user's package interval is open, calling ones at their location.
    intervals = {a.subscriber_id: a for a in PackageAssignment.objects.filter(ended_at__isnull=True)}
    assert intervals[ann.pk].location == _hq(harbor)
    assert intervals[bob.pk].location == oakland
    assert intervals[cy.pk].package == "webex_meetings" and intervals[cy.pk].location is None
    # The state is gone: a new visit starts again.
    assert str(harbor.pk) not in client.session.get(SESSION_KEY, {}).get(SETUP_WIZARD.name, {})
    assert _step(client.get(url)) == "locations"


def test_steps_keep_their_values_going_back_and_forth(world, harbor, page_client):
    client = page_client(world.acme_admin)
    url = setup_url(world, harbor)
    client.post(url, locations_post("Oakland Branch"))
    client.post(url, users_post(THREE_USERS[0] | {"location": "Headquarters"}, nav="back"))
    back = client.get(url)
    assert _step(back) == "locations"
    assert back.context["location_forms"][0].initial["name"] == "Oakland Branch"
    forward = client.post(url, locations_post("Oakland Branch"))
    assert forward.context["user_forms"][0].initial["email"] == "ann@harborclinic.test"


def test_rows_are_added_and_removed_and_capped_at_25(world, harbor, page_client):
    client = page_client(world.acme_admin)
    url = setup_url(world, harbor)
    client.post(url, locations_post())
    response = client.post(url, users_post(THREE_USERS[0], nav="add_user"))
    assert _step(response) == "users" and len(response.context["user_forms"]) == 2
    response = client.post(url, users_post(THREE_USERS[0], THREE_USERS[2], nav="remove_user:0"))
    assert [f.initial["email"] for f in response.context["user_forms"]] == ["cy@harborclinic.test"]
    many = [{"email": f"u{n}@harborclinic.test", "package": "webex_meetings"} for n in range(USERS_MAX + 5)]
    data = users_post(*many, nav="add_user")
    response = client.post(url, data)
    assert len(response.context["user_forms"]) == USERS_MAX  # the extra rows are not taken, none added

    response = client.post(url, {"step": "users", "nav": "goto:locations"})
    response = client.post(url, locations_post("A", "B") | {"nav": "add_location"})
    assert len(response.context["location_forms"]) == 3
    added = response.context["location_forms"][2]
    assert (added.initial["country"], added.initial["timezone"]) == ("US", "America/Los_Angeles")  # the HQ's


# --- each step's checks ------------------------------------------------------------------------------------


def test_the_locations_step_uses_the_location_rules(world, harbor, page_client):
    client = page_client(world.acme_admin)
    url = setup_url(world, harbor)
    response = client.post(
        url,
        locations_post(
            {"name": "headquarters"},  # the onboarding one, whatever the case
            {"name": "Oakland", "timezone": "Mars/Base", "city": ""},
            {"name": "Fresno", "language": "xx_YY"},
            {"name": "FRESNO"},
        ),
    )
    assert _step(response) == "locations"
    forms = response.context["location_forms"]
    assert "already named" in forms[0].errors["name"][0]
    assert set(forms[1].errors) >= {"timezone", "city"}
    assert "language" in forms[2].errors
    assert "already named" in forms[3].errors["name"][0]
    assert not Location.objects.filter(org=harbor.org, is_headquarters=False).exists()
    # An empty block is left out rather than refused.
    response = client.post(url, locations_post({"name": "", "address_line1": "", "city": ""}))
    assert _step(response) == "users"


def test_the_users_step_uses_the_subscriber_rules(world, harbor, page_client):
    subscriber_add(
        actor=world.acme_admin, customer=harbor, email="taken@harborclinic.test", package="webex_meetings"
    )
    client = page_client(world.acme_admin)
    url = setup_url(world, harbor)
    client.post(url, locations_post("Oakland Branch"))
    response = client.post(
        url,
        users_post(
            {"email": "dup@harborclinic.test", "package": "webex_meetings"},
            {"email": "DUP@harborclinic.test", "package": "webex_meetings"},
            {"email": "taken@harborclinic.test", "package": "webex_meetings"},
            {"email": "not-an-email", "package": "webex_meetings"},
            {"email": "suite@harborclinic.test", "package": "webex_suite"},  # not held: not offered
            {"email": "nopackage@harborclinic.test"},
            {"email": "calling@harborclinic.test", "package": "webex_calling", "location": "Oakland Branch"},
            {"first_name": "", "last_name": "", "email": ""},  # an empty row is left out
        ),
    )
    assert _step(response) == "users"
    errors = [form.errors for form in response.context["user_forms"]]
    assert len(errors) == 7
    assert errors[0] == {}
    assert "listed twice" in errors[1]["email"][0]
    assert "already associated" in errors[2]["email"][0]  # 10022, from subscriber_precheck
    assert "valid e-mail" in errors[3]["email"][0]
    assert "package" in errors[4]
    assert errors[5]["package"] == ["Choose a package."]
    assert errors[6] == {}  # a calling user of a location still to create: the number comes next


def test_the_users_step_wants_at_least_one_user(world, harbor, page_client):
    client = page_client(world.acme_admin)
    url = setup_url(world, harbor)
    client.post(url, locations_post())
    response = client.post(url, users_post({"email": ""}))
    assert _step(response) == "users"
    assert response.context["step_errors"] == ["Add at least one user."]


def test_the_numbers_step_uses_the_subscriber_and_number_rules(world, harbor, page_client):
    subscriber_add(
        actor=world.acme_admin,
        customer=harbor,
        email="holder@harborclinic.test",
        package="webex_calling",
        phone_number=HQ_NUMBERS[2],
        extension="4999",
    )
    client = page_client(world.acme_admin)
    url = setup_url(world, harbor)
    client.post(url, locations_post("Oakland Branch"))
    users = [
        {"email": f"u{n}@harborclinic.test", "package": "webex_calling", "location": "Headquarters"}
        for n in range(8)
    ]
    users[6]["location"] = users[7]["location"] = "Oakland Branch"
    assert _step(client.post(url, users_post(*users))) == "numbers"
    response = client.post(
        url,
        numbers_post(
            {
                0: ("", ""),  # neither a number nor an extension
                1: (HQ_NUMBERS[0], "4101"),
                2: (HQ_NUMBERS[0], "4101"),  # the same number and extension again
                3: (HQ_NUMBERS[2], ""),  # assigned already
                4: ("", "12"),  # not the customer's four digits
                5: ("", "4999"),  # in use
                6: ("+442079460000", ""),  # a UK number for a US location
                7: (HQ_NUMBERS[1], ""),  # a headquarters number for the new location
            }
        ),
    )
    assert _step(response) == "numbers"
    errors = [c["form"].errors for c in response.context["calling_rows"]]
    assert "phone number, an extension or both" in errors[0]["phone_number"][0]
    assert errors[1] == {}
    assert "another user too" in errors[2]["phone_number"][0]
    assert "another user too" in errors[2]["extension"][0]
    assert "already assigned" in errors[3]["phone_number"][0]
    assert "4 digits" in errors[4]["extension"][0]
    assert "already in use" in errors[5]["extension"][0]
    assert "not of US" in errors[6]["phone_number"][0]
    assert "another location" in errors[7]["phone_number"][0]
    assert Subscriber.objects.filter(customer=harbor).count() == 2  # the admin and the holder


def test_users_without_calling_skip_the_numbers(world, harbor, page_client):
    client = page_client(world.acme_admin)
    url = setup_url(world, harbor)
    client.post(url, locations_post())
    response = client.post(url, users_post(THREE_USERS[2]))
    assert _step(response) == "numbers" and response.context["calling_rows"] == []
    assert b'data-testid="no-calling"' in response.content
    assert _step(client.post(url, numbers_post({}))) == "review"


# --- creating: one transaction per user --------------------------------------------------------------------


def test_a_failing_user_undoes_only_itself_and_stays_to_be_fixed(world, harbor, page_client):
    # Two calling seats: the administrator holds one, so Ann takes the last and Bob finds none. Each row
    # passes the check alone; only creating them one after the other tells.
    Customer.objects.filter(pk=harbor.pk).update(package_limits={"webex_calling": 2})
    client = page_client(world.acme_admin)
    url = setup_url(world, harbor)
    _walk_to_review(client, url)

    response = client.post(url, {"step": "review", "nav": "create"})
    assert _step(response) == "review"
    outcome = response.context["outcome"]
    assert [u["email"] for u in outcome["users"]] == ["ann@harborclinic.test", "cy@harborclinic.test"]
    assert outcome["locations"] == ["Oakland Branch", "San Jose Branch"]
    assert outcome["failed_users"] == 1
    [row] = response.context["review"]
    assert row["row"]["email"] == "bob@harborclinic.test"
    assert row["errors"] == ["Package: Harbor Clinic may have at most 2 Webex Calling subscribers."]
    assert b'data-testid="setup-outcome"' in response.content
    # Bob's new number and extension went back with him; the locations and the others stay.
    assert not Subscriber.objects.filter(email="bob@harborclinic.test").exists()
    assert not PhoneNumber.objects.filter(e164="+15105550123").exists()
    assert not Extension.objects.filter(org=harbor.org, extension="4102").exists()
    assert Location.objects.filter(org=harbor.org, name="Oakland Branch").exists()
    assert Subscriber.objects.get(email="ann@harborclinic.test").package == "webex_calling"
    # The state keeps Bob alone; his location is now an existing one.
    assert _step(client.get(url)) == "review"
    response = client.post(url, {"step": "review", "nav": "goto:locations"})
    assert [loc.name for loc in response.context["existing"]] == [
        "Headquarters",
        "Oakland Branch",
        "San Jose Branch",
    ]
    assert response.context["location_forms"] == []

    # Fixed: Bob gets meetings only.
    client.post(url, {"step": "locations", "nav": "next", "loc-count": 0})
    fixed = THREE_USERS[1] | {"package": "webex_meetings"}
    assert _step(client.post(url, users_post(fixed))) == "numbers"
    assert _step(client.post(url, numbers_post({}))) == "review"
    response = client.post(url, {"step": "review", "nav": "create"})
    assert response.context["done"] is True
    assert Subscriber.objects.get(email="bob@harborclinic.test").package == "webex_meetings"


def test_creating_checks_everything_again_first(world, harbor, page_client):
    client = page_client(world.acme_admin)
    url = setup_url(world, harbor)
    _walk_to_review(client, url)
    # Between the review and "Create users", someone takes Bob's e-mail elsewhere.
    subscriber_add(
        actor=world.acme_admin, customer=harbor, email="bob@harborclinic.test", package="webex_meetings"
    )
    response = client.post(url, {"step": "review", "nav": "create"})
    assert _step(response) == "users"
    assert "already associated" in response.context["user_forms"][1].errors["email"][0]
    assert not Location.objects.filter(org=harbor.org, is_headquarters=False).exists()
    assert not Subscriber.objects.filter(email="ann@harborclinic.test").exists()


def test_cancel_forgets_the_state_and_writes_nothing(world, harbor, page_client):
    client = page_client(world.acme_admin)
    url = setup_url(world, harbor)
    _walk_to_review(client, url)
    assert str(harbor.pk) in client.session[SESSION_KEY][SETUP_WIZARD.name]  # kept by the wizard engine
    response = client.post(url, {"step": "review", "nav": "cancel"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"/customers/{harbor.webex_id}/")
    assert str(harbor.pk) not in client.session.get(SESSION_KEY, {}).get(SETUP_WIZARD.name, {})
    assert not Location.objects.filter(org=harbor.org, is_headquarters=False).exists()
    assert Subscriber.objects.filter(customer=harbor).count() == 1
    assert _step(client.get(url)) == "locations"
    htmx = client.post(url, {"step": "locations", "nav": "cancel"}, headers={"HX-Request": "true"})
    assert htmx.headers["HX-Redirect"].endswith(f"/customers/{harbor.webex_id}/")


def test_the_state_is_kept_per_customer(world, harbor, page_client):
    client = page_client(world.acme_admin)
    client.post(setup_url(world, harbor), locations_post("Oakland Branch"))
    other = client.get(setup_url(world, world.cedar_pine))
    assert _step(other) == "locations" and other.context["location_forms"] == []
    assert _step(client.get(setup_url(world, harbor))) == "users"


def test_htmx_gets_the_wizard_region_only(world, harbor, page_client):
    client = page_client(world.acme_admin)
    response = client.post(setup_url(world, harbor), locations_post(), headers={"HX-Request": "true"})
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="wizard"') and "<html" not in body


# --- who may, and when -------------------------------------------------------------------------------------


def test_a_partner_admin_reaches_only_assigned_customers(world, page_client):
    client = page_client(world.acme_partner_admin)
    assert client.get(setup_url(world, world.blue_harbor)).status_code == 200
    assert client.get(setup_url(world, world.cedar_pine)).status_code == 404
    assert client.post(setup_url(world, world.cedar_pine), locations_post("X")).status_code == 404


def test_read_only_partner_admins_are_refused(world, page_client):
    response = page_client(world.acme_readonly).get(setup_url(world, world.blue_harbor))
    assert response.status_code == 403


def test_restricted_mode_does_not_stop_partners(world, page_client):
    blue = world.blue_harbor
    assert restricted_mode_of(org=blue.org)
    client = page_client(world.acme_partner_admin)
    url = setup_url(world, blue)
    client.post(url, locations_post())
    user = {"email": "nina@blueharbor.test", "package": "webex_calling", "location": "Headquarters"}
    assert _step(client.post(url, users_post(user))) == "numbers"
    assert _step(client.post(url, numbers_post({0: ("", "2050")}))) == "review"
    response = client.post(url, {"step": "review", "nav": "create"})
    assert response.context["done"] is True
    assert Subscriber.objects.get(email="nina@blueharbor.test").extensions.get().extension == "2050"


def test_a_removed_customer_is_a_404_and_a_busy_one_waits(world, page_client):
    client = page_client(world.acme_admin)
    cedar = world.cedar_pine
    url = setup_url(world, cedar)
    client.post(url, locations_post("Somewhere"))
    with TestCase.captureOnCommitCallbacks(execute=False):
        customer_remove_request(actor=fresh(world.acme_admin), customer=cedar)
    response = client.get(url)
    assert response.status_code == 200 and response.context["not_ready"] is True
    assert b'data-testid="setup-form"' not in response.content
    customer_remove(customer_id=cedar.pk)  # the removal task's body
    assert not Customer.objects.filter(pk=cedar.pk).exists()
    assert client.get(url).status_code == 404
    assert client.post(url, {"step": "users", "nav": "create"}).status_code == 404


def test_the_panel_offers_set_up_to_those_who_may(world, page_client):
    def panel(user, customer):
        url = reverse(
            "partner:customer_detail",
            kwargs={"org_id": world.acme.webex_id, "customer_id": customer.webex_id},
        )
        return page_client(user).get(url).content.decode()

    assert 'data-testid="set-up-customer"' in panel(world.acme_admin, world.blue_harbor)
    assert 'data-testid="set-up-customer"' in panel(world.acme_partner_admin, world.blue_harbor)
    assert 'data-testid="set-up-customer"' not in panel(world.acme_readonly, world.blue_harbor)
    pending = provision_customer(
        actor=world.acme_admin, partner=world.acme, name="Still Busy", admin_email="a@busy.test", run=False
    )
    assert 'data-testid="set-up-customer"' not in panel(world.acme_admin, pending)


@pytest.mark.parametrize(
    "data",
    [
        {"step": "nowhere", "nav": "goto:nowhere"},
        {"step": "users", "nav": "remove_user:999", "user-count": "many"},
        {"step": "locations", "nav": "remove_location:-1", "loc-count": "-5"},
        {"step": "numbers", "nav": "next", "user-0-phone_number": "x" * 5000},
        {"step": "review", "nav": "create"},
        {"step": "users", "user-count": "1", "user-0-email": "\x00@x", "user-0-package": "nope"},
    ],
)
def test_bad_input_never_breaks_the_wizard(world, harbor, page_client, data):
    client = page_client(world.acme_admin)
    response = client.post(setup_url(world, harbor), data)
    assert response.status_code == 200
    assert Subscriber.objects.filter(customer=harbor).count() == 1


def test_an_administrator_keeps_the_organisations_package(world, harbor, page_client):
    """The guide's note after "Set up Customer": a full administrator is not given less than the
    organisation's package. The service says so; the wizard shows it on the row's package."""
    from apps.accounts.roles import Role
    from apps.accounts.selectors import user_get_by_email
    from apps.accounts.services import person_invite

    admin = user_get_by_email(email="admin@harborclinic.test")
    person_invite(actor=admin, org=harbor.org, email="second@harborclinic.test", roles=[Role.FULL_ADMIN])
    client = page_client(world.acme_admin)
    url = setup_url(world, harbor)
    client.post(url, locations_post())
    row = {"email": "second@harborclinic.test", "package": "webex_meetings"}
    response = client.post(url, users_post(row))
    assert _step(response) == "users"
    assert "full administrator" in response.context["user_forms"][0].errors["package"][0]
    assert b'data-testid="admin-note"' in response.content


# --- the service behind "Create users" ---------------------------------------------------------------------


def _oakland(name: str = "Oakland Branch", **values) -> dict:
    return {key.split("-", 2)[2]: value for key, value in location_row(0, name, **values).items()}


def test_the_service_creates_locations_then_each_user_on_its_own(world, harbor):
    from apps.provisioning.services.setup import SetupUser, customer_setup_apply

    Customer.objects.filter(pk=harbor.pk).update(package_limits={"webex_calling": 2})
    harbor.refresh_from_db()
    result = customer_setup_apply(
        actor=world.acme_admin,
        customer=harbor,
        locations=[_oakland(), _oakland(name="Nowhere", timezone="Mars/Base")],
        users=[
            SetupUser(email="ann@harborclinic.test", package="webex_calling", phone_number=HQ_NUMBERS[0]),
            # The last calling seat is Ann's: Bob is refused, and his new number goes back with him.
            SetupUser(
                email="bob@harborclinic.test",
                package="webex_calling",
                location="oakland branch",
                phone_number="+15105550123",
                extension="4102",
            ),
            SetupUser(email="cy@harborclinic.test", package="webex_meetings", first_name="Cy"),
            SetupUser(email="dee@harborclinic.test", package="webex_calling", location="Nowhere"),
        ],
    )
    assert [loc.name for loc in result.locations] == ["Oakland Branch"]
    [failed_location] = result.failed_locations
    assert (failed_location.index, failed_location.name) == (1, "Nowhere")
    assert failed_location.errors[0].startswith("Timezone: ")
    assert [s.email for s in result.subscribers] == ["ann@harborclinic.test", "cy@harborclinic.test"]
    assert [(f.index, f.name) for f in result.failed_users] == [
        (1, "bob@harborclinic.test"),
        (3, "dee@harborclinic.test"),
    ]
    assert result.failed_users[0].errors == [
        "Package: Harbor Clinic may have at most 2 Webex Calling subscribers."
    ]
    assert result.failed_users[1].errors == ["Location: The location “Nowhere” was not created."]
    assert not PhoneNumber.objects.filter(e164="+15105550123").exists()
    assert not Extension.objects.filter(org=harbor.org, extension="4102").exists()
    assert PhoneNumber.objects.get(e164=HQ_NUMBERS[0]).subscriber.email == "ann@harborclinic.test"
    assert Subscriber.objects.get(email="cy@harborclinic.test").location is None


def test_the_service_adds_a_new_number_to_the_users_location(world, harbor):
    from apps.provisioning.services.setup import SetupUser, customer_setup_apply

    result = customer_setup_apply(
        actor=world.acme_admin,
        customer=harbor,
        locations=[_oakland()],
        users=[
            SetupUser(
                email="bob@harborclinic.test",
                package="webex_calling",
                location="Oakland Branch",
                phone_number=" +15105550123 ",
                extension=" 4102 ",
            )
        ],
    )
    [bob] = result.subscribers
    assert not result.failed_users and not result.failed_locations
    number = PhoneNumber.objects.get(e164="+15105550123")
    assert (number.location.name, number.subscriber) == ("Oakland Branch", bob)
    assert Extension.objects.get(org=harbor.org, extension="4102").subscriber == bob


def test_the_service_refuses_who_may_not_provision_before_writing(world):
    from django.core.exceptions import PermissionDenied

    from apps.provisioning.services.setup import SetupUser, customer_setup_apply

    with pytest.raises(PermissionDenied):
        customer_setup_apply(
            actor=world.acme_readonly,
            customer=world.blue_harbor,
            locations=[_oakland()],
            users=[SetupUser(email="x@blueharbor.test", package="webex_meetings")],
        )
    assert not Location.objects.filter(name="Oakland Branch").exists()
    assert not Subscriber.objects.filter(email="x@blueharbor.test").exists()


def test_the_panel_offers_set_up_on_the_wizards_own_permission(world, page_client, monkeypatch):
    """The button follows users.provision exactly, not wholesale.manage."""
    from apps.accounts.permissions import Action
    from apps.provisioning.views import panel as partner

    real = partner.effective_actions
    monkeypatch.setattr(
        partner, "effective_actions", lambda user, org: set(real(user, org)) - {Action.USERS_PROVISION}
    )
    url = reverse(
        "partner:customer_detail",
        kwargs={"org_id": world.acme.webex_id, "customer_id": world.blue_harbor.webex_id},
    )
    body = page_client(world.acme_admin).get(url).content.decode()
    assert 'data-testid="change-packages"' in body
    assert 'data-testid="set-up-customer"' not in body
