"""A list page's Next link carries a cursor (``core.pagination.paginate``, ``core.keyset``): paging on reads
the rows after the last one shown instead of skipping every row before the page; the pages are the ones the
page numbers give, a cursor never leaves the list, and one of another order (or none that decodes) is
ignored."""

import re
from urllib.parse import parse_qs, urlparse

import pytest
from django.db import connection
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core.pagination import PAGE_SIZE
from apps.onboarding.models import OnboardingTemplate
from apps.provisioning import selectors as provisioning_selectors
from apps.provisioning.selectors import customer_list_page, customers_of_partner
from tests.bench.seed import bulk_customers, bulk_subscribers, seed_audit_events
from tests.conftest import fresh


def _page(client, url, query: dict):
    response = client.get(url, query, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    return response.context["page"]


def _next(page) -> dict:
    return {k: v[0] for k, v in parse_qs(urlparse(page.next_url).query).items()}


def test_following_next_gives_the_numbered_pages_of_every_order(world, page_client):
    blue = world.blue_harbor
    bulk_subscribers(blue, "cursor", 2 * PAGE_SIZE + 3)
    client = page_client(world.blue_admin)
    url = reverse("control:user_list", kwargs={"org_id": blue.org.webex_id})
    for sort in ("name", "-name", "email", "-status", "created"):
        page, number, seen = _page(client, url, {"sort": sort}), 1, []
        while True:
            by_number = _page(client, url, {"sort": sort, "page": number})
            assert [r.pk for r in page.rows] == [r.pk for r in by_number.rows], (sort, number)
            seen += [r.pk for r in page.rows]
            if not page.has_next:
                break
            query = _next(page)
            assert query["cursor"] and query["sort"] == sort and query["page"] == str(number + 1)
            page, number = _page(client, url, query), number + 1
        assert len(seen) == len(set(seen)) > 2 * PAGE_SIZE
        assert "cursor" not in page.previous_url  # back by the page number


def test_a_cursor_of_another_order_or_garbage_reads_the_page_by_its_number(world, page_client):
    blue = world.blue_harbor
    bulk_subscribers(blue, "cursor", 2 * PAGE_SIZE)
    client = page_client(world.blue_admin)
    url = reverse("control:user_list", kwargs={"org_id": blue.org.webex_id})
    by_email = _next(_page(client, url, {"sort": "email"}))
    expected = [r.pk for r in _page(client, url, {"sort": "-name", "page": 2}).rows]
    for cursor in (by_email["cursor"], "garbage", "x" * 3000):
        got = _page(client, url, {"sort": "-name", "page": 2, "cursor": cursor})
        assert [r.pk for r in got.rows] == expected


def test_a_cursor_stays_in_its_list_and_a_sort_link_drops_it(world, page_client):
    """Another customer's cursor filters this customer's list: it reaches no row outside it."""
    bulk_subscribers(world.blue_harbor, "mine", PAGE_SIZE + 2)
    bulk_subscribers(world.cedar_pine, "theirs", PAGE_SIZE + 2)
    acme = page_client(world.acme_admin)
    blue_url = reverse("control:user_list", kwargs={"org_id": world.blue_harbor.org.webex_id})
    cedar_url = reverse("control:user_list", kwargs={"org_id": world.cedar_pine.org.webex_id})
    theirs = _next(_page(acme, cedar_url, {"sort": "email"}))
    page = _page(acme, blue_url, theirs)
    assert page.rows and all(row.customer_id == world.blue_harbor.pk for row in page.rows)
    body = acme.get(blue_url, {"sort": "email", "page": 2, "cursor": theirs["cursor"]}).content.decode()
    sort_links = [h for h in re.findall(r'href="(\?[^"]*sort=[^"]*)"', body) if "page=" not in h]
    assert sort_links and not [h for h in sort_links if "cursor=" in h]


def _walked_by_next(client, url: str, query: dict, *, cursor: bool) -> list:
    """The ids of a list's rows, page after page by its Next link (with ``cursor``, one that carries a cursor
    and the next page's number), each page checked against the same page asked for by its number."""
    page, number, seen = _page(client, url, query), 1, []
    while True:
        by_number = _page(client, url, {**query, "page": number})
        assert [r.pk for r in page.rows] == [r.pk for r in by_number.rows], (query, number)
        seen += [r.pk for r in page.rows]
        if not page.has_next:
            return seen
        following = _next(page)
        if cursor:
            assert following["cursor"] and following["page"] == str(number + 1)
        page, number = _page(client, url, following), number + 1


def test_the_audit_logs_compiled_pages_follow_next_as_their_numbers(world, page_client):
    """The audit log's list is compiled once per shape (``accounts.selectors.audit_events_page``): its Next
    cursor still gives the numbered pages, with and without a filter."""
    acme = world.acme
    seed_audit_events([acme.pk], "cursor", 2 * PAGE_SIZE + 3)
    client = page_client(world.acme_admin)
    url = reverse("partner:audit_list", kwargs={"org_id": acme.webex_id})
    for query in ({}, {"action": "subscriber.create"}, {"action": "subscriber."}):
        seen = _walked_by_next(client, url, query, cursor=True)
        assert len(seen) == len(set(seen)) > (2 * PAGE_SIZE if not query else 0), query


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the names' trigram index is PostgreSQL's")
def test_a_selective_customer_search_reads_its_customers_by_two_indexes_a_frequent_one_tests_each_row(
    world, monkeypatch
):
    """A term that names few customer organisations (``SELECTIVE_NAMES``) is read as the customers of those
    organisations or of that external id (``org_id = ANY(...)``, one array parameter), a frequent one row by
    row: both the rows ``customers_of_partner`` finds, in its order."""
    acme = world.acme
    bulk_customers(acme, OnboardingTemplate.objects.get(partner=acme), 0, 12)
    admin = fresh(world.acme_admin)

    def page_sql_and_rows(search: str) -> tuple[str, list]:
        listed = customer_list_page(actor=admin, partner=acme, search=search, sort="-created")
        with CaptureQueriesContext(connection) as captured:
            rows = [row.pk for row in listed.page(offset=0, limit=1000)]
        expected = customers_of_partner(
            actor=admin, partner=acme, search=search, sort="-created", with_subscriber_count=False
        )
        assert rows == [row.pk for row in expected], search
        return captured.captured_queries[-1]["sql"], rows

    for search in ("Bench Customer 0001", "bench-00004", "BENCH CUSTOMER", "no such name"):
        sql, _rows = page_sql_and_rows(search)
        assert '"org_id" = ANY(' in sql, search
    assert len(page_sql_and_rows("Bench Customer 0001")[1]) == 2  # 00010 and 00011
    assert len(page_sql_and_rows("bench-00004")[1]) == 1
    monkeypatch.setattr(provisioning_selectors, "SELECTIVE_NAMES", 3)
    sql, rows = page_sql_and_rows("bench customer")
    assert '"org_id" = ANY(' not in sql and len(rows) == 12


def test_the_customer_lists_compiled_pages_are_the_querysets_and_follow_next(world, page_client):
    """The customers page's list is compiled once per sort, filter and kind of search
    (``provisioning.selectors.customer_list_page``) for the partner's own admins: the rows of the scoped
    queryset (a search's too: names, external ids, a subscriber's address, the indirect providers'
    customers), and its Next cursor gives the numbered pages."""
    acme = world.acme
    bulk_customers(acme, OnboardingTemplate.objects.get(partner=acme), 0, 2 * PAGE_SIZE + 3)
    admin = fresh(world.acme_admin)
    for sort in ("name", "-name", "status", "-created"):
        for status in ("", "provisioned", "error", "nonsense"):
            listed = customer_list_page(actor=admin, partner=acme, status=status, sort=sort)
            assert not isinstance(listed, QuerySet)
            expected = customers_of_partner(
                actor=admin, partner=acme, status=status, sort=sort, with_subscriber_count=False
            )
            assert [row.pk for row in listed.page(offset=0, limit=1000)] == [row.pk for row in expected]
    searches = [
        "Bench Customer 0001",
        "bench customer",
        "BENCH-00003",
        "bench-00004",
        "%",
        "_",
        "r",
        "no such",
    ]
    searches += ["tom@blueharbor.test", "TOM@BlueHarbor.test", "@", "Riverside", "a@b.test"]
    for search in searches:
        for sort, status in (("name", ""), ("-created", "provisioned"), ("status", "error")):
            listed = customer_list_page(actor=admin, partner=acme, search=search, status=status, sort=sort)
            assert not isinstance(listed, QuerySet)  # a search's pattern is a parameter: compiled too
            expected = customers_of_partner(
                actor=admin,
                partner=acme,
                search=search,
                status=status,
                sort=sort,
                with_subscriber_count=False,
            )
            rows = listed.page(offset=0, limit=1000)
            assert [row.pk for row in rows] == [row.pk for row in expected], (search, sort, status)
            assert [(row.org.name, row.org.parent) for row in rows] == [
                (row.org.name, row.org.parent) for row in expected
            ]
    assert (
        len(
            customer_list_page(actor=admin, partner=acme, search="Bench Customer 0001").page(
                offset=0, limit=99
            )
        )
        == 10
    )
    assert customer_list_page(actor=admin, partner=acme, search="TOM@blueharbor.test").page(offset=0, limit=9)
    client = page_client(world.acme_admin)
    url = reverse("partner:customer_list", kwargs={"org_id": acme.webex_id})
    for query in ({"sort": "name"}, {"sort": "-created", "status": "provisioned"}):
        seen = _walked_by_next(client, url, query, cursor=False)
        assert len(seen) == len(set(seen)) > PAGE_SIZE, query
