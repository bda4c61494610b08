"""The API lists whose pages are compiled once per shape (``core.compiled.CompiledList``):
``GET /v1/wholesale/customers``, ``/v1/wholesale/subscribers``, ``/v1/partner/locations``, a location's
numbers, ``/v1/partner/workspaces`` and ``/v1/partner/auditEvents``. For every persona of the test world, as
seen from every partner, and every filter, sort and page form the API takes, a compiled page answers exactly
what the list's own queryset answers, paged as the API paged it before (``page_slice`` at an offset,
``rows_after`` after a cursor): the same rows, in the same order. The personas run one after another in one
process, so a compiled query that served another scope, filter or page form than its own would show here."""

import datetime
from dataclasses import fields

import pytest
from django.db.models import F
from django.utils import timezone

from apps.accounts.models import User
from apps.accounts.selectors import audit_events_for_api, orgs_visible_to
from apps.core import pagination
from apps.core.compiled import BoundList
from apps.core.ids import IdType, encode_id
from apps.core.keyset import rows_after
from apps.core.models import AuditEvent, Organization
from apps.core.selectors import audit_filter_lookups
from apps.customers.selectors import customers_for_api
from apps.locations.models import Location
from apps.locations.selectors import locations_for_api, numbers_for_api
from apps.locations.services.numbers import number_assign, numbers_add
from apps.onboarding.models import OnboardingTemplate
from apps.subscribers.models import Subscriber, Workspace
from apps.subscribers.selectors.subscribers import subscriber_rows_for_api
from apps.subscribers.selectors.workspaces import workspaces_for_api
from tests.bench.seed import bulk_customers, bulk_subscribers
from tests.conftest import fresh

DEEP = 4  # pages from this offset on read their keys first (``page_slice``), as from DEEP_OFFSET


@pytest.fixture
def lists(world, monkeypatch):
    """The world with a few more customers (ties in ``created``) and subscribers (some never changed status,
    some in error), and deep pages from offset ``DEEP``."""
    bulk_customers(world.acme, OnboardingTemplate.objects.get(partner=world.acme), 10, 7)
    bulk_subscribers(world.blue_harbor, "blue", 9)
    bulk_subscribers(world.cedar_pine, "cedar", 4)
    some = Subscriber.objects.filter(email__startswith="blue").order_by("email")
    Subscriber.objects.filter(pk__in=some.values("pk")[:3]).update(status_changed=None)
    Subscriber.objects.filter(pk__in=some.values("pk")[5:7]).update(
        status="error", status_changed=F("status_changed") + datetime.timedelta(minutes=1)
    )
    monkeypatch.setattr(pagination, "DEEP_OFFSET", DEEP)
    return world


def _personas(world) -> list[User]:
    return [fresh(getattr(world, f.name)) for f in fields(world) if isinstance(getattr(world, f.name), User)]


def _partners(world) -> list:
    return [world.acme, world.northwind, world.globex]


def _reference(bound: BoundList, *, offset: int, limit: int, cursor: str | None) -> list:
    """The page as the paginator read it from the list's queryset before it was compiled."""
    qs = bound.queryset()
    following = rows_after(qs, cursor) if cursor else None
    if following is not None:
        return list(following[:limit])
    return list(pagination.page_slice(qs, offset, offset + limit))


