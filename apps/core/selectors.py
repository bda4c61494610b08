"""Reads owned by core: filtering the audit log."""

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from apps.core.audit_words import EVENTS
from apps.core.models import AuditEvent, OutboxMessage, OutboxState


def audit_events_filter(
    events: QuerySet[AuditEvent],
    *,
    actor: str = "",
    action: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[AuditEvent]:
    """The audit log's filters (``audit_filter_lookups``) applied to ``events``."""
    return events.filter(
        **audit_filter_lookups(actor=actor, action=action, date_from=date_from, date_to=date_to)
    )


def audit_filter_lookups(
    *, actor: str = "", action: str = "", date_from: dt.date | None = None, date_to: dt.date | None = None
) -> dict:
    """The audit log's filters as ORM lookups of AuditEvent, each one the database can answer through an
    index: an event's code is that event (its words in the Event filter; ``subpartner.setup`` is not also
    ``subpartner.setup_request``), any other text a part of codes (``customer.`` for every customer event);
    the days are the instants from the first day's start to the last day's end in the reader's time zone (an
    index range, where the day of each event, worked out row by row, was not); the actor a part of an e-mail
    address (a trigram index on PostgreSQL)."""
    lookups: dict = {}
    if actor:
        lookups["actor_email__icontains"] = actor.strip()
    if action:
        action = action.strip()
        lookups["action" if action in EVENTS else "action__icontains"] = action
    if date_from:
        lookups["created__gte"] = _day_start(date_from)
    if date_to:
        lookups["created__lt"] = _day_start(date_to + dt.timedelta(days=1))
    return lookups


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def outbox_messages_given_up(*, limit: int) -> list[OutboxMessage]:
    """The outbox's messages given up (kept ``KEEP_FINISHED``), the newest first (``outbox_failed``)."""
    return list(OutboxMessage.objects.filter(state=OutboxState.FAILED).order_by("-finished_at")[:limit])


def outbox_messages_overdue(*, open_states, limit: int) -> list[OutboxMessage]:
    """The outbox's open messages past their due time, the longest overdue first."""
    overdue = OutboxMessage.objects.filter(state__in=open_states, due_at__lt=timezone.now())
    return list(overdue.order_by("due_at")[:limit])
