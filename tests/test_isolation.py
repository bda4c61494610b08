"""The isolation matrix: every page and every API route, discovered from the URL conf, is tried by people who
must not know that the victim organisation exists. They get 404 whatever the method, the 404 names nothing of
the victim, and nothing is written in their name. The owner of the same ids gets through, so a route that 404s
for everyone cannot pass.

Four ways in, for every route: anonymous (sent to sign in, or 401), an outsider (404), an insider without the
permission the route declares (403) and the owner (through; one real write per resource, ``WRITES``).

A new route fails here until it joins ``ROUTES`` with a builder for its URL kwargs.
"""

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, replace

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.test import Client, TestCase
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.html import escape
from rest_framework.test import APIClient

from apps.accounts.models import ApiScope, ApiToken, User
from apps.accounts.roles import Role
from apps.accounts.selectors import roles_of, user_get_by_email
from apps.accounts.services import api_token_create
from apps.core.models import AuditEvent, Organization
from apps.onboarding.services import template_create
from apps.partners.services import partner_create
from apps.subscribers.models import Subscriber
from tests.conftest import World, session_key_of
from tests.factories import api_secret_for, provision_customer

# Third-party and organisation-less routes; everything else must be in ROUTES.
SKIPPED_PREFIXES = ("accounts/",)  # allauth
# subscriber_consent: a signed token is its only key (no organisation, no sign-in); its own tests hold it.
SKIPPED_NAMES = {"home", "healthz", "openapi", "api_docs", "subscriber_consent"}
# billing_report_file: a billing report's tempDownloadURL, whose signed key is its only credential (no token,
# by the API's design); tests/billing/test_reports_api.py holds it (tampered, expired, deleted: refused).
SKIPPED_NAMES |= {"billing_report_file"}
# firsthour: the invitation's welcome page, keyed like allauth's password reset by a signed token alone.
SKIPPED_NAMES |= {"account_welcome"}
# branding (issue 13): brand_logo serves a logo by its content's SHA-256, public by design (sign-in pages show
# it); tests/branding/test_logos.py holds it.
SKIPPED_NAMES |= {"brand_logo"}
# issue 13: the SCIM endpoint's bearer secret names its organisation (no org id in the URL, no person): its
# routes are a front of their own, with their own table (SCIM_ROUTES, at the end of this module).
SCIM_PREFIX = "scim/"
SKIPPED_PREFIXES += (SCIM_PREFIX,)

FRONTS = {"v1/": "api", "partner/": "partner", "org/": "control", "ops/": "ops"}
FRONT_ORG_KIND = {"partner": "partner", "control": "customer", "ops": "platform"}  # api: any


@dataclass(frozen=True)
class Ids:
    """One organisation and objects of it that URL kwargs can name."""

    org: Organization
    person: User
    token: ApiToken | None = None
    template: str = "no-such-template"  # an onboarding template's provisioningId (partners only)
    customer: str = "no-such-customer"  # a customer's id: the organisation's own, or one a partner manages
    screening_entry: str = "no-such-entry"  # a denied-party list entry (the platform only)
    screening_hold: str = "no-such-hold"  # a customer held by screening (the platform only)
    location: str = "no-such-location"  # a location of the organisation (a partner: of a customer of it)
    number: str = "no-such-number"  # a phone number of that location
    subscriber: str = "no-such-subscriber"  # a subscriber of the customer (a partner: of a customer of it)
    workspace: str = "no-such-workspace"  # a workspace of the customer (a partner: of a customer of it)
    subscriber_import: str = "no-such-import"  # a CSV import of users into the customer
    domain: str = "no-such-domain"  # issue 13: a domain of the customer organisation
    support_request: str = "no-such-request"  # issue 13: a support request of the customer (partner: of one)
    export: str = "no-such-export"  # reliability: a background CSV export the organisation's owner asked for
    subpartner: str = "no-such-subpartner"  # an indirect provider of the partner (issue 9)
    setup_request: str = "no-such-request"  # a sub-partner set-up waiting for the operator (the platform)
    billing_report: str = "no-such-report"  # a billing report of the (customer's) partner
    setup_assist_order: str = "no-such-order"  # a Setup Assist order (the platform's queue)


# A route naming a new kind of object: give Ids a field, fill it for every victim in _build_matrix, add the
# kwarg here (or write the route's own builder in ROUTES).
_KWARG_SOURCES: dict[str, Callable[[Ids], str]] = {
    "org_id": lambda ids: ids.org.webex_id,
    "person_id": lambda ids: ids.person.webex_id,
    "token_id": lambda ids: ids.token.webex_id,
    "template_id": lambda ids: ids.template,
    "customer_id": lambda ids: ids.customer,
    "entry_id": lambda ids: ids.screening_entry,
    "hold_id": lambda ids: ids.screening_hold,
    "location_id": lambda ids: ids.location,
    "number_id": lambda ids: ids.number,
    "subscriber_id": lambda ids: ids.subscriber,
    "workspace_id": lambda ids: ids.workspace,
    "import_id": lambda ids: ids.subscriber_import,
    "domain_id": lambda ids: ids.domain,  # issue 13
    "request_id": lambda ids: ids.support_request,  # issue 13
    "export_id": lambda ids: ids.export,
    "subpartner_id": lambda ids: ids.subpartner,  # issue 9
    "setup_request_id": lambda ids: ids.setup_request,
    "report_id": lambda ids: ids.billing_report,
    "order_id": lambda ids: ids.setup_assist_order,
}


def kwargs_of(*names: str) -> Callable[[Ids], dict[str, str]]:
    unknown = set(names) - set(_KWARG_SOURCES)
    assert not unknown, f"no source for URL kwargs {sorted(unknown)}: extend Ids and _KWARG_SOURCES"

    def build(ids: Ids) -> dict[str, str]:
        return {name: _KWARG_SOURCES[name](ids) for name in names}

    return build


@dataclass(frozen=True)
class Entry:
    build: Callable[[Ids], dict[str, str]]
    post_only: bool = False  # the owner's GET is 405; the positive control POSTs instead
    # The object the URL names is found among those the action reaches (an indirect provider is seen by who
    # may manage indirect providers): an insider without the action gets 404 for it, the organisation's 403
    # being for its pages.
    object_needs_action: bool = False


NONE, ORG, PERSON = kwargs_of(), kwargs_of("org_id"), kwargs_of("person_id")
ORG_PERSON, ORG_TOKEN = kwargs_of("org_id", "person_id"), kwargs_of("org_id", "token_id")
TEMPLATE, ORG_TEMPLATE = kwargs_of("template_id"), kwargs_of("org_id", "template_id")
ORG_CUSTOMER = kwargs_of("org_id", "customer_id")

