"""Reads about people and the one door to visibility: ``orgs_visible_to``.

Every queryset of tenant data starts from ``orgs_visible_to(actor=...)``; an organisation outside it is a
404 everywhere. It mirrors ``permissions.role_grants``: an organisation is visible exactly when the actor's
roles grant ``org.view`` on it (a test holds the two together).
"""

from collections.abc import Callable
from dataclasses import dataclass

from allauth.account.forms import default_token_generator
from allauth.account.utils import url_str_to_user_pk
from allauth.mfa.models import Authenticator
from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404

from apps.accounts.models import ApiToken, CustomerUserObjectPermission, Invitation, User, UserRole
from apps.accounts.roles import INDIRECT_REACH_ROLES, Role
from apps.core.compiled import BoundList, CompiledList, CompiledQuery
from apps.core.ids import IdType, decode_id
from apps.core.jsonrows import JSONRows, json_rows
from apps.core.memo import remember
from apps.core.models import AuditEvent, Organization, OrgKind

MANAGE_CUSTOMER_CODENAME = "manage_customer"


def roles_of(user) -> frozenset[Role]:
    """The roles a person holds, read once per user object."""
    if not getattr(user, "pk", None) or not user.is_active:
        return frozenset()
    cached = getattr(user, "_roles_cache", None)
    if cached is None:
        cached = frozenset(Role(r) for r in UserRole.objects.filter(user=user).values_list("role", flat=True))
        user._roles_cache = cached
    return cached


def customer_ids_assigned_to(*, user) -> QuerySet:
    return CustomerUserObjectPermission.objects.filter(
        user=user, permission__codename=MANAGE_CUSTOMER_CODENAME
    ).values("content_object_id")


def customer_is_assigned_to(*, user, org: Organization) -> bool:
    return customer_ids_assigned_to(user=user).filter(content_object_id=org.id).exists()


_ALL_CUSTOMERS_ROLES = frozenset({Role.PARTNER_FULL_ADMIN, Role.PARTNER_READ_ONLY_ADMIN})  # a partner's own


@dataclass(frozen=True)
class Reach:
    """One part of what an actor sees, counted from the actor's own organisation: itself (generation 0), its
    children (1) or its children's children (2) of one kind; ``assigned``: only those assigned to the actor
    (a partner admin's customers), not all of them."""

    generation: int
    kind: str = ""
    assigned: bool = False


def reach_of(actor) -> tuple[Reach, ...] | None:
    """The one statement of who sees which organisations, from the actor's roles: the parts of
    ``orgs_visible_to``; None for every organisation (a platform operator), () for none. ``orgs_visible_to``,
    ``children_visible_q``, ``sees_all_customers_of`` and ``sees_whole_audit_log_of`` are this rule put four
    ways (a query, a condition under one parent, two yes/no), and so is ``permissions.role_grants`` for
    ``org.view`` (tests hold them together: tests/accounts/test_audit_scope.py for the audit log's)."""
    roles = roles_of(actor)
    home = getattr(actor, "org", None)
    if not roles or home is None:
        return ()
    if home.is_platform:
        return None if Role.PLATFORM_OPERATOR in roles else ()
    reach = [Reach(0)]
    if home.is_partner:
        if roles & _ALL_CUSTOMERS_ROLES:
            reach.append(Reach(1, OrgKind.CUSTOMER))
        elif Role.PARTNER_ADMIN in roles:
            reach.append(Reach(1, OrgKind.CUSTOMER, assigned=True))
        if roles >= INDIRECT_REACH_ROLES and not home.is_subpartner:  # its indirect providers and theirs
            reach += [Reach(1, OrgKind.PARTNER), Reach(2, OrgKind.CUSTOMER)]
    return tuple(reach)


def _either(conditions: list[Q]) -> Q:
    if not conditions:
        return Q(pk__in=[])
    either = conditions[0]
    for more in conditions[1:]:
        either |= more
    return either


