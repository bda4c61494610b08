"""Scale, API only: ``GET /v1/wholesale/customers`` at 10,000 customers of one partner and
``GET /v1/wholesale/subscribers`` at 200,000 subscribers (100,000 in one customer), each case against its
floor
(a trivial authenticated DRF view, ``tests.bench.floor``) measured in the same run, request for request
interleaved so that the machine's load weighs on both alike. Acceptance (issue 11): every case within 2× its
floor, at the first page, a deep page by offset and by the ``Link rel="next"`` cursor, and with a search.

Printed per case: the target's and the floor's median wall time and median CPU time of this process (the
request's Python: Django, DRF, the serializer, the driver; the database's own CPU is not in it), and the
ratios. Query counts are held fixed by ``tests/provisioning/test_api_list_queries.py`` (not timed).

``API_BENCH_PROFILE=1`` also prints a cProfile of each target case (the top functions by cumulative time).

PostgreSQL: ``DATABASE_URL=postgres://postgres@127.0.0.1:5432/wholesalehub_x TEST_DATABASE_NAME=test_x``.
"""

import cProfile
import io
import os
import pstats
import statistics
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.accounts.models import User
from apps.core.models import Organization
from apps.customers.models import Customer, CustomerPackage
from apps.locations.models import Extension
from apps.onboarding.models import OnboardingTemplate
from apps.subscribers.models import Subscriber
from tests.bench.floor import FLOOR_API
from tests.bench.seed import analyse, bulk_customers, bulk_other_customers, next_link, seed_subscribers
from tests.bench.test_subscriber_list_bench import OTHERS, PER_OTHER
from tests.conftest import fresh

pytestmark = pytest.mark.bench

REQUESTS = 25
LIMIT = 2.0  # × the floor


def _ok(response):
    assert response.status_code == 200, (response.status_code, response.content[:300])
    return response


def _timed(call) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    call()
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def compare(cases: dict, floor) -> dict[str, tuple[float, float, float, float]]:
    """name → (target wall ms, target CPU ms, floor wall ms, floor CPU ms), medians of REQUESTS pairs."""
    results = {}
    for name, call in cases.items():
        call(), floor()  # warm: caches, the token's once-a-minute last use
        target_runs, floor_runs = [], []
        for _ in range(REQUESTS):
            target_runs.append(_timed(call))
            floor_runs.append(_timed(floor))
        results[name] = (
            statistics.median(w for w, _ in target_runs),
            statistics.median(c for _, c in target_runs),
            statistics.median(w for w, _ in floor_runs),
            statistics.median(c for _, c in floor_runs),
        )
        if os.environ.get("API_BENCH_EXPLAIN") and connection.vendor == "postgresql":
            with CaptureQueriesContext(connection) as captured:
                call()
            with connection.cursor() as cursor:
                for query in captured.captured_queries:
                    cursor.execute("EXPLAIN ANALYZE " + query["sql"])
                    plan = "\n".join(row[0] for row in cursor.fetchall())
                    print(f"\n--- {name}: {query['sql'][:1500]}\n{plan}")
        if os.environ.get("API_BENCH_PROFILE"):
            profile = cProfile.Profile()
            profile.enable()
            for _ in range(10):
                call()
            profile.disable()
            out = io.StringIO()
            pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(45)
            print(f"\n--- profile: {name} (10 requests)\n{out.getvalue()}")
    return results


def report(title: str, results: dict, capsys) -> None:
    with capsys.disabled():
        print(f"\n\n{title} (database: {connection.vendor}, median of {REQUESTS} interleaved pairs)")
        print(f"{'request':<52} {'wall':>8} {'floor':>8} {'ratio':>6} {'cpu':>8} {'floor':>8} {'ratio':>6}")
        for name, (wall, cpu, floor_wall, floor_cpu) in results.items():
            print(
                f"{name:<52} {wall:>6.1f}ms {floor_wall:>6.1f}ms {wall / floor_wall:>5.1f}x"
                f" {cpu:>6.1f}ms {floor_cpu:>6.1f}ms {cpu / max(floor_cpu, 0.01):>5.1f}x"
            )
        print()


def test_customers_api_within_twice_its_floor_at_ten_thousand_customers(world, api_client, capsys, settings):
    settings.ROOT_URLCONF = "tests.bench.floor"
    acme = world.acme
    api = api_client(fresh(world.acme_admin))
    template = OnboardingTemplate.objects.get(partner=acme)
    existing = Customer.objects.filter(org__parent=acme).count()
    bulk_customers(acme, template, 10, 10_000 - existing)
    analyse(Organization, Customer, CustomerPackage)
    url = "/v1/wholesale/customers"
    deep_next = next_link(_ok(api.get(url, {"offset": "9800", "max": "100"})))
    cases = {
        "customers, first page (max=100)": lambda: _ok(api.get(url, {"max": "100"})),
        "customers, offset=9900 (max=100)": lambda: _ok(api.get(url, {"offset": "9900", "max": "100"})),
        "customers, deep page by the next link (cursor)": lambda: _ok(api.get(deep_next)),
        "customers, status=error&offset=900 (max=100)": lambda: _ok(
            api.get(url, {"status": "error", "offset": "900", "max": "100"})
        ),
        "customers, externalId=BENCH-07777": lambda: _ok(api.get(url, {"externalId": "BENCH-07777"})),
    }
    results = compare(cases, lambda: _ok(api.get(FLOOR_API)))
    report("GET /v1/wholesale/customers at 10,000 customers", results, capsys)
    slow = {name: round(r[0] / r[2], 1) for name, r in results.items() if r[0] > LIMIT * r[2]}
    assert not slow, f"beyond {LIMIT}x the floor: {slow}"


def test_subscribers_api_within_twice_its_floor_at_two_hundred_thousand(world, api_client, capsys, settings):
    settings.ROOT_URLCONF = "tests.bench.floor"
    acme, blue = world.acme, world.blue_harbor
    api = api_client(fresh(world.acme_admin))
    seed_subscribers(blue, "big", 100_000)
    for index, customer in enumerate(bulk_other_customers(acme, OTHERS)):
        seed_subscribers(customer, f"c{index:04d}-", PER_OTHER)
    analyse(Organization, Customer, CustomerPackage, User, Subscriber, Extension)
    assert Subscriber.objects.filter(customer__org__parent=acme).count() >= 200_000
    url = "/v1/wholesale/subscribers"
    deep_next = next_link(_ok(api.get(url, {"offset": "199800", "max": "100"})))
    by_email = {"email": "big077777@bench.test"}
    by_change = {"customerId": blue.webex_id, "sortBy": "lastStatusChange", "sortOrder": "DESC", "max": "100"}
    cases = {
        "subscribers, first page (max=100)": lambda: _ok(api.get(url, {"max": "100"})),
        "subscribers, offset=199900 (max=100)": lambda: _ok(api.get(url, {"offset": "199900", "max": "100"})),
        "subscribers, deep page by the next link (cursor)": lambda: _ok(api.get(deep_next)),
        "subscribers, customerId + lastStatusChange DESC": lambda: _ok(api.get(url, by_change)),
        "subscribers, email=big077777@bench.test": lambda: _ok(api.get(url, by_email)),
    }
    results = compare(cases, lambda: _ok(api.get(FLOOR_API)))
    report("GET /v1/wholesale/subscribers at 200,000 subscribers", results, capsys)
    slow = {name: round(r[0] / r[2], 1) for name, r in results.items() if r[0] > LIMIT * r[2]}
    assert not slow, f"beyond {LIMIT}x the floor: {slow}"
