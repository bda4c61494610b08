"""Administrators through the services: invitation, roles, partner-admin assignments, audit."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from apps.accounts.models import Invitation, InvitationStatus
from apps.accounts.permissions import Action, may
from apps.accounts.roles import Role
from apps.accounts.selectors import orgs_visible_to, roles_of
from apps.accounts.services import person_assign_customers, person_invite, person_set_roles
from apps.core.context import Channel, request_context
from apps.core.models import AuditEvent
from tests.conftest import fresh


def test_invite_creates_person_roles_invitation_email_and_audit(world, django_capture_on_commit_callbacks):
    with (
        request_context(channel=Channel.PAGE, tracking_id="TRACK-1"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        person = person_invite(
            actor=world.acme_admin,
            org=world.acme,
            email=" New.Admin@Acme.test ",
            first_name="New",
            roles=[Role.PARTNER_ADMIN],
        )
    assert person.email == "new.admin@acme.test"
    assert not person.has_usable_password()
    assert roles_of(fresh(person)) == {Role.PARTNER_ADMIN}
    invitation = Invitation.objects.get(user=person)
    assert invitation.status == InvitationStatus.SENT  # eager task in tests
    message = mail.outbox[-1]
    assert message.to == ["new.admin@acme.test"]
    assert "/welcome/" in message.body  # the invitation's welcome page
    event = AuditEvent.objects.get(action="admin.invite", target_id=str(person.pk))
    assert (event.actor, event.acting_org, event.channel, event.tracking_id) == (
        world.acme_admin,
        world.acme,
        "page",
        "TRACK-1",
    )
    assert event.after == {"email": "new.admin@acme.test", "roles": ["partner_admin"]}


def test_invite_refuses_bad_input_and_writes_nothing(world):
    before = AuditEvent.objects.count()
    for kwargs, field in [
        ({"email": "not-an-email", "roles": [Role.FULL_ADMIN]}, "email"),
        ({"email": "admin@acme.test", "roles": [Role.FULL_ADMIN]}, "email"),  # taken
        ({"email": "x@acme.test", "roles": []}, "roles"),
        ({"email": "x@acme.test", "roles": ["emperor"]}, "roles"),
        ({"email": "x@acme.test", "roles": [Role.SUPPORT_ADMIN]}, "roles"),  # a customer role in a partner
    ]:
        with pytest.raises(ValidationError) as exc:
            person_invite(actor=world.acme_admin, org=world.acme, **kwargs)
        assert field in exc.value.message_dict
    assert AuditEvent.objects.count() == before
    assert not Invitation.objects.filter(user__email="x@acme.test").exists()


def test_only_admins_managers_invite(world):
    with pytest.raises(PermissionDenied):
        person_invite(actor=world.acme_readonly, org=world.acme, email="x@acme.test", roles=[Role.FULL_ADMIN])
    with pytest.raises(PermissionDenied):
        person_invite(actor=world.globex_admin, org=world.acme, email="x@acme.test", roles=[Role.FULL_ADMIN])


def test_an_organisation_keeps_one_full_admin(world):
    with pytest.raises(ValidationError, match="at least one full administrator"):
        person_set_roles(actor=world.acme_admin, org=world.acme, person=world.acme_admin, roles=[])
    second = person_invite(
        actor=world.acme_admin, org=world.acme, email="two@acme.test", roles=[Role.FULL_ADMIN]
    )
    person_set_roles(
        actor=world.acme_admin, org=world.acme, person=world.acme_admin, roles=[Role.PARTNER_FULL_ADMIN]
    )
    assert roles_of(fresh(world.acme_admin)) == {Role.PARTNER_FULL_ADMIN}
    event = AuditEvent.objects.filter(action="admin.roles_set").latest("created")
    assert event.before["roles"] == ["full_admin", "partner_full_admin", "wholesale_admin"]
    assert event.after["roles"] == ["partner_full_admin"]
    assert second.pk


def test_partner_admin_sees_only_assigned_customers(world):
    pa = fresh(world.acme_partner_admin)
    assert set(orgs_visible_to(actor=pa)) == {world.acme, world.blue_harbor.org}
    assert may(pa, Action.USERS_MANAGE, world.blue_harbor.org)
    assert not may(pa, Action.ORG_VIEW, world.cedar_pine.org)
    person_assign_customers(
        actor=world.acme_admin, org=world.acme, person=pa, customers=[world.cedar_pine.org]
    )
    pa = fresh(pa)
    assert set(orgs_visible_to(actor=pa)) == {world.acme, world.cedar_pine.org}
    event = AuditEvent.objects.filter(action="admin.customers_assign").latest("created")
    assert event.before == {"customers": ["Blue Harbor Dental"]}
    assert event.after == {"customers": ["Cedar & Pine Legal"]}


def test_assignments_refuse_other_partners_customers_and_non_partner_admins(world):
    with pytest.raises(ValidationError):
        person_assign_customers(
            actor=world.acme_admin,
            org=world.acme,
            person=world.acme_partner_admin,
            customers=[world.initech.org],
        )
    with pytest.raises(ValidationError):
        person_assign_customers(
            actor=world.acme_admin,
            org=world.acme,
            person=world.acme_readonly,
            customers=[world.blue_harbor.org],
        )


def test_losing_partner_admin_role_drops_assignments(world):
    pa = world.acme_partner_admin
    person_set_roles(actor=world.acme_admin, org=world.acme, person=pa, roles=[Role.PARTNER_READ_ONLY_ADMIN])
    person_set_roles(actor=world.acme_admin, org=world.acme, person=pa, roles=[Role.PARTNER_ADMIN])
    assert set(orgs_visible_to(actor=fresh(pa))) == {world.acme}


def test_partner_admin_keeps_the_customers_it_creates(world):
    from tests.factories import provision_customer

    pa = fresh(world.acme_partner_admin)
    customer = provision_customer(
        actor=pa, partner=world.acme, name="New Dentist", admin_email="boss@newdentist.test"
    )
    assert customer.org in orgs_visible_to(actor=fresh(pa))


def test_cross_launched_write_is_audited_with_real_admin_and_customer(world):
    person_invite(
        actor=world.acme_admin,
        org=world.blue_harbor.org,
        email="helper@blueharbor.test",
        roles=[Role.READ_ONLY_ADMIN],
    )
    event = AuditEvent.objects.get(action="admin.invite", after__email="helper@blueharbor.test")
    assert event.actor == world.acme_admin
    assert event.actor_org == world.acme
    assert event.acting_org == world.blue_harbor.org
    assert event.cross_launched


# --- firsthour: the invitation's welcome page (issue 12, item 6) -------------------------------------------


def test_a_forged_or_spent_welcome_link_is_refused_without_a_form(world, client):
    from apps.accounts.services import password_set_url

    person = world.blue_readonly
    assert client.get("/welcome/zz/not-a-key/").status_code == 400
    link = password_set_url(user=person).split("://", 1)[1].split("/", 1)[1]
    response = client.get(f"/{link}")
    assert response.status_code == 200 and b"Welcome to Blue Harbor Dental" in response.content
    client.post(f"/{link}", {"new_password1": "x", "new_password2": "y"})  # refused: nothing changes
    assert client.get(f"/{link}").status_code == 200
    done = client.post(
        f"/{link}", {"new_password1": "Quite-Long-2026-pass", "new_password2": "Quite-Long-2026-pass"}
    )
    assert done.status_code == 302
    assert client.get(f"/{link}").status_code == 400  # the password changed: the link is spent
