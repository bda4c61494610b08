"""Scale: one partner with 10,000 customers. The Partner Hub customer list and ``GET /v1/wholesale/customers``
must cost the same number of queries as with ten customers; the median latency over 30 requests is printed.

Run with ``make bench`` (the figures go to the issue note). Bench data is bulk-inserted rows shaped like what
provisioning writes (``tests/bench/seed.py``; the services would take minutes for 10,000 customers).
"""

import time

import pytest
from django.db import connection
from django.urls import reverse

from apps.core.models import Organization
from apps.customers.models import Customer, CustomerPackage
from apps.onboarding.models import OnboardingTemplate
from tests.bench.floor import FLOOR_API, FLOOR_PAGE
from tests.bench.seed import analyse, bulk_customers, measure, next_link
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
    deep["next"] = next_link(api.get("/v1/wholesale/customers", {"offset": "9800", "max": "100"}))
    large = {name: measure(call, REQUESTS) for name, call in cases.items()}
    large_floor = {kind: measure(call, REQUESTS) for kind, call in floors.items()}

    with capsys.disabled():
        print(f"\n\nCustomer lists: 10 vs {TOTAL:,} customers of one partner (seeded in {seeded:.1f} s)")
        print(
            f"{'request':<44} {'queries @10':>11} {'queries @10k':>12} {'median @10':>11} {'median @10k':>12}"
            f" {'/ floor':>8}"
            f" {'cpu @large':>11} {'cpu / floor':>11}"
        )
        for name in cases:
            (q_small, t_small, _cpu), (q_large, t_large, c_large) = small[name], large[name]
            floor = large_floor["api" if name.startswith("GET") else "page"]
            ratio, cpu_ratio = t_large / floor[1], c_large / floor[2]
            print(
                f"{name:<44} {q_small:>11} {q_large:>12} {t_small:>9.1f}ms {t_large:>10.1f}ms {ratio:>7.1f}x"
                f" {c_large:>9.1f}ms {cpu_ratio:>10.1f}x"
            )
        for kind in floors:
            (q_small, t_small, _cpu), (q_large, t_large, c_large) = small_floor[kind], large_floor[kind]
            print(
                f"{'floor: trivial ' + kind:<44} {q_small:>11} {q_large:>12}"
                f" {t_small:>9.1f}ms {t_large:>10.1f}ms {'':>8} {c_large:>9.1f}ms"
            )
        print(f"(median of {REQUESTS} requests each; database: {connection.vendor})\n")
    for name in cases:
        assert large[name][0] == small[name][0], f"{name}: queries grow with the number of customers"
