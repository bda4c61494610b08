"""An invitation's message delivered twice and run side by side (a lease that ran out while the queue was
long, Redis' visibility timeout) sends one e-mail and audits it once: the second run waits for the first
one's row and finds it sent. Both read it queued, and each sent the e-mail and wrote
``admin.invitation_sent``. PostgreSQL, one run's transaction held open in the test's thread, the other in
a thread of its own."""

import pytest
from django.core import mail
from django.db import connection, transaction  # noqa: F401  (connection: the skipif reads it)

from apps.accounts.models import Invitation, InvitationStatus
from apps.accounts.services import invitation_send
from apps.core.models import AuditEvent
from tests.subscribers.test_concurrent_adds import Beside

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="row locks are PostgreSQL's"),
]


def test_two_runs_of_one_invitation_at_once_send_and_audit_it_once(world):
    invitation = Invitation.objects.create(user=world.blue_readonly, invited_by=world.blue_admin)
    sent_before = AuditEvent.objects.filter(action="admin.invitation_sent").count()
    mail.outbox = []
    with transaction.atomic():
        invitation_send(invitation_id=invitation.pk)
        other = Beside(lambda: invitation_send(invitation_id=invitation.pk))
        other.start()
        assert other.waiting(), "the second run sent the invitation while the first one's was not committed"
    other.join(10)
    assert other.raised is None, other.raised
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.SENT
    assert len(mail.outbox) == 1
    assert AuditEvent.objects.filter(action="admin.invitation_sent").count() == sent_before + 1
