"""Reads about indirect providers (sub-partners) of a partner, and the partner an API call acts for."""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Count, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from apps.accounts.selectors import (
    children_reach,
    children_reach_ids,
    children_reach_q,
    children_visible_q,
    org_get_visible,
)
from apps.core.compiled import BoundList, CompiledList
from apps.core.jsonrows import uuid_array
from apps.core.models import Organization, OrgKind
from apps.subpartners.models import SetupState, SubPartnerPolicy, SubPartnerProfile, SubPartnerSetupRequest


def subpartners_of(
    *, actor, partner: Organization, search: str = "", status: str = ""
) -> QuerySet[Organization]:
    """The sub-partners of ``partner`` that the actor sees (its profile joined), by name; ``search`` on the
    name, ``status`` one of ``OrgStatus``. Counts per row: ``subpartner_counts`` (one query a page)."""
    # The scope under one parent as columns of the rows (accounts' children_visible_q), not a subquery.
    qs = Organization.objects.filter(children_visible_q(actor=actor, parent=partner), kind=OrgKind.PARTNER)
    qs = qs.select_related("parent", "subpartner_profile")
    if search:
        qs = qs.filter(name__icontains=search)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("name", "id")


def subpartner_list_page(*, actor, partner: Organization, search: str = "", status: str = "") -> BoundList:
    """The Indirect providers page's list: ``subpartners_of``, compiled once per shape
    (``core.compiled.CompiledList``: the actor's reach under the partner, the status filter and whether it
    is searched; a search's pattern is a parameter): building and compiling it cost each page more than the
    database's answer."""
    parts = children_reach(actor=actor, parent=partner)
    values = children_reach_ids(actor, parts) | {"parent_id": partner.id}
    values |= ({"status": status} if status else {}) | ({"search": search} if search else {})
    return _SUBPARTNER_PAGE.bind(parts, **values)


def _subpartner_page(
    parts, *, parent_id, home_id=None, user_id=None, status=None, search=None
) -> QuerySet[Organization]:
    """``subpartner_list_page``'s compiled list: ``subpartners_of``."""
    visible = children_reach_q(parts, parent_id=parent_id, home_id=home_id, user_id=user_id)
    qs = Organization.objects.filter(visible, kind=OrgKind.PARTNER).select_related(
        "parent", "subpartner_profile"
    )
    if search is not None:
        qs = qs.filter(name__icontains=search)
    if status is not None:
        qs = qs.filter(status=status)
    return qs.order_by("name", "id")


_SUBPARTNER_PAGE = CompiledList(_subpartner_page)


# The subscription a sub-partner shares: its parent's own (``partner_subscription_id`` of a sub-partner, one
# level below a top-level partner), a column of the page's rows instead of a query of its own (NULL: none).
SHARED_SUBSCRIPTION = "parent__partner_settings__wholesale_subscription_id"
# What the API's sub-partner lists show of a sub-partner: ``subpartner_rows_for_api``'s row.
SUBPARTNER_API_VALUES = (
    "id",
    "name",
    "status",
    "created",
    "subpartner_profile__billing_start_date",
    "subpartner_profile__status_reason",
    SHARED_SUBSCRIPTION,
)


def subpartner_rows_for_api(*, actor, partner: Organization, status: str = "") -> QuerySet:
    """``subpartners_of`` as plain rows of ``SUBPARTNER_API_VALUES`` (the profile's and the parent's settings'
    columns joined; None where there is none): the API lists render a page from these, without the three
    model instances per row (the organisation, its parent, its profile) that cost most of a page."""
    rows = subpartners_of(actor=actor, partner=partner, status=status).select_related(None)
    return rows.values(*SUBPARTNER_API_VALUES)


@dataclass(frozen=True)
class Counts:
    customers: int = 0
    subscribers: int = 0


@cache
def _counts_sql() -> str:
    """``subpartner_counts`` on PostgreSQL: for each sub-partner of the page (one array parameter), its
    customer organisations by the parent index, their customers by the organisation's unique index and their
    subscribers by the customer index, counted there. Joined and grouped as one set instead, the planner
    hashed every customer of every partner to find a page's thousand (3.6 against 2.9 ms at 10,000
    customers), and the ORM prepared and quoted a parameter per sub-partner. The tables are the ones the
    ORM's relations from the organisation name (the apps that own them are above this one)."""
    customer = Organization._meta.get_field("customer").related_model
    subscriber = customer._meta.get_field("subscribers").related_model
    return (
        "SELECT page.id, counted.customers, counted.subscribers FROM UNNEST(%s::uuid[]) AS page(id) "  # noqa: S608 (table names)
        "CROSS JOIN LATERAL (SELECT COUNT(customer.id) AS customers, COALESCE(SUM((SELECT COUNT(*) FROM "
        f'"{subscriber._meta.db_table}" subscriber WHERE subscriber.customer_id = customer.id)), 0)::bigint '
        f'AS subscribers FROM "{Organization._meta.db_table}" org JOIN "{customer._meta.db_table}" customer '
        "ON customer.org_id = org.id WHERE org.parent_id = page.id AND org.kind = %s) AS counted"
    )


def subpartner_counts(*, subpartner_ids: Iterable[uuid.UUID]) -> dict:
    """{sub-partner id: Counts} of its wholesale customers and their subscribers, for one page: one query."""
    ids = list(subpartner_ids)
    if not ids:
        return {}
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_counts_sql(), [uuid_array(ids), OrgKind.CUSTOMER.value])
            return {org_id: Counts(customers, subscribers) for org_id, customers, subscribers in cursor}
    rows = (
        Organization.objects.filter(parent_id__in=ids, kind=OrgKind.CUSTOMER)
        .values("parent_id")
        .annotate(customers=Count("customer", distinct=True), subscribers=Count("customer__subscribers"))
    )
    return {row["parent_id"]: Counts(row["customers"], row["subscribers"]) for row in rows}


