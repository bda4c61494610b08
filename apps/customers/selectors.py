"""Reads about customers and subscribers, always through ``orgs_visible_to``."""

from collections.abc import Iterable, Mapping

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from apps.accounts.selectors import (
    children_reach,
    children_reach_ids,
    children_reach_q,
    children_visible_q,
    org_visible_key,
    orgs_visible_to,
    reach_holds_every_customer,
    reach_ids,
    reach_of,
    reach_q,
)
from apps.core.compiled import BoundList, BoundQuery, CompiledList, CompiledQuery
from apps.core.ids import IdType, decode_id
from apps.core.jsonrows import JSONRows, json_rows, json_text, uuid_array
from apps.core.memo import known, remembered
from apps.core.models import Organization, OrgKind
from apps.customers.models import (
    ATTACH_NOT_APPROVED,
    AttachRequest,
    AttachState,
    Customer,
    CustomerPackage,
    CustomerStatus,
    OrgDomain,
    OrgSettings,
    PackageStatus,
    PartnerAccess,
)


def customers_visible_to(*, actor) -> QuerySet[Customer]:
    return Customer.objects.filter(org__in=orgs_visible_to(actor=actor))


def customers_of_partner_visible_to(*, actor, partner: Organization) -> QuerySet[Customer]:
    """``customers_visible_to(actor=actor).filter(org__parent=partner)``, the scope of the wholesale lists,
    as columns of the customer's organisation (``children_visible_q``) instead of a subquery: cheaper to
    build on every request, and the same rows."""
    return Customer.objects.filter(children_visible_q(actor=actor, parent=partner, path="org__"))


def customers_in_reach(parts, *, parent_id, home_id=None, user_id=None) -> QuerySet[Customer]:
    """``customers_of_partner_visible_to`` from the actor's reach under the partner (``children_reach``) and
    its ids (``children_reach_ids``): the form a query compiled once per reach builds (``core.compiled``)."""
    return Customer.objects.filter(
        children_reach_q(parts, parent_id=parent_id, home_id=home_id, user_id=user_id, path="org__")
    )


def restricted_mode_of(*, org: Organization) -> bool:
    """Whether restricted-by-partner mode is on for a customer organisation (off for any other)."""
    if not org.is_customer:
        return False
    customer = customer_of_org(org=org)
    return bool(customer is not None and customer.restricted_by_partner)


def people_hidden_from_partner_staff() -> Q:
    """The restrictions app's partner reach (``actions_restricted_for``) as a query on Customer, for lists:
    the customers whose people (users, workspaces) a partner's staff do not see — an attached organisation not
    approved (yet), and one where the partner is only a provisioning administrator (both take ``USERS_VIEW``;
    a test holds the two together)."""
    return ATTACH_NOT_APPROVED | Q(partner_access=PartnerAccess.PROVISIONING_ADMIN)


def people_hidden_from_partner_staff_of(customer: Customer) -> bool:
    """``people_hidden_from_partner_staff`` for one customer already read (a test holds the two together)."""
    unapproved = customer.existing_org and customer.attach_state not in (
        AttachState.APPROVED,
        AttachState.AUTOMATIC,
    )
    return unapproved or customer.partner_access == PartnerAccess.PROVISIONING_ADMIN


def customer_ids_with_people_of_org(*, actor, org: Organization) -> list:
    """The id of ``org``'s customer record when the actor sees its people (as a list of none or one): of
    ``customers_with_people_visible_to``, from the request's read memo when the guard already found ``org`` in
    the actor's scope, else in one query."""
    if not known(org_visible_key(actor=actor, org=org)):
        return list(
            customers_with_people_visible_to(actor=actor)
            .filter(org=org)
            .order_by()
            .values_list("id", flat=True)[:1]
        )
    customer = customer_of_org(org=org)
    home = getattr(actor, "org", None)
    if customer is None or (
        home is not None and home.is_partner and people_hidden_from_partner_staff_of(customer)
    ):
        return []
    return [customer.pk]


def customers_with_people_visible_to(*, actor, partner: Organization | None = None) -> QuerySet[Customer]:
    """The customers whose people (users, workspaces) the actor sees: ``customers_visible_to`` less, for a
    partner's staff, the ones restrictions hide people of (see ``people_hidden_from_partner_staff``); only
    those of ``partner`` when it is given (``customers_with_people_of``)."""
    if partner is not None:
        form, ids = customers_with_people_shape(actor=actor, partner=partner)
        return customers_with_people_of(*form, **ids)
    visible = customers_visible_to(actor=actor)
    return visible.exclude(people_hidden_from_partner_staff()) if _partner_staff(actor) else visible