def _pages_agree(bound: BoundList) -> int:
    """Every page form of the list agrees with its queryset; the number of rows compared."""
    compared = 0
    for limit, offset in ((100, 0), (2, 0), (2, 1), (3, DEEP), (2, DEEP + 3), (3, 50)):
        mine = bound.page(offset=offset, limit=limit)
        assert _plain(mine) == _plain(_reference(bound, offset=offset, limit=limit, cursor=None))
        compared += len(mine)
        if limit == 100:  # the next page by cursor, after some rows of the whole list (ties and NULLs too)
            for row in mine[:: max(1, len(mine) // 4)]:
                cursor = bound.cursor_after(row)
                assert cursor is not None
                mine_after = bound.page(offset=1, limit=3, cursor=cursor)
                assert _plain(mine_after) == _plain(_reference(bound, offset=1, limit=3, cursor=cursor))
                compared += len(mine_after)
    return compared


AROUND = ("packages_json", "phone_number", "extension")  # what compiled pages add on PostgreSQL (around=)


def _plain(rows: list) -> list:
    """The rows as the list's queryset reads them (what the compiled page adds on PostgreSQL aside)."""
    return [{k: v for k, v in row.items() if k not in AROUND} for row in rows]


def test_compiled_customer_pages_are_the_lists_pages_for_every_persona(lists):
    world = lists
    filters = [
        {},
        {"external_id": "BENCH-00012"},
        {"external_id": "NOBODY"},
        {"org": world.blue_harbor.org},
        {"org": world.riverside.org},
        {"statuses": ["provisioned"]},
        {"statuses": ["error", "provisioned"]},
        {"statuses": ["error"], "external_id": "BENCH-00010"},
    ]
    compared = 0
    for actor in _personas(world):
        for partner in _partners(world):
            for given in filters:
                bound = customers_for_api(actor=actor, partner=partner, **given)
                compared += _pages_agree(bound)
    assert compared > 300


def test_compiled_subscriber_pages_are_the_lists_pages_for_every_persona(lists):
    world = lists
    blue = world.blue_harbor
    person = Subscriber.objects.filter(customer=blue, user__isnull=False).order_by("email").first()
    moment = Subscriber.objects.filter(email__startswith="blue").order_by("created").first().created
    filters = [
        {},
        {"customer_id": blue.webex_id},
        {"customer_id": encode_id(IdType.CUSTOMER, world.initech.pk)},
        {"customer_id": "not-an-id"},
        {"external_customer_id": blue.external_id or "x"},
        {"org": blue.org},
        {"org": blue.org, "customer_id": blue.webex_id},
        {"org": world.riverside.org},
        {"person_id": encode_id(IdType.PEOPLE, person.user_id)},
        {"person_id": "nobody"},
        {"email": " BLUE000004@bench.test "},
        {"statuses": ["provisioned", "error"]},
        {"created_after": moment - datetime.timedelta(seconds=1)},
        {"changed_after": moment},
    ]
    sorts = [
        {},
        {"sort_by": "created", "descending": True},
        {"sort_by": "lastStatusChange", "descending": False},
        {"sort_by": "lastStatusChange", "descending": True},
    ]
    # Every filter in the default order, and every order unfiltered and with two filters: the shapes of a
    # filter and of an order are separate parts of what a page is compiled for.
    shapes = [(given, {}) for given in filters]
    shapes += [(given, sort) for sort in sorts[1:] for given in (filters[0], filters[1], filters[-2])]
    compared = 0
    for actor in _personas(world):
        for partner in _partners(world):
            for given, sort in shapes:
                bound = subscriber_rows_for_api(actor=actor, partner=partner, **given, **sort)
                compared += _pages_agree(bound)
    assert compared > 300


def _scopes(world) -> list:
    return [world.platform, *_partners(world), world.blue_harbor.org, world.riverside.org, world.initech.org]


def test_compiled_location_pages_are_the_lists_pages_for_every_persona(lists):
    """``GET /v1/partner/locations``: every persona, every scope (the platform, each partner, customers of
    each), a few more locations with ties in ``created``."""
    world = lists
    created = Location.objects.filter(org=world.cedar_pine.org).first().created
    Location.objects.bulk_create(
        Location(org=world.cedar_pine.org, name=f"Annex {n}", address_line1="1", city="C", country="US")
        for n in range(5)
    )
    Location.objects.filter(name__startswith="Annex").update(created=created)
    compared = 0
    for actor in _personas(world):
        for scope in _scopes(world):
            compared += _pages_agree(locations_for_api(actor=actor, scope=scope))
    assert compared > 150


def test_compiled_number_pages_are_the_lists_pages(lists):
    """``GET /v1/partner/locations/{id}/numbers``, every status, of two locations."""
    world = lists
    admin = fresh(world.acme_admin)
    compared = 0
    for prefix, customer in (("+1415", world.blue_harbor), ("+1650", world.cedar_pine)):
        location = Location.objects.filter(org=customer.org).first()
        numbers = [f"{prefix}777{n:04d}" for n in range(9)]
        added = numbers_add(actor=admin, location=location, phone_numbers=numbers)
        number_assign(actor=admin, number=added[3], holder=customer.subscribers.first())
        for status in ("", "available", "assigned"):
            compared += _pages_agree(numbers_for_api(actor=admin, location=location, status=status))
    assert compared > 40


def test_compiled_workspace_pages_are_the_lists_pages_for_every_persona(lists):
    """``GET /v1/partner/workspaces``: every persona, every scope, of one customer, of one location; a few
    workspaces with ties in ``created``."""
    world = lists
    sites = {}
    for customer in (world.blue_harbor, world.cedar_pine, world.riverside):
        sites[customer] = Location.objects.filter(org=customer.org).first()
        Workspace.objects.bulk_create(
            Workspace(
                customer=customer, location=sites[customer], name=f"Room {n}", created=world.acme.created
            )
            for n in range(4)
        )
    compared = 0
    for actor in _personas(world):
        for scope in _scopes(world):
            compared += _pages_agree(workspaces_for_api(actor=actor, scope=scope))
        for customer, site in sites.items():
            scope = customer.org.parent
            compared += _pages_agree(workspaces_for_api(actor=actor, scope=scope, customer=customer))
            compared += _pages_agree(workspaces_for_api(actor=actor, scope=customer.org, location=site))
    assert compared > 150


def test_compiled_audit_pages_are_the_lists_pages_for_every_persona(lists):
    """``GET /v1/partner/auditEvents``: every persona, every organisation's log, each filter the API takes
    (a part of a text too: its pattern is a parameter); events with ties in ``created``, of removed
    organisations, made by each organisation and by its partner."""
    world = lists
    moment = timezone.now()
    AuditEvent.objects.bulk_create(
        AuditEvent(
            acting_org=org, actor_org=by, action=action, target_type="org", channel="api", created=moment
        )
        for org in Organization.objects.all()
        for by in {org, org.parent or org}
        for action in ("subscriber.create", "branding.update")
    )
    AuditEvent.objects.create(
        acting_org=None, actor_org=world.platform, action="partner.remove", target_type="o"
    )
    today = timezone.localdate()
    filters = [
        {},
        {"action": "subscriber.create"},
        {"date_from": today, "date_to": today},
        {"action": "branding.update", "date_from": today},
        {"action": "subscriber."},
        {"actor": "admin"},
        {"actor": "ACME.TEST", "action": "subscriber."},
        {"actor": "%"},
        {"action": "_"},
    ]
    compared = 0
    for actor in _personas(world):
        for org in {actor.org, *orgs_visible_to(actor=actor)}:
            for given in filters:
                lookups = audit_filter_lookups(**given)
                compared += _pages_agree(audit_events_for_api(actor=actor, org=org, lookups=lookups))
    assert compared > 300
