"""The subscriber services (issue 4, acceptance 2): every rule of adding, changing and removing a subscriber,
checked once in ``services.subscribers`` and shared by the API, the Users page, its CSV import and the set-up
wizard; and the consent of someone who already had a free account."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.accounts.models import User
from apps.core.errors import ErrorCode
from apps.core.models import AuditEvent
from apps.customers.models import CustomerPackage, CustomerStatus, PackageStatus
from apps.locations.models import Extension, Location, PhoneNumber
from apps.locations.services.numbers import numbers_add
from apps.subscribers.models import PackageAssignment, Subscriber
from apps.subscribers.services.subscribers import (
    consent_token,
    subscriber_add,
    subscriber_change_package,
    subscriber_consent_send,
    subscriber_precheck,
    subscriber_remove,
)


def codes(exc: pytest.ExceptionInfo) -> dict[str, list[int]]:
    return {key: [e.code for e in errors] for key, errors in exc.value.error_dict.items()}


def open_intervals(subscriber) -> list[PackageAssignment]:
    return list(PackageAssignment.objects.filter(subscriber_uuid=subscriber.pk, ended_at__isnull=True))


@pytest.fixture
def blue(world):
    return world.blue_harbor


@pytest.fixture
def hq(blue) -> Location:
    return Location.objects.get(org=blue.org, is_headquarters=True)


@pytest.fixture
def number(world, hq) -> PhoneNumber:
    return numbers_add(actor=world.acme_admin, location=hq, phone_numbers=["+14155550142"])[0]


def add(world, blue, **order):
    return subscriber_add(actor=world.acme_admin, customer=blue, **order)


def test_a_meetings_subscriber_is_provisioned_with_an_open_interval_and_an_audit_entry(world, blue):
    ana = add(world, blue, email=" Ana@BlueHarbor.test ", package="webex_suite", extension="3001")
    assert (ana.email, ana.status, ana.location.is_headquarters) == (
        "ana@blueharbor.test",
        "provisioned",
        True,
    )
    assert ana.user.org == blue.org and ana.status_changed is not None
    (interval,) = open_intervals(ana)
    assert (interval.package, interval.location_uuid) == ("webex_suite", ana.location_id)
    event = AuditEvent.objects.get(action="subscriber.create", target_id=str(ana.pk))
    assert event.after["extensions"] == ["3001"] and event.actor == world.acme_admin


def test_a_calling_package_needs_a_number_or_an_extension(world, blue, number):
    with pytest.raises(ValidationError) as refused:
        add(world, blue, email="ana@blueharbor.test", package="webex_calling")
    assert codes(refused) == {"phone_number": [ErrorCode.CALLING_NUMBER_REQUIRED]}
    assert not Subscriber.objects.filter(email="ana@blueharbor.test").exists()
    assert not User.objects.filter(email="ana@blueharbor.test").exists()  # nothing half written
    ana = add(
        world, blue, email="ana@blueharbor.test", package="webex_calling", phone_number="+1 415 555 0142"
    )
    number.refresh_from_db()
    assert number.subscriber == ana and ana.location == number.location


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        ({"phone_number": "+14155550199"}, {"phone_number": [ErrorCode.PHONE_NUMBER_INVALID]}),  # not ours
        ({"phone_number": "12"}, {"phone_number": [ErrorCode.PHONE_NUMBER_INVALID]}),
        ({"extension": "2002"}, {"extension": [ErrorCode.EXTENSION_IN_USE]}),  # tom's
        ({"extension": "12345"}, {"extension": [ErrorCode.EXTENSION_INVALID]}),  # 4 digits here
        ({"extension": "3001", "location": "Nowhere"}, {"location": [ErrorCode.LOCATION_UNKNOWN]}),
    ],
)
def test_calling_details_are_checked(world, blue, order, expected):
    with pytest.raises(ValidationError) as refused:
        add(world, blue, email="ana@blueharbor.test", package="webex_calling", **order)
    assert codes(refused) == expected


def test_a_number_held_by_someone_else_is_refused(world, blue, number):
    add(world, blue, email="ana@blueharbor.test", package="webex_calling", phone_number=number.e164)
    with pytest.raises(ValidationError) as refused:
        add(world, blue, email="bo@blueharbor.test", package="webex_calling", phone_number=number.e164)
    assert codes(refused) == {"phone_number": [ErrorCode.PHONE_NUMBER_IN_USE]}


def test_the_location_is_found_by_id_or_name_and_must_match_the_number(world, blue, hq, number):
    branch = Location.objects.create(
        org=blue.org, name="Branch", address_line1="1 Main", city="Austin", country="US",
        timezone="America/Chicago", language="en_US",
    )  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        add(world, blue, email="a@blueharbor.test", package="webex_calling", phone_number=number.e164,
            location=branch.webex_id)  # fmt: skip
    assert codes(refused) == {"phone_number": [ErrorCode.PHONE_NUMBER_INVALID]}
    by_name = add(
        world, blue, email="b@blueharbor.test", package="webex_calling", extension="3002", location="branch"
    )
    assert by_name.location == branch


def test_a_package_without_calling_takes_no_number(world, blue):
    CustomerPackage.objects.create(customer=blue, code="webex_meetings", status=PackageStatus.PROVISIONED)
    with pytest.raises(ValidationError) as refused:
        add(world, blue, email="ana@blueharbor.test", package="webex_meetings", extension="3001")
    assert codes(refused) == {"extension": [ErrorCode.CALLING_NOT_IN_PACKAGE]}
    ana = add(world, blue, email="ana@blueharbor.test", package="webex_meetings")
    assert ana.location is None and open_intervals(ana)[0].location_uuid is None


@pytest.mark.parametrize("package", ["common_area_calling", "cx_voice_ports", "nonsense", ""])
def test_only_packages_a_person_can_hold(world, blue, package):
    with pytest.raises(ValidationError) as refused:
        add(world, blue, email="ana@blueharbor.test", package=package, extension="3001")
    assert codes(refused)["package"] == [ErrorCode.SUBSCRIBER_PACKAGE_INVALID]


def test_the_customer_must_hold_the_package(world):
    with pytest.raises(ValidationError) as refused:
        subscriber_add(
            actor=world.acme_admin, customer=world.cedar_pine, email="a@cedar.test", package="webex_suite",
            extension="3001",
        )  # fmt: skip
    assert codes(refused) == {"package": [ErrorCode.PACKAGE_NOT_HELD]}


def test_an_add_on_needs_its_base_on_the_customer(world, blue):
    CustomerPackage.objects.create(customer=blue, code="attendant_console", status=PackageStatus.PROVISIONED)
    CustomerPackage.objects.filter(customer=blue, code__in=["webex_suite", "webex_calling"]).update(
        status=PackageStatus.ERROR
    )
    with pytest.raises(ValidationError) as refused:
        add(world, blue, email="ana@blueharbor.test", package="attendant_console")
    assert codes(refused) == {"package": [ErrorCode.ADDON_WITHOUT_BASE]}


def test_package_limits_hold(world, blue):
    blue.package_limits = {"webex_calling": 1}  # tom holds it
    blue.save(update_fields=["package_limits"])
    with pytest.raises(ValidationError) as refused:
        add(world, blue, email="ana@blueharbor.test", package="webex_calling", extension="3001")
    assert codes(refused) == {"package": [ErrorCode.PACKAGE_LIMIT_REACHED]}
    tom = Subscriber.objects.get(email="tom@blueharbor.test")
    # Tom himself may stay on it (a change to the same package counts everyone but him).
    subscriber_change_package(actor=world.acme_admin, subscriber=tom, package="webex_calling")


@pytest.mark.parametrize("email", ["tom@blueharbor.test", "TOM@blueharbor.test", "admin@cedarpine.test"])
def test_an_email_someone_else_has_is_10022(world, blue, email):
    with pytest.raises(ValidationError) as refused:
        add(world, blue, email=email, package="webex_suite", extension="3001")
    assert codes(refused) == {"email": [ErrorCode.EMAIL_IN_USE]}


def test_a_person_of_the_organisation_without_a_package_becomes_the_subscriber(world, blue):
    readonly = world.blue_readonly
    added = add(world, blue, email=readonly.email, package="webex_suite", extension="3001")
    assert added.user == readonly and added.status == "provisioned"


def test_a_full_administrator_of_the_organisation_gets_no_less_than_its_package(world, blue):
    from apps.accounts.services import person_set_roles

    readonly = world.blue_readonly
    person_set_roles(actor=world.blue_admin, org=blue.org, person=readonly, roles=["full_admin"])
    with pytest.raises(ValidationError) as refused:
        add(world, blue, email=readonly.email, package="webex_calling", extension="3001")
    assert codes(refused) == {"package": [ErrorCode.ADMIN_DOWNGRADE]}


def test_a_customer_still_provisioning_takes_no_subscribers(world, blue):
    blue.status = CustomerStatus.PROVISIONING
    blue.save(update_fields=["status"])
    with pytest.raises(ValidationError) as refused:
        add(world, blue, email="ana@blueharbor.test", package="webex_suite", extension="3001")
    assert codes(refused) == {"customer": [ErrorCode.CUSTOMER_BUSY]}


def test_precheck_writes_nothing_and_says_everything(world, blue):
    before = (Subscriber.objects.count(), User.objects.count(), AuditEvent.objects.count())
    subscriber_precheck(actor=world.acme_admin, customer=blue, email="ana@blueharbor.test",
                        package="webex_suite", extension="3001")  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        subscriber_precheck(actor=world.acme_admin, customer=blue, email="nope", package="webex_suite",
                            first_name="x" * 151)  # fmt: skip
    assert set(codes(refused)) == {"email", "first_name", "phone_number"}
    assert (Subscriber.objects.count(), User.objects.count(), AuditEvent.objects.count()) == before


# --- package changes ---


def test_leaving_calling_frees_the_extension_and_changes_the_interval(world, blue):
    tom = Subscriber.objects.get(email="tom@blueharbor.test")
    CustomerPackage.objects.create(customer=blue, code="webex_meetings", status=PackageStatus.PROVISIONED)
    changed = subscriber_change_package(actor=world.acme_admin, subscriber=tom, package="webex_meetings")
    assert (changed.package, changed.location) == ("webex_meetings", None)
    assert not Extension.objects.filter(subscriber=tom).exists()
    rows = PackageAssignment.objects.filter(subscriber_uuid=tom.pk).order_by("started_at")
    assert [(r.package, r.ended_at is None) for r in rows] == [
        ("webex_calling", False),
        ("webex_meetings", True),
    ]
    # Back to calling: a number or an extension is asked for again.
    with pytest.raises(ValidationError) as refused:
        subscriber_change_package(actor=world.acme_admin, subscriber=tom, package="webex_calling")
    assert codes(refused) == {"phone_number": [ErrorCode.CALLING_NUMBER_REQUIRED]}
    subscriber_change_package(
        actor=world.acme_admin, subscriber=tom, package="webex_calling", extension="2002"
    )
    assert Extension.objects.get(subscriber=tom).extension == "2002"
    event = AuditEvent.objects.filter(action="subscriber.package_change", target_id=str(tom.pk)).first()
    assert event.before["package"] == "webex_meetings" and event.after["extensions"] == ["2002"]


def test_calling_to_calling_keeps_the_number_unless_a_new_one_is_given(world, blue, number):
    tom = Subscriber.objects.get(email="tom@blueharbor.test")
    subscriber_change_package(actor=world.acme_admin, subscriber=tom, package="webex_suite")
    assert Extension.objects.get(subscriber=tom).extension == "2002"
    subscriber_change_package(
        actor=world.acme_admin, subscriber=tom, package="webex_suite", phone_number=number.e164
    )
    number.refresh_from_db()
    assert number.subscriber == tom


def test_a_full_administrator_is_never_downgraded(world, blue):
    admin = Subscriber.objects.get(email="admin@blueharbor.test")  # the first admin, on Suite
    with pytest.raises(ValidationError) as refused:
        subscriber_change_package(
            actor=world.acme_admin, subscriber=admin, package="webex_calling", extension="3009"
        )
    assert codes(refused) == {"package": [ErrorCode.ADMIN_DOWNGRADE]}
    assert Subscriber.objects.get(pk=admin.pk).package == "webex_suite"


# --- removal ---


def test_removal_closes_the_interval_frees_calling_and_removes_the_person(world, blue, number):
    ana = add(world, blue, email="ana@blueharbor.test", package="webex_calling", phone_number=number.e164)
    subscriber_remove(actor=world.acme_admin, subscriber=ana)
    assert not Subscriber.objects.filter(pk=ana.pk).exists()
    assert not User.objects.filter(email="ana@blueharbor.test").exists()
    number.refresh_from_db()
    assert number.subscriber is None
    (interval,) = PackageAssignment.objects.filter(subscriber_uuid=ana.pk)
    assert interval.ended_at is not None and interval.subscriber_email == "ana@blueharbor.test"
    assert AuditEvent.objects.get(action="subscriber.remove").before["phone_numbers"] == [number.e164]


def test_an_administrator_is_not_removed(world, blue):
    admin = Subscriber.objects.get(email="admin@blueharbor.test")
    with pytest.raises(ValidationError) as refused:
        subscriber_remove(actor=world.acme_admin, subscriber=admin)
    assert codes(refused) == {"subscriber": [ErrorCode.SUBSCRIBER_IS_ADMIN]}


# --- an existing free account: consent ---


@pytest.fixture
def free_account(db) -> User:
    return User.objects.create_user(email="sam@gmail.test", first_name="Sam")


def test_a_free_account_waits_for_consent_then_holds_the_package(
    world, blue, free_account, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sam = add(world, blue, email="sam@gmail.test", package="webex_suite", extension="3001")
    assert sam.status == "pending_user_migration" and sam.user == free_account
    assert open_intervals(sam) == []  # not billed before they accept
    (message,) = mail.outbox
    assert message.to == ["sam@gmail.test"] and "Blue Harbor Dental" in message.body
    link = next(line for line in message.body.splitlines() if "/consent/" in line)
    path = link[link.index("/consent/") :]
    assert client.get(path).status_code == 200
    assert client.post(path).status_code == 200
    sam.refresh_from_db()
    free_account.refresh_from_db()
    assert sam.status == "provisioned" and free_account.org == blue.org
    (interval,) = open_intervals(sam)
    assert interval.package == "webex_suite"
    assert client.post(path).status_code == 404  # used once
    subscriber_remove(actor=world.acme_admin, subscriber=sam)
    free_account.refresh_from_db()
    assert free_account.org is None  # their own account again, not deleted


def test_consent_can_be_sent_again_only_while_pending(
    world, blue, free_account, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sam = add(world, blue, email="sam@gmail.test", package="webex_suite", extension="3001")
        subscriber_consent_send(actor=world.acme_admin, subscriber=sam)
    assert len(mail.outbox) == 2
    tom = Subscriber.objects.get(email="tom@blueharbor.test")
    with pytest.raises(ValidationError) as refused:
        subscriber_consent_send(actor=world.acme_admin, subscriber=tom)
    assert codes(refused) == {"subscriber": [ErrorCode.CONSENT_NOT_PENDING]}


def test_a_forged_or_stale_consent_link_changes_nothing(world, blue, free_account, client):
    sam = add(world, blue, email="sam@gmail.test", package="webex_suite", extension="3001")
    token = consent_token(subscriber=sam)
    assert client.post(reverse("subscriber_consent", kwargs={"token": token + "x"})).status_code == 404
    assert client.get(reverse("subscriber_consent", kwargs={"token": "nonsense"})).status_code == 404
    subscriber_remove(actor=world.acme_admin, subscriber=sam)
    assert client.post(reverse("subscriber_consent", kwargs={"token": token})).status_code == 404
    free_account.refresh_from_db()
    assert free_account.org is None  # the free account stays theirs


def test_restricted_mode_takes_provisioning_from_customer_admins_only(world, blue):
    from django.core.exceptions import PermissionDenied

    tom = Subscriber.objects.get(email="tom@blueharbor.test")
    for write in (
        lambda: subscriber_change_package(actor=world.blue_admin, subscriber=tom, package="webex_suite"),
        lambda: subscriber_remove(actor=world.blue_admin, subscriber=tom),
    ):
        with pytest.raises(PermissionDenied):
            write()
    subscriber_change_package(actor=world.acme_admin, subscriber=tom, package="webex_suite")


def test_a_calling_subscribers_only_number_is_not_released(world, blue, number):
    from apps.locations.services.numbers import number_release

    ana = add(world, blue, email="ana@blueharbor.test", package="webex_calling", phone_number=number.e164)
    with pytest.raises(ValidationError, match="needs a number or an extension"):
        number_release(actor=world.acme_admin, number=number)
    number.refresh_from_db()
    assert number.subscriber == ana


def test_a_location_people_call_from_is_not_deleted(world, blue):
    from apps.locations.services.locations import location_delete

    branch = Location.objects.create(
        org=blue.org, name="Branch", address_line1="1 Main", city="Austin", country="US",
        timezone="America/Chicago", language="en_US",
    )  # fmt: skip
    add(world, blue, email="b@blueharbor.test", package="webex_calling", extension="3002", location="Branch")
    with pytest.raises(ValidationError, match="People make calls from this location"):
        location_delete(actor=world.acme_admin, location=branch)


def test_adding_a_subscriber_costs_a_fixed_handful_of_queries(world, blue, django_assert_max_num_queries):
    """CSV imports add thousands in a row: a new subscriber is not locked or looked up again after its insert
    (its first interval is inserted directly; the audit entry is built from the plan)."""
    CustomerPackage.objects.create(customer=blue, code="webex_meetings", status=PackageStatus.PROVISIONED)
    add(world, blue, email="warm@blueharbor.test", package="webex_meetings")
    with django_assert_max_num_queries(12):
        add(world, blue, email="ana@blueharbor.test", package="webex_meetings")
    with django_assert_max_num_queries(18):
        add(world, blue, email="bo@blueharbor.test", package="webex_calling", extension="3001")


def test_an_address_longer_than_the_column_is_refused_not_a_crash(world, blue):
    long = "x" * 67 + "@" + ".".join(["b" * 60] * 3) + ".test"  # 255 characters: validate_email takes it
    with pytest.raises(ValidationError) as refused:
        add(world, blue, email=long, package="webex_suite", extension="3001")
    assert codes(refused) == {"email": [ErrorCode.EMAIL_INVALID]}


def test_a_package_change_to_another_location_does_not_keep_a_number_of_the_old_one(world, blue, number):
    branch = Location.objects.create(
        org=blue.org, name="Branch", address_line1="1 Main", city="Austin", country="US",
        timezone="America/Chicago", language="en_US",
    )  # fmt: skip
    ana = add(world, blue, email="ana@blueharbor.test", package="webex_calling", phone_number=number.e164)
    with pytest.raises(ValidationError) as refused:
        subscriber_change_package(
            actor=world.acme_admin, subscriber=ana, package="webex_suite", location="Branch"
        )
    assert codes(refused) == {"phone_number": [ErrorCode.PHONE_NUMBER_INVALID]}
    assert Subscriber.objects.get(pk=ana.pk).location != branch


def test_consent_is_refused_once_the_account_joined_another_organisation(world, blue, free_account, client):
    sam = add(world, blue, email="sam@gmail.test", package="webex_suite", extension="3001")
    free_account.org = world.cedar_pine.org
    free_account.save(update_fields=["org"])
    assert (
        client.post(
            reverse("subscriber_consent", kwargs={"token": consent_token(subscriber=sam)})
        ).status_code
        == 404
    )
    assert Subscriber.objects.get(pk=sam.pk).status == "pending_user_migration"


def test_the_consent_email_is_plain_text(world, free_account, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        subscriber_add(
            actor=world.acme_admin,
            customer=world.cedar_pine,
            email="sam@gmail.test",
            package="webex_calling",
            extension="3001",
        )
    (message,) = mail.outbox
    assert "Cedar & Pine Legal" in message.body and "&amp;" not in message.body