def customers_with_people_reach_shape(*, actor) -> tuple[tuple, dict]:
    """``customers_with_people_visible_to(actor)`` as the form and the ids of
    ``customers_with_people_in_reach`` (the actor's reach, whether it is a partner's staff; its ids), for a
    query compiled once per form."""
    reach = reach_of(actor)
    return (reach, _partner_staff(actor)), reach_ids(actor, reach)


def customers_with_people_in_reach(
    reach, partner_staff: bool, *, home_id=None, user_id=None
) -> QuerySet[Customer]:
    """The customers whose people an actor of this reach sees (``customers_with_people_reach_shape``), the
    visibility as columns of their organisations (``reach_q``), not a subquery of every organisation."""
    visible = Customer.objects.filter(reach_q(reach, home_id=home_id, user_id=user_id, path="org__"))
    return visible.exclude(people_hidden_from_partner_staff()) if partner_staff else visible


def customers_with_people_shape(*, actor, partner: Organization) -> tuple[tuple, dict]:
    """``customers_with_people_visible_to(actor, partner)`` as the form and the ids of
    ``customers_with_people_of``: what its SQL depends on (the actor's reach under the partner, whether it
    is a partner's staff), and the values it takes, for a query compiled once per form (``core.compiled``)."""
    parts = children_reach(actor=actor, parent=partner)
    return (parts, _partner_staff(actor)), children_reach_ids(actor, parts) | {"parent_id": partner.id}


def customers_with_people_of(
    parts, partner_staff: bool, *, parent_id, home_id=None, user_id=None
) -> QuerySet[Customer]:
    """The customers of the partner ``parent_id`` whose people an actor of this reach under it sees
    (``customers_with_people_shape``)."""
    reach = children_reach_q(parts, parent_id=parent_id, home_id=home_id, user_id=user_id, path="org__")
    visible = Customer.objects.filter(reach)
    return visible.exclude(people_hidden_from_partner_staff()) if partner_staff else visible


def _partner_staff(actor) -> bool:
    home = getattr(actor, "org", None)
    return home is not None and home.is_partner


def _with_packages(qs: QuerySet[Customer]) -> QuerySet[Customer]:
    return qs.select_related("org").prefetch_related(
        Prefetch("packages", queryset=CustomerPackage.objects.order_by("code"))
    )


# What ``GET /v1/wholesale/customers`` renders of a customer (provisioning's ``CustomerSerializer``).
CUSTOMER_API_FIELDS = (
    "id",
    "org",
    "created",
    "external_id",
    "status",
    "provisioned_at",
    "errors",
    "address_line1",
    "address_line2",
    "city",
    "state_or_province",
    "zip_or_postal_code",
    "country",
)


# ``customers_for_api``'s row: the attnames of CUSTOMER_API_FIELDS (``org_id``, not a joined organisation).
# ``errors`` is read as text (``errors_json``, see apps.core.jsonrows).
CUSTOMER_API_VALUES = tuple(
    "org_id" if name == "org" else name for name in CUSTOMER_API_FIELDS if name != "errors"
)


def customers_for_api(
    *,
    actor,
    partner: Organization,
    external_id: str = "",
    org: Organization | None = None,
    statuses: Iterable[str] = (),
) -> BoundList:
    """``GET /v1/wholesale/customers``: the partner's customers the actor may see, oldest first, as rows of
    ``CUSTOMER_API_VALUES`` (with ``customer_packages_of``: one query a page on PostgreSQL, two elsewhere).
    A list whose pages are compiled once per process for each shape (``core.compiled.CompiledList``): the
    actor's reach under the partner, the filters given and the page's form; building and compiling the page
    query cost each request about as much as reading and rendering its rows."""
    parts = children_reach(actor=actor, parent=partner)
    values = children_reach_ids(actor, parts) | {"parent_id": partner.id}
    if external_id:
        values["external_id"] = external_id
    if org is not None:
        values["org_id"] = org.id
    statuses = list(statuses)
    values |= {f"status{i}": status for i, status in enumerate(statuses)}
    return _CUSTOMERS_FOR_API.bind(parts, len(statuses), **values)


