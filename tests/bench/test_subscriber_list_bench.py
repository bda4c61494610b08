"""Scale: one partner with 200,000 subscribers — 100,000 in one large customer (Blue Harbor Dental, the
Control Hub Users page) and 100 in each of 1,000 other customers. The Users page and
``GET /v1/wholesale/subscribers`` must cost the same number of queries as with the handful of subscribers
of the test world; the median latency over 20 requests is printed.

Run with ``make bench`` (the figures go to the issue note). Bench rows are bulk-inserted
(``tests/bench/seed.py``), shaped like what ``subscriber_add`` writes (the service would take many minutes for
200,000 people).

On PostgreSQL: ``DATABASE_URL=postgres://postgres@127.0.0.1:5432/wholesalehub_bench`` (the test database is
``TEST_DATABASE_NAME``, default ``test_wholesalehub``) with the same pytest command. The tables are analysed
after the bulk insert, as autovacuum would have done in production.
"""

import time

import pytest
from django.urls import reverse

from apps.accounts.models import User
from apps.core.models import Organization
from apps.core.pagination import PAGE_SIZE
from apps.customers.models import Customer, CustomerPackage
from apps.locations.models import Extension
from apps.subscribers.models import Subscriber
from tests.bench.floor import FLOOR_API, FLOOR_PAGE
from tests.bench.seed import (
    analyse,
    bulk_other_customers,
    bulk_subscribers,
    measure,
    next_link,
    next_page,
    print_against_console,
    print_small_vs_large,
    seed_subscribers,
)
from tests.conftest import fresh

pytestmark = pytest.mark.bench

BIG = 100_000
OTHERS, PER_OTHER = 1_000, 100
REQUESTS = 20


def test_subscriber_lists_at_two_hundred_thousand_subscribers(world, client, api_client, capsys, settings):
    settings.ROOT_URLCONF = "tests.bench.floor"
    acme, admin, blue = world.acme, fresh(world.acme_admin), world.blue_harbor
    client.force_login(admin)
    api = api_client(admin)
    users_url = reverse("control:user_list", kwargs={"org_id": blue.org.webex_id})
    deep = {"page": "1", "offset": "0", "email": "tom@blueharbor.test", "q": "tom", "extension": "2001"}

    def ok(response):
        assert response.status_code == 200, response.status_code
        return response

    cases = {
        "Users page, page 1": lambda: ok(client.get(users_url)),
        "Users page, deep page (htmx partial)": lambda: ok(
            client.get(users_url, {"page": deep["page"]}, HTTP_HX_REQUEST="true")
        ),
        "Users page, deep page by the Next link (cursor)": lambda: ok(
            client.get(users_url, deep["page_next"], HTTP_HX_REQUEST="true")
        ),
        "Users page, search": lambda: ok(client.get(users_url, {"q": deep["q"]}, HTTP_HX_REQUEST="true")),
        "Users page, search by extension": lambda: ok(
            client.get(users_url, {"q": deep["extension"]}, HTTP_HX_REQUEST="true")
        ),
        "Users page, package + status filter": lambda: ok(
            client.get(
                users_url, {"package": "webex_calling", "status": "provisioned"}, HTTP_HX_REQUEST="true"
            )
        ),
        "GET /v1/wholesale/subscribers (max=100)": lambda: ok(
            api.get("/v1/wholesale/subscribers", {"max": "100"})
        ),
        "GET ... deep offset, max=100": lambda: ok(
            api.get("/v1/wholesale/subscribers", {"offset": deep["offset"], "max": "100"})
        ),
        "GET ... deep page by the next link (cursor)": lambda: ok(api.get(deep["next"])),
        "GET ... ?customerId=Blue, lastStatusChange DESC": lambda: ok(
            api.get(
                "/v1/wholesale/subscribers",
                {
                    "customerId": blue.webex_id,
                    "sortBy": "lastStatusChange",
                    "sortOrder": "DESC",
                    "max": "100",
                },
            )
        ),
        "GET ... ?email=": lambda: ok(api.get("/v1/wholesale/subscribers", {"email": deep["email"]})),
    }

    floors = {
        "page": lambda: ok(client.get(FLOOR_PAGE)),
        "api": lambda: ok(api.get(FLOOR_API)),
    }
    deep["next"] = next_link(api.get("/v1/wholesale/subscribers", {"max": "2"}))
    # Two pages' worth of people more at Blue Harbor, so that its second page, reached by the Next link, is a
    # full one at this size too (a short page skips a query).
    bulk_subscribers(blue, "small", 2 * PAGE_SIZE, first=900_000)  # extensions clear of the big seeding's
    deep["page_next"] = next_page(client, users_url, {"page": "1"})
    small = {name: measure(call, REQUESTS) for name, call in cases.items()}
    small_floor = {kind: measure(call, REQUESTS) for kind, call in floors.items()}
    started = time.perf_counter()
    seed_subscribers(blue, "big", BIG)
    for index, customer in enumerate(bulk_other_customers(acme, OTHERS)):
        seed_subscribers(customer, f"c{index:04d}-", PER_OTHER)
    seeded = time.perf_counter() - started
    # A production database knows its tables (autovacuum analyses them); a bulk insert just now does not.
    analyse(Organization, Customer, CustomerPackage, User, Subscriber, Extension)
    total = Subscriber.objects.filter(customer__org__parent=acme).count()
    assert total >= BIG + OTHERS * PER_OTHER
    deep.update(page="2000", offset="199900", email="big077777@bench.test", q="big07777", extension="077777")
    deep["next"] = next_link(api.get("/v1/wholesale/subscribers", {"offset": "199800", "max": "100"}))
    deep["page_next"] = next_page(client, users_url, {"page": "1999"})
    large = {name: measure(call, REQUESTS) for name, call in cases.items()}
    large_floor = {kind: measure(call, REQUESTS) for kind, call in floors.items()}
    calling_url = reverse("control:calling", kwargs={"org_id": blue.org.webex_id})
    console = measure(lambda: ok(client.get(calling_url)), REQUESTS)

    with capsys.disabled():
        print(f"\n\nSubscriber lists: the test world vs {total:,} subscribers of one partner, {BIG:,} in one")
        print(f"customer (seeded in {seeded:.1f} s)")
        print_small_vs_large(
            cases,
            small,
            large,
            small_floor,
            large_floor,
            labels=("small", "200k"),
            width=48,
            requests=REQUESTS,
        )
        print_against_console(
            cases,
            large,
            ("Blue Harbor's Calling page, a console page listing five settings", console),
        )
    for name in cases:
        assert large[name][0] == small[name][0], f"{name}: queries grow with the number of subscribers"
