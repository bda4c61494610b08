"""Provisioning customers: the request validates everything at once and writes nothing when refused; the task
applies the guide's rules (country, call-in number, locales, headquarters location, first administrator,
Webex Assistant, limits) and moves the customer through its states; update and removal do the same."""

from dataclasses import replace

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase

from apps.accounts.models import Invitation, User
from apps.accounts.roles import Role
from apps.accounts.selectors import orgs_visible_to, roles_of
from apps.core.context import Channel, request_context
from apps.core.errors import ErrorCode
from apps.core.exceptions import ApplicationError, ConflictError
from apps.core.models import AuditEvent, Organization, OrgStatus
from apps.customers.models import Customer, CustomerPackage, CustomerStatus, PackageStatus
from apps.locations.models import Location
from apps.onboarding.models import OnboardingTemplate
from apps.onboarding.services import template_create
from apps.partners.services import partner_create
from apps.provisioning.orders import Address, CallingLocation
from apps.provisioning.services.provisioning import (
    customer_precheck,
    customer_provision,
    customer_provision_enqueue,
    customer_provision_request,
    customer_remove,
    customer_remove_request,
    customer_update,
    customer_update_request,
)
from apps.subscribers.models import Subscriber
from apps.subscribers.services.subscribers import subscriber_add
from tests.conftest import fresh
from tests.factories import ADDRESSES, customer_order

E = ErrorCode


@pytest.fixture
def template(world) -> OnboardingTemplate:
    return OnboardingTemplate.objects.get(partner=world.acme)


@pytest.fixture
def order(template):
    def make(**overrides):
        chosen = overrides.pop("template", template)
        values = {"name": "Fjord Outfitters", "admin_email": "boss@fjord.test", "external_id": "FJORD-1"}
        values.update(overrides)
        return customer_order(template=chosen, **values)

    return make


@pytest.fixture
def provision(world, django_capture_on_commit_callbacks):
    """Order through the request and run the task its commit enqueues (the eager worker)."""

    def run(order, *, actor=None, partner=None) -> Customer:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            customer = customer_provision_request(
                actor=actor or world.acme_admin, partner=partner or world.acme, order=order
            )
        assert callbacks, "the provisioning task is enqueued on commit"
        customer.refresh_from_db()
        return customer

    return run


def codes_of(exc: ValidationError) -> dict[str, list[int]]:
    return {key: [error.code for error in errors] for key, errors in exc.error_dict.items()}


def counts() -> tuple[int, ...]:
    return (
        Organization.objects.count(),
        Customer.objects.count(),
        CustomerPackage.objects.count(),
        Location.objects.count(),
        User.objects.count(),
        AuditEvent.objects.count(),
    )


# --- the request -------------------------------------------------------------------------------------------


