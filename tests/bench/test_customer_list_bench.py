"""Scale: one partner with 10,000 customers. The Partner Hub customer list and ``GET /v1/wholesale/customers``
must cost the same number of queries as with ten customers; the median latency over 30 requests is printed.

Run with ``make bench`` (the figures go to the issue note). Bench data is bulk-inserted rows shaped like what
provisioning writes (the services would take minutes for 10,000 customers).
"""

import re
import statistics
import time
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.core.models import Organization, OrgKind
from apps.customers.models import Customer, CustomerPackage, CustomerStatus, PackageStatus
from apps.onboarding.models import OnboardingTemplate
from tests.bench.floor import FLOOR_API, FLOOR_PAGE
from tests.conftest import fresh

pytestmark = pytest.mark.bench

TOTAL = 10_000
REQUESTS = 30
STATUSES = [CustomerStatus.PROVISIONED, CustomerStatus.ERROR, CustomerStatus.PROVISIONED_WITH_ERRORS] + [
    CustomerStatus.PROVISIONED
] * 7


def bulk_customers(partner: Organization, template: OnboardingTemplate, start: int, count: int) -> None:
    """``count`` provisioned-looking customers with two packages each, in batches."""
    now = timezone.now()
    snapshot = template.settings_snapshot()
    for offset in range(0, count, 1000):
        numbers = range(start + offset, start + min(offset + 1000, count))
        orgs = [
            Organization(
                id=uuid.uuid4(), name=f"Bench Customer {n:05d}", kind=OrgKind.CUSTOMER, parent=partner
            )
            for n in numbers
        ]
        Organization.objects.bulk_create(orgs)
        customers = [
            Customer(
                id=uuid.uuid4(),
                org=org,
                external_id=f"BENCH-{n:05d}",
                status=STATUSES[n % len(STATUSES)],
                status_changed=now,
                provisioned_at=now,
                template=template,
                template_settings=snapshot,
                primary_email=f"admin@bench{n}.test",
                address_line1=f"{n} Bench Street",
                city="Milpitas",
                country="US",
                org_locale="en_US",
                meeting_site_locale="en_US",
            )
            for n, org in zip(numbers, orgs, strict=True)
        ]
        Customer.objects.bulk_create(customers)
        CustomerPackage.objects.bulk_create(
            CustomerPackage(customer=c, code=code, status=PackageStatus.PROVISIONED, license_ids=["L"])
            for c in customers
            for code in ("webex_calling", "webex_meetings")
        )


def analyse(*models) -> None:
    """ANALYZE these tables, as autovacuum would have after a bulk insert. Never a bare ANALYZE: inside the
    test's transaction it would hold the shared catalogs' lock and wait for (or block) every other database's
    ANALYZE on this server until the test ends."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f'ANALYZE "{model._meta.db_table}"')


def measure(call) -> tuple[int, float, float]:
    """(queries of one request, median wall milliseconds over REQUESTS requests, median CPU milliseconds of
    this process: the machine is shared, and the CPU time is what the page costs whatever the load)."""
    call()  # warm: caches, the token's once-a-minute last use
    with CaptureQueriesContext(connection) as captured:
        call()
    queries = len(captured)  # now: the next request's start clears Django's query log
    timings, cpu = [], []
    for _ in range(REQUESTS):
        started, cpu_started = time.perf_counter(), time.process_time()
        call()
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
    return queries, statistics.median(timings), statistics.median(cpu)


def _next_link(response) -> str:
    links = {rel: url for url, rel in re.findall(r'<([^>]+)>; rel="(\w+)"', response.get("Link", ""))}
    return links["next"]


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
    deep["next"] = _next_link(api.get("/v1/wholesale/customers", {"max": "2"}))
    small = {name: measure(call) for name, call in cases.items()}
    small_floor = {kind: measure(call) for kind, call in floors.items()}
    started = time.perf_counter()
    existing = Customer.objects.filter(org__parent=acme).count()
    bulk_customers(acme, template, 10, TOTAL - existing)
    analyse(Organization, Customer, CustomerPackage)  # as autovacuum would have (the other list benches do)
    seeded = time.perf_counter() - started
    assert Customer.objects.filter(org__parent=acme).count() == TOTAL
    deep.update(page="40", offset="9900", error_offset="900", external_id="BENCH-07777")
    deep["next"] = _next_link(api.get("/v1/wholesale/customers", {"offset": "9800", "max": "100"}))
    large = {name: measure(call) for name, call in cases.items()}
    large_floor = {kind: measure(call) for kind, call in floors.items()}

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
