"""Setting a sub-partner up (at once, or through the operator's queue), its lifecycle and its removal: the
services, with their refusals and their audit."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from apps.accounts.models import Invitation
from apps.accounts.roles import Role
from apps.accounts.selectors import roles_of, user_get_by_email
from apps.accounts.services import person_invite
from apps.core.errors import ErrorCode as E
from apps.core.exceptions import ConflictError
from apps.core.models import AuditEvent, Organization, OrgStatus
from apps.partners.selectors import partner_subscription_id
from apps.subpartners.models import SetupState
from apps.subpartners.selectors import billing_start_date, setup_requests_pending
from apps.subpartners.services import (
    setup_policy_update,
    setup_request_approve,
    setup_request_decline,
    subpartner_billing_start_update,
    subpartner_remove,
    subpartner_set_status,
    subpartner_setup,
)
from tests.conftest import fresh


def codes_of(error: ValidationError) -> dict:
    return {key: [e.code for e in errors] for key, errors in error.error_dict.items()}


def setup(world, **fields):
    values = {"name": "Eastwind Reseller", "admin_email": "Admin@Eastwind.test"} | fields
    return subpartner_setup(actor=world.acme_admin, parent=world.acme, **values)


def test_a_parent_full_admin_sets_a_subpartner_up_with_the_guides_fields(world):
    start = timezone.localdate() + timedelta(days=10)
    done = setup(world, admin_first_name="Erin", admin_last_name="East", billing_start_date=start)
    assert done.state == SetupState.APPROVED
    sub = done.subpartner
    assert sub.parent == world.acme and sub.is_subpartner and sub.status == OrgStatus.ACTIVE
    assert billing_start_date(subpartner=sub) == start
    # The parent's subscription is shared; the first administrator is invited with the partner roles.
    assert partner_subscription_id(partner=sub) == partner_subscription_id(partner=world.acme) != ""
    admin = user_get_by_email(email="admin@eastwind.test")
    assert admin.org == sub and (admin.first_name, admin.last_name) == ("Erin", "East")
    assert roles_of(admin) >= {Role.FULL_ADMIN, Role.PARTNER_FULL_ADMIN, Role.WHOLESALE_ADMIN}
    assert Invitation.objects.filter(user=admin).exists()
    event = AuditEvent.objects.get(action="subpartner.setup")
    assert event.actor == world.acme_admin and event.acting_org == world.acme
    assert event.after["billing_start_date"] == start.isoformat()


def test_the_billing_start_date_defaults_to_the_setup_date(world):
    sub = setup(world).subpartner
    assert billing_start_date(subpartner=sub) == timezone.localdate()


def test_the_subpartner_invites_as_many_admins_as_it_needs(world):
    sub = setup(world).subpartner
    first = fresh(user_get_by_email(email="admin@eastwind.test"))
    for n in range(3):
        person_invite(actor=first, org=sub, email=f"ops{n}@eastwind.test", roles=[Role.FULL_ADMIN])
    assert sub.people.count() == 4


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"name": "  "}, {"name": [E.SUBPARTNER_NAME_INVALID]}),
        ({"name": "x" * 256}, {"name": [E.SUBPARTNER_NAME_INVALID]}),
        ({"name": "northwind reseller"}, {"name": [E.SUBPARTNER_NAME_IN_USE]}),
        ({"billing_start_date": "2026-13-01"}, {"billing_start_date": [E.BILLING_START_DATE_INVALID]}),
        ({"billing_start_date": "1999-01-01"}, {"billing_start_date": [E.BILLING_START_DATE_INVALID]}),
        ({"admin_email": ""}, {"admin_email": [E.EMAIL_INVALID]}),
        ({"admin_first_name": "x" * 151}, {"admin_first_name": [E.PERSON_NAME_INVALID]}),
    ],
)
def test_a_bad_setup_is_refused_and_writes_nothing(world, fields, expected):
    before = Organization.objects.count()
    with pytest.raises(ValidationError) as refused:
        setup(world, **fields)
    assert codes_of(refused.value) == expected
    assert Organization.objects.count() == before
    assert not AuditEvent.objects.filter(action__startswith="subpartner.setup").exists()


def test_an_email_someone_has_is_refused_on_the_admin_field_and_nothing_is_written(world):
    before = Organization.objects.count()
    with pytest.raises(ValidationError) as refused:
        setup(world, admin_email="admin@globex.test")
    assert set(refused.value.message_dict) == {"admin_email"}
    assert Organization.objects.count() == before
    assert not setup_requests_pending().exists()


def test_only_a_parent_full_admin_or_the_operator_sets_up(world):
    for who, parent in (
        (world.acme_wholesale, world.acme),  # partner full + wholesale admin, but no full admin
        (world.acme_readonly, world.acme),
        (world.northwind_admin, world.northwind),  # one level only
        (world.globex_admin, world.acme),
        (world.blue_admin, world.acme),
    ):
        with pytest.raises(PermissionDenied):
            subpartner_setup(actor=fresh(who), parent=parent, name="X", admin_email="x@x.test")
    done = subpartner_setup(actor=world.operator, parent=world.globex, name="Y", admin_email="y@y.test")
    assert done.subpartner.parent == world.globex


def test_with_the_approval_policy_a_setup_waits_for_the_operator(world):
    setup_policy_update(actor=world.operator, needs_approval=True)
    waiting = setup(world)
    assert waiting.state == SetupState.PENDING and waiting.subpartner is None
    assert not Organization.objects.filter(name="Eastwind Reseller").exists()
    assert list(setup_requests_pending()) == [waiting]
    # The same name cannot be asked twice while it waits.
    with pytest.raises(ValidationError) as refused:
        setup(world, admin_email="other@eastwind.test")
    assert codes_of(refused.value) == {"name": [E.SUBPARTNER_NAME_IN_USE]}
    with pytest.raises(PermissionDenied):
        setup_request_approve(actor=world.acme_admin, request=waiting)
    sub = setup_request_approve(actor=world.operator, request=waiting)
    assert sub.parent == world.acme and user_get_by_email(email="admin@eastwind.test").org == sub
    waiting.refresh_from_db()
    assert waiting.state == SetupState.APPROVED and waiting.decided_by == world.operator
    with pytest.raises(ConflictError):
        setup_request_approve(actor=world.operator, request=waiting)


def test_the_operator_declines_with_a_reason(world):
    setup_policy_update(actor=world.operator, needs_approval=True)
    waiting = setup(world)
    with pytest.raises(ValidationError):
        setup_request_decline(actor=world.operator, request=waiting, reason=" ")
    setup_request_decline(actor=world.operator, request=waiting, reason="No reseller agreement on file")
    waiting.refresh_from_db()
    assert waiting.state == SetupState.DECLINED and waiting.decline_reason == "No reseller agreement on file"
    assert not Organization.objects.filter(name="Eastwind Reseller").exists()
    assert AuditEvent.objects.filter(action="subpartner.setup_decline", acting_org=world.acme).exists()


def test_suspending_needs_a_reason_and_is_audited_and_reversible(world):
    with pytest.raises(ValidationError) as refused:
        subpartner_set_status(actor=world.acme_admin, subpartner=world.northwind, status="suspended")
    assert codes_of(refused.value) == {"reason": [E.SUBPARTNER_REASON_REQUIRED]}
    subpartner_set_status(
        actor=world.acme_admin, subpartner=world.northwind, status="suspended", reason="Unpaid invoices"
    )
    world.northwind.refresh_from_db()
    assert world.northwind.status == OrgStatus.SUSPENDED
    profile = world.northwind.subpartner_profile
    assert profile.status_reason == "Unpaid invoices" and profile.status_changed_by == world.acme_admin.email
    subpartner_set_status(actor=world.operator, subpartner=world.northwind, status="active")
    world.northwind.refresh_from_db()
    assert world.northwind.status == OrgStatus.ACTIVE
    assert list(
        AuditEvent.objects.filter(
            target_id=str(world.northwind.pk), action__in=["subpartner.suspend", "subpartner.reactivate"]
        )
        .order_by("created")
        .values_list("action", "actor_email")
    ) == [("subpartner.suspend", "admin@acme.test"), ("subpartner.reactivate", "operator@platform.test")]


def test_nobody_else_suspends(world):
    for who in (world.northwind_admin, world.acme_wholesale, world.globex_admin, world.riverside_admin):
        with pytest.raises(PermissionDenied):
            subpartner_set_status(
                actor=fresh(who), subpartner=world.northwind, status="suspended", reason="x"
            )


def test_the_billing_start_date_can_change_and_is_audited(world):
    start = timezone.localdate() - timedelta(days=30)
    subpartner_billing_start_update(
        actor=world.acme_admin, subpartner=world.northwind, billing_start_date=start
    )
    assert billing_start_date(subpartner=world.northwind) == start
    assert AuditEvent.objects.filter(action="subpartner.billing_start_update").count() == 1


def test_removing_a_subpartner_with_customers_is_refused_with_a_clear_message(world):
    with pytest.raises(ConflictError) as refused:
        subpartner_remove(actor=world.acme_admin, subpartner=world.northwind)
    assert refused.value.error_code == E.SUBPARTNER_HAS_CUSTOMERS
    assert refused.value.message == (
        "Northwind Reseller still manages 1 customer organisation: remove them first."
    )
    assert Organization.objects.filter(pk=world.northwind.pk).exists()


def test_a_subpartner_without_customers_is_removed_with_its_people(world):
    sub = setup(world).subpartner
    subpartner_remove(actor=world.acme_admin, subpartner=sub)
    assert not Organization.objects.filter(pk=sub.pk).exists()
    assert user_get_by_email(email="admin@eastwind.test") is None
    assert AuditEvent.objects.filter(action="subpartner.remove", acting_org=world.acme).exists()