def test_a_valid_order_is_accepted_at_once_and_provisioned_by_the_task(
    world, order, template, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        customer = customer_provision_request(
            actor=world.acme_admin,
            partner=world.acme,
            order=order(packages=["webex_calling", "webex_meetings"]),
        )
    customer.refresh_from_db()
    assert customer.status == CustomerStatus.PROVISIONING and customer.provisioned_at is None
    assert customer.org.parent == world.acme and customer.org.is_customer
    assert customer.org.name == "Fjord Outfitters" and customer.external_id == "FJORD-1"
    assert customer.template == template and customer.template_settings == template.settings_snapshot()
    assert {p.code: p.status for p in customer.packages.all()} == {
        "webex_calling": "provisioning",
        "webex_meetings": "provisioning",
    }
    assert not Location.objects.filter(org=customer.org).exists()  # the task creates it
    request_event = AuditEvent.objects.get(action="customer.provision_request", target_id=str(customer.pk))
    assert request_event.actor == world.acme_admin and request_event.acting_org == world.acme
    assert request_event.after["packages"] == ["webex_calling", "webex_meetings"]
    assert len(callbacks) == 1

    callbacks[0]()  # the task, as the eager worker runs it after the commit
    customer.refresh_from_db()
    assert customer.status == CustomerStatus.PROVISIONED and customer.provisioned_at is not None
    rows = list(customer.packages.all())
    assert {p.status for p in rows} == {PackageStatus.PROVISIONED}
    assert all(len(p.license_ids) == 1 for p in rows)
    done = AuditEvent.objects.get(action="customer.provisioned", target_id=str(customer.pk))
    assert done.channel == Channel.TASK and done.after["status"] == "provisioned"


BAD_ORDERS = [
    ({"name": ""}, "name", E.NAME_INVALID),
    ({"name": "100% Pizza"}, "name", E.NAME_INVALID),
    ({"name": "x" * 256}, "name", E.NAME_INVALID),
    ({"admin_email": ""}, "primary_email", E.EMAIL_INVALID),
    ({"admin_email": "not-an-address"}, "primary_email", E.EMAIL_INVALID),
    ({"admin_email": "admin@initech.test"}, "primary_email", E.EMAIL_IN_USE),  # a Globex customer's admin
    ({"external_id": "BLUE"}, "external_id", E.EXTERNAL_ID_IN_USE),  # Blue Harbor's
    ({"external_id": "x" * 256}, "external_id", E.EXTERNAL_ID_INVALID),
    ({"packages": []}, "packages", E.PACKAGES_INVALID),
    ({"packages": ["webex_calling", "webex_teleport"]}, "packages", E.PACKAGES_INVALID),
    ({"packages": ["cisco_calling_plan"]}, "packages", E.ADDON_WITHOUT_BASE),
    ({"packages": ["webex_voice", "attendant_console"]}, "packages", E.ADDON_WITHOUT_BASE),
    ({"packages": ["webex_meetings", "cx_voice_ports"]}, "packages", E.ADDON_WITHOUT_BASE),
    ({"calling_location": False}, "calling_location", E.CALLING_LOCATION_REQUIRED),
    (
        {"packages": ["webex_meetings", "cisco_calling_plan"], "calling_location": False},
        "packages",
        E.ADDON_WITHOUT_BASE,
    ),
    ({"address": replace(ADDRESSES["US"], address_line1="x" * 51)}, "address_line1", E.ADDRESS_INVALID),
    ({"address": replace(ADDRESSES["US"], address_line2="y" * 51)}, "address_line2", E.ADDRESS_INVALID),
    ({"address": replace(ADDRESSES["US"], address_line1="  ")}, "address_line1", E.ADDRESS_INVALID),
    ({"address": replace(ADDRESSES["US"], city="")}, "city", E.ADDRESS_INVALID),
    ({"address": replace(ADDRESSES["US"], country="XX")}, "country", E.COUNTRY_UNKNOWN),
    ({"address": replace(ADDRESSES["US"], country="USA")}, "country", E.COUNTRY_UNKNOWN),
    ({"language": "tlh"}, "language", E.LANGUAGE_UNSUPPORTED),
    ({"language": "en_XX"}, "language", E.LANGUAGE_UNSUPPORTED),
    ({"package_limits": {"webex_teleport": 5}}, "package_limits", E.PACKAGE_LIMIT_INVALID),
    ({"package_limits": {"webex_calling": -1}}, "package_limits", E.PACKAGE_LIMIT_INVALID),
    ({"package_limits": {"webex_calling": 2.5}}, "package_limits", E.PACKAGE_LIMIT_INVALID),
    ({"package_limits": {"webex_calling": True}}, "package_limits", E.PACKAGE_LIMIT_INVALID),
]


@pytest.mark.parametrize(
    ("overrides", "key", "code"), BAD_ORDERS, ids=[f"{k}-{c.name}" for _, k, c in BAD_ORDERS]
)
def test_a_bad_order_is_refused_with_its_field_and_code_and_writes_nothing(
    world, order, overrides, key, code
):
    before = counts()
    with pytest.raises(ValidationError) as refused:
        customer_provision_request(actor=world.acme_admin, partner=world.acme, order=order(**overrides))
    assert code in codes_of(refused.value).get(key, []), codes_of(refused.value)
    assert counts() == before
    # The precheck refuses it the same way, and writes nothing either.
    with pytest.raises(ValidationError) as prechecked:
        customer_precheck(actor=world.acme_admin, partner=world.acme, order=order(**overrides))
    assert codes_of(prechecked.value) == codes_of(refused.value)
    assert counts() == before


def test_the_calling_location_is_checked_field_by_field(world, order):
    location = CallingLocation(
        name="",
        address=replace(ADDRESSES["US"], address_line1="z" * 60, country="ZZ"),
        timezone="Mars/Olympus",
        language="xx",
        emergency_location_identifier="9" * 65,
    )
    with pytest.raises(ValidationError) as refused:
        customer_precheck(actor=world.acme_admin, partner=world.acme, order=order(calling_location=location))
    assert codes_of(refused.value) == {
        "location_name": [E.LOCATION_INVALID],
        "location_address_line1": [E.ADDRESS_INVALID],
        "location_country": [E.COUNTRY_UNKNOWN],
        "location_timezone": [E.TIME_ZONE_UNKNOWN],
        "location_language": [E.LANGUAGE_UNSUPPORTED],
        "location_emergency_location_identifier": [E.LOCATION_INVALID],
    }


def test_every_problem_is_reported_at_once(world, order):
    bad = order(
        name="50% off",
        admin_email="nope",
        packages=["attendant_console"],
        address=Address(address_line1="", city="", country="??"),
        meetings_timezone="Nowhere/Town",
    )
    with pytest.raises(ValidationError) as refused:
        customer_precheck(actor=world.acme_admin, partner=world.acme, order=bad)
    assert set(codes_of(refused.value)) >= {
        "name",
        "primary_email",
        "packages",
        "address_line1",
        "city",
        "country",
    }


def test_the_precheck_of_a_partial_order_checks_only_what_it_carries(world, template):
    partial = customer_order(template=template, name="", admin_email="", packages=(), calling_location=False)
    partial = replace(partial, provisioning_id="")
    customer_precheck(actor=world.acme_admin, partner=world.acme, order=partial, partial=True)
    with pytest.raises(ValidationError) as refused:
        customer_precheck(
            actor=world.acme_admin,
            partner=world.acme,
            order=replace(partial, primary_email="admin@initech.test"),
            partial=True,
        )
    assert codes_of(refused.value) == {"primary_email": [E.EMAIL_IN_USE]}
    with pytest.raises(ValidationError):
        customer_precheck(actor=world.acme_admin, partner=world.acme, order=partial)  # complete: required


def test_templates_belong_to_their_partner(world, order):
    globex_template = OnboardingTemplate.objects.get(partner=world.globex)
    northwind_template = OnboardingTemplate.objects.get(partner=world.northwind)
    acme_template = OnboardingTemplate.objects.get(partner=world.acme)
    for partner, actor, foreign in (
        (world.acme, world.acme_admin, globex_template),
        (world.acme, world.acme_admin, northwind_template),  # a sub-partner's template is its own
        (world.northwind, world.northwind_admin, acme_template),  # ... and so is the parent's
    ):
        with pytest.raises(ValidationError) as refused:
            customer_precheck(actor=actor, partner=partner, order=order(template=foreign))
        assert codes_of(refused.value) == {"provisioning_id": [E.PROVISIONING_ID_UNKNOWN]}
    # A parent acting for its sub-partner uses the sub-partner's templates.
    customer_precheck(
        actor=world.acme_admin, partner=world.northwind, order=order(template=northwind_template)
    )


def test_only_people_who_may_create_customers_order_them(world, order):
    for person in (world.acme_readonly, world.blue_admin, world.globex_admin, world.northwind_admin):
        with pytest.raises(PermissionDenied):
            customer_provision_request(actor=fresh(person), partner=world.acme, order=order())


def test_a_partner_admin_keeps_managing_what_it_orders(world, order, provision):
    partner_admin = fresh(world.acme_partner_admin)
    customer = provision(order(), actor=partner_admin)
    assert customer.org in orgs_visible_to(actor=fresh(partner_admin))


def test_the_same_external_id_is_fine_at_another_partner(world, provision):
    globex_template = OnboardingTemplate.objects.get(partner=world.globex)
    order = customer_order(
        template=globex_template,
        name="Blue Copy",
        admin_email="a@bluecopy.test",
        external_id="BLUE",
        country="DE",
    )
    customer = provision(order, actor=world.globex_admin, partner=world.globex)
    assert customer.status == CustomerStatus.PROVISIONED


def test_a_suspended_partner_cannot_order(world, order):
    world.acme.status = OrgStatus.SUSPENDED
    world.acme.save()
    # The permission function refuses it (subpartners.permissions), with the reason and the stable code.
    with pytest.raises(PermissionDenied) as refused:
        customer_precheck(actor=world.acme_admin, partner=world.acme, order=order())
    assert refused.value.args[0].error_code == E.PARTNER_SUSPENDED
    assert "Acme Telecom is suspended" in str(refused.value)


# --- the guide's rules -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("country", "region", "code"),
    [
        ("US", "AMER", "+1"),
        ("CA", "AMER", "+1"),
        ("SG", "APAC", "+65"),
        ("AU", "ANZ", "+61"),
        ("GB", "EMEA", "+44"),
        ("DE", "EURO", "+49"),
    ],
)
def test_the_billing_country_picks_the_default_call_in_number(world, order, provision, country, region, code):
    address = Address(address_line1="1 Main Street", city="Capital", country=country)
    customer = provision(order(address=address, packages=["webex_meetings"], calling_location=False))
    assert customer.country == country  # the organisation's country
    assert (customer.call_in_region, customer.call_in_country_code) == (region, code)


