"""The location and number lists at scale. The partner-wide location list (``GET /v1/partner/locations``):
its customers found by their organisation's columns (the actor's reach under the partner), not through a
subquery of every organisation the actor sees, and no number counts its body does not show; the rows the
same as the scoping selector's for every persona and scope. The Control Hub page's counts counted per
location shown. The location and numbers APIs' pages read as plain rows with the serializers' bodies."""

import re

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.locations.api.serializers import (
    LocationSerializer,
    PhoneNumberSerializer,
    location_list_body,
    number_list_body,
)
from apps.locations.models import Location
from apps.locations.selectors import (
    locations_for_api,
    locations_of,
    locations_visible_to,
    number_list_page,
    numbers_for_api,
    numbers_of_location,
)
from apps.locations.services.numbers import number_assign, numbers_add
from tests.conftest import fresh

PERSONAS = ["operator", "acme_admin", "acme_readonly", "acme_partner_admin", "acme_wholesale"]
PERSONAS += ["northwind_admin", "globex_admin", "blue_admin", "blue_readonly", "cedar_admin"]
SCOPES = ["acme", "northwind", "globex", "blue_harbor", "cedar_pine", "riverside"]


def next_link_of(response) -> str | None:
    links = {rel: url for url, rel in re.findall(r'<([^>]+)>; rel="(\w+)"', response.get("Link", ""))}
    return links.get("next")


def _org(world, name):
    value = getattr(world, name)
    return getattr(value, "org", value)


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_api_lists_the_locations_of_the_scope_the_actor_sees(world, persona):
    actor = fresh(getattr(world, persona))
    for name in SCOPES:
        scope = _org(world, name)
        expected = locations_visible_to(actor=actor).filter(Q(org=scope) | Q(org__parent=scope))
        if scope.is_customer:
            expected = locations_visible_to(actor=actor).filter(org=scope)
        listed = [row["id"] for row in locations_for_api(actor=actor, scope=scope).page(offset=0, limit=1000)]
        # Oldest first (the API's order since the partner-wide list walks an index of it).
        assert listed == list(expected.order_by("created", "id").values_list("pk", flat=True)), (
            persona,
            name,
        )
        paged = list(locations_of(actor=actor, scope=scope).values_list("pk", flat=True))
        assert sorted(paged) == sorted(listed), (persona, name)


def test_the_api_follows_its_next_link_through_every_location(world, api_client):
    """The partner-wide list paged by its Link cursor (and by offset) holds every location once, in order."""
    for n in range(7):
        Location.objects.create(
            org=world.cedar_pine.org, name=f"Site {n}", address_line1="1", city="C", country="US"
        )
    api = api_client(world.acme_admin)
    whole = [item["id"] for item in api.get("/v1/partner/locations").json()["items"]]
    assert len(whole) >= 9
    by_cursor, by_offset, url = [], [], "/v1/partner/locations?max=2"
    while url:
        response = api.get(url)
        by_cursor += [item["id"] for item in response.json()["items"]]
        url = next_link_of(response)
        assert url is None or "cursor=" in url
    for offset in range(0, len(whole), 2):
        page = api.get("/v1/partner/locations", {"offset": str(offset), "max": "2"}).json()["items"]
        by_offset += [item["id"] for item in page]
    assert by_cursor == by_offset == whole


def test_the_partner_wide_list_reads_no_counts_and_tests_no_cross_table_or(world):
    sql = str(locations_for_api(actor=fresh(world.acme_admin), scope=world.acme).queryset().query).upper()
    assert "COUNT(" not in sql and "GROUP BY" not in sql
    # One subquery of organisations on their own columns (the partner, its children the actor sees): no join,
    # and no subquery of every organisation the actor sees.
    assert "JOIN" not in sql and sql.count("SELECT") == 2
    assert '"PARENT_ID" =' in sql


def test_the_page_counts_each_locations_numbers(world, client):
    admin, blue = fresh(world.acme_admin), world.blue_harbor
    hq = Location.objects.get(org=blue.org, is_headquarters=True)
    added = numbers_add(actor=admin, location=hq, phone_numbers=["+14155557001", "+14155557002"])
    number_assign(actor=admin, number=added[0], holder=blue.subscribers.first())
    counted = locations_of(actor=admin, scope=blue.org).get(pk=hq.pk)
    assigned = hq.numbers.filter(Q(subscriber__isnull=False) | Q(workspace__isnull=False)).count()
    assert (counted.number_count, counted.assigned_count) == (hq.numbers.count(), assigned)
    assert assigned >= 1
    empty = Location.objects.create(org=blue.org, name="Empty", address_line1="1", city="C", country="US")
    counted = locations_of(actor=admin, scope=blue.org).get(pk=empty.pk)
    assert (counted.number_count, counted.assigned_count) == (0, 0)
    client.force_login(admin)
    url = reverse("control:location_list", kwargs={"org_id": blue.org.webex_id})
    client.get(url)  # the brand cached for both counts (apps.branding.cache): they compare sizes, not caches
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for n in range(5):
        Location.objects.create(org=blue.org, name=f"Site {n}", address_line1="1 St", city="C", country="US")
    with CaptureQueriesContext(connection) as more:
        assert client.get(url).status_code == 200
    assert len(more) == len(few)