# Every route of the product → how to fill its URL kwargs with ids of one organisation. API routes name the
# organisation with ?orgId=..., which the matrix always adds.
ROUTES: dict[str, Entry] = {
    "ops:partner_list": Entry(NONE),
    "ops:partner_create": Entry(NONE),
    "ops:audit_list": Entry(NONE),
    "partner:overview": Entry(ORG),
    "partner:customer_list": Entry(ORG),
    "partner:subpartner_list": Entry(ORG),
    "partner:admin_list": Entry(ORG),
    "partner:admin_detail": Entry(ORG_PERSON),
    "partner:admin_remove": Entry(ORG_PERSON, post_only=True),
    "partner:audit_list": Entry(ORG),
    "partner:settings": Entry(ORG),
    "partner:api_token_list": Entry(ORG),
    "partner:api_token_revoke": Entry(ORG_TOKEN, post_only=True),
    "control:overview": Entry(ORG),
    "control:admin_list": Entry(ORG),
    "control:admin_detail": Entry(ORG_PERSON),
    "control:admin_remove": Entry(ORG_PERSON, post_only=True),
    "control:audit_list": Entry(ORG),
    "api_admin_list": Entry(NONE),
    "api_admin_detail": Entry(PERSON),
    "api_admin_customers": Entry(PERSON),
    "api_audit_event_list": Entry(NONE),
    "api_customer_list": Entry(NONE),
    "api_customer_detail": Entry(kwargs_of("customer_id")),
    "api_customer_validate": Entry(NONE, post_only=True),
    "ops:screening_list": Entry(NONE),
    "ops:screening_import": Entry(NONE),
    "ops:screening_template": Entry(NONE),
    "ops:screening_entry_remove": Entry(kwargs_of("entry_id"), post_only=True),
    "ops:screening_review_list": Entry(NONE),
    "ops:screening_review": Entry(kwargs_of("hold_id")),
    "ops:existing_org_create": Entry(NONE),
    "control:attach_request": Entry(ORG),
    "partner:package_list": Entry(ORG),
    "partner:template_list": Entry(ORG),
    "partner:template_create": Entry(ORG),
    "partner:template_detail": Entry(ORG_TEMPLATE),
    "partner:template_edit": Entry(ORG_TEMPLATE),
    "partner:template_delete": Entry(ORG_TEMPLATE),
    "api_onboarding_template_list": Entry(NONE),
    "api_onboarding_template_detail": Entry(TEMPLATE),
    "partner:customer_create": Entry(ORG),
    "partner:customer_export": Entry(ORG),
    "partner:customer_detail": Entry(ORG_CUSTOMER),
    "partner:customer_progress": Entry(ORG_CUSTOMER),
    "partner:customer_packages": Entry(ORG_CUSTOMER),
    "partner:customer_remove": Entry(ORG_CUSTOMER, post_only=True),
    "partner:customer_retry": Entry(ORG_CUSTOMER, post_only=True),  # firsthour: retry provisioning
    "partner:customer_restricted_mode": Entry(ORG_CUSTOMER, post_only=True),
    "partner:customer_setup": Entry(ORG_CUSTOMER),
    "control:restriction_list": Entry(ORG),
    "api_restricted_mode": Entry(kwargs_of("customer_id")),
    "control:user_list": Entry(ORG),
    "control:user_add": Entry(ORG),
    "control:user_export": Entry(ORG),
    "control:user_detail": Entry(kwargs_of("org_id", "subscriber_id")),
    "control:user_package": Entry(kwargs_of("org_id", "subscriber_id")),
    "control:user_remove": Entry(kwargs_of("org_id", "subscriber_id")),
    "control:user_consent_send": Entry(kwargs_of("org_id", "subscriber_id"), post_only=True),
    "control:user_import": Entry(ORG),
    "control:user_import_template": Entry(ORG),
    "control:user_import_detail": Entry(kwargs_of("org_id", "import_id")),
    "control:user_import_errors": Entry(kwargs_of("org_id", "import_id")),
    # issue 12 item 3: refused rows tried again, a stopped import resumed
    "control:user_import_retry": Entry(kwargs_of("org_id", "import_id"), post_only=True),
    "control:user_import_resume": Entry(kwargs_of("org_id", "import_id"), post_only=True),
    "control:location_list": Entry(ORG),
    "control:location_create": Entry(ORG),
    "control:location_detail": Entry(kwargs_of("org_id", "location_id")),
    "control:location_edit": Entry(kwargs_of("org_id", "location_id")),
    "control:location_delete": Entry(kwargs_of("org_id", "location_id")),
    "control:number_add": Entry(kwargs_of("org_id", "location_id")),
    "control:number_release": Entry(kwargs_of("org_id", "number_id"), post_only=True),
    "control:number_delete": Entry(kwargs_of("org_id", "number_id"), post_only=True),
    "api_location_list": Entry(NONE),
    "api_location_detail": Entry(kwargs_of("location_id")),
    "api_location_numbers": Entry(kwargs_of("location_id")),
    "api_number_detail": Entry(kwargs_of("number_id")),
    "control:workspace_list": Entry(ORG),
    "control:workspace_create": Entry(ORG),
    "control:workspace_detail": Entry(kwargs_of("org_id", "workspace_id")),
    "control:workspace_edit": Entry(kwargs_of("org_id", "workspace_id")),
    "control:workspace_remove": Entry(kwargs_of("org_id", "workspace_id")),
    "api_workspace_list": Entry(NONE),
    "api_workspace_detail": Entry(kwargs_of("workspace_id")),
    "api_subscriber_list": Entry(NONE),
    "api_subscriber_validate": Entry(NONE, post_only=True),
    "api_subscriber_detail": Entry(kwargs_of("subscriber_id")),
    "api_subscriber_consent_move": Entry(kwargs_of("subscriber_id"), post_only=True),
    "api_wholesale_subscriber_consent_move": Entry(kwargs_of("subscriber_id"), post_only=True),
    # --- branding (issue 13) ---
    "partner:branding": Entry(ORG),
    "partner:branding_customers": Entry(ORG),
    "partner:customer_branding": Entry(ORG_CUSTOMER),
    "control:branding": Entry(ORG),
    "api_partner_branding": Entry(NONE),
    "api_customer_branding": Entry(kwargs_of("customer_id")),
    # --- organisation settings (issue 13) ---
    "control:account": Entry(ORG),
    "control:org_settings": Entry(ORG),
    "control:email_settings": Entry(ORG, post_only=True),
    "control:auth_settings": Entry(ORG, post_only=True),
    "control:services_settings": Entry(ORG, post_only=True),
    "control:webex_assistant": Entry(ORG, post_only=True),
    "control:domain_list": Entry(ORG),
    "control:domain_verify": Entry(kwargs_of("org_id", "domain_id"), post_only=True),
    "control:domain_claim": Entry(kwargs_of("org_id", "domain_id"), post_only=True),
    "control:user_details": Entry(kwargs_of("org_id", "subscriber_id")),
    "control:calling": Entry(ORG),
    **{
        f"control:calling_{key}": Entry(ORG, post_only=True)
        for key in ("call_priority", "calling_behavior", "pstn", "call_recording", "location_setup")
    },
    "control:user_claim": Entry(ORG),
    "control:auto_assign": Entry(ORG),
    "control:directory_sync": Entry(ORG),
    "control:services_status": Entry(ORG),
    "partner:help": Entry(ORG),
    "partner:support_request_status": Entry(kwargs_of("org_id", "request_id"), post_only=True),
    "control:help": Entry(ORG),
    "ops:support_request_list": Entry(NONE),
    "api_customer_settings": Entry(kwargs_of("customer_id")),
    "api_customer_domains": Entry(kwargs_of("customer_id")),
    # reliability (issue 11): background CSV exports, seen only by the person who asked
    "partner:export_detail": Entry(kwargs_of("org_id", "export_id")),
    "partner:export_download": Entry(kwargs_of("org_id", "export_id")),
    "control:export_detail": Entry(kwargs_of("org_id", "export_id")),
    "control:export_download": Entry(kwargs_of("org_id", "export_id")),
    # --- sub-partners (issue 9) ---
    "partner:subpartner_setup": Entry(ORG),
    "partner:subpartner_status": Entry(kwargs_of("org_id", "subpartner_id"), object_needs_action=True),
    "partner:subpartner_remove": Entry(kwargs_of("org_id", "subpartner_id"), object_needs_action=True),
    "ops:setup_request_list": Entry(NONE),
    "ops:setup_request_decide": Entry(kwargs_of("setup_request_id")),
    "api_subpartner_list": Entry(NONE),
    "api_partner_subpartner_list": Entry(NONE),
    "api_partner_subpartner_detail": Entry(kwargs_of("subpartner_id"), object_needs_action=True),
    # --- billing (issue 10) ---
    "partner:billing_overview": Entry(ORG),
    "partner:billing_report_list": Entry(ORG),
    "partner:billing_report_download": Entry(kwargs_of("org_id", "report_id")),
    "partner:billing_report_delete": Entry(kwargs_of("org_id", "report_id"), post_only=True),
    "partner:billing_statement": Entry(ORG_CUSTOMER),
    "partner:setup_assist_list": Entry(ORG),
    "ops:billing_prices": Entry(NONE),
    "ops:setup_assist_queue": Entry(NONE),
    "ops:setup_assist_advance": Entry(kwargs_of("order_id"), post_only=True),
    "api_billing_report_list": Entry(NONE),
    "api_billing_report_detail": Entry(kwargs_of("report_id")),
    "api_setup_assist_order_list": Entry(NONE),
}


