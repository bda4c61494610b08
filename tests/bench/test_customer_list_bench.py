"""Scale: one partner with 10,000 customers. The Partner Hub customer list and ``GET /v1/wholesale/customers``
must cost the same number of queries as with ten customers; the median latency over 30 requests is printed.

Run with ``make bench`` (the figures go to the issue note). Bench data is bulk-inserted rows shaped like what
provisioning writes (``tests/bench/seed.py``; the services would take minutes for 10,000 customers).
"""

import time

import pytest
from django.urls import reverse

from apps.core.models import Organization
from apps.customers.models import Customer, CustomerPackage
from apps.onboarding.models import OnboardingTemplate
from tests.bench.floor import FLOOR_API, FLOOR_PAGE
from tests.bench.seed import (
    analyse,
    bulk_customers,
    measure,
    next_link,
    print_against_console,
    print_small_vs_large,
)
from tests.conftest import fresh

pytestmark = pytest.mark.bench

TOTAL = 10_000
REQUESTS = 30


def test_customer_lists_at_ten_thousand_customers(world, client, api_client, capsys, settings):
    settings.ROOT_URLCONF = "tests.bench.floor"
    acme, admin = world.acme, fresh(world.acme_admin)
    template = OnboardingTemplate.objects.get(partner=acme)
    client.force_login(admin)
    api = api_client(admin)
    page_url = reverse("partner:customer_list", kwargs={"org_id": acme.webex_id})

    def ok(response):
        assert response.status_code == 200, response.status_code
        return response

    # Deep pages exist only at 10,000: at 10 customers the same requests ask for the first page (an empty
    # page would skip the packages query and make the comparison meaningless).
    deep = {"page": "1", "offset": "0", "error_offset": "0"}
    cases = {
        "Partner Hub list, page 1": lambda: ok(client.get(page_url)),
        "Partner Hub list, page 40 (htmx partial)": lambda: ok(
            client.get(page_url, {"page": deep["page"]}, HTTP_HX_REQUEST="true")
        ),
        "Partner Hub list, search + status": lambda: ok(
            client.get(page_url, {"q": "Customer 0", "status": "provisioned", "sort": "-created"})
        ),
        "Partner Hub list, search, frequent term, by name": lambda: ok(
            client.get(page_url, {"q": "Customer 0"})
        ),
        "Partner Hub list, search, frequent term, by status": lambda: ok(
            client.get(page_url, {"q": "Customer 0", "sort": "status"})
        ),
        "Partner Hub list, search an address, newest first": lambda: ok(
            client.get(page_url, {"q": "tom@blueharbor.test", "sort": "-created"})
        ),
        "Partner Hub list, search one customer's name": lambda: ok(
            client.get(page_url, {"q": deep.get("name", "Customer 00007")})
        ),
        "GET /v1/wholesale/customers (max=100)": lambda: ok(
            api.get("/v1/wholesale/customers", {"max": "100"})
        ),
        "GET ... ?status=error&offset=900": lambda: ok(
            api.get(
                "/v1/wholesale/customers", {"status": "error", "offset": deep["error_offset"], "max": "100"}
            )
        ),
        "GET ... ?offset=9900&max=100": lambda: ok(
            api.get("/v1/wholesale/customers", {"offset": deep["offset"], "max": "100"})
        ),
        "GET ... deep page by the next link (cursor)": lambda: ok(api.get(deep["next"])),
        "GET ... ?externalId=BENCH-00007 / 07777": lambda: ok(
            api.get("/v1/wholesale/customers", {"externalId": deep.get("external_id", "BENCH-00007")})
        ),
    }

    bulk_customers(acme, template, 0, 10 - Customer.objects.filter(org__parent=acme).count())
    floors = {
        "page": lambda: ok(client.get(FLOOR_PAGE)),
        "api": lambda: ok(api.get(FLOOR_API)),
    }
    deep["next"] = next_link(api.get("/v1/wholesale/customers", {"max": "2"}))
    small = {name: measure(call, REQUESTS) for name, call in cases.items()}
    small_floor = {kind: measure(call, REQUESTS) for kind, call in floors.items()}
    started = time.perf_counter()
    existing = Customer.objects.filter(org__parent=acme).count()
    bulk_customers(acme, template, 10, TOTAL - existing)
    analyse(Organization, Customer, CustomerPackage)  # as autovacuum would have (the other list benches do)
    seeded = time.perf_counter() - started
    assert Customer.objects.filter(org__parent=acme).count() == TOTAL
    deep.update(page="40", offset="9900", error_offset="900", external_id="BENCH-07777")
    deep["name"] = "Customer 07777"  # one customer of 10,000
    deep["next"] = next_link(api.get("/v1/wholesale/customers", {"offset": "9800", "max": "100"}))
    large = {name: measure(call, REQUESTS) for name, call in cases.items()}
    large_floor = {kind: measure(call, REQUESTS) for kind, call in floors.items()}
    console = measure(
        lambda: ok(client.get(reverse("partner:settings", kwargs={"org_id": acme.webex_id}))), REQUESTS
    )

    with capsys.disabled():
        print(f"\n\nCustomer lists: 10 vs {TOTAL:,} customers of one partner (seeded in {seeded:.1f} s)")
        print_small_vs_large(
            cases, small, large, small_floor, large_floor, labels=("@10", "@10k"), width=50, requests=REQUESTS
        )
        print_against_console(
            cases, large, ("the partner's Settings page, a console page with one form", console)
        )
    for name in cases:
        assert large[name][0] == small[name][0], f"{name}: queries grow with the number of customers"
