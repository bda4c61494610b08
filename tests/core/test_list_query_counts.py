"""A list page costs a fixed number of queries: the same for 10 rows as for 1,000, at the first page as at a
deep one, with or without a search (issue 11). Counted, not timed: ``tests/bench`` times the same pages at
partner scale."""

import pytest
from django.db import connection
from django.urls import reverse

from apps.customers.models import Customer
from apps.onboarding.models import OnboardingTemplate
from apps.subscribers.models import Subscriber
from tests.bench.seed import bulk_customers, bulk_subscribers
from tests.conftest import fresh

pytestmark = pytest.mark.django_db


def queries_of(client, url: str, params: dict | None = None, *, htmx: bool = False) -> int:
    count = 0

    def counting(execute, sql, params_, many, context):
        nonlocal count
        count += 1
        return execute(sql, params_, many, context)

    headers = {"HX-Request": "true"} if htmx else {}
    with connection.execute_wrapper(counting):
        response = client.get(url, params or {}, headers=headers)
    assert response.status_code == 200, response.status_code
    return count


def counts(client, url: str, requests: dict) -> dict[str, int]:
    for params, htmx in requests.values():
        client.get(url, params, headers={"HX-Request": "true"} if htmx else {})  # warm the once-a-while reads
    return {name: queries_of(client, url, params, htmx=htmx) for name, (params, htmx) in requests.items()}


def test_users_page_queries_do_not_grow_with_rows_or_depth(world, client):
    blue = world.blue_harbor
    client.force_login(fresh(world.acme_admin))
    url = reverse("control:user_list", kwargs={"org_id": blue.org.webex_id})
    bulk_subscribers(blue, "few", 10 - Subscriber.objects.filter(customer=blue).count())
    requests = {
        "page 1": ({}, False),
        "page 1 (htmx)": ({}, True),
        "search": ({"q": "few00000"}, True),
        "filters": ({"package": "webex_calling", "status": "provisioned", "sort": "-email"}, True),
    }
    small = counts(client, url, {**requests, "deep page (htmx)": ({"page": "1"}, True)})
    bulk_subscribers(blue, "many", 1000, first=10)
    large = counts(client, url, {**requests, "deep page (htmx)": ({"page": "30"}, True)})
    assert large == small
    assert max(large.values()) <= 15


def test_customer_list_queries_do_not_grow_with_rows_or_depth(world, client):
    acme = world.acme
    client.force_login(fresh(world.acme_admin))
    url = reverse("partner:customer_list", kwargs={"org_id": acme.webex_id})
    template = OnboardingTemplate.objects.get(partner=acme)
    bulk_customers(acme, template, 0, 10 - Customer.objects.filter(org__parent=acme).count())
    requests = {
        "page 1": ({}, False),
        "page 1 (htmx)": ({}, True),
        "search + status + sort": ({"q": "Customer 0", "status": "provisioned", "sort": "-created"}, True),
    }
    small = counts(client, url, {**requests, "deep page (htmx)": ({"page": "1"}, True)})
    bulk_customers(acme, template, 10, 1000)
    large = counts(client, url, {**requests, "deep page (htmx)": ({"page": "30"}, True)})
    assert large == small
    assert max(large.values()) <= 12
