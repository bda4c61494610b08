"""The invitation e-mail goes through a real Celery worker and moves the invitation from queued to sent."""

import time

import pytest

from apps.accounts.models import Invitation, InvitationStatus
from apps.accounts.roles import Role
from apps.accounts.services import person_invite
from apps.core.models import AuditEvent
from apps.partners.services import partner_create, platform_bootstrap


@pytest.mark.worker
def test_invitation_is_sent_by_the_worker(celery_worker_live):
    operator = platform_bootstrap(name="Platform", operator_email="operator@platform.test")
    acme = partner_create(actor=operator, name="Acme", admin_email="admin@acme.test")
    admin = acme.people.get()
    person = person_invite(actor=admin, org=acme, email="queued@acme.test", roles=[Role.READ_ONLY_ADMIN])

    seen = []
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        status = Invitation.objects.get(user=person).status
        if not seen or seen[-1] != status:
            seen.append(status)
        if status == InvitationStatus.SENT:
            break
        time.sleep(0.2)
    assert seen[-1] == InvitationStatus.SENT, f"the worker never sent the invitation (states seen: {seen})"
    assert Invitation.objects.get(user=person).sent_at is not None
    event = AuditEvent.objects.get(action="admin.invitation_sent", target_id=str(person.pk))
    assert event.channel == "task" and event.acting_org == acme
