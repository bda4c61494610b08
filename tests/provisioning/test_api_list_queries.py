"""The API lists at any size (issue 11), not timed: ``GET /v1/wholesale/customers`` and
``/v1/wholesale/subscribers`` cost the same number of queries for a page whatever the number of rows, at the
first page, a later page by offset and by the ``Link rel="next"`` cursor, and with a filter; they render plain
rows (no model instance per row, the cost that dominated); and a listed item is exactly the body its detail
endpoint answers (one wire format)."""

import re
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.core.keyset import cursor_after, rows_after
from apps.customers.models import Customer
from apps.onboarding.models import OnboardingTemplate
from apps.subscribers.models import Subscriber
from tests.bench.seed import bulk_customers, bulk_subscribers

CUSTOMERS = "/v1/wholesale/customers"
SUBSCRIBERS = "/v1/wholesale/subscribers"


def _next(response) -> str:
    links = {rel: url for url, rel in re.findall(r'<([^>]+)>; rel="(\w+)"', response.get("Link", ""))}
    return links["next"]


def _queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200, response.content[:300]
    return len(captured)


def _customer_cases(client) -> dict:
    cursor = _next(client.get(CUSTOMERS, {"max": "3"}))
    return {
        "first page": (CUSTOMERS, {"max": "100"}),
        "offset": (CUSTOMERS, {"offset": "3", "max": "100"}),
        "cursor": (cursor, None),
        "status filter": (CUSTOMERS, {"status": "provisioned,error", "max": "5"}),
        "externalId": (CUSTOMERS, {"externalId": "BENCH-00011"}),
    }


def _subscriber_cases(client, blue) -> dict:
    cursor = _next(client.get(SUBSCRIBERS, {"max": "3"}))
    return {
        "first page": (SUBSCRIBERS, {"max": "100"}),
        "offset": (SUBSCRIBERS, {"offset": "3", "max": "100"}),
        "cursor": (cursor, None),
        "customer, lastStatusChange DESC": (
            SUBSCRIBERS,
            {"customerId": blue.webex_id, "sortBy": "lastStatusChange", "sortOrder": "DESC", "max": "100"},
        ),
        "email": (SUBSCRIBERS, {"email": "tom@blueharbor.test"}),
    }


def test_customer_list_queries_do_not_grow_with_the_customers(world, api_client):
    client = api_client(world.acme_admin)
    template = OnboardingTemplate.objects.get(partner=world.acme)
    bulk_customers(world.acme, template, 10, 5)
    client.get(CUSTOMERS)  # the token's last use is recorded once a minute: out of the way
    few = {name: _queries(client, url, params) for name, (url, params) in _customer_cases(client).items()}
    bulk_customers(world.acme, template, 100, 150)
    many = {name: _queries(client, url, params) for name, (url, params) in _customer_cases(client).items()}
    assert many == few


def test_subscriber_list_queries_do_not_grow_with_the_subscribers(world, api_client):
    client = api_client(world.acme_admin)
    blue = world.blue_harbor
    bulk_subscribers(blue, "few", 5)
    client.get(SUBSCRIBERS)
    few = {
        name: _queries(client, url, params) for name, (url, params) in _subscriber_cases(client, blue).items()
    }
    bulk_subscribers(world.cedar_pine, "many", 200)  # another customer: extensions are per organisation
    many = {
        name: _queries(client, url, params) for name, (url, params) in _subscriber_cases(client, blue).items()
    }
    assert many == few


@pytest.mark.parametrize("model", [Customer, Subscriber])
def test_the_lists_build_no_model_instance_per_row(world, api_client, model):
    client = api_client(world.acme_admin)
    bulk_customers(world.acme, OnboardingTemplate.objects.get(partner=world.acme), 10, 5)
    bulk_subscribers(world.blue_harbor, "row", 5)
    url = CUSTOMERS if model is Customer else SUBSCRIBERS
    with mock.patch.object(model, "from_db", wraps=model.from_db) as built:
        first = client.get(url, {"max": "4"})
        later = client.get(_next(first))
        deep = client.get(url, {"offset": "2", "max": "4"})
    assert first.status_code == later.status_code == deep.status_code == 200
    assert len(first.json()["items"]) == 4 and later.json()["items"] and deep.json()["items"]
    assert built.call_count == 0


def test_a_listed_item_is_the_body_of_its_detail(world, api_client):
    client = api_client(world.acme_admin)
    bulk_customers(world.acme, OnboardingTemplate.objects.get(partner=world.acme), 10, 3)
    bulk_subscribers(world.blue_harbor, "same", 3)
    customers = client.get(CUSTOMERS, {"max": "100"}).json()["items"]
    subscribers = client.get(SUBSCRIBERS, {"max": "100"}).json()["items"]
    assert len(customers) >= 5 and len(subscribers) >= 5
    assert any("externalId" in c and "orgId" in c for c in customers)
    assert any("personId" in s and "externalCustomerId" in s for s in subscribers)
    for item in customers:
        assert client.get(f"{CUSTOMERS}/{item['id']}").json() == item
    for item in subscribers:
        assert client.get(f"{SUBSCRIBERS}/{item['id']}").json() == item


def test_a_cursor_is_made_from_a_values_row_as_from_an_instance(world):
    rows = Subscriber.objects.filter(customer=world.blue_harbor).order_by("created", "id")
    first = rows.first()
    as_dict = rows.values("id", "created", "email").first()
    assert cursor_after(rows.values("id", "created", "email"), as_dict) == cursor_after(rows, first)
    after = rows_after(rows.values("id"), cursor_after(rows, first))
    assert [row["id"] for row in after] == [s.id for s in rows[1:]]


def test_a_listed_customers_packages_keep_their_order_warnings_and_errors(world, api_client):
    """The list reads a page's packages as one JSON aggregate per customer (PostgreSQL: hand-written SQL;
    elsewhere ``JSONRows``): the same packages, ordered by code, with their warnings and errors as stored,
    as the detail (built from model instances) shows."""
    client = api_client(world.acme_admin)
    customer = world.blue_harbor
    warning = {"errorCode": 4101, "description": 'Ünïcode, "quotes" and a\nnew line', "nested": [1, None]}
    customer.packages.all().delete()
    for code, warnings, errors in [
        ("webex_voice", [], [{"errorCode": 1, "description": "late"}]),
        ("common_area_calling", [warning], []),
        ("webex_calling", [warning, {"errorCode": 2}], [{"errorCode": 3}]),
    ]:
        customer.packages.create(code=code, status="provisioned", warnings=warnings, errors=errors)
    listed = {item["id"]: item for item in client.get(CUSTOMERS, {"max": "100"}).json()["items"]}
    item = listed[customer.webex_id]
    assert item["packages"] == ["common_area_calling", "webex_calling", "webex_voice"]
    details = item["resourceDetails"]["packages"]
    assert details[0] == {"name": "common_area_calling", "status": "provisioned", "warnings": [warning]}
    assert details[1]["warnings"] == [warning, {"errorCode": 2}]
    assert details[1]["errors"] == [{"errorCode": 3}]
    late = [{"errorCode": 1, "description": "late"}]
    assert details[2] == {"name": "webex_voice", "status": "provisioned", "errors": late}
    assert client.get(f"{CUSTOMERS}/{item['id']}").json() == item