def _reach_q(part: Reach, *, home_id, user_id, path: str = "", parent_known: bool = False) -> Q:
    """The part as a condition on the organisation at ``path``, for the actor ``user_id`` of organisation
    ``home_id``; with ``parent_known``, without the parent (the caller's condition names it)."""
    if part.generation == 0:
        return Q(**{f"{path}id": home_id})
    condition = Q(**{f"{path}kind": part.kind})
    if not parent_known:
        lineage = "parent_id" if part.generation == 1 else "parent__parent_id"
        condition &= Q(**{f"{path}{lineage}": home_id})
    if part.assigned:
        condition &= Q(**{f"{path}id__in": customer_ids_assigned_to(user=user_id)})
    return condition


def visible_orgs_q(*, actor, path: str = "") -> Q:
    """``orgs_visible_to(actor)`` as a condition on the organisation at ``path`` (such as ``"org__"`` from
    Customer): columns of that organisation and its parent rather than a subquery, for a read of one row by
    its id (a subquery costs more to build than the row costs to read)."""
    reach = reach_of(actor)
    return reach_q(reach, path=path, **reach_ids(actor, reach))


def reach_q(reach: tuple[Reach, ...] | None, *, home_id=None, user_id=None, path: str = "") -> Q:
    """``visible_orgs_q``'s condition from the actor's reach (``reach_of``) and the ids ``reach_ids`` names:
    its SQL depends on the reach alone, so a query compiled once per reach (``core.compiled``) takes the ids
    as its values."""
    if reach is None:
        return Q()
    return _either([_reach_q(part, home_id=home_id, user_id=user_id, path=path) for part in reach])


def reach_ids(actor, reach: tuple[Reach, ...] | None) -> dict:
    """The ids ``reach_q`` puts in the condition of this reach of the actor's: its organisation's, unless it
    reaches every organisation or none, and its own when it is narrowed to the customers assigned to it."""
    ids = {"home_id": actor.org_id} if reach else {}
    if any(part.assigned for part in reach or ()):
        ids["user_id"] = actor.pk
    return ids


def orgs_visible_to(*, actor) -> QuerySet[Organization]:
    return Organization.objects.select_related("parent").filter(visible_orgs_q(actor=actor))


def sees_all_customers_of(*, actor, partner: Organization, indirect: bool = False) -> bool:
    """Whether ``orgs_visible_to(actor)`` holds every customer organisation of ``partner``
    (``kind=customer, parent=partner``) — and with ``indirect`` every one of its indirect providers' too
    (``parent__parent=partner``) — by the actor's roles alone, as for the partner's own full and read-only
    admins, so that a list of those customers needs no scope subquery. False says nothing: ask through
    ``orgs_visible_to``."""
    if getattr(actor, "org_id", None) != partner.id:
        return False
    reach = reach_of(actor) or ()
    return Reach(1, OrgKind.CUSTOMER) in reach and (not indirect or Reach(2, OrgKind.CUSTOMER) in reach)


def reach_holds_every_customer(parts: tuple[Reach, ...] | None) -> bool:
    """Whether these parts of an actor's reach under one parent (``children_reach``) hold every customer
    organisation under it: a partner's own full and read-only admins, an indirect provider's parent's
    wholesale admins, the platform's operators; not a partner admin of assigned customers. A read of that
    parent's customers may then go by the partner filed on their rows instead of through ``children_reach_q``
    (a customer's organisation is always of the customer kind)."""
    if parts is None:
        return True
    return any(part.generation > 0 and part.kind == OrgKind.CUSTOMER and not part.assigned for part in parts)


def children_visible_q(*, actor, parent: Organization, path: str = "") -> Q:
    """``orgs_visible_to(actor) ∩ {parent = parent}`` as a condition on the organisation at ``path`` (such as
    ``"org__"`` from Customer), worked out here from the actor's roles and the parent already read: a few
    columns of that organisation instead of a subquery of ``orgs_visible_to``, which the ORM built and
    compiled again for every page of the wholesale lists (a third of what the API lists cost beyond their
    floor). The parts of ``reach_of`` whose generation sits under ``parent``, and a test holds the two
    together for every persona and parent."""
    parts = children_reach(actor=actor, parent=parent)
    return children_reach_q(parts, parent_id=parent.id, path=path, **children_reach_ids(actor, parts))