def test_a_country_outside_the_region_table_uses_the_locations_own_number(world, order, provision):
    billing = Address(address_line1="1 Rue de Rivoli", city="Paris", country="FR")
    hq = CallingLocation(
        name="Genève",
        address=Address(address_line1="1 Quai", city="Genève", country="CH"),
        timezone="Europe/Zurich",
        language="fr_FR",
    )
    customer = provision(order(address=billing, calling_location=hq))
    assert customer.country == "FR"
    assert (customer.call_in_region, customer.call_in_country_code) == ("", "+41")
    meetings_only = provision(
        order(
            name="Paris Meetings",
            external_id="",
            admin_email="p@paris.test",
            address=billing,
            packages=["webex_meetings"],
            calling_location=False,
        )
    )
    assert meetings_only.call_in_country_code == "+33"  # no location: the billing country's own


@pytest.mark.parametrize(
    ("template_country", "template_language", "requested", "org_locale", "site_locale"),
    [
        ("US", "en_US", "", "en_US", "en_US"),  # no language: the template's
        ("GB", "en_GB", "en", "en_GB", "en_GB"),  # two letters + the template's country
        ("US", "en_US", "fr", "fr_FR", "fr_FR"),  # fr_US is no locale: the default sensible one
        ("CA", "en_CA", "fr", "fr_CA", "fr_CA"),
        ("US", "en_US", "de-de", "de_DE", "de_DE"),
        ("CO", "es_CO", "es", "es_CO", "en_US"),  # meeting sites do not speak es_CO, id_ID, nb_NO, pt_PT
        ("US", "en_US", "id_ID", "id_ID", "en_US"),
        ("US", "en_US", "nb", "nb_NO", "en_US"),
        ("PT", "pt_PT", "", "pt_PT", "en_US"),
        ("BR", "pt_BR", "pt", "pt_BR", "pt_BR"),
    ],
)
def test_the_language_sets_the_org_and_meeting_site_locales(
    world, order, provision, template_country, template_language, requested, org_locale, site_locale
):
    template = template_create(
        actor=world.acme_admin,
        partner=world.acme,
        name=f"T {template_country} {template_language}",
        country=template_country,
        language=template_language,
        send_admin_invite_email=False,
    )
    customer = provision(
        order(template=template, language=requested, packages=["webex_meetings"], calling_location=False)
    )
    assert (customer.org_locale, customer.meeting_site_locale) == (org_locale, site_locale)


