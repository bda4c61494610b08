"""The customers page searched in name order (``provisioning.selectors.customer_list_page``, PostgreSQL): a
term that is not selective is read as walks merged, a ``UNION ALL`` of legs each in the list's order (the
partner's own customers named so, its sub-partners' named so, then those found by the external id and by a
subscriber's address), each leg stopped at the page's last row. The rows are the ones ``customers_of_partner``
finds, in its order, on every page (on SQLite too, where the list keeps its one scope); the other sorts and
the unsearched list are read as before."""

import pytest
from django.db import connection
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core import pagination
from apps.core.models import Organization
from apps.customers.models import Customer
from apps.onboarding.models import OnboardingTemplate
from apps.provisioning import selectors as provisioning_selectors
from apps.provisioning.selectors import CUSTOMER_SORTS, customer_list_page, customers_of_partner
from tests.bench.seed import bulk_customers
from tests.conftest import fresh

FREQUENT = "Bench Customer 000"


@pytest.fixture
def crowded(world, monkeypatch):
    """Acme's customers "Bench Customer 00000".."00029" and its sub-partner Northwind's, named among them
    and some the same (ties across the legs, broken by the customer's key); Blue Harbor found by its external
    id (the frequent term) and by an address; "Bench Customer 00003" named so and by its external id too.
    Every term is frequent (no selective form)."""
    monkeypatch.setattr(provisioning_selectors, "SELECTIVE_NAMES", -1)
    acme, northwind = world.acme, world.riverside.org.parent
    bulk_customers(acme, OnboardingTemplate.objects.get(partner=acme), 0, 30)
    bulk_customers(northwind, OnboardingTemplate.objects.get(partner=northwind), 100, 8)
    theirs = Organization.objects.filter(parent=northwind, name__startswith="Bench Customer 001").order_by(
        "name"
    )
    for n, org in enumerate(theirs):
        # 00000, 00003 (the same names as Acme's), then between and after Acme's
        org.name = f"Bench Customer {3 * n:05d}" if n < 2 else f"Bench Customer {4 * n:05d} b"
        org.save(update_fields=["name"])
    Customer.objects.filter(pk=world.blue_harbor.pk).update(external_id=FREQUENT.lower())
    Customer.objects.filter(org__parent=acme, org__name="Bench Customer 00003").update(external_id=FREQUENT)
    return world


def _ids(rows) -> list:
    return [row.pk for row in rows]


def _page(listed, offset: int, limit: int) -> list:
    """A page of the list as ``core.pagination.paginate`` reads it (compiled, or a queryset for a narrower
    scope)."""
    if isinstance(listed, QuerySet):
        return list(pagination.page_slice(listed, offset, offset + limit))
    return listed.page(offset=offset, limit=limit)