@dataclass(frozen=True)
class Route:
    name: str
    path: str
    front: str | None
    kwargs: frozenset[str]
    callback: Callable


def _kwarg_names(pattern) -> frozenset[str]:
    return frozenset(getattr(pattern.pattern, "converters", None) or {}) | set(
        pattern.pattern.regex.groupindex
    )


def _walk(patterns, prefix: str = "", namespace: str = "", kwargs: frozenset[str] = frozenset()):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(
                pattern.url_patterns, prefix + str(pattern.pattern), inner, kwargs | _kwarg_names(pattern)
            )
        elif isinstance(pattern, URLPattern):
            path = prefix + str(pattern.pattern)
            front = next((f for p, f in FRONTS.items() if path.startswith(p)), None)
            name = f"{namespace}{pattern.name or ''}"
            yield Route(name, path, front, kwargs | _kwarg_names(pattern), pattern.callback)


def discover_routes() -> list[Route]:
    routes = []
    for route in _walk(get_resolver().url_patterns):
        if route.path.startswith(SKIPPED_PREFIXES) or route.name in SKIPPED_NAMES:
            continue
        routes.append(route)
    return routes


ALL_ROUTES = discover_routes()


def entry_for(route: Route) -> Entry:
    """The registry entry, or a failure that says what to add."""
    if route.name.endswith(":") or not route.name:
        pytest.fail(f"/{route.path} has no URL name: name it so it can join the isolation matrix.")
    if route.front is None:
        pytest.fail(f"/{route.path} ({route.name}) is under no known front {sorted(FRONTS)}: teach FRONTS.")
    entry = ROUTES.get(route.name)
    if entry is None:
        pytest.fail(
            f"Route {route.name} (/{route.path}) is not in the isolation matrix: add it to ROUTES in "
            f"tests/test_isolation.py with a builder for its URL kwargs {sorted(route.kwargs) or '(none)'}."
        )
    return entry


def test_every_route_is_in_the_matrix_and_nothing_stale():
    names = {route.name for route in ALL_ROUTES}
    missing = sorted(f"{r.name} (/{r.path})" for r in ALL_ROUTES if r.name not in ROUTES)
    assert not missing, "Routes missing from the isolation matrix (add them to ROUTES): " + ", ".join(missing)
    stale = sorted(set(ROUTES) - names)
    assert not stale, f"ROUTES names routes that no longer exist: {stale}"
    assert {r.front for r in ALL_ROUTES} >= {"api", "partner", "control", "ops"}, "discovery found too little"


# --- The people and the victims ----------------------------------------------------------------------------


@dataclass
class Matrix:
    world: World
    people: dict[str, User]
    ids: dict[str, Ids]  # victim name → its ids
    sessions: dict[str, str]  # person → the key of a session signed in as them
    secrets: dict[str, str]  # person → a bearer token of theirs, every scope (partner people only)

    def client_of(self, name: str, *, api: bool) -> Client:
        """A client of that person: an API client carrying their token, or a page client carrying their
        session. Both were made once for the module (``_signed_in``); a test's writes to them (a session
        cycled, a token's last use) are rolled back with the test's savepoint."""
        if api:
            client = APIClient()
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {self.secrets[name]}")
            return client
        client = Client()
        client.cookies[settings.SESSION_COOKIE_NAME] = self.sessions[name]
        return client


VICTIM_KIND = {
    "platform": "platform",
    "acme": "partner",
    "sibling": "partner",
    "blue_harbor": "customer",
    "cedar_pine": "customer",
    "sibling_customer": "customer",
}

# (attacker, victim): the attacker must not learn that anything of the victim exists.
OUTSIDERS = [
    # (a) another partner's admin: the partner, its customers and people.
    ("globex_admin", "acme"),
    ("globex_admin", "blue_harbor"),
    ("globex_admin", "cedar_pine"),
    ("globex_admin", "platform"),
    # (b) a sub-partner: its parent, the parent's customers, a sibling sub-partner and the sibling's customer.
    ("northwind_admin", "acme"),
    ("northwind_admin", "blue_harbor"),
    ("northwind_admin", "sibling"),
    ("northwind_admin", "sibling_customer"),
    ("northwind_admin", "platform"),
    # (c) a customer admin: another customer of the same partner, and the partner itself.
    ("blue_admin", "cedar_pine"),
    ("blue_admin", "acme"),
    ("blue_admin", "platform"),
    # (d) a partner admin: an acme customer it is not assigned.
    ("acme_partner_admin", "cedar_pine"),
    ("acme_partner_admin", "platform"),
]
# Customer people hold no API tokens (test_only_partner_people_hold_api_tokens): partner people probe /v1/.
API_PROBERS = {"globex_admin", "northwind_admin", "acme_partner_admin"}