def test_the_api_reads_a_fixed_number_of_queries(world, api_client):
    api = api_client(world.acme_admin)
    api.get("/v1/partner/locations")  # the token's once-a-minute last use
    with CaptureQueriesContext(connection) as few:
        assert api.get("/v1/partner/locations").status_code == 200
    for n in range(5):
        Location.objects.create(
            org=world.cedar_pine.org, name=f"Site {n}", address_line1="1", city="C", country="US"
        )
    with CaptureQueriesContext(connection) as more:
        assert api.get("/v1/partner/locations").status_code == 200
    assert len(more) == len(few) == 3


def test_a_number_rows_body_is_the_serializers(world):
    admin, blue = fresh(world.acme_admin), world.blue_harbor
    hq = Location.objects.get(org=blue.org, is_headquarters=True)
    added = numbers_add(actor=admin, location=hq, phone_numbers=["+14155557001", "+14155557002"])
    number_assign(actor=admin, number=added[0], holder=blue.subscribers.first())
    for status in ("", "assigned", "available"):
        rows = numbers_for_api(actor=admin, location=hq, status=status).page(offset=0, limit=100)
        instances = numbers_of_location(actor=admin, location=hq, status=status)
        assert [number_list_body(row) for row in rows] == PhoneNumberSerializer(instances, many=True).data
    rows = numbers_for_api(actor=admin, location=hq).page(offset=0, limit=100)
    statuses = {body["status"] for body in map(number_list_body, rows)}
    assert statuses == {"assigned", "available"}


def test_the_numbers_api_reads_no_holders_rows(world):
    hq = Location.objects.get(org=world.blue_harbor.org, is_headquarters=True)
    sql = str(numbers_for_api(actor=fresh(world.acme_admin), location=hq).queryset().query)
    assert "subscribers_subscriber" not in sql and "subscribers_workspace" not in sql
    # The location was read through the actor's scope: its numbers are not tested against it again.
    assert "core_organization" not in sql


def test_a_location_rows_body_is_the_serializers(world):
    admin = fresh(world.acme_admin)
    Location.objects.create(
        org=world.cedar_pine.org,
        name="Annex",
        address_line1="1 Side St",
        address_line2="Floor 2",
        city="Oakland",
        state_or_province="CA",
        zip_or_postal_code="94601",
        country="US",
        timezone="America/Los_Angeles",
        language="en_US",
        emergency_location_identifier="E-1",
    )
    rows = [
        location_list_body(row)
        for row in locations_for_api(actor=admin, scope=world.acme).page(offset=0, limit=100)
    ]
    instances = locations_of(actor=admin, scope=world.acme).order_by("created", "id")
    assert rows == LocationSerializer(instances, many=True).data
    assert any(row["address"]["addressLine2"] == "Floor 2" for row in rows)


PAGE_PERSONAS = ["acme_admin", "acme_readonly", "blue_admin", "blue_readonly", "operator"]


@pytest.mark.parametrize("persona", PAGE_PERSONAS)
def test_the_locations_pages_compiled_list_is_the_selectors(world, page_client, persona):
    """A customer's Locations page, unsearched, reads a list compiled once (``location_list_page``): the
    rows, order and counts of ``locations_of``; a search reads the queryset."""
    actor, blue = fresh(getattr(world, persona)), world.blue_harbor
    hq = Location.objects.get(org=blue.org, is_headquarters=True)
    numbers_add(actor=fresh(world.acme_admin), location=hq, phone_numbers=["+14155557101"])
    Location.objects.create(org=blue.org, name="Annex", address_line1="1", city="C", country="US")
    client = page_client(actor)
    url = reverse("control:location_list", kwargs={"org_id": blue.org.webex_id})

    def shown(rows) -> list:
        return [(r.pk, r.name, r.org, r.number_count, r.assigned_count) for r in rows]

    expected = shown(locations_of(actor=actor, scope=blue.org))
    for query in ({}, {"q": "Annex"}):
        wanted = [row for row in expected if not query or row[1] == "Annex"]
        assert shown(client.get(url, query).context["page"].rows) == wanted, query
    assert len(expected) >= 2 and expected[0][3] >= 1


def test_the_site_pages_compiled_numbers_are_the_selectors(world):
    """The site page's numbers, unsearched, are a list compiled once per status (``number_list_page``):
    the rows, order and holders of ``numbers_of_location``; a search reads the queryset."""
    admin, blue = fresh(world.acme_admin), world.blue_harbor
    hq = Location.objects.get(org=blue.org, is_headquarters=True)
    added = numbers_add(actor=admin, location=hq, phone_numbers=["+14155557001", "+14155557002"])
    holder = blue.subscribers.first()
    number_assign(actor=admin, number=added[0], holder=holder)
    for status in ("", "assigned", "available"):
        rows = number_list_page(actor=admin, location=hq, status=status).page(offset=0, limit=100)
        expected = numbers_of_location(actor=admin, location=hq, status=status)
        assert [(r.pk, r.subscriber, r.workspace) for r in rows] == [
            (n.pk, n.subscriber, n.workspace) for n in expected
        ], status
        assert rows
    first = number_list_page(actor=admin, location=hq).page(offset=0, limit=100)
    assert any(r.subscriber == holder for r in first)
    searched = number_list_page(actor=admin, location=hq, search="7002")
    assert [n.e164 for n in searched] == ["+14155557002"]