def test_every_sort_filter_and_search_is_the_querysets_rows_on_every_page(crowded, monkeypatch):
    world = crowded
    monkeypatch.setattr(pagination, "DEEP_OFFSET", 20)  # the deep form of a page too
    admins = [(world.acme, world.acme_admin), (world.acme, world.acme_readonly)]
    admins += [(world.acme, world.acme_partner_admin), (world.riverside.org.parent, world.northwind_admin)]
    searches = ["", FREQUENT, "bench customer 0000", "tom@blueharbor.test", "0", "%", "no such name"]
    for partner, admin in admins:
        admin = fresh(admin)
        for sort in CUSTOMER_SORTS:
            for status in ("", "provisioned", "error"):
                for search in searches:
                    listed = customer_list_page(
                        actor=admin, partner=partner, search=search, status=status, sort=sort
                    )
                    expected = _ids(
                        customers_of_partner(
                            actor=admin,
                            partner=partner,
                            search=search,
                            status=status,
                            sort=sort,
                            with_subscriber_count=False,
                        )
                    )
                    case = (admin.email, sort, status, search)
                    assert _ids(_page(listed, 0, 1000)) == expected, case
                    for offset in (0, 7, 21):
                        assert _ids(_page(listed, offset, 7)) == expected[offset : offset + 7], case
    riverside = customer_list_page(actor=fresh(world.acme_admin), partner=world.acme, search="riverside")
    assert _ids(riverside.page(offset=0, limit=9)) == [world.riverside.pk]  # a sub-partner's customer


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the walks' legs take a LIMIT each (PostgreSQL)"
)
def test_a_frequent_term_in_name_order_is_walks_merged_each_stopped_at_the_pages_last_row(crowded):
    """The SQL's form (the plan's depends on the tables' sizes): three legs, each limited to the page's
    offset + limit, the page's own LIMIT and OFFSET on their union; the address adds a leg. In the other
    orders a part of a name keeps one query with one scope, an address is walks merged too."""
    world = crowded
    admin = fresh(world.acme_admin)

    def page_sql(search: str, sort: str, offset: int = 10) -> tuple[str, list]:
        listed = customer_list_page(actor=admin, partner=world.acme, search=search, sort=sort)
        with CaptureQueriesContext(connection) as captured:
            rows = listed.page(offset=offset, limit=8)
        return captured.captured_queries[-1]["sql"], rows

    for sort in ("name", "-name"):
        sql, rows = page_sql(FREQUENT, sort)
        assert sql.count(" UNION ALL ") == 2 and sql.count("LIMIT 18") == 3, sort
        assert sql.endswith("LIMIT 8 OFFSET 10"), sort
        assert len(rows) == 8
        sql, _rows = page_sql("tom@blueharbor.test", sort, offset=0)
        assert sql.count(" UNION ALL ") == 3 and sql.count("LIMIT 8") == 5, sort
    for sort in ("status", "-status", "created", "-created"):
        sql, rows = page_sql(FREQUENT, sort)
        assert "UNION" not in sql and len(rows) == 8, sort
        # An address is walks merged in every order: four legs, each stopped at the page's last row.
        sql, rows = page_sql("tom@blueharbor.test", sort, offset=0)
        assert sql.count(" UNION ALL ") == 3 and sql.count("LIMIT 8") == 5, sort
        assert [row.pk for row in rows] == [world.blue_harbor.pk], sort
    assert "UNION" not in page_sql("", "name")[0]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the walks' legs (PostgreSQL)")
def test_the_walks_name_the_sub_partners_by_their_keys(crowded):
    """The sub-partners' customers are read for the sub-partners' keys (one uuid[] parameter, read before),
    not through a subquery of the partner's partners (which the planner took for most organisations)."""
    world = crowded
    listed = customer_list_page(actor=fresh(world.acme_admin), partner=world.acme, search=FREQUENT)
    with CaptureQueriesContext(connection) as captured:
        listed.page(offset=0, limit=8)
    sql = captured.captured_queries[-1]["sql"]
    northwind = world.riverside.org.parent
    assert "= ANY(" in sql and str(northwind.pk) in sql and "IN (SELECT" not in sql
    # A partner without sub-partners: an empty array, the same rows.
    admin = fresh(world.globex_admin)
    listed = customer_list_page(actor=admin, partner=world.globex, search="initech")
    assert listed.values["subpartners"] == "{}"
    assert _ids(listed.page(offset=0, limit=100)) == [world.initech.pk]


def test_the_page_pages_a_frequent_term_in_name_order_by_its_numbers(crowded, page_client):
    """Through the page: Next gives the numbered pages, every customer once, none outside the list."""
    world = crowded
    client = page_client(world.acme_admin)
    url = reverse("partner:customer_list", kwargs={"org_id": world.acme.webex_id})
    admin = fresh(world.acme_admin)
    for sort in ("name", "-name"):
        query, seen = {"q": FREQUENT, "sort": sort}, []
        while True:
            response = client.get(url, query, HTTP_HX_REQUEST="true")
            assert response.status_code == 200
            page = response.context["page"]
            seen += _ids(page.rows)
            if not page.has_next:
                break
            query = {"q": FREQUENT, "sort": sort, "page": page.number + 1}
        expected = customers_of_partner(
            actor=admin, partner=world.acme, search=FREQUENT, sort=sort, with_subscriber_count=False
        )
        assert seen == _ids(expected) and len(seen) > pagination.PAGE_SIZE, sort


def test_a_descending_sort_is_the_ascending_one_reversed(crowded):
    """Ties (the customers of one status, of one name) are broken by the customer's key in the sort's
    direction: a page in status order walks the (status, id) index either way (customers/0008)."""
    world = crowded
    admin = fresh(world.acme_admin)
    for sort in ("name", "status", "created"):
        for search in ("", FREQUENT, "tom@blueharbor.test"):
            up, down = (
                _ids(
                    _page(customer_list_page(actor=admin, partner=world.acme, search=search, sort=s), 0, 1000)
                )
                for s in (sort, f"-{sort}")
            )
            assert down == up[::-1] and len(up) > 0, (sort, search)