# Who legitimately reaches each victim: through its pages, and through the API (operators and customer people
# hold no tokens; a customer is reached through its partner).
PAGE_OWNERS = {
    "platform": "operator",
    "acme": "acme_admin",
    "sibling": "sibling_admin",
    "blue_harbor": "blue_admin",
    "cedar_pine": "cedar_admin",
    "sibling_customer": "sibling_customer_admin",
}
API_OWNERS = {
    "acme": "acme_admin",
    "sibling": "sibling_admin",
    "blue_harbor": "acme_admin",
    "cedar_pine": "acme_admin",
    "sibling_customer": "sibling_admin",
}


def _screening_ids(world: World) -> dict[str, str]:
    """A denied-party list entry and a hold: Initech Ltd (a bystander of the matrix) matches the entry."""
    from apps.screening.services import screening_entry_add, screening_gate

    entry = screening_entry_add(actor=world.operator, name="Initech")
    screening_gate(customer=world.initech)
    return {"screening_entry": str(entry.id), "screening_hold": str(world.initech.screening_hold.id)}


def _location_ids(actor: User, customer, number: str) -> dict[str, str]:
    """A customer's headquarters location, one number of it and its first subscriber (its first
    administrator); a partner victim names its customer's."""
    from apps.locations.models import Location
    from apps.locations.services.numbers import numbers_add
    from apps.subscribers.models import Subscriber

    location = Location.objects.get(org=customer.org, is_headquarters=True)
    added = numbers_add(actor=actor, location=location, phone_numbers=[number])
    subscriber = Subscriber.objects.filter(customer=customer).order_by("created").first()
    return {"location": location.webex_id, "number": added[0].webex_id, "subscriber": subscriber.webex_id}


def _import_id(actor: User, customer) -> str:
    """A CSV import of users into the customer (queued: the matrix's transaction never commits)."""
    from apps.subscribers.services.imports import subscriber_import_create

    data = b"Email,Package\r\nimported@example.com,webex_meetings\r\n"
    return subscriber_import_create(actor=actor, customer=customer, data=data, file_name="users.csv").webex_id


def _export_id(actor: User, org: Organization) -> str:
    """A finished background export of the organisation's list (customers of a partner, users of a
    customer), asked for by ``actor``; the worker's body runs here (the matrix never commits)."""
    from apps.exports.services import export_request, export_run

    if org.is_partner:
        kind, params = "customers", {"search": "", "status": "", "sort": "name"}
    else:
        kind, params = "users", {"search": "", "package": "", "status": "", "sort": "name"}
    export = export_request(actor=actor, org=org, kind=kind, params=params, file_name="export.csv")
    export_run(export_id=export.pk)
    return export.webex_id


def _workspace_id(actor: User, customer, extension: str) -> str:
    """A workspace of the customer, which first gets Common Area Calling (its update task runs)."""
    from apps.provisioning.services.provisioning import customer_update_request
    from apps.subscribers.services.workspaces import workspace_create

    codes = sorted(set(customer.packages.values_list("code", flat=True)) | {"common_area_calling"})
    with TestCase.captureOnCommitCallbacks(execute=True):
        customer_update_request(actor=actor, customer=customer, packages=codes)
    customer.refresh_from_db()
    return workspace_create(actor=actor, customer=customer, name="Lobby", extension=extension).webex_id


def _setup_request_id(world: World) -> str:
    """A sub-partner set-up of Acme waiting in the operator's queue (the policy asks for approval)."""
    from apps.subpartners.services import setup_policy_update, subpartner_setup

    setup_policy_update(actor=world.operator, needs_approval=True)
    setup = subpartner_setup(
        actor=world.acme_admin, parent=world.acme, name="Eastwind Reseller", admin_email="admin@eastwind.test"
    )
    setup_policy_update(actor=world.operator, needs_approval=False)
    return str(setup.id)


def _billing_ids(actor: User, partner: Organization, customer) -> dict[str, str]:
    """A completed billing report of the partner, and a Setup Assist order for its customer (billing)."""
    from datetime import timedelta

    from apps.billing.services.reports import billing_report_build, billing_report_create, utc_today
    from apps.billing.services.setup_assist import earliest_completion, setup_assist_order
    from apps.locations.models import Location

    day = str(utc_today() - timedelta(days=1))
    report = billing_report_create(actor=actor, partner=partner, start=day, end=day)
    billing_report_build(report_id=report.pk)
    order = setup_assist_order(
        actor=actor,
        customer=customer,
        location=Location.objects.get(org=customer.org, is_headquarters=True),
        wanted_completion=earliest_completion(utc_today()),
    )
    return {"billing_report": report.webex_id, "setup_assist_order": str(order.pk)}


