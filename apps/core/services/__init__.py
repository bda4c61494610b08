"""Writes owned by core: the audit record every service makes."""

from typing import Any

from django.db import models

from apps.core.context import current_context
from apps.core.models import AuditEvent, Organization


def audit_record(
    *,
    actor,
    acting_org: Organization | None,
    action: str,
    target: models.Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    ctx = current_context()
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_email=getattr(actor, "email", "") or "",
        actor_org_id=getattr(actor, "org_id", None),
        acting_org=acting_org,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_repr=str(target)[:255],
        before=before,
        after=after,
        tracking_id=ctx.tracking_id,
        channel=ctx.channel,
    )


from apps.core.services.outbox import (  # noqa: E402  (the outbox's services, beside the audit writer)
    outbox_enqueue,
    outbox_relay,
    outbox_task_finished,
    outbox_task_started,
)

__all__ = ["audit_record", "outbox_enqueue", "outbox_relay", "outbox_task_finished", "outbox_task_started"]