def children_reach(*, actor, parent: Organization) -> tuple[Reach, ...] | None:
    """The parts of ``reach_of(actor)`` whose organisations have ``parent`` for parent: its own organisation,
    its children or its children's children (None: every organisation, a platform operator's). What the SQL
    of ``children_reach_q`` depends on, so that a query compiled once per such reach (``core.compiled``)
    takes the ids as its values (``children_reach_ids``)."""
    reach = reach_of(actor)
    if not reach:
        return reach
    home = actor.org
    # Which generation of the actor's reach has ``parent`` for parent: its own organisation, its children,
    # or its children's children.
    under_parent = {0: home.parent_id == parent.id, 1: home.id == parent.id, 2: parent.parent_id == home.id}
    return tuple(part for part in reach if under_parent[part.generation])


def children_reach_ids(actor, parts: tuple[Reach, ...] | None) -> dict:
    """The ids ``children_reach_q`` puts in the condition of these parts of the actor's reach: its
    organisation's for itself, its own for the customers assigned to it."""
    ids = {}
    if any(part.generation == 0 for part in parts or ()):
        ids["home_id"] = actor.org_id
    if any(part.assigned for part in parts or ()):
        ids["user_id"] = actor.pk
    return ids


def children_reach_q(
    parts: tuple[Reach, ...] | None, *, parent_id, home_id=None, user_id=None, path: str = ""
) -> Q:
    """``children_visible_q``'s condition from ``children_reach``'s parts and the ids ``children_reach_ids``
    names."""
    if parts is None:
        return Q(**{f"{path}parent_id": parent_id})
    visible = [
        _reach_q(part, home_id=home_id, user_id=user_id, path=path, parent_known=True) for part in parts
    ]
    return Q(**{f"{path}parent_id": parent_id}) & _either(visible) if visible else Q(pk__in=[])


def org_get_visible(*, actor, org_id: str, kind: str | None = None) -> Organization:
    """The organisation behind an opaque id (with its parent), or 404 when it is not ours to see (or not of
    that kind). Read in a query compiled once per process for each reach of an actor (``core.compiled``):
    the guard of every call naming an organisation reads it, and building and compiling the visibility's
    condition cost more than the row."""
    pk = decode_id(org_id, IdType.ORGANIZATION)
    if pk is None:
        raise Http404
    org = _own_org_if_visible(actor, pk, kind)
    if org is None:
        reach = reach_of(actor)
        values = reach_ids(actor, reach) | {"pk": pk} | ({"kind": kind} if kind is not None else {})
        found = _ORG_VISIBLE.rows(reach, **values)
        org = found[0] if found else None
    if org is None:
        raise Http404
    remember(org_visible_key(actor=actor, org=org), True)
    return org


def _org_visible(reach, *, pk, home_id=None, user_id=None, kind=None) -> QuerySet[Organization]:
    """``orgs_visible_to(actor).filter(id=pk)`` (of ``kind`` when given) for an actor of this reach."""
    qs = Organization.objects.select_related("parent").order_by()
    qs = qs.filter(reach_q(reach, home_id=home_id, user_id=user_id), id=pk)
    return qs.filter(kind=kind) if kind is not None else qs


_ORG_VISIBLE = CompiledQuery(_org_visible, prepared=True)  # one organisation by its key


def _own_org_if_visible(actor, pk, kind: str | None) -> Organization | None:
    """The actor's own organisation (already read with the actor) when it is the one asked for and
    ``orgs_visible_to`` holds it: always, for anyone with a role, but the platform only for its operators."""
    home = getattr(actor, "org", None) if getattr(actor, "org_id", None) == pk else None
    if home is None or (kind is not None and home.kind != kind):
        return None
    reach = reach_of(actor)
    return home if reach is None or Reach(0) in reach else None


