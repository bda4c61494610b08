"""Reads owned by core: filtering the audit log."""

import datetime as dt

from django.db.models import QuerySet

from apps.core.models import AuditEvent


def audit_events_filter(
    events: QuerySet[AuditEvent],
    *,
    actor: str = "",
    action: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[AuditEvent]:
    if actor:
        events = events.filter(actor_email__icontains=actor.strip())
    if action:
        events = events.filter(action__icontains=action.strip())
    if date_from:
        events = events.filter(created__date__gte=date_from)
    if date_to:
        events = events.filter(created__date__lte=date_to)
    return events


def audit_actions(events: QuerySet[AuditEvent]) -> list[str]:
    return list(events.order_by("action").values_list("action", flat=True).distinct()[:200])