def _customers_for_api(
    parts,
    n_statuses: int,
    *,
    parent_id,
    home_id=None,
    user_id=None,
    external_id=None,
    org_id=None,
    **statuses,
) -> QuerySet[Customer]:
    """``customers_for_api``'s list: ``customers_of_partner_visible_to``, filtered, as plain rows. For an
    actor who sees every customer of the partner, its customers by the partner filed on their rows, in the
    list's order along ``customer_partner_walk``: an offset of 9,900 skips index entries instead of joining
    the partner's 10,000 customers to their organisations and sorting them."""
    if reach_holds_every_customer(parts):
        qs = Customer.objects.filter(partner_uuid=parent_id)
    else:
        qs = customers_in_reach(parts, parent_id=parent_id, home_id=home_id, user_id=user_id)
    if external_id is not None:
        qs = qs.filter(external_id=external_id)
    if org_id is not None:
        qs = qs.filter(org=org_id)
    if n_statuses:
        qs = qs.filter(status__in=[statuses[f"status{i}"] for i in range(n_statuses)])
    # Plain rows of the columns the API's customer body shows, not the wide ones (the template snapshot, the
    # calling location, limits), and no model instances: a page of 1,000 reads a tenth of the bytes, and
    # building 100 instances with their prefetched packages cost more than the rest of the request.
    # ``customer_packages_for_api`` reads the page's packages in one query; on PostgreSQL the page's own
    # query reads them (``_with_packages_sql``).
    return qs.order_by(*CUSTOMER_API_ORDER).values(*CUSTOMER_API_VALUES, errors_json=json_text("errors"))


CUSTOMER_API_ORDER = ("created", "id")
_PACKAGES_TABLE = CustomerPackage._meta.db_table
# The page as the ORM wrote it (its scope, filters, order, OFFSET and LIMIT), and for each of its rows, only
# those, the customer's packages as one JSON aggregate ordered by code: no second query for the packages.
_PAGE_WITH_PACKAGES_SQL = (
    "SELECT page.*, (SELECT JSON_AGG(JSON_BUILD_ARRAY(code, status, warnings, errors) ORDER BY code) "  # noqa: S608 (constants)
    f'FROM "{_PACKAGES_TABLE}" WHERE customer_id = page.id)::text AS packages_json '
    "FROM ({page}) page ORDER BY " + ", ".join(f'page."{name}"' for name in CUSTOMER_API_ORDER)
)


def _with_packages_sql(page: str, vendor: str) -> str:
    """A page of ``customers_for_api``, on PostgreSQL each row with ``packages_json``
    (``customer_packages_of`` reads it): one query a page instead of two. Elsewhere, the plain rows."""
    return _PAGE_WITH_PACKAGES_SQL.format(page=page) if vendor == "postgresql" else page


_CUSTOMERS_FOR_API = CompiledList(_customers_for_api, around=_with_packages_sql)


def customer_packages_of(rows: list[Mapping]) -> dict:
    """The packages of a page of ``customers_for_api`` rows, as ``customer_packages_for_api`` answers: from
    the rows themselves when their query read them (``packages_json``), else in one query."""
    if rows and "packages_json" in rows[0]:
        return {row["id"]: _package_rows(row["packages_json"], sort=False) for row in rows}
    return customer_packages_for_api(customer_ids=[row["id"] for row in rows])


# ``customer_packages_for_api`` on PostgreSQL: the page's ids as one array parameter, a JSON aggregate per
# customer. Written once, not built by the ORM per request: building and compiling the grouped query cost
# more than running it.
_PACKAGES_SQL = (
    "SELECT customer_id, JSON_AGG(JSON_BUILD_ARRAY(code, status, warnings, errors) ORDER BY code)::text "  # noqa: S608 (constants)
    f'FROM "{_PACKAGES_TABLE}" WHERE customer_id = ANY(%s::uuid[]) GROUP BY customer_id'
)


def customer_packages_for_api(*, customer_ids: Iterable) -> dict:
    """The packages of these customers (already scoped: the ids of a ``customers_for_api`` page), as plain
    rows ordered by code, ``{customer id: [row, ...]}`` (warnings and errors decoded): one query a page, read
    as one JSON aggregate per customer (``apps.core.jsonrows.JSONRows``), so the database answers a row per
    customer instead of one per package, and nothing per package passes through the ORM."""
    ids = list(customer_ids)
    if not ids:
        return {}
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_PACKAGES_SQL, [uuid_array(ids)])
            grouped = cursor.fetchall()
    else:
        grouped = (
            CustomerPackage.objects.filter(customer_id__in=ids)
            .order_by()
            .values("customer_id")
            .annotate(
                rows=JSONRows("code", "status", "warnings", "errors", json_columns=("warnings", "errors"))
            )
            .values_list("customer_id", "rows")
        )
    sort = connection.vendor != "postgresql"
    return {customer_id: _package_rows(rows, sort=sort) for customer_id, rows in grouped}