def _build_matrix(world: World) -> Matrix:
    sibling = partner_create(
        actor=world.operator, parent=world.acme, name="Southwind Reseller", admin_email="admin@southwind.test"
    )
    sibling_admin = user_get_by_email(email="admin@southwind.test")
    sibling_customer = provision_customer(
        actor=sibling_admin, partner=sibling, name="Sunrise Florist", admin_email="admin@sunrise.test"
    )
    people = {name: value for name, value in vars(world).items() if isinstance(value, User)}
    people["sibling_admin"] = sibling_admin
    people["sibling_customer_admin"] = user_get_by_email(email="admin@sunrise.test")

    def token(user: User) -> ApiToken:
        return api_token_create(actor=user, name="victim's token", scopes=ApiScope.values)[0]

    def template(user: User, partner: Organization) -> str:
        return template_create(
            actor=user, partner=partner, name="victim's template", country="US", language="en_US"
        ).provisioning_id

    blue_numbers = _location_ids(world.acme_admin, world.blue_harbor, "+14155551001")
    sibling_numbers = _location_ids(sibling_admin, sibling_customer, "+14155551003")
    blue_numbers["workspace"] = _workspace_id(world.acme_admin, world.blue_harbor, "7001")
    sibling_numbers["workspace"] = _workspace_id(sibling_admin, sibling_customer, "7003")
    acme_billing = _billing_ids(world.acme_admin, world.acme, world.blue_harbor)  # billing (issue 10)
    sibling_billing = _billing_ids(sibling_admin, sibling, sibling_customer)
    blue_numbers["billing_report"] = acme_billing["billing_report"]
    sibling_numbers["billing_report"] = sibling_billing["billing_report"]
    ids = {
        "platform": Ids(
            world.platform,
            world.operator,
            setup_request=_setup_request_id(world),
            **_screening_ids(world),
            setup_assist_order=acme_billing["setup_assist_order"],
        ),
        "acme": Ids(
            world.acme,
            world.acme_admin,
            token(world.acme_admin),
            template(world.acme_admin, world.acme),
            customer=world.blue_harbor.webex_id,
            export=_export_id(world.acme_admin, world.acme),
            subpartner=sibling.webex_id,
            **blue_numbers,
        ),
        "sibling": Ids(
            sibling,
            sibling_admin,
            token(sibling_admin),
            template(sibling_admin, sibling),
            customer=sibling_customer.webex_id,
            export=_export_id(sibling_admin, sibling),
            subpartner=sibling.webex_id,  # its own id: in scope, and no indirect provider of itself (403)
            **sibling_numbers,
        ),
        "blue_harbor": Ids(
            world.blue_harbor.org,
            world.blue_admin,
            subpartner=world.blue_harbor.org.webex_id,  # its own id: no indirect provider of itself (403)
            customer=world.blue_harbor.webex_id,
            subscriber_import=_import_id(world.acme_admin, world.blue_harbor),
            export=_export_id(world.blue_admin, world.blue_harbor.org),
            **blue_numbers,
        ),
        "cedar_pine": Ids(
            world.cedar_pine.org,
            world.cedar_admin,
            subpartner=world.cedar_pine.org.webex_id,  # its own id: no indirect provider of itself (403)
            customer=world.cedar_pine.webex_id,
            subscriber_import=_import_id(world.acme_admin, world.cedar_pine),
            export=_export_id(world.cedar_admin, world.cedar_pine.org),
            workspace=_workspace_id(world.acme_admin, world.cedar_pine, "7002"),
            billing_report=acme_billing["billing_report"],
            **_location_ids(world.acme_admin, world.cedar_pine, "+14155551002"),
        ),
        "sibling_customer": Ids(
            sibling_customer.org,
            people["sibling_customer_admin"],
            subpartner=sibling_customer.org.webex_id,  # its own id: no indirect provider of itself (403)
            customer=sibling_customer.webex_id,
            subscriber_import=_import_id(sibling_admin, sibling_customer),
            export=_export_id(people["sibling_customer_admin"], sibling_customer.org),
            **sibling_numbers,
        ),
    }
    # issue 13: a domain of every customer victim (a partner victim has none).
    from apps.customers.services import domain_add

    for name, admin in (("blue_harbor", world.acme_admin), ("cedar_pine", world.acme_admin)) + (
        ("sibling_customer", sibling_admin),
    ):
        domain = domain_add(actor=admin, org=ids[name].org, name=f"{name.replace('_', '')}.test")
        ids[name] = replace(ids[name], domain=str(domain.pk))
    # ... and a support request of each, which its partner victim names too.
    from apps.support.services import support_request_open

    for name, partner in (("blue_harbor", "acme"), ("sibling_customer", "sibling"), ("cedar_pine", None)):
        opened = support_request_open(
            actor=ids[name].person, org=ids[name].org, subject="Help", description="x"
        )
        ids[name] = replace(ids[name], support_request=str(opened.pk))
        if partner:
            ids[partner] = replace(ids[partner], support_request=str(opened.pk))
    return Matrix(world, people, ids, *_signed_in(people))


def _signed_in(people: dict[str, User]) -> tuple[dict[str, str], dict[str, str]]:
    """A session and (for whoever may hold one) a token per person, made once for the module: signing in a
    client for each of ~1,600 tests cost 15 queries each (two sessions written, the last sign-in)."""
    sessions, secrets = {}, {}
    for name, person in people.items():
        sessions[name] = session_key_of(person)
        with contextlib.suppress(PermissionDenied):  # only partner people hold tokens (test_only_partner_...)
            secrets[name] = api_secret_for(person)
    return sessions, secrets


@pytest.fixture(scope="module")
def matrix(shared_world):
    """The session's world and the victims built on it for this module, in a savepoint rolled back at its end;
    every test runs in a savepoint of that (the ``db`` fixture), so writes made by one case never reach the
    next."""
    with shared_world.layer() as world:
        yield _build_matrix(world)


# --- Requests ----------------------------------------------------------------------------------------------


def methods_of(route: Route) -> list[str]:
    """GET and every write method: pages always (the organisation check precedes method dispatch), API views
    the methods their class implements."""
    view_class = getattr(route.callback, "view_class", None) or getattr(route.callback, "cls", None)
    if route.front != "api" or view_class is None:
        return ["get", "post"]
    actions = getattr(route.callback, "actions", None)  # DRF viewsets
    implemented = (
        set(actions) if actions else {m for m in view_class.http_method_names if hasattr(view_class, m)}
    )
    return [m for m in ("get", "post", "put", "patch", "delete") if m in implemented]


def url_for(route: Route, path_ids: Ids, org_ids: Ids | None) -> str:
    kwargs = ROUTES[route.name].build(path_ids)
    if set(kwargs) != route.kwargs:
        pytest.fail(
            f"ROUTES[{route.name!r}] fills {sorted(kwargs)} but /{route.path} takes {sorted(route.kwargs)}."
        )
    url = reverse(route.name, kwargs=kwargs)
    if route.front == "api" and org_ids is not None:
        url += f"?orgId={org_ids.org.webex_id}"
    return url


def send(client, route: Route, method: str, url: str):
    if route.front == "api":
        if method == "get":
            return client.get(url)
        return getattr(client, method)(url, {}, format="json")
    return getattr(client, method)(url, {}) if method == "post" else client.get(url)


def _cases():
    for route in ALL_ROUTES:
        for attacker, victim in OUTSIDERS:
            if route.front == "api" and attacker not in API_PROBERS:
                continue
            if route.front in FRONT_ORG_KIND and FRONT_ORG_KIND[route.front] != VICTIM_KIND[victim]:
                continue
            yield pytest.param(route, attacker, victim, id=f"{route.name}|{attacker}->{victim}")


@pytest.mark.parametrize(("route", "attacker", "victim"), list(_cases()))
def test_outsiders_get_404(matrix, db, route, attacker, victim):
    entry_for(route)
    actor, ids = matrix.people[attacker], matrix.ids[victim]
    client = matrix.client_of(attacker, api=route.front == "api")
    # The victim's ids throughout; and, where the route names objects besides the organisation, the attacker's
    # own organisation (where it may do everything) with the victim's objects: the object alone must 404.
    urls = [url_for(route, ids, ids)]
    object_kwargs = route.kwargs - {"org_id"}
    home_fits = route.front == "api" or FRONT_ORG_KIND.get(route.front) == actor.org.kind
    if object_kwargs and home_fits and Role.FULL_ADMIN in roles_of(actor):
        urls.append(url_for(route, replace(ids, org=actor.org), None))
    secrets = {ids.org.name, escape(ids.org.name), ids.person.email}
    events_before = AuditEvent.objects.filter(actor=actor).count()
    failures = []
    for n, url in enumerate(urls):
        for method in methods_of(route):
            if n and method == "get" and ROUTES[route.name].post_only:
                continue  # own organisation: 405 comes before the object lookup and names nothing
            response = send(client, route, method, url)
            if response.status_code != 404:
                failures.append(f"{method.upper()} {url} → {response.status_code}")
            elif any(secret in response.content.decode() for secret in secrets):
                failures.append(f"{method.upper()} {url} → 404 naming {victim}")
    assert not failures, f"{attacker} must get 404 on {route.name} of {victim}:\n  " + "\n  ".join(failures)
    assert AuditEvent.objects.filter(actor=actor).count() == events_before, f"{attacker} wrote something"


