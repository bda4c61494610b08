"""Deep offsets (issue 11): from ``DEEP_OFFSET`` on, every list reads a page's keys first and then only the
page's rows (``apps.core.pagination.page_slice``, behind the API's ``WebexOffsetPagination`` and the pages'
``paginate``). The answer is the same to the byte as the plain ``OFFSET``'s (items and ``Link`` headers, the
rendered pages), with filters and every sort, at every offset up to past the end; the query count does not
change; and the keys are read without the joins only the list's columns need.

The test world is small: ``DEEP_OFFSET`` is lowered to 1 for the deferred path and raised past any offset for
the plain one, and the two answers are compared."""

import re

import pytest
from django.db import connection
from django.db.models import F, Value
from django.db.models.functions import Concat
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core import pagination
from apps.core.pagination import page_slice
from apps.customers.models import Customer
from apps.onboarding.models import OnboardingTemplate
from apps.subscribers.models import Subscriber
from tests.bench.seed import bulk_customers, bulk_subscribers
from tests.bench.test_subpartner_list_bench import bulk_subpartners

CUSTOMERS = "/v1/wholesale/customers"
SUBSCRIBERS = "/v1/wholesale/subscribers"
SUBPARTNERS = "/v1/wholesale/subPartners"
PLAIN, DEFERRED = 10**12, 1


@pytest.fixture
def rows(world):
    """Thirty more Blue Harbor subscribers (a few without a status change), a dozen more Acme customers and
    five sub-partners of Acme (with ten customers each)."""
    blue = world.blue_harbor
    bulk_subscribers(blue, "deep", 30)
    Subscriber.objects.filter(email__in=[f"deep{n:06d}@bench.test" for n in range(0, 30, 7)]).update(
        status_changed=None
    )
    bulk_customers(world.acme, OnboardingTemplate.objects.get(partner=world.acme), 0, 12)
    bulk_subpartners(world.acme, 5)
    return world


def _both(monkeypatch, call):
    """``call()`` answered by the plain OFFSET and by the deferred read."""
    monkeypatch.setattr(pagination, "DEEP_OFFSET", PLAIN)
    plain = call()
    monkeypatch.setattr(pagination, "DEEP_OFFSET", DEFERRED)
    deferred = call()
    return plain, deferred


def _same_api_answer(monkeypatch, client, url, params):
    plain, deferred = _both(monkeypatch, lambda: client.get(url, params))
    assert plain.status_code == deferred.status_code == 200, (plain.content[:300], deferred.content[:300])
    assert deferred.content == plain.content, params
    assert deferred.get("Link") == plain.get("Link"), params
    return plain


SUBSCRIBER_SORTS = [
    {},
    {"sortBy": "created", "sortOrder": "DESC"},
    {"sortBy": "lastStatusChange", "sortOrder": "ASC"},
    {"sortBy": "lastStatusChange", "sortOrder": "DESC"},
]


@pytest.mark.parametrize(
    "sort", SUBSCRIBER_SORTS, ids=["created", "created desc", "change asc", "change desc"]
)
@pytest.mark.parametrize("scope", ["partner", "customer", "status"])
def test_subscribers_deep_offsets_answer_what_plain_offsets_do(rows, api_client, monkeypatch, sort, scope):
    client = api_client(rows.acme_admin)
    filters = {
        "partner": {},
        "customer": {"customerId": rows.blue_harbor.webex_id},
        "status": {"status": "provisioned"},
    }[scope]
    total = len(client.get(SUBSCRIBERS, {**filters, **sort, "max": "100"}).json()["items"])
    assert total > 30
    for offset in (1, 2, 5, total - 4, total - 1, total, total + 7):
        answer = _same_api_answer(
            monkeypatch, client, SUBSCRIBERS, {**filters, **sort, "offset": str(offset), "max": "4"}
        )
        assert len(answer.json()["items"]) == max(0, min(4, total - offset))


@pytest.mark.parametrize("filters", [{}, {"status": "provisioned,error"}], ids=["all", "status"])
def test_customers_deep_offsets_answer_what_plain_offsets_do(rows, api_client, monkeypatch, filters):
    client = api_client(rows.acme_admin)
    total = len(client.get(CUSTOMERS, {**filters, "max": "1000"}).json()["items"])
    assert total > 10
    for offset in (1, 3, total - 2, total, total + 5):
        answer = _same_api_answer(
            monkeypatch, client, CUSTOMERS, {**filters, "offset": str(offset), "max": "3"}
        )
        assert len(answer.json()["items"]) == max(0, min(3, total - offset))


@pytest.mark.parametrize("url", [SUBPARTNERS, "/v1/partner/subPartners"])
def test_subpartners_deep_offsets_answer_what_plain_offsets_do(rows, api_client, monkeypatch, url):
    client = api_client(rows.acme_admin)
    for params in ({"offset": "1", "max": "2"}, {"offset": "4", "max": "2"}, {"offset": "9", "max": "2"}):
        _same_api_answer(monkeypatch, client, url, params)
    _same_api_answer(monkeypatch, client, url, {"provisioningState": "active", "offset": "2", "max": "2"})


def _without_tokens(html: bytes) -> bytes:
    return re.sub(rb'(csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+', rb"\1", html)


