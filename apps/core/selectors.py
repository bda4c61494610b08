"""Reads owned by core: filtering the audit log."""

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from apps.core.audit_words import EVENTS
from apps.core.models import AuditEvent


def audit_events_filter(
    events: QuerySet[AuditEvent],
    *,
    actor: str = "",
    action: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[AuditEvent]:
    """The audit log's filters, each one the database can answer through an index: an event's code is that
    event (its words in the Event filter; ``subpartner.setup`` is not also ``subpartner.setup_request``), any
    other text a part of codes (``customer.`` for every customer event); the days are the instants from the
    first day's start to the last day's end in the reader's time zone (an index range, where the day of each
    event, worked out row by row, was not); the actor a part of an e-mail address (a trigram index on
    PostgreSQL)."""
    if actor:
        events = events.filter(actor_email__icontains=actor.strip())
    if action:
        action = action.strip()
        events = events.filter(action=action) if action in EVENTS else events.filter(action__icontains=action)
    if date_from:
        events = events.filter(created__gte=_day_start(date_from))
    if date_to:
        events = events.filter(created__lt=_day_start(date_to + dt.timedelta(days=1)))
    return events


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))