def _owner_cases():
    for route in ALL_ROUTES:
        for victim, kind in VICTIM_KIND.items():
            if route.front == "api":
                owner = API_OWNERS.get(victim)
            elif FRONT_ORG_KIND.get(route.front) == kind:
                owner = PAGE_OWNERS[victim]
            else:
                owner = None
            if owner is not None:
                yield pytest.param(route, owner, victim, id=f"{route.name}|{owner}->{victim}")


# Owners that the role table refuses (403: in scope, not allowed) rather than lets through, and why.
OWNER_REFUSED = {
    ("partner:subpartner_list", "sibling"): "a sub-partner has no indirect providers of its own",
    **{
        (route, victim): "a sub-partner (or a customer) has no indirect providers of its own"
        for route in (
            "partner:subpartner_setup",
            "partner:subpartner_status",
            "partner:subpartner_remove",
            "api_subpartner_list",
            "api_partner_subpartner_list",
            "api_partner_subpartner_detail",
        )
        for victim in ("sibling", "blue_harbor", "cedar_pine", "sibling_customer")
    },
    **{
        (route, customer): "onboarding templates belong to partners, not to customer organisations"
        for route in ("api_onboarding_template_list", "api_onboarding_template_detail")
        for customer in ("blue_harbor", "cedar_pine", "sibling_customer")
    },
    **{
        (route, customer): "restricted-by-partner mode (on by default) takes provisioning from them"
        for route in (
            "control:user_add",
            "control:user_package",
            "control:user_remove",
            "control:user_consent_send",
            "control:user_import_retry",
            "control:user_import_resume",
        )
        for customer in ("blue_harbor", "cedar_pine", "sibling_customer")
    },
    **{
        (route, customer): "the number inventory is partner people's: customer admins never manage it"
        for route in ("control:number_add", "control:number_delete")
        for customer in ("blue_harbor", "cedar_pine", "sibling_customer")
    },
    **{
        (route, customer): "restricted-by-partner mode (on by default) takes workspace provisioning from them"
        for route in ("control:workspace_create", "control:workspace_edit", "control:workspace_remove")
        for customer in ("blue_harbor", "cedar_pine", "sibling_customer")
    },
    # branding (issue 13)
    **{
        ("control:branding", customer): "the partner has not allowed its customer to override the brand"
        for customer in ("blue_harbor", "cedar_pine", "sibling_customer")
    },
    **{
        (route, customer): "restricted-by-partner mode (on by default) takes this organisation setting"
        for route in (
            "control:email_settings",
            "control:auth_settings",
            "control:services_settings",
            "control:domain_verify",
            "control:domain_claim",
            "control:calling_call_priority",
            "control:calling_calling_behavior",
            "control:calling_pstn",
            "control:calling_call_recording",
            "control:calling_location_setup",
            "control:user_claim",
            "control:auto_assign",
            "control:services_status",
        )
        for customer in ("blue_harbor", "cedar_pine", "sibling_customer")
    },
}


@pytest.mark.parametrize(("route", "owner", "victim"), list(_owner_cases()))
def test_the_owner_gets_through(matrix, db, route, owner, victim):
    """The positive control: the same ids that 404 for outsiders work for the organisation's own admin."""
    entry = entry_for(route)
    ids = matrix.ids[victim]
    client = matrix.client_of(owner, api=route.front == "api")
    url = url_for(route, ids, ids)
    response = send(client, route, "get", url)
    if (route.name, victim) in OWNER_REFUSED:
        assert response.status_code == 403, f"{owner}: GET {url} → {response.status_code}"
        return
    if not entry.post_only:
        assert response.status_code == 200, f"{owner}: GET {url} → {response.status_code}"
        return
    assert response.status_code == 405, (
        f"{route.name} is marked post_only but GET {url} → {response.status_code}"
    )
    response = send(client, route, "post", url)  # an empty body may be refused, but only after the scope
    assert response.status_code < 500 and response.status_code not in (401, 403, 404, 405), (
        f"{owner}: POST {url} → {response.status_code}"
    )


def test_only_partner_people_hold_api_tokens(matrix, db):
    """Why API_PROBERS holds partner people only: nobody else can hold a token."""
    for name in ("blue_admin", "cedar_admin", "operator"):
        with pytest.raises(PermissionDenied):
            api_token_create(actor=matrix.people[name], name="probe", scopes=ApiScope.values)


# --- The four ways in (testworld): anonymous, outsider (above), insider without the permission, owner -------
# Anonymous visitors are sent to sign in (pages) or answered 401 (API), whatever the route and the method.
# Insiders without the permission (read-only administrators) are answered 403 on every write, and on the
# reads their roles do not cover; nothing is written in their name. The owner gets through (above) and makes
# one real write per resource (WRITES below).

# The victim whose own ids an anonymous visitor or an insider tries, per front.
HOME_VICTIM = {"api": "acme", "partner": "acme", "control": "blue_harbor", "ops": "platform"}
# The read-only administrator of each organisation that has one (API: a partner's, with a token).
READ_ONLY = {"acme": "acme_readonly", "blue_harbor": "blue_readonly"}


def _anonymous_cases():
    for route in ALL_ROUTES:
        yield pytest.param(route, id=route.name)


@pytest.mark.parametrize("route", list(_anonymous_cases()))
def test_anonymous_visitors_are_sent_to_sign_in(matrix, db, route):
    from tests.contract.openapi_contract import assert_webex_error

    entry_for(route)
    ids = matrix.ids[HOME_VICTIM[route.front]]
    url = url_for(route, ids, ids)
    client = APIClient() if route.front == "api" else Client()
    login = reverse(settings.LOGIN_URL)
    failures = []
    for method in methods_of(route):
        response = send(client, route, method, url)
        if route.front == "api":
            if response.status_code != 401:
                failures.append(f"{method.upper()} {url} → {response.status_code}")
            else:
                assert_webex_error(response)
        elif response.status_code != 302 or not response["Location"].startswith(login):
            failures.append(f"{method.upper()} {url} → {response.status_code} {response.get('Location', '')}")
    assert not failures, f"anonymous on {route.name}:\n  " + "\n  ".join(failures)