def org_visible_key(*, actor, org: Organization) -> tuple:
    """The read memo's note (core.memo) that ``org_get_visible`` found ``org`` in the actor's scope during
    this request: a selector of the same organisation may then skip its own scope query."""
    return ("org_visible", getattr(actor, "pk", None), org.pk)


def people_of_org(*, org: Organization) -> QuerySet[User]:
    return (
        User.objects.filter(org=org)
        .prefetch_related(Prefetch("role_rows", queryset=UserRole.objects.order_by("role")))
        .order_by("email")
    )


def admins_of_org(*, org: Organization) -> QuerySet[User]:
    """People of the organisation holding at least one role."""
    return people_of_org(org=org).filter(role_rows__isnull=False).distinct()


def person_get(*, org: Organization, person_id: str) -> User:
    pk = decode_id(person_id, IdType.PEOPLE)
    user = people_of_org(org=org).filter(id=pk).first() if pk else None
    if user is None:
        raise Http404
    return user


def assigned_customers_of(*, user) -> QuerySet[Organization]:
    return Organization.objects.filter(id__in=customer_ids_assigned_to(user=user)).order_by("name")


def customer_orgs_of_partner(*, actor, partner: Organization) -> QuerySet[Organization]:
    """The customer organisations a partner manages that the actor sees, by name."""
    return orgs_visible_to(actor=actor).filter(kind=OrgKind.CUSTOMER, parent=partner).order_by("name", "id")


def user_get_by_email(*, email: str) -> User | None:
    return User.objects.filter(email=email.strip().lower()).first()  # stored lower-case (the manager)


def api_tokens_of(*, user) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created")


def api_token_get(*, user, token_id: str) -> ApiToken:
    pk = decode_id(token_id, IdType.API_TOKEN)
    token = api_tokens_of(user=user).filter(id=pk).first() if pk else None
    if token is None:
        raise Http404
    return token


def api_token_by_hash(*, key_hash: str) -> ApiToken | None:
    """The token behind a secret's hash, with its person, their organisation and their roles (``roles_of``
    answers from them): one query, where every API call used to read the roles again in a second."""
    roles = (
        UserRole.objects.filter(user_id=OuterRef("user_id"))
        .order_by()
        .values("user_id")
        .annotate(rows=JSONRows("role"))
        .values("rows")
    )
    token = (
        ApiToken.objects.select_related("user", "user__org")
        .annotate(user_roles=Subquery(roles))
        .filter(key_hash=key_hash)
        .first()
    )
    if token is not None:
        token.user._roles_cache = frozenset(Role(role) for (role,) in json_rows(token.user_roles, sort=False))
    return token


def invitation_get(*, invitation_id, locked: bool = False) -> Invitation | None:
    """``locked``: the invitation's row locked for update (its own table only), for its sending."""
    invitations = Invitation.objects.select_related("user", "user__org")
    if locked:
        invitations = invitations.select_for_update(of=("self",))
    return invitations.filter(id=invitation_id).first()


# Organisations the actor sees but whose audit trail it may read only its own part of (the restrictions
# app fills this from its AppConfig.ready(): an organisation a partner attached to, until its administrator
# approves). ``limit(*, actor_org_kind) -> QuerySet`` of organisation ids for actors of an organisation of
# that kind ("" for none), or None where it limits nothing: it depends on that kind alone, so that a log's
# query is compiled once per kind (``audit_events_for_api``).
_AUDIT_LIMITS: list[Callable[..., QuerySet | None]] = []

# ``GET /v1/partner/auditEvents``' row: what its body shows (``api.serializers.audit_event_body``).
AUDIT_EVENT_API_VALUES = (
    "id",
    "created",
    "actor_id",
    "actor_email",
    "actor_org_id",
    "acting_org_id",
    "action",
    "target_type",
    "target_id",
    "target_repr",
    "before",
    "after",
    "tracking_id",
    "channel",
)