def test_the_headquarters_location_comes_from_the_order(world, order, provision):
    hq = CallingLocation(
        name="Head Office",
        address=Address(
            address_line1="771 Alder Drive",
            address_line2="Cisco Site 5",
            city="Milpitas",
            country="us",
            state_or_province="CA",
            zip_or_postal_code="95035",
        ),
        timezone="America/Los_Angeles",
        language="en",
        emergency_location_identifier="95547321",
    )
    customer = provision(order(calling_location=hq, meetings_timezone="America/New_York"))
    location = Location.objects.get(org=customer.org)
    assert location.is_headquarters and location.name == "Head Office"
    assert (location.address_line2, location.country, location.language) == ("Cisco Site 5", "US", "en_US")
    assert (location.timezone, location.emergency_location_identifier) == ("America/Los_Angeles", "95547321")
    assert customer.meetings_timezone == "America/New_York" and customer.calling_location == {}


def test_meetings_alone_need_no_location_and_get_none(world, order, provision):
    customer = provision(order(packages=["webex_meetings"], calling_location=False))
    assert customer.status == CustomerStatus.PROVISIONED
    assert not Location.objects.filter(org=customer.org).exists()


def test_the_first_administrator_is_a_full_admin_with_the_richest_package_and_is_invited(
    world, order, provision
):
    template = template_create(
        actor=world.acme_admin, partner=world.acme, name="Inviting", country="US", language="en_US"
    )
    mail.outbox.clear()
    customer = provision(
        order(template=template, packages=["webex_calling", "webex_suite", "webex_meetings"])
    )
    admin = User.objects.get(email="boss@fjord.test")
    assert admin.org == customer.org and roles_of(admin) == {Role.FULL_ADMIN}
    assert Subscriber.objects.get(user=admin).package == "webex_suite"
    invitation = Invitation.objects.get(user=admin)
    assert invitation.invited_by == world.acme_admin
    assert [m.to for m in mail.outbox] == [["boss@fjord.test"]]  # sent by the invitation task