def subpartner_get(*, actor, partner: Organization, org_id: str) -> Organization:
    """A sub-partner of ``partner`` behind an opaque id, or 404 (403 when it names ``partner`` itself: in
    scope, but no organisation is an indirect provider of itself)."""
    org = org_get_visible(actor=actor, org_id=org_id)
    if org.id == partner.id:
        raise PermissionDenied(_("%(name)s is not an indirect provider of itself.") % {"name": partner.name})
    if not org.is_partner or org.parent_id != partner.id:
        raise Http404
    return org


def subpartner_customer_org_count(*, subpartner: Organization) -> int:
    """How many customer organisations the sub-partner still manages."""
    return Organization.objects.filter(parent=subpartner).count()


def subpartner_name_taken(*, parent: Organization, name: str) -> bool:
    """A sibling of this name exists, or a pending set-up of it."""
    return (
        Organization.objects.filter(kind=OrgKind.PARTNER, parent=parent, name__iexact=name).exists()
        or SubPartnerSetupRequest.objects.filter(
            parent=parent, state=SetupState.PENDING, name__iexact=name
        ).exists()
    )


def suspension_reason(*, partner: Organization) -> str:
    return SubPartnerProfile.objects.filter(org=partner).values_list("status_reason", flat=True).first() or ""


def setup_needs_approval() -> bool:
    return SubPartnerPolicy.objects.filter(setup_needs_approval=True).exists()


def setup_requests_pending() -> QuerySet[SubPartnerSetupRequest]:
    """The operator's queue, oldest first."""
    return SubPartnerSetupRequest.objects.filter(state=SetupState.PENDING).select_related(
        "parent", "requested_by"
    )


def setup_requests_of(*, parent: Organization) -> QuerySet[SubPartnerSetupRequest]:
    """A parent's set-up requests still waiting for the operator, or declined (newest first)."""
    return SubPartnerSetupRequest.objects.filter(
        parent=parent, state__in=[SetupState.PENDING, SetupState.DECLINED]
    ).order_by("-created")


def setup_request_get(*, request_id: str, state: str | None = None) -> SubPartnerSetupRequest:
    try:
        pk = uuid.UUID(str(request_id))
    except ValueError:
        raise Http404 from None
    qs = SubPartnerSetupRequest.objects.select_related("parent").filter(pk=pk)
    found = (qs.filter(state=state) if state else qs).first()
    if found is None:
        raise Http404
    return found


def billing_start_date(*, subpartner: Organization) -> date:
    """The first billed day of a sub-partner's customers' usage: its profile's date, else its set-up day."""
    profile = SubPartnerProfile.objects.filter(org=subpartner).only("billing_start_date").first()
    return profile.billing_start_date if profile else subpartner.created.date()


def billing_start_date_of_row(org: Organization) -> date:
    """``billing_start_date`` of a row read by ``subpartners_of`` (its profile joined): no query."""
    profile = getattr(org, "subpartner_profile", None)
    return billing_start_date_shown(profile.billing_start_date if profile else None, org.created)


def billing_start_date_shown(profile_date: date | None, created: datetime) -> date:
    """A sub-partner's first billed day from what a list read: its profile's date, else its set-up day."""
    return profile_date if profile_date is not None else created.date()


def subpartner_acted_for(*, actor, org_id: str) -> Organization:
    """The sub-partner ``onBehalfOfSubPartnerOrgId`` names: one directly below the caller's own (top-level)
    partner organisation, else 404."""
    sub = org_get_visible(actor=actor, org_id=org_id, kind=OrgKind.PARTNER)
    if sub.parent_id is None or sub.parent_id != actor.org_id:
        raise Http404
    return sub


def acting_partner(
    *, actor, org_id: str = "", on_behalf_of: str = ""
) -> tuple[Organization | None, Organization | None]:
    """(the partner an API call acts for, the customer organisation ``orgId`` named if it named one).

    The caller's own organisation; or ``orgId`` (a partner it acts for, or a customer: its managing partner);
    or ``onBehalfOfSubPartnerOrgId``, a sub-partner directly below the caller's own organisation (and the
    parent of that customer, when ``orgId`` named one). An organisation the caller may not see is a 404.
    The partner is None when the caller acts for no partner (a customer's own admin)."""
    partner, customer_org = actor.org, None
    if org_id:
        org = org_get_visible(actor=actor, org_id=org_id)
        if org.is_customer:
            partner, customer_org = org.parent, org
        else:
            partner = org
    if on_behalf_of:
        sub = subpartner_acted_for(actor=actor, org_id=on_behalf_of)
        if customer_org is not None and customer_org.parent_id != sub.id:
            raise Http404
        partner = sub
    if partner is None or not partner.is_partner:
        return None, customer_org
    return partner, customer_org


def on_behalf_org(*, actor, org_id: str, on_behalf_of: str) -> Organization:
    """The organisation a ``/v1/partner/...`` call acts in when it names ``onBehalfOfSubPartnerOrgId``: the
    sub-partner, or the organisation ``orgId`` names when that is the sub-partner or one of its customers
    (404 otherwise)."""
    sub = subpartner_acted_for(actor=actor, org_id=on_behalf_of)
    if not org_id:
        return sub
    org = org_get_visible(actor=actor, org_id=org_id)
    if org.id != sub.id and org.parent_id != sub.id:
        raise Http404
    return org