def _page_target_org(world: World, route: Route, ids: Ids) -> Organization:
    """The organisation whose actions the page guard weighs: a customer's own, from Partner Hub."""
    on_object = getattr(route.callback, "hub_on_object", True)
    if route.front == "partner" and "customer_id" in route.kwargs and on_object:
        customers = (world.blue_harbor, world.cedar_pine, world.riverside, world.initech)
        return next(c.org for c in customers if c.webex_id == ids.customer)
    return ids.org


def _insider_cases():
    for route in ALL_ROUTES:
        victim = HOME_VICTIM[route.front]
        if victim in READ_ONLY:
            yield pytest.param(route, READ_ONLY[victim], victim, id=f"{route.name}|{READ_ONLY[victim]}")


def _declared_actions(route: Route) -> dict[str, object]:
    """method → the action the route declares for it: a page through ``hub_page`` (reads, writes), an API view
    through ``GuardedApi`` (``read_action``, ``write_action``)."""
    view_class = getattr(route.callback, "cls", None)
    if route.front == "api":
        assert view_class is not None and hasattr(view_class, "write_action"), (
            f"{route.name}: not a GuardedApi"
        )
        return {
            m: view_class.read_action if m == "get" else view_class.write_action for m in methods_of(route)
        }
    declared = getattr(route.callback, "hub_actions", None)
    assert declared, f"{route.name} is a page without hub_page(): declare the action it needs"
    return {"get": declared[0], "post": declared[1]}


@pytest.mark.parametrize(("route", "insider", "victim"), list(_insider_cases()))
def test_insiders_without_the_permission_get_403(matrix, db, route, insider, victim):
    """Every page and endpoint declares the action each method needs; an insider who lacks it is answered 403
    (not 404: the organisation is theirs), one who holds it is let through."""
    from apps.accounts.permissions import may

    entry_for(route)
    actor, ids = matrix.people[insider], matrix.ids[victim]
    org = _page_target_org(matrix.world, route, ids)
    client = matrix.client_of(insider, api=route.front == "api")
    url = url_for(route, ids, ids)
    events_before = AuditEvent.objects.filter(actor=actor).count()
    failures = []
    declared = _declared_actions(route)
    for method, action in declared.items():
        if method == "get" and ROUTES[route.name].post_only:
            continue
        status = send(client, route, method, url).status_code
        allowed = may(actor, action, org)
        if status == 400 and route.name in {w.route for w in WRITES if w.method == method}:
            continue  # the organisation is named in the body (InBody): WRITES sends a real one
        if status == 404 and not allowed and ROUTES[route.name].object_needs_action:
            continue
        if (status == 403) == allowed or (status == 404 and not allowed):
            expected = "through" if allowed else "403"
            failures.append(f"{method.upper()} {url} ({action}) → {status}, expected {expected}")
    assert not failures, f"{insider} on {route.name}:\n  " + "\n  ".join(failures)
    if not any(may(actor, action, org) for action in declared.values() if action):
        assert AuditEvent.objects.filter(actor=actor).count() == events_before, f"{insider} wrote something"


@dataclass(frozen=True)
class Write:
    """One real write of a resource through the API, by the owner (it succeeds) and by a read-only insider
    (403, nothing written)."""

    route: str
    method: str
    body: Callable[[Ids], dict]
    victim: str = "acme"  # whose ids fill the URL (the API is driven by the partner's people)


def _new_subscriber(ids: Ids) -> dict:
    return {
        "customerId": ids.customer,
        "email": "matrix@blueharbor.test",
        "packages": ["webex_calling"],
        "provisioningParameters": {"firstName": "Matrix", "lastName": "Row", "extension": "7998"},
    }


WRITES = [
    Write(
        "api_onboarding_template_list",
        "post",
        lambda ids: {"name": "Matrix", "country": "US", "language": "en"},
    ),
    Write("api_restricted_mode", "put", lambda ids: {"enabled": False}),
    Write("api_location_numbers", "post", lambda ids: {"phoneNumbers": ["+14155551299"]}),
    Write(
        "api_workspace_list",
        "post",
        lambda ids: {"customerId": ids.customer, "name": "Door", "extension": "7999"},
    ),
    Write("api_subscriber_list", "post", lambda ids: _new_subscriber(ids)),
    Write("api_subscriber_validate", "post", lambda ids: _new_subscriber(ids)),
    Write("api_admin_detail", "put", lambda ids: {"roles": ["full_admin", "partner_full_admin"]}),
]


@pytest.mark.parametrize("write", WRITES, ids=lambda w: f"{w.route}|{w.method}")
@pytest.mark.parametrize("person", ["acme_readonly", "acme_admin"])
def test_one_real_write_per_resource(matrix, db, api_client, write, person):
    route = next(r for r in ALL_ROUTES if r.name == write.route)
    ids = matrix.ids[write.victim]
    url = url_for(route, ids, ids)
    client = api_client(matrix.people[person])
    events = AuditEvent.objects.filter(actor=matrix.people[person])
    events_before = events.count()
    response = getattr(client, write.method)(url, write.body(ids), format="json")
    if person in READ_ONLY.values():
        assert response.status_code == 403, f"{person}: {write.method.upper()} {url} → {response.status_code}"
        assert events.count() == events_before, f"{person} wrote something"
    else:
        assert response.status_code in (200, 201, 202, 204), (
            f"{person}: {write.method.upper()} {url} → {response.status_code} {response.content[:300]!r}"
        )


# --- SCIM (issue 13): the bearer secret is the organisation ------------------------------------------------
# No organisation in the URL and nobody signed in: the secret names the organisation, and its writes are made
# in the name of the admin who turned SCIM on. Every route under /scim/ is listed here with a builder for its
# URL kwargs, and every method its guard (``scim_view``) answers is tried four ways: anonymous (401), another
# organisation's secret (404 for a victim's user, never a victim's user in a list), a secret whose admin may
# no longer synchronise the directory (403) and the organisation's own (through). The discovery documents
# are answered without a secret: they must be the same bytes whoever asks, and name no organisation.

SCIM_USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
SCIM_ROUTES: dict[str, Callable[[Ids], dict[str, str]]] = {
    "scim_users": lambda ids: {},
    "scim_user": lambda ids: {"user_id": ids.subscriber},
    "scim_service_provider_config": lambda ids: {},
    "scim_resource_types": lambda ids: {},
    "scim_resource_type": lambda ids: {"type_id": "User"},
    "scim_schemas": lambda ids: {},
    "scim_schema": lambda ids: {"schema_id": SCIM_USER_SCHEMA},
}
# Who turns SCIM on for each customer victim (its partner's admin: restricted-by-partner mode, on by default,
# takes directory synchronisation from customer admins).
SCIM_ENABLERS = {"blue_harbor": "acme_admin", "cedar_pine": "acme_admin", "sibling_customer": "sibling_admin"}
SCIM_OUTSIDERS = [
    ("cedar_pine", "blue_harbor"),  # another customer of the same partner
    ("sibling_customer", "blue_harbor"),  # a customer of a sub-partner
    ("blue_harbor", "cedar_pine"),
    ("blue_harbor", "sibling_customer"),
]
SCIM_ROUTES_FOUND = [r for r in _walk(get_resolver().url_patterns) if r.path.startswith(SCIM_PREFIX)]