def test_the_template_can_suppress_the_invitation(world, order, provision, template):
    assert template.send_admin_invite_email is False
    provision(order())
    assert not Invitation.objects.filter(user__email="boss@fjord.test").exists()


def test_editing_the_template_later_changes_nothing_for_the_customer(world, order, provision, template):
    from apps.onboarding.services import template_update

    customer = provision(order())
    snapshot = dict(customer.template_settings)
    template_update(actor=world.acme_admin, template=template, language="fr_FR", send_admin_invite_email=True)
    customer.refresh_from_db()
    assert customer.template_settings == snapshot and snapshot["language"] == "en_US"


def test_common_area_only_gives_the_administrator_no_package(world, order, provision):
    customer = provision(order(packages=["common_area_calling"]))
    admin = User.objects.get(email="boss@fjord.test")
    assert Role.FULL_ADMIN in roles_of(admin) and not Subscriber.objects.filter(user=admin).exists()
    assert customer.status == CustomerStatus.PROVISIONED


@pytest.mark.parametrize(
    ("packages", "assistant"),
    [
        (["webex_meetings"], True),
        (["webex_suite"], True),
        (["webex_calling"], False),
        (["webex_voice", "cisco_calling_plan"], False),
    ],
)
def test_webex_assistant_is_on_for_meetings_and_suite(world, order, provision, packages, assistant):
    assert provision(order(packages=packages)).webex_assistant_enabled is assistant


def test_package_limits_are_stored(world, order, provision):
    customer = provision(
        order(package_limits={"webex_calling": 50, "webex_meetings": 10.0, "attendant_console": 0})
    )
    assert customer.package_limits == {"webex_calling": 50, "webex_meetings": 10, "attendant_console": 0}


def test_cisco_calling_plan_outside_its_countries_is_provisioned_with_errors(world, order, provision):
    customer = provision(
        order(packages=["webex_calling", "cisco_calling_plan"], address=ADDRESSES["DE"], country="DE")
    )
    assert customer.status == CustomerStatus.PROVISIONED_WITH_ERRORS and customer.provisioned_at is not None
    plan = customer.packages.get(code="cisco_calling_plan")
    assert plan.status == PackageStatus.ERROR and plan.errors[0]["errorCode"] == E.CALLING_PLAN_UNAVAILABLE
    assert plan.license_ids == []
    assert customer.packages.get(code="webex_calling").status == PackageStatus.PROVISIONED


def test_the_task_is_idempotent(world, order, provision):
    customer = provision(order())
    licences = {p.code: p.license_ids for p in customer.packages.all()}
    events = AuditEvent.objects.count()
    with request_context(channel=Channel.TASK):
        customer_provision(customer_id=customer.id)
        customer_provision(customer_id="00000000-0000-0000-0000-000000000000")  # gone: nothing to do
    assert AuditEvent.objects.count() == events
    assert {p.code: p.license_ids for p in customer.packages.all()} == licences
    assert Subscriber.objects.filter(email="boss@fjord.test").count() == 1


