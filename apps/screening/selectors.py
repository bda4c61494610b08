"""Reads of denied-party screening (the operator's list and review queue) and of attach requests.

The screening list and the holds belong to the platform: only an actor holding ``screening.review`` on the
platform reads them. An attach request is read through the customer organisation it concerns.
"""

import uuid

from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Q, QuerySet
from django.http import Http404

from apps.accounts.permissions import Action, may
from apps.screening.models import OPEN_HOLD_STATES, HoldState, ScreeningEntry, ScreeningHold

REVIEW_FILTERS = {
    "open": Q(state__in=OPEN_HOLD_STATES),
    "pending": Q(state=HoldState.PENDING),
    "escalated": Q(state=HoldState.ESCALATED),
    "decided": Q(state__in=(HoldState.CLEARED, HoldState.REJECTED)),
    "all": Q(),
}


def _require_reviewer(actor) -> None:
    org = getattr(actor, "org", None)
    if org is None or not org.is_platform:
        raise Http404
    if not may(actor, Action.SCREENING_REVIEW, org):
        raise PermissionDenied


def screening_entries_visible_to(*, actor, search: str = "") -> QuerySet[ScreeningEntry]:
    _require_reviewer(actor)
    qs = ScreeningEntry.objects.select_related("added_by")
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(address__icontains=search) | Q(country__iexact=search))
    return qs.order_by("name", "id")


def screening_entry_get(*, actor, entry_id) -> ScreeningEntry:
    entry = _by_uuid(screening_entries_visible_to(actor=actor), entry_id)
    if entry is None:
        raise Http404
    return entry


def screening_holds_visible_to(*, actor, queue: str = "open", search: str = "") -> QuerySet[ScreeningHold]:
    _require_reviewer(actor)
    qs = ScreeningHold.objects.select_related(
        "customer", "customer__org", "customer__org__parent", "decided_by"
    )
    qs = qs.filter(REVIEW_FILTERS.get(queue, REVIEW_FILTERS["open"]))
    if search:
        qs = qs.filter(
            Q(customer__org__name__icontains=search) | Q(customer__org__parent__name__icontains=search)
        )
    # Escalated first (onboarding stopped, the partner waits), then the oldest hit.
    return (
        qs.order_by(F("escalated_at").desc(nulls_last=True), "first_hit", "id")
        if queue != "decided"
        else qs.order_by("-decided_at")
    )


def screening_hold_get(*, actor, hold_id) -> ScreeningHold:
    hold = _by_uuid(screening_holds_visible_to(actor=actor, queue="all"), hold_id)
    if hold is None:
        raise Http404
    return hold


def screening_queue_counts(*, actor) -> dict[str, int]:
    _require_reviewer(actor)
    rows = ScreeningHold.objects.values("state").annotate(n=Count("id")).order_by()
    found = {row["state"]: row["n"] for row in rows}
    return {state: found.get(state, 0) for state in HoldState.values}


def _by_uuid(qs: QuerySet, value):
    try:
        pk = uuid.UUID(str(value))
    except ValueError:
        return None
    return qs.filter(id=pk).first()