@pytest.mark.parametrize(
    ("name", "org", "query"),
    [
        ("control:user_list", "blue", {}),
        ("control:user_list", "blue", {"sort": "-email"}),
        ("control:user_list", "blue", {"package": "webex_calling", "sort": "status"}),
        ("partner:customer_list", "acme", {}),
        ("partner:subpartner_list", "acme", {}),
    ],
)
def test_deep_pages_render_what_plain_pages_do(rows, page_client, monkeypatch, name, org, query):
    client = page_client(rows.acme_admin)
    org_id = rows.blue_harbor.org.webex_id if org == "blue" else rows.acme.webex_id
    url = reverse(name, kwargs={"org_id": org_id})
    for number in ("2", "3", "40"):
        plain, deferred = _both(monkeypatch, lambda: client.get(url, {**query, "page": number}))  # noqa: B023
        assert plain.status_code == deferred.status_code == 200
        assert _without_tokens(deferred.content) == _without_tokens(plain.content), number


def _list_query(client, url, params) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    listing = [q["sql"] for q in captured if "LIMIT" in q["sql"] and "OFFSET" in q["sql"]]
    assert len(listing) == 1, listing
    return len(captured), listing[0]


def test_a_deep_offset_skips_keys_in_one_query_without_the_columns_joins(rows, api_client, monkeypatch):
    """The subscribers' rows join their customer (its external id); their keys do not need it: the skip
    reads one table's index. The page costs the queries of the plain offset (one more SELECT, nested)."""
    client = api_client(rows.acme_admin)
    params = {"offset": "5", "max": "4"}
    client.get(SUBSCRIBERS, params)  # warm: the token's once-a-minute last use
    monkeypatch.setattr(pagination, "DEEP_OFFSET", PLAIN)
    plain_count, plain = _list_query(client, SUBSCRIBERS, params)
    monkeypatch.setattr(pagination, "DEEP_OFFSET", DEFERRED)
    deferred_count, deferred = _list_query(client, SUBSCRIBERS, params)
    assert deferred_count == plain_count
    outer, keys = deferred.split(' IN (SELECT V0."id"', 1)
    assert "OFFSET" not in outer and "OFFSET 5" in keys
    assert '"customers_customer"' in outer  # the row's columns still join the customer
    assert 'JOIN "customers_customer"' not in keys.split("WHERE", 1)[0]  # the keys' walk does not
    if connection.vendor == "postgresql":  # the scope is probed per index entry, not a semi join (see core)
        assert ") IS TRUE" in keys


def test_a_deep_customers_page_reads_its_keys_then_its_rows(rows, api_client, monkeypatch):
    client = api_client(rows.acme_admin)
    monkeypatch.setattr(pagination, "DEEP_OFFSET", DEFERRED)
    _, sql = _list_query(client, CUSTOMERS, {"offset": "3", "max": "3"})
    outer, keys = sql.split("IN (SELECT", 1)
    assert "OFFSET 3" in keys and '"org_id"' not in keys.split("FROM", 1)[0]
    if connection.vendor == "postgresql":  # the page's own query still reads its packages (one query a page)
        assert "packages_json" in outer


@pytest.mark.parametrize(
    "shape",
    ["instances", "only", "values with a join", "values_list flat", "annotated", "related order"],
)
def test_page_slice_keeps_the_rows_shape(rows, monkeypatch, shape):
    base = Subscriber.objects.filter(customer=rows.blue_harbor)
    qs = {
        "instances": base.select_related("customer__org").prefetch_related("extensions").order_by("email"),
        "only": base.only("email", "status").order_by("-created", "-id"),
        "values with a join": base.values("id", "email", "customer__external_id").order_by("last_name", "id"),
        "values_list flat": base.values_list("email", flat=True).order_by("-email"),
        "annotated": base.annotate(full=Concat(F("first_name"), Value(" "), F("last_name"))).order_by(
            "full", "id"
        ),
        "related order": base.order_by("customer__org__name", "email"),
    }[shape]
    total = qs.count()
    monkeypatch.setattr(pagination, "DEEP_OFFSET", DEFERRED)
    for start in (1, 4, total - 3, total, total + 2):
        expected = list(qs[start : start + 5])
        with CaptureQueriesContext(connection) as captured:
            got = list(page_slice(qs, start, start + 5))
        assert got == expected, start
        if shape == "instances" and got:
            assert [[e.extension for e in s.extensions.all()] for s in got] == [
                [e.extension for e in s.extensions.all()] for s in expected
            ]
            assert got[0].customer.org.name == expected[0].customer.org.name
        assert sum("IN (SELECT" in q["sql"] for q in captured) == 1, [q["sql"] for q in captured]
    if shape == "annotated":
        assert [s.full for s in page_slice(qs, 2, 4)] == [s.full for s in qs[2:4]]
    if shape == "only":
        assert all(
            set(s.get_deferred_fields()) == set(qs[0].get_deferred_fields()) for s in page_slice(qs, 1, 3)
        )


def test_what_keys_cannot_stand_for_is_sliced_as_it_is(rows, monkeypatch):
    monkeypatch.setattr(pagination, "DEEP_OFFSET", DEFERRED)
    distinct = Customer.objects.values("status").distinct().order_by("status")
    other_table = Subscriber.objects.annotate(org_name=F("customer__org__name")).order_by("email")
    for qs in (distinct, other_table):
        assert "IN (SELECT" not in str(page_slice(qs, 1, 3).query)
        assert list(page_slice(qs, 1, 3)) == list(qs[1:3])