def test_an_email_taken_before_the_task_runs_ends_in_error(world, order, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        customer = customer_provision_request(actor=world.acme_admin, partner=world.acme, order=order())
    subscriber_add(
        actor=world.acme_admin,
        customer=world.cedar_pine,
        email="boss@fjord.test",
        package="webex_calling",
        extension="4001",
    )
    callbacks[0]()
    customer.refresh_from_db()
    assert customer.status == CustomerStatus.ERROR and customer.provisioned_at is None
    assert customer.errors == [
        {"errorCode": 10022, "description": "The email is already associated with an existing user."}
    ]
    assert {p.status for p in customer.packages.all()} == {PackageStatus.ERROR}
    assert not Location.objects.filter(org=customer.org).exists()  # the failed attempt left nothing behind


# --- screening and attach gates ----------------------------------------------------------------------------


def test_a_screening_hit_holds_the_customer_until_released(world, order, provision):
    from apps.screening import services as screening

    screening.screening_entry_add(actor=world.operator, name="Fjord Outfitters", country="US")
    customer = provision(order())
    assert customer.status == CustomerStatus.PENDING_RPL_REVIEW
    assert not User.objects.filter(email="boss@fjord.test").exists()  # nothing provisioned yet
    hold = customer.screening_hold
    with TestCase.captureOnCommitCallbacks(execute=True):
        screening.screening_hold_clear(actor=world.operator, hold=hold, note="A different company.")
    customer.refresh_from_db()
    assert customer.status == CustomerStatus.PROVISIONED
    assert AuditEvent.objects.filter(action="customer.provision_resume", target_id=str(customer.pk)).exists()


def test_attaching_to_an_existing_organisation(world, order, provision):
    from apps.provisioning.services.attach import existing_org_create

    existing = existing_org_create(
        actor=world.operator,
        name="Contoso Ltd",
        admin_email="admin@contoso.test",
        people=["dana@contoso.test"],
    )
    customer = provision(order(org_id=existing.webex_id, name="", admin_email="dana@contoso.test"))
    existing.refresh_from_db()
    assert customer.org == existing and existing.parent == world.acme and existing.name == "Contoso Ltd"
    assert customer.existing_org and customer.status == CustomerStatus.PROVISIONED
    assert customer.attach_state == "automatic" and customer.restricted_by_partner is False
    dana = User.objects.get(email="dana@contoso.test")
    assert roles_of(dana) == frozenset() and Subscriber.objects.get(user=dana).package == "webex_calling"


def test_a_broadworks_organisation_is_refused(world, order):
    from apps.provisioning.services.attach import existing_org_create

    broadworks = existing_org_create(
        actor=world.operator, name="BroadWorks Co", admin_email="admin@bw.test", is_broadworks=True
    )
    before = counts()
    with pytest.raises(ApplicationError) as refused:
        customer_provision_request(
            actor=world.acme_admin, partner=world.acme, order=order(org_id=broadworks.webex_id)
        )
    assert refused.value.error_code == ErrorCode.ORG_BROADWORKS
    assert counts() == before


def test_an_organisation_managed_by_another_partner_is_a_conflict(world, order):
    with pytest.raises(ConflictError):
        customer_precheck(
            actor=world.acme_admin,
            partner=world.acme,
            order=order(org_id=world.initech.org.webex_id, name=""),
        )


def test_resuming_puts_a_held_customer_back_into_provisioning(
    world, order, django_capture_on_commit_callbacks
):
    customer = customer_provision_request(actor=world.acme_admin, partner=world.acme, order=order())
    Customer.objects.filter(pk=customer.pk).update(status=CustomerStatus.PENDING_RPL_REVIEW)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        customer_provision_enqueue(customer=customer)
    customer.refresh_from_db()
    assert len(callbacks) == 1 and customer.status == CustomerStatus.PROVISIONED


# --- update ------------------------------------------------------------------------------------------------


@pytest.fixture
def update(world, django_capture_on_commit_callbacks):
    def run(customer, *, actor=None, **changes) -> Customer:
        with django_capture_on_commit_callbacks(execute=True):
            customer_update_request(actor=actor or world.acme_admin, customer=customer, **changes)
        customer.refresh_from_db()
        return customer

    return run


def test_an_update_replaces_the_package_list(world, order, provision, django_capture_on_commit_callbacks):
    customer = provision(order(packages=["webex_calling", "webex_voice"]))
    with django_capture_on_commit_callbacks() as callbacks:
        customer_update_request(
            actor=world.acme_admin,
            customer=customer,
            packages=["webex_calling", "webex_meetings"],
            package_limits={"webex_meetings": 5},
            external_id="FJORD-2",
        )
    customer.refresh_from_db()
    assert customer.status == CustomerStatus.UPDATING
    assert {p.code: p.status for p in customer.packages.all()} == {
        "webex_calling": "provisioned",
        "webex_meetings": "provisioning",
        "webex_voice": "deleting",
    }
    callbacks[0]()
    customer.refresh_from_db()
    assert customer.status == CustomerStatus.PROVISIONED
    assert {p.code: p.status for p in customer.packages.all()} == {
        "webex_calling": "provisioned",
        "webex_meetings": "provisioned",
    }
    assert customer.webex_assistant_enabled and customer.package_limits == {"webex_meetings": 5}
    assert customer.external_id == "FJORD-2"
    assert AuditEvent.objects.get(action="customer.updated").before["removed"] == ["webex_voice"]


def test_adding_calling_to_a_customer_without_a_location_needs_one(world, order, provision, update):
    customer = provision(order(packages=["webex_meetings"], calling_location=False))
    with pytest.raises(ValidationError) as refused:
        customer_update_request(
            actor=world.acme_admin, customer=customer, packages=["webex_meetings", "webex_calling"]
        )
    assert codes_of(refused.value) == {"calling_location": [E.CALLING_LOCATION_REQUIRED]}
    customer.refresh_from_db()
    assert customer.status == CustomerStatus.PROVISIONED
    hq = CallingLocation(name="HQ", address=ADDRESSES["US"], timezone="America/Chicago", language="en_US")
    customer = update(customer, packages=["webex_meetings", "webex_calling"], calling_location=hq)
    assert customer.status == CustomerStatus.PROVISIONED
    assert Location.objects.get(org=customer.org).is_headquarters


def test_a_package_subscribers_hold_cannot_be_removed(world):
    blue = world.blue_harbor
    before = {p.code: p.status for p in blue.packages.all()}
    with pytest.raises(ValidationError) as refused:
        customer_update_request(actor=world.acme_admin, customer=blue, packages=["webex_suite"])
    assert codes_of(refused.value) == {"packages": [E.PACKAGE_IN_USE]}
    assert "1 subscriber(s) or workspace(s) still hold webex_calling" in refused.value.messages[0]
    assert {p.code: p.status for p in blue.packages.all()} == before


def test_an_update_waits_for_running_work(world, order):
    customer = customer_provision_request(actor=world.acme_admin, partner=world.acme, order=order())
    with pytest.raises(ValidationError) as refused:
        customer_update_request(actor=world.acme_admin, customer=customer, packages=["webex_calling"])
    assert codes_of(refused.value) == {"status": [E.CUSTOMER_BUSY]}


def test_only_wholesale_managers_update_or_remove(world):
    for person in (world.acme_readonly, world.blue_admin, world.globex_admin):
        with pytest.raises(PermissionDenied):
            customer_update_request(
                actor=fresh(person), customer=world.cedar_pine, packages=["webex_calling"]
            )
        with pytest.raises(PermissionDenied):
            customer_remove_request(actor=fresh(person), customer=world.cedar_pine)


# --- removal -----------------------------------------------------------------------------------------------


def test_removal_takes_the_wholesale_services_and_keeps_the_organisation(
    world, django_capture_on_commit_callbacks
):
    blue = world.blue_harbor
    people = set(User.objects.filter(org=blue.org).values_list("email", flat=True))
    with django_capture_on_commit_callbacks() as callbacks:
        customer_remove_request(actor=world.acme_admin, customer=blue)
        customer_remove_request(actor=world.acme_admin, customer=blue)  # asked twice: nothing more
    blue.refresh_from_db()
    assert blue.status == CustomerStatus.DELETING
    assert {p.status for p in blue.packages.all()} == {PackageStatus.DELETING}
    assert AuditEvent.objects.filter(action="customer.remove_request").count() == 1
    for callback in callbacks:
        callback()
    assert not Customer.objects.filter(pk=blue.pk).exists()
    assert not Subscriber.objects.filter(customer_id=blue.pk).exists()
    org = Organization.objects.get(pk=blue.org.pk)
    assert org.parent == world.acme
    assert set(User.objects.filter(org=org).values_list("email", flat=True)) == people
    event = AuditEvent.objects.get(action="customer.removed")
    assert event.before["packages"] == ["webex_calling", "webex_suite"] and event.channel == Channel.TASK
    with request_context(channel=Channel.TASK):
        customer_remove(customer_id=blue.pk)  # a retried task: nothing left to do


def test_a_suspended_partner_may_still_remove(world, django_capture_on_commit_callbacks):
    world.acme.status = OrgStatus.SUSPENDED
    world.acme.save()
    with pytest.raises(PermissionDenied):
        customer_update_request(actor=world.acme_admin, customer=world.cedar_pine, packages=["webex_calling"])
    with django_capture_on_commit_callbacks(execute=True):
        customer_remove_request(actor=world.acme_admin, customer=world.cedar_pine)
    assert not Customer.objects.filter(pk=world.cedar_pine.pk).exists()


def test_a_removed_customer_can_be_ordered_again_on_its_organisation(world, provision, order):
    cedar = world.cedar_pine
    with TestCase.captureOnCommitCallbacks(execute=True):
        customer_remove_request(actor=world.acme_admin, customer=cedar)
    again = provision(order(org_id=cedar.org.webex_id, name="", admin_email="", external_id="CEDA"))
    assert again.org == cedar.org and again.status == CustomerStatus.PROVISIONED


def test_update_and_remove_task_bodies_do_nothing_out_of_state(world):
    cedar = world.cedar_pine
    events = AuditEvent.objects.count()
    with request_context(channel=Channel.TASK):
        customer_update(customer_id=cedar.pk)
        customer_remove(customer_id=cedar.pk)
    cedar.refresh_from_db()
    assert cedar.status == CustomerStatus.PROVISIONED and AuditEvent.objects.count() == events


def test_a_subpartner_customer_ordered_by_the_parent(world, provision):
    northwind_template = OnboardingTemplate.objects.get(partner=world.northwind)
    order = customer_order(
        template=northwind_template, name="Harbour Café", admin_email="cafe@harbour.test", country="GB"
    )
    customer = provision(order, actor=world.acme_admin, partner=world.northwind)
    assert customer.org.parent == world.northwind and customer.status == CustomerStatus.PROVISIONED
    assert customer.org in orgs_visible_to(actor=fresh(world.northwind_admin))


def test_a_new_subpartner_without_templates_cannot_order(world):
    southwind = partner_create(
        actor=world.operator, parent=world.acme, name="Southwind", admin_email="admin@southwind.test"
    )
    template = OnboardingTemplate.objects.get(partner=world.acme)
    with pytest.raises(ValidationError) as refused:
        customer_precheck(actor=world.acme_admin, partner=southwind, order=customer_order(template=template))
    assert codes_of(refused.value)["provisioning_id"] == [E.PROVISIONING_ID_UNKNOWN]


# --- firsthour: errors lead somewhere (issue 12, item 3) ---------------------------------------------------


def test_an_error_names_the_page_that_fixes_it_and_retry_runs_again(
    world, order, provision, page_client, django_capture_on_commit_callbacks, monkeypatch
):
    from django.urls import reverse

    from apps.provisioning.services import provisioning as svc

    customer = provision(
        order(packages=["webex_calling", "cisco_calling_plan"], address=ADDRESSES["DE"], country="DE")
    )
    plan = customer.packages.get(code="cisco_calling_plan")
    assert "Change packages" in plan.errors[0]["description"] and "Retry" in plan.errors[0]["description"]
    client = page_client(world.acme_admin)
    ids = {"org_id": world.acme.webex_id, "customer_id": customer.webex_id}
    panel = client.get(reverse("partner:customer_detail", kwargs=ids)).content.decode()
    assert reverse("partner:customer_packages", kwargs=ids) in panel
    assert 'data-testid="retry"' in panel
    # Read-only partner people see the error but no Retry; a retry by them is refused.
    readonly = page_client(world.acme_readonly).get(reverse("partner:customer_detail", kwargs=ids))
    assert 'data-testid="retry"' not in readonly.content.decode()

    # The cause goes away (Germany now offers the plan, say): Retry provisions only what failed.
    monkeypatch.setattr(svc, "CISCO_CALLING_PLAN_COUNTRIES", {*svc.CISCO_CALLING_PLAN_COUNTRIES, "DE"})
    with django_capture_on_commit_callbacks(execute=True):
        response = page_client(world.acme_admin).post(reverse("partner:customer_retry", kwargs=ids))
    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.status == CustomerStatus.PROVISIONED
    assert customer.packages.get(code="cisco_calling_plan").status == PackageStatus.PROVISIONED
    assert AuditEvent.objects.filter(action="customer.provision_retry", actor=world.acme_admin).exists()


def test_retry_is_refused_when_there_is_nothing_to_retry(world, order, provision):
    from apps.core.exceptions import ConflictError
    from apps.provisioning.services.provisioning import customer_provision_retry

    customer = provision(order())
    assert customer.status == CustomerStatus.PROVISIONED
    with pytest.raises(ConflictError):
        customer_provision_retry(actor=world.acme_admin, customer=customer)
    with pytest.raises(PermissionDenied):
        customer_provision_retry(actor=world.acme_readonly, customer=customer)
