"""Keyset pages (``apps.core.keyset`` behind every API list's ``Link rel="next"``): following the links visits
every row once in the list's order, for ascending and descending orderings and a nullable column with NULLs
first or last; a deep page costs the queries of the first; a cursor of another ordering, a damaged one or
one made from another partner's rows never widens the list and never fails."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.core.keyset import cursor_after, rows_after
from apps.subscribers.models import Subscriber
from tests.factories import SubscriberFactory

LIST = "/v1/wholesale/subscribers"


def _links(response) -> dict[str, str]:
    return {rel: url for url, rel in re.findall(r'<([^>]+)>; rel="(\w+)"', response.get("Link", ""))}


def _walk(client, query: dict) -> tuple[list[str], list[int]]:
    """The e-mails of every page following the next links, and each page's query count."""
    response = client.get(LIST, query)
    seen, counts = [s["email"] for s in response.json()["items"]], []
    url = _links(response).get("next")
    while url:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, response.content
        counts.append(len(queries))
        seen += [s["email"] for s in response.json()["items"]]
        url = _links(response).get("next")
    return seen, counts


@pytest.fixture
def many(world):
    """Seventeen more Blue Harbor subscribers; a few with the same status change instant, some with none."""
    blue = world.blue_harbor
    for n in range(17):
        SubscriberFactory(
            actor=world.acme_admin,
            customer=blue,
            email=f"k{n:02d}@blueharbor.test",
            package="webex_suite",
            extension=f"37{n:02d}",
        )
    instant = timezone.now() - timedelta(days=1)
    Subscriber.objects.filter(email__in=[f"k{n:02d}@blueharbor.test" for n in range(0, 17, 3)]).update(
        status_changed=instant
    )
    Subscriber.objects.filter(email__in=[f"k{n:02d}@blueharbor.test" for n in range(1, 17, 4)]).update(
        status_changed=None
    )
    return blue


@pytest.mark.parametrize(
    "sort",
    [
        {},
        {"sortBy": "created", "sortOrder": "DESC"},
        {"sortBy": "lastStatusChange", "sortOrder": "ASC"},
        {"sortBy": "lastStatusChange", "sortOrder": "DESC"},
    ],
    ids=["created", "created desc", "status change nulls first", "status change desc nulls last"],
)
def test_following_the_links_visits_every_row_once_in_order(world, api_client, many, sort):
    client = api_client(world.acme_admin)
    everything = [s["email"] for s in client.get(LIST, {**sort, "max": "100"}).json()["items"]]
    assert len(everything) > 17
    seen, counts = _walk(client, {**sort, "max": "4"})
    assert seen == everything
    assert len(set(counts)) == 1  # page 5 costs what page 2 does
    next_url = _links(client.get(LIST, {**sort, "max": "4"}))["next"]
    assert "cursor=" in next_url and "offset=4" in next_url


def test_the_cursor_seeks_instead_of_skipping(world, api_client, many):
    client = api_client(world.acme_admin)
    next_url = _links(client.get(LIST, {"max": "4"}))["next"]
    with CaptureQueriesContext(connection) as queries:
        client.get(next_url)
    listing = next(
        q["sql"] for q in queries if 'FROM "subscribers_subscriber"' in q["sql"] and "LIMIT" in q["sql"]
    )
    assert "OFFSET" not in listing


def test_a_cursor_that_does_not_fit_is_ignored_and_the_offset_serves(world, api_client, many):
    client = api_client(world.acme_admin)
    by_offset = client.get(LIST, {"offset": "4", "max": "4"}).json()["items"]
    created_cursor = re.search(r"cursor=([^&>]+)", _links(client.get(LIST, {"max": "4"}))["next"]).group(1)
    for after in ["garbage", "e30", "W10", "WyJ4IixbXV0", created_cursor]:
        query = {"offset": "4", "max": "4", "cursor": after}
        if after == created_cursor:
            query |= {"sortBy": "lastStatusChange"}  # a cursor of another ordering
            by_offset = client.get(LIST, {"offset": "4", "max": "4", "sortBy": "lastStatusChange"}).json()[
                "items"
            ]
        response = client.get(LIST, query)
        assert response.status_code == 200, after
        assert response.json()["items"] == by_offset, after


def test_a_cursor_never_widens_the_list(world, api_client, many):
    """A cursor made from Acme's rows on Globex's list: still only Globex's subscribers."""
    acme_next = _links(api_client(world.acme_admin).get(LIST, {"max": "2"}))["next"]
    after = re.search(r"cursor=([^&>]+)", acme_next).group(1)
    listed = api_client(world.globex_admin).get(LIST, {"cursor": after, "max": "100"}).json()["items"]
    initech = set(Subscriber.objects.filter(customer=world.initech).values_list("email", flat=True))
    assert {s["email"] for s in listed} <= initech


def test_orderings_a_keyset_cannot_follow_get_no_cursor(world):
    rows = Subscriber.objects.all()
    first = rows.order_by("email").first()
    assert cursor_after(rows.order_by("email"), first) is not None  # unique: ends the ordering
    assert cursor_after(rows.order_by("last_name"), first) is None  # ties, no unique column after it
    assert cursor_after(rows.order_by("status_changed", "id"), first) is None  # NULLs differ by database
    assert cursor_after(rows.order_by("customer__org__name", "id"), first) is None  # another table's column
    assert rows_after(rows.order_by("last_name"), "anything") is None
