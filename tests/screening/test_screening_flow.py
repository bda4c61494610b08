"""Denied-party screening inside provisioning: a customer ordered through the provisioning request is held
when it matches the list, and provisioning resumes to ``provisioned`` when the hold is released."""

from datetime import timedelta

from django.utils import timezone

from apps.core.models import AuditEvent
from apps.customers.models import CustomerStatus, PackageStatus
from apps.provisioning.orders import Address
from apps.screening import services as svc
from apps.screening.models import HoldState
from tests.factories import provision_customer


def order(world, name, **kwargs):
    return provision_customer(
        actor=world.acme_admin,
        partner=world.acme,
        name=name,
        admin_email=f"admin@{name.split()[0].lower()}.test",
        packages=["webex_calling"],
        **kwargs,
    )


def test_a_listed_name_is_held_before_anything_is_provisioned(world):
    svc.screening_entry_add(actor=world.operator, name="Sanctioned Widgets")
    customer = order(world, "SANCTIONED WIDGETS, LLC")
    assert customer.status == CustomerStatus.PENDING_RPL_REVIEW
    assert customer.screening_hold.state == HoldState.PENDING
    # Nothing of the organisation was set up: no administrator, no location, packages still on their way.
    assert not customer.org.people.exists() and not customer.org.locations.exists()
    assert set(customer.packages.values_list("status", flat=True)) == {PackageStatus.PROVISIONING}
    assert customer.provisioned_at is None


def test_a_listed_address_is_held_too(world):
    svc.screening_entry_add(
        actor=world.operator, name="Front Company", address="99 Shadow Street, Springfield", country="US"
    )
    address = Address(address_line1="99 Shadow St.", city="Springfield", state_or_province="IL", country="US")
    customer = order(world, "Innocent Looking Inc", address=address)
    assert customer.status == CustomerStatus.PENDING_RPL_REVIEW
    [match] = customer.screening_hold.matches
    assert match["on"] == "address" and match["name"] == "Front Company"


def test_an_unlisted_customer_is_provisioned_without_a_hold(world):
    svc.screening_entry_add(actor=world.operator, name="Sanctioned Widgets")
    customer = order(world, "Widget Works")
    assert customer.status == CustomerStatus.PROVISIONED
    assert not hasattr(customer, "screening_hold")


def test_clearing_the_hold_resumes_provisioning_to_the_end(world, django_capture_on_commit_callbacks):
    svc.screening_entry_add(actor=world.operator, name="Sanctioned Widgets")
    customer = order(world, "Sanctioned Widgets Ltd")
    with django_capture_on_commit_callbacks(execute=True):
        svc.screening_hold_clear(actor=world.operator, hold=customer.screening_hold, note="Other company")
    customer.refresh_from_db()
    assert customer.status == CustomerStatus.PROVISIONED
    assert customer.org.people.filter(email="admin@sanctioned.test").exists()
    actions = list(
        AuditEvent.objects.filter(target_id=str(customer.pk))
        .order_by("created")
        .values_list("action", flat=True)
    )
    assert actions == ["customer.provision_request", "customer.provision_resume", "customer.provisioned"]


def test_an_escalated_customer_cleared_by_the_operator_is_provisioned(
    world, django_capture_on_commit_callbacks
):
    svc.screening_entry_add(actor=world.operator, name="Sanctioned Widgets")
    customer = order(world, "Sanctioned Widgets Ltd")
    svc.screening_recheck_all(now=timezone.now() + timedelta(hours=72, minutes=1))
    customer.refresh_from_db()
    assert customer.status == CustomerStatus.ERROR and customer.errors[0]["errorCode"] == 4201
    assert set(customer.packages.values_list("status", flat=True)) == {PackageStatus.ERROR}
    with django_capture_on_commit_callbacks(execute=True):
        svc.screening_hold_clear(actor=world.operator, hold=customer.screening_hold)
    customer.refresh_from_db()
    assert customer.status == CustomerStatus.PROVISIONED and customer.errors == []
    assert set(customer.packages.values_list("status", flat=True)) == {PackageStatus.PROVISIONED}


def test_the_list_changing_releases_the_hold_at_the_next_check(world, django_capture_on_commit_callbacks):
    entry = svc.screening_entry_add(actor=world.operator, name="Sanctioned Widgets")
    customer = order(world, "Sanctioned Widgets Ltd")
    svc.screening_entry_remove(actor=world.operator, entry=entry)
    with django_capture_on_commit_callbacks(execute=True):
        assert svc.screening_recheck_all() == {"released": 1}
    customer.refresh_from_db()
    assert customer.status == CustomerStatus.PROVISIONED


def test_a_rejected_customer_stays_in_error(world):
    svc.screening_entry_add(actor=world.operator, name="Sanctioned Widgets")
    customer = order(world, "Sanctioned Widgets Ltd")
    svc.screening_hold_reject(actor=world.operator, hold=customer.screening_hold, note="Confirmed")
    customer.refresh_from_db()
    assert customer.status == CustomerStatus.ERROR
    assert customer.errors == [
        {
            "errorCode": 4202,
            "description": "Onboarding refused: the customer is on the restricted and denied parties list.",
        }
    ]
    assert set(customer.packages.values_list("status", flat=True)) == {PackageStatus.ERROR}