def _package_rows(aggregate: str | None, *, sort: bool) -> list[dict]:
    """A customer's packages from their JSON aggregate (code, status, warnings, errors)."""
    return [
        {"code": code, "status": status, "warnings_json": warnings, "errors_json": errors}
        for code, status, warnings, errors in json_rows(aggregate, sort=sort)
    ]


def customer_get(
    *,
    actor,
    customer_id: str,
    partner: Organization | None = None,
    org: Organization | None = None,
    with_packages: bool = True,
) -> Customer:
    """The customer behind an opaque id, with its packages; 404 when the actor may not see it (or it is not
    managed by ``partner``, or is not the customer of organisation ``org``, when they are given)."""
    reach, values = _scope(actor=actor, customer_id=customer_id, partner=partner, org=org)
    qs = _customer_scoped(reach, **values)
    qs = _with_packages(qs) if with_packages else qs.select_related("org")
    customer = qs.select_related("org__parent").first()
    if customer is None:
        raise Http404
    return customer_known_to_org(customer)


def customer_scoped(
    *, actor, customer_id: str, partner: Organization | None = None, org: Organization | None = None
) -> BoundQuery:
    """``customer_get``'s customer as a query of at most one row (empty where ``customer_get`` is a 404), not
    run yet: for a write that reads it its own way, once (locked, with what its checks ask:
    ``subscriber_add``). Compiled once per process for each reach of an actor and scope a call names
    (``core.compiled``): building and compiling the scope's condition cost the subscriber add more than the
    database took to answer it."""
    reach, values = _scope(actor=actor, customer_id=customer_id, partner=partner, org=org)
    return _CUSTOMER_SCOPED.bind(reach, **values)


def _scope(*, actor, customer_id: str, partner: Organization | None, org: Organization | None) -> tuple:
    """(the actor's reach, the values of ``_customer_scoped``)."""
    reach = reach_of(actor)
    pk = decode_id(customer_id, IdType.CUSTOMER)
    values = reach_ids(actor, reach) | ({"pk": pk} if pk is not None else {})
    if partner is not None:
        values["partner_id"] = partner.id
    if org is not None:
        values["org_id"] = org.id
    return reach, values


def _customer_scoped(
    reach, *, pk=None, home_id=None, user_id=None, partner_id=None, org_id=None
) -> QuerySet[Customer]:
    """The customer ``pk`` among those the actor of this reach sees (of the partner ``partner_id`` and the
    organisation ``org_id`` when given); none without a ``pk`` (an id that is not a customer's)."""
    if pk is None:
        return Customer.objects.none()
    # The scope as columns of the customer's organisation: for one row by its id, cheaper than the subquery.
    qs = Customer.objects.filter(reach_q(reach, home_id=home_id, user_id=user_id, path="org__"), id=pk)
    if partner_id is not None:
        qs = qs.filter(org__parent=partner_id)
    if org_id is not None:
        qs = qs.filter(org=org_id)
    return qs


_CUSTOMER_SCOPED = CompiledQuery(_customer_scoped, prepared=True)  # one customer by its key


def customer_known_to_org(customer: Customer) -> Customer:
    """Let the customer's organisation object answer ``customer_access_of`` from this very instance (its
    fields as read, and as the caller changes them): a request that read the customer through the scoping
    selector does not read its access again for every permission check on its organisation."""
    customer.org._wholesale_customer = customer
    return customer


def customer_of_org_get(*, actor, org: Organization) -> Customer:
    """The wholesale customer record of a customer organisation the actor may see; else 404."""
    if known(org_visible_key(actor=actor, org=org)):  # the guard found org in scope: its record is visible
        found = customer_of_org(org=org)
    else:
        found = customers_visible_to(actor=actor).filter(org=org).select_related("org", "org__parent").first()
    if found is None:
        raise Http404
    return found


def packages_held(*, customer: Customer) -> set[str]:
    """The codes of the packages the customer holds, provisioned (the caller read the customer through the
    scoping selector already)."""
    return set(
        CustomerPackage.objects.filter(customer=customer, status=PackageStatus.PROVISIONED).values_list(
            "code", flat=True
        )
    )


def package_held_expression(code: str) -> Exists:
    """``code in packages_held(customer=...)`` as an expression on Customer rows (for a query that reads the
    customer anyway, such as a write locking it)."""
    held = CustomerPackage.objects.filter(customer_id=OuterRef("pk"), status=PackageStatus.PROVISIONED)
    return Exists(held.filter(code=code))


