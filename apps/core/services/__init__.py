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
    entry = audit_entry(
        actor=actor, acting_org=acting_org, action=action, target=target, before=before, after=after
    )
    entry.save(force_insert=True)
    return entry


def audit_entry(
    *,
    actor,
    acting_org: Organization | None,
    action: str,
    target: models.Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """``audit_record``'s entry, not saved yet: a batch writes its entries with ``audit_record_batch``."""
    ctx = current_context()
    # The actor and the organisation by their ids: nothing reads them back from the entry, and a batch (a CSV
    # import's chunk) builds hundreds of entries at once.
    return AuditEvent(
        actor_id=getattr(actor, "pk", None) or None,
        actor_email=getattr(actor, "email", "") or "",
        actor_org_id=getattr(actor, "org_id", None),
        acting_org_id=acting_org.pk if acting_org is not None else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_repr=str(target)[:255],
        before=before,
        after=after,
        tracking_id=ctx.tracking_id,
        channel=ctx.channel,
    )


def audit_record_batch(entries: list[AuditEvent]) -> None:
    """Record the entries of a batch write (``audit_entry``) in one insert."""
    AuditEvent.objects.bulk_create(entries)


from apps.core.services.outbox import (  # noqa: E402  (the outbox's services, beside the audit writer)
    outbox_enqueue,
    outbox_relay,
    outbox_task_finished,
    outbox_task_started,
)

__all__ = [
    "audit_entry",
    "audit_record",
    "audit_record_batch",
    "outbox_enqueue",
    "outbox_relay",
    "outbox_task_finished",
    "outbox_task_started",
]