def _scim_route(name: str) -> Route:
    return next(r for r in SCIM_ROUTES_FOUND if r.name == name)


def _scim_url(route: Route, ids: Ids) -> str:
    kwargs = SCIM_ROUTES[route.name](ids)
    assert set(kwargs) == route.kwargs, f"SCIM_ROUTES[{route.name!r}] fills {sorted(kwargs)}"
    return reverse(route.name, kwargs=kwargs)


def _scim_send(client: Client, method: str, url: str, ids: Ids):
    """One request of ``method``, with a body an owner's request would carry (the user as it is, a no-op
    PATCH, a new person)."""
    person = Subscriber.objects.filter(customer__org=ids.org).order_by("created").first()
    bodies = {
        "post": {"userName": f"matrix-scim@{ids.org.pk}.test"},
        "put": {"userName": person.email},
        "patch": {"Operations": [{"op": "replace", "path": "active", "value": True}]},
    }
    if method in bodies:
        return getattr(client, method)(url, bodies[method], content_type="application/scim+json")
    return getattr(client, method)(url)


def _scim_secret(matrix: Matrix, victim: str, enabler: str | None = None) -> Client:
    from apps.directory.services import scim_enable

    person = matrix.people[enabler or SCIM_ENABLERS[victim]]
    return Client(HTTP_AUTHORIZATION=f"Bearer {scim_enable(actor=person, org=matrix.ids[victim].org)}")


def _scim_cases(*, authenticated: bool, naming_a_victim: bool = False):
    for route in SCIM_ROUTES_FOUND:
        if route.name in SCIM_ROUTES and route.callback.scim_authenticated is authenticated:
            for method in route.callback.scim_methods:
                # A POST of users names no victim: it adds to the secret's own organisation.
                if naming_a_victim and (route.name, method) == ("scim_users", "POST"):
                    continue
                yield pytest.param(route, method.lower(), id=f"{route.name}|{method}")


def test_every_scim_route_is_in_the_scim_matrix_and_guarded():
    names = {route.name for route in SCIM_ROUTES_FOUND}
    differ = sorted(names ^ set(SCIM_ROUTES))
    assert not differ, f"SCIM routes missing from SCIM_ROUTES, or stale there: {differ}"
    for route in SCIM_ROUTES_FOUND:
        assert getattr(route.callback, "scim_methods", None), f"{route.name} is not guarded by scim_view()"


@pytest.mark.parametrize(("route", "method"), list(_scim_cases(authenticated=True)))
def test_scim_without_a_secret_is_401(matrix, db, route, method):
    ids = matrix.ids["blue_harbor"]
    url = _scim_url(route, ids)
    for client in (Client(), Client(HTTP_AUTHORIZATION="Bearer scim_not-a-secret")):
        response = _scim_send(client, method, url, ids)
        assert response.status_code == 401 and response.json()["status"] == "401", response.content


@pytest.mark.parametrize(("route", "method"), list(_scim_cases(authenticated=True, naming_a_victim=True)))
@pytest.mark.parametrize(("attacker", "victim"), SCIM_OUTSIDERS, ids=lambda org: org)
def test_scim_another_organisations_secret_never_reaches_the_victims_users(
    matrix, db, route, method, attacker, victim
):
    ids = matrix.ids[victim]
    client = _scim_secret(matrix, attacker)
    person = Subscriber.objects.filter(customer__org=ids.org).order_by("created").first()
    events_before = AuditEvent.objects.count()
    url = _scim_url(route, ids)
    if route.name == "scim_users":
        listed = client.get(url, {"filter": f'userName eq "{person.email}"'}).json()
        assert listed["totalResults"] == 0
        assert person.email not in client.get(url).content.decode()
    else:
        response = _scim_send(client, method, url, ids)
        assert response.status_code == 404, f"{method.upper()} {url} → {response.status_code}"
        assert ids.org.name not in response.content.decode() and person.email not in response.content.decode()
    assert Subscriber.objects.filter(pk=person.pk, email=person.email).exists()
    assert AuditEvent.objects.count() == events_before, f"{attacker}'s secret wrote something"


@pytest.mark.parametrize(("route", "method"), list(_scim_cases(authenticated=True)))
def test_scim_a_secret_whose_admin_may_no_longer_synchronise_is_403(matrix, db, route, method):
    """Turned on by Blue Harbor's own admin while restricted-by-partner mode was off; the mode back on takes
    directory synchronisation from them, and with it every request of their secret."""
    from apps.restrictions.services import restricted_mode_set

    customer, ids = matrix.world.blue_harbor, matrix.ids["blue_harbor"]
    restricted_mode_set(actor=matrix.people["acme_admin"], customer=customer, enabled=False)
    client = _scim_secret(matrix, "blue_harbor", enabler="blue_admin")
    restricted_mode_set(actor=matrix.people["acme_admin"], customer=customer, enabled=True)
    events_before = AuditEvent.objects.count()
    response = _scim_send(client, method, _scim_url(route, ids), ids)
    assert response.status_code == 403, f"{method.upper()} → {response.status_code}"
    assert AuditEvent.objects.count() == events_before, "a refused secret wrote something"


@pytest.mark.parametrize(("route", "method"), list(_scim_cases(authenticated=True)))
@pytest.mark.parametrize("victim", list(SCIM_ENABLERS))
def test_scim_the_organisations_own_secret_gets_through(matrix, db, route, method, victim):
    ids = matrix.ids[victim]
    response = _scim_send(_scim_secret(matrix, victim), method, _scim_url(route, ids), ids)
    # Its body may be refused (no auto-assigned licence, an administrator kept), but only after the scope.
    assert response.status_code < 500 and response.status_code not in (401, 403, 404, 405), (
        f"{method.upper()} → {response.status_code} {response.content[:300]!r}"
    )
    if method == "get":
        assert response.status_code == 200


@pytest.mark.parametrize(("route", "method"), list(_scim_cases(authenticated=False)))
def test_scim_discovery_is_the_same_for_everyone_and_names_nobody(matrix, db, route, method):
    url = _scim_url(route, matrix.ids["blue_harbor"])
    anonymous = Client().get(url)
    assert anonymous.status_code == 200
    for victim in SCIM_ENABLERS:
        assert _scim_secret(matrix, victim).get(url).content == anonymous.content
        assert matrix.ids[victim].org.name not in anonymous.content.decode()