def customer_of_org(*, org: Organization) -> Customer | None:
    """The customer record of a customer organisation, read once per safe request (core.memo): the page's
    guard (restrictions' reach), its view and its template tags (restricted mode) each ask for it. Unscoped:
    callers have checked the actor's scope (see ``customer_of_org_get``)."""

    def read() -> Customer | None:
        found = _CUSTOMER_OF_ORG.rows(org_id=org.pk)
        if not found:
            return None
        found[0].org = org
        return found[0]

    return remembered(("customer_of_org", org.pk), read)


def _customer_of_org(*, org_id) -> QuerySet[Customer]:
    return Customer.objects.filter(org=org_id).order_by()  # one at most: a record per organisation


# Compiled once per process (core.compiled): the guard of every call on a customer organisation reads it
# (its restrictions), and building and compiling the customer's 35 columns cost more than the row.
_CUSTOMER_OF_ORG = CompiledQuery(_customer_of_org, prepared=True)


def customer_status_counts(*, actor, partner: Organization) -> dict[str, int]:
    rows = (
        customers_visible_to(actor=actor)
        .filter(org__parent=partner)
        .values("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = {row["status"]: row["n"] for row in rows}
    return {status: counts.get(status, 0) for status in CustomerStatus.values}


def customer_access_of(*, org: Organization) -> tuple[str, str, bool] | None:
    """(attach state, partner access, attached to an existing organisation) of a customer organisation,
    for the restrictions app; None when it has no wholesale customer record (any more). Answered from the
    customer read through ``customer_get`` when ``org`` is that customer's organisation object, or from the
    request's read memo (core.memo)."""
    read = getattr(org, "_wholesale_customer", None)
    if read is not None and read.org_id == org.pk:
        return read.attach_state, read.partner_access, read.existing_org
    customer = customer_of_org(org=org)
    return (
        None if customer is None else (customer.attach_state, customer.partner_access, customer.existing_org)
    )


def customer_orgs_awaiting_attach_approval() -> QuerySet:
    """Ids of organisations a partner attached wholesale services to that their administrator has not
    approved (waiting, or declined): the partner sees only its own request there."""
    return Customer.objects.filter(ATTACH_NOT_APPROVED).values("org_id")


def attach_request_of(*, org: Organization) -> AttachRequest | None:
    """The wholesale request concerning this customer organisation (callers have resolved ``org`` through
    the scoping selector)."""
    return (
        AttachRequest.objects.select_related("partner", "customer", "decided_by")
        .filter(customer__org=org)
        .first()
    )


def unmanaged_orgs_visible_to(*, actor) -> QuerySet[Organization]:
    """Customer organisations no partner manages (yet): what a partner may attach wholesale services to."""
    from apps.accounts.selectors import orgs_visible_to

    return (
        orgs_visible_to(actor=actor)
        .filter(kind=OrgKind.CUSTOMER, parent__isnull=True)
        .select_related("profile")
        .annotate(people_count=Count("people", distinct=True))
        .order_by("-created")
    )


# --- Control Hub organisation settings (issue 13) ---


def org_settings_of(*, org: Organization, for_update: bool = False) -> OrgSettings:
    """The organisation's settings row (created on first use, defaults from its onboarding template)."""
    qs = OrgSettings.objects.select_for_update() if for_update else OrgSettings.objects
    settings = qs.filter(org=org).first()
    if settings is None:
        customer = Customer.objects.filter(org=org).first()
        chosen = (customer.template_settings or {}) if customer else {}
        settings, _ = OrgSettings.objects.get_or_create(
            org=org,
            defaults={
                "email_locale": (customer.org_locale if customer else "") or "",
                "suppress_admin_invite_email": chosen.get("send_admin_invite_email") is False,
            },
        )
    return settings


def domains_of(*, org: Organization) -> QuerySet[OrgDomain]:
    return OrgDomain.objects.filter(org=org).order_by("name")


def domain_get(*, org: Organization, domain_id: str) -> OrgDomain:
    """One domain of ``org``; 404 for anything else (another organisation's included)."""
    domain = OrgDomain.objects.filter(org=org, pk=domain_id if str(domain_id).isdigit() else -1).first()
    if domain is None:
        raise Http404
    return domain


def webex_assistant_turned_off(*, org: Organization) -> bool:
    """Whether an administrator turned Webex Assistant off for the organisation (provisioning keeps it so)."""
    return OrgSettings.objects.filter(org=org, webex_assistant_off=True).exists()


def org_locale_of(org: Organization) -> str | None:
    """A customer organisation's locale (``fr_FR``), the language its people read the portal in by default."""
    if org.kind != OrgKind.CUSTOMER:
        return None
    customer = customer_of_org(org=org)
    return customer.org_locale if customer is not None else None