def register_audit_limit(limit: Callable[..., QuerySet | None]) -> None:
    if limit not in _AUDIT_LIMITS:
        _AUDIT_LIMITS.append(limit)


def audit_events_visible_to(*, actor, org: Organization) -> QuerySet[AuditEvent]:
    """Events that happened in ``org`` or, for a partner, in the organisations it manages that the actor
    may see; in an organisation a limit names, only the events the actor's own organisation made.

    The organisations are a subquery of ids (``acting_org IN (org and its children)``), not a join with an OR
    across the two tables, so that the database can take either way: a large partner's log walks the events
    newest first and keeps those of its organisations; a small one's reads its few organisations' events
    through their index ((acting_org, created)) instead of walking the whole table. The actor's visibility
    is a second subquery only when the roles alone do not show every organisation of the log
    (``sees_whole_audit_log_of``)."""
    form, values = _audit_shape(actor=actor, org=org)
    return _audit_events(*form, **values).select_related("acting_org", "actor_org")


def audit_events_page(*, actor, org: Organization, lookups: dict) -> BoundList:
    """The audit log page's list: ``audit_events_visible_to`` filtered by ``lookups``
    (``core.selectors.audit_filter_lookups``), newest first, each event with its two organisations; compiled
    once per shape as ``audit_events_for_api`` is (its building and compiling cost the page more than the
    database's answer), a part of a text (``__icontains``) included: its pattern is a parameter too."""
    form, values = _audit_shape(actor=actor, org=org)
    names = tuple(sorted(lookups))
    return _AUDIT_EVENTS_PAGE.bind(*form, names, **values, **_filter_values(names, lookups))


def _audit_events_page(*form_and_names, **values) -> QuerySet[AuditEvent]:
    *form, names = form_and_names
    filters = {name: values.pop(f"filter_{i}") for i, name in enumerate(names)}
    return _audit_events(*form, **values).filter(**filters).select_related("acting_org", "actor_org")


def audit_events_for_api(*, actor, org: Organization, lookups: dict) -> BoundList:
    """``GET /v1/partner/auditEvents``: ``audit_events_visible_to`` filtered by ``lookups``
    (``core.selectors.audit_filter_lookups``), newest first, as rows of ``AUDIT_EVENT_API_VALUES``. A list
    whose pages are compiled once per process for each shape (``core.compiled.CompiledList``: the log's
    kind, the actor's reach where it is asked, the limits, the filters given and the page's form): building
    and compiling the log's subqueries cost each request more than reading its rows (a part of a text,
    ``__icontains``, too: its pattern is a parameter, ``core.compiled``)."""
    form, values = _audit_shape(actor=actor, org=org)
    names = tuple(sorted(lookups))
    return _AUDIT_EVENTS_FOR_API.bind(*form, names, **values, **_filter_values(names, lookups))


def _filter_values(names: tuple, lookups: dict) -> dict:
    return {f"filter_{i}": lookups[name] for i, name in enumerate(names)}


def _audit_events_for_api(*form_and_names, **values) -> QuerySet:
    *form, names = form_and_names
    filters = {name: values.pop(f"filter_{i}") for i, name in enumerate(names)}
    return _audit_events(*form, **values).filter(**filters).values(*AUDIT_EVENT_API_VALUES)


def _audit_shape(*, actor, org: Organization) -> tuple[tuple, dict]:
    """``_audit_events``' form and values for the log of ``org`` as ``actor`` reads it: the log's kind,
    whether the actor's visibility is asked (and its reach), the kind of the actor's organisation and which
    limits apply to it; the ids."""
    kind = "platform" if org.is_platform else "partner" if org.is_partner else "customer"
    asks_reach = org.is_platform or not sees_whole_audit_log_of(actor=actor, org=org)
    reach = reach_of(actor) if asks_reach else ()
    home = getattr(actor, "org", None)
    home_kind = home.kind if home is not None else ""
    limited = tuple(limit(actor_org_kind=home_kind) is not None for limit in _AUDIT_LIMITS)
    values = {"org_id": org.id} | (reach_ids(actor, reach) if asks_reach else {})
    if any(limited) and getattr(actor, "org_id", None) is not None:
        values["actor_org_id"] = actor.org_id
    return (kind, asks_reach, reach, home_kind, limited), values


