"""The subscriber lists at scale (helper "perf"): a deep page (``core.pagination.page_slice``, here from the
second row on) reads its keys from an index and returns exactly the rows plain slicing would; the
partner-wide API list and one customer's Users page walk an index in their ORDER BY instead of sorting every
subscriber (SQLite's plan, which has no statistics to get it right by itself); the search finds numbers and
extensions without JOIN + DISTINCT; ``?email=`` is an exact comparison of the lower-cased value. The figures:
``tests/bench/test_subscriber_list_bench.py``."""

import pytest
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.core import pagination
from apps.core.pagination import page_slice
from apps.subscribers.selectors.subscribers import (
    API_SORTS,
    SUBSCRIBER_SORTS,
    subscribers_for_api,
    subscribers_of_org,
)
from apps.subscribers.services.subscribers import subscriber_add
from tests.conftest import fresh
from tests.factories import provision_customer


@pytest.fixture(autouse=True)
def _every_page_is_deep(monkeypatch):
    monkeypatch.setattr(pagination, "DEEP_OFFSET", 1)


@pytest.fixture
def meadow(world):
    customer = provision_customer(
        actor=world.acme_admin,
        partner=world.acme,
        name="Meadow Clinic",
        admin_email="admin@meadow.test",
        packages=["webex_meetings"],
    )
    for i in range(12):
        subscriber_add(
            actor=world.acme_admin,
            customer=customer,
            email=f"Person{i:02d}@Meadow.test",
            first_name=f"First{i % 3}",
            last_name=f"Last{i % 4}",
            package="webex_meetings",
        )
    return customer


@pytest.mark.parametrize("sort", sorted(SUBSCRIBER_SORTS))
def test_a_users_page_past_the_first_is_the_slice_of_the_whole_list(world, meadow, sort):
    admin = fresh(world.acme_admin)
    whole = [s.email for s in subscribers_of_org(actor=admin, org=meadow.org, sort=sort)]
    assert len(whole) == 13  # twelve and the first administrator
    for start, stop in ((1, 4), (5, 11), (10, 20), (13, 20)):
        page = page_slice(subscribers_of_org(actor=admin, org=meadow.org, sort=sort), start, stop)
        assert [s.email for s in page] == whole[start:stop], (sort, start, stop)


@pytest.mark.parametrize("key", sorted(API_SORTS, key=str))
def test_an_api_page_past_the_first_is_the_slice_of_the_whole_list(world, meadow, key):
    admin = fresh(world.acme_admin)
    sort_by, descending = key
    whole = [
        s.pk
        for s in subscribers_for_api(actor=admin, partner=world.acme, sort_by=sort_by, descending=descending)
    ]
    assert len(whole) > 13
    for start, stop in ((1, 4), (7, 15), (12, 100)):
        page = subscribers_for_api(actor=admin, partner=world.acme, sort_by=sort_by, descending=descending)
        assert [s.pk for s in page_slice(page, start, stop)] == whole[start:stop], (key, start, stop)


def test_a_deep_page_is_one_query_with_its_rows_joined_and_prefetched(world, meadow):
    admin = fresh(world.acme_admin)
    page = page_slice(subscribers_of_org(actor=admin, org=meadow.org), 5, 8)  # reads the actor's roles once
    with CaptureQueriesContext(connection) as captured:
        rows = list(page)
        [(s.customer.org.name, list(s.phone_numbers.all()), list(s.extensions.all())) for s in rows]
    assert len(rows) == 3
    assert len(captured) == 3  # the page, its numbers, its extensions
    outer, keys = captured.captured_queries[0]["sql"].upper().split(" IN (SELECT", 1)
    assert " OFFSET " in keys and " OFFSET " not in outer


def test_a_deep_page_never_reaches_beyond_the_scope(world, meadow):
    """The keys of a deep page come from the scoped query: the Blue Harbor admin's pages of Meadow's
    subscribers are empty, however deep."""
    outsider = fresh(world.blue_admin)
    assert list(page_slice(subscribers_of_org(actor=outsider, org=meadow.org), 2, 10)) == []
    api = subscribers_for_api(actor=outsider, partner=world.acme, org=meadow.org)
    assert list(page_slice(api, 2, 10)) == []


def test_the_api_finds_an_email_in_any_case_and_the_stored_ones_are_lower_case(world, meadow):
    admin = fresh(world.acme_admin)
    found = list(subscribers_for_api(actor=admin, partner=world.acme, email=" PERSON03@meadow.TEST "))
    assert [s.email for s in found] == ["person03@meadow.test"]
    sql = str(subscribers_for_api(actor=admin, partner=world.acme, email="x@y.z").query).upper()
    assert "LIKE" not in sql and "UPPER(" not in sql  # an equality the unique index answers


def test_the_search_reads_numbers_and_extensions_without_join_and_distinct(world, meadow):
    admin = fresh(world.acme_admin)
    try:
        sql = str(subscribers_of_org(actor=admin, org=meadow.org, search="2001").query).upper()
    except EmptyResultSet:  # PostgreSQL: the trigram indexes found no name or e-mail, the id list is empty
        return
    assert "DISTINCT" not in sql
    assert 'JOIN "CUSTOMERS_EXTENSION"' not in sql and 'JOIN "CUSTOMERS_PHONENUMBER"' not in sql


def _plan(qs) -> str:
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return "\n".join(str(row[-1]) for row in cursor.fetchall())


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's planner, which has no statistics")
def test_the_lists_walk_an_index_in_their_order_instead_of_sorting(world, meadow):
    admin = fresh(world.acme_admin)
    for sort_by, descending in API_SORTS:
        plan = _plan(
            subscribers_for_api(actor=admin, partner=world.acme, sort_by=sort_by, descending=descending)[:101]
        )
        assert "TEMP B-TREE FOR ORDER BY" not in plan, (sort_by, descending, plan)
        one = subscribers_for_api(
            actor=admin, partner=world.acme, org=meadow.org, sort_by=sort_by, descending=descending
        )
        assert "TEMP B-TREE FOR ORDER BY" not in _plan(one[:101]), (sort_by, descending)
    for sort, order in SUBSCRIBER_SORTS.items():
        plan = _plan(subscribers_of_org(actor=admin, org=meadow.org, sort=sort)[:51])
        if len({column.startswith("-") for column in order}) == 1:  # one direction: the index's order
            assert "TEMP B-TREE" not in plan, (sort, plan)
        else:  # "-package, email": sorted within each package only
            assert "TEMP B-TREE FOR ORDER BY" not in plan, (sort, plan)
    plan = _plan(subscribers_for_api(actor=admin, partner=world.acme, email="a@b.c"))
    assert "(email=?)" in plan, plan