def _audit_events(
    kind: str,
    asks_reach: bool,
    reach,
    home_kind: str,
    limited: tuple,
    *,
    org_id,
    home_id=None,
    user_id=None,
    actor_org_id=None,
) -> QuerySet[AuditEvent]:
    """``audit_events_visible_to``'s events (``_audit_shape``)."""
    events = AuditEvent.objects.all()
    if asks_reach:
        visible = Organization.objects.filter(reach_q(reach, home_id=home_id, user_id=user_id)).values("pk")
    if kind == "platform":
        # Everything the actor sees, and the events of organisations since removed that the platform's people
        # made (their organisation is gone: nothing else shows them).
        events = events.filter(Q(acting_org__in=visible) | Q(acting_org__isnull=True, actor_org=org_id))
    else:
        logged = Q(pk=org_id) | Q(parent=org_id) if kind == "partner" else Q(pk=org_id)
        events = events.filter(acting_org__in=Organization.objects.filter(logged).values("pk"))
        if asks_reach:
            events = events.filter(acting_org__in=visible)
    others = ~Q(actor_org=actor_org_id) if actor_org_id is not None else ~Q(actor_org__isnull=True)
    for limit, applies in zip(_AUDIT_LIMITS, limited, strict=True):
        if applies:
            events = events.exclude(Q(acting_org__in=limit(actor_org_kind=home_kind)) & others)
    return events


_AUDIT_EVENTS_FOR_API = CompiledList(_audit_events_for_api)
_AUDIT_EVENTS_PAGE = CompiledList(_audit_events_page)


def sees_whole_audit_log_of(*, actor, org: Organization) -> bool:
    """Whether ``orgs_visible_to(actor)`` holds every organisation whose events ``org``'s audit log shows, by
    the actor's roles alone: ``org`` itself when it is the actor's own, and for a partner its customers and
    indirect providers too (its own full admins). False says nothing: ask through ``orgs_visible_to``."""
    reach = reach_of(actor)
    if reach is None:
        return True
    if getattr(actor, "org_id", None) != org.id or Reach(0) not in reach:
        return False
    return not org.is_partner or {Reach(1, OrgKind.CUSTOMER), Reach(1, OrgKind.PARTNER)} <= set(reach)


# Organisation policies that require two-factor authentication of admins (a partner's setting, from the
# partners app's AppConfig.ready()): ``policy(org) -> bool``.
_MFA_POLICIES: list[Callable[[Organization], bool]] = []


def register_mfa_policy(policy: Callable[[Organization], bool]) -> None:
    if policy not in _MFA_POLICIES:
        _MFA_POLICIES.append(policy)


def mfa_required(*, org: Organization | None) -> bool:
    return org is not None and any(policy(org) for policy in _MFA_POLICIES)


def mfa_required_and_missing(*, user) -> bool:
    """The person's organisation requires TOTP for its admins and this admin has none yet."""
    if not roles_of(user) or not mfa_required(org=user.org):
        return False
    return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


# --- firsthour: the invitation's welcome page ---------------------------------------------------------------


def invited_person_by_link(*, uidb36: str, key: str) -> User | None:
    """The person an invitation (or password) link is for, while its key is still valid; None otherwise."""
    try:
        pk = url_str_to_user_pk(uidb36)
        user = User.objects.select_related("org").filter(pk=pk, is_active=True).first()
    except (ValueError, TypeError, OverflowError, ValidationError):  # a forged or mangled link
        return None
    if user is None or not default_token_generator.check_token(user, key):
        return None
    return user


def latest_invitation_of(*, user) -> Invitation | None:
    return Invitation.objects.select_related("invited_by", "invited_by__org").filter(user=user).first()
