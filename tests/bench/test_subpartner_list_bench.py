"""Scale: one parent with 1,000 sub-partners and 10,000 customers between them (two subscribers each). The
Indirect providers page and ``GET /v1/wholesale/subPartners`` (and the partner API's list with counts) must
cost the same number of queries as with one sub-partner; the median latency over 30 requests is printed.

Run with ``make bench``. Bench data is bulk-inserted rows shaped like what the services write.
"""

import time
import uuid

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from apps.core.models import Organization, OrgKind
from apps.customers.models import Customer, CustomerStatus
from apps.subpartners.models import SubPartnerProfile
from apps.subscribers.models import Subscriber
from tests.bench.floor import FLOOR_API, FLOOR_PAGE
from tests.bench.seed import analyse, measure, print_against_console
from tests.conftest import fresh

pytestmark = pytest.mark.bench

REQUESTS = 30

SUBPARTNERS = 1_000
CUSTOMERS_EACH = 10
SUBSCRIBERS_EACH = 2


def bulk_subpartners(parent: Organization, count: int) -> None:
    now, today = timezone.now(), timezone.localdate()
    for offset in range(0, count, 100):
        subs = [
            Organization(
                id=uuid.uuid4(),
                name=f"Bench Reseller {n:04d}",
                kind=OrgKind.PARTNER,
                parent=parent,
                status="suspended" if n % 7 == 0 else "active",
            )
            for n in range(offset, min(offset + 100, count))
        ]
        Organization.objects.bulk_create(subs)
        SubPartnerProfile.objects.bulk_create(
            SubPartnerProfile(org=s, billing_start_date=today) for s in subs
        )
        orgs = [
            Organization(id=uuid.uuid4(), name=f"{s.name} customer {c}", kind=OrgKind.CUSTOMER, parent=s)
            for s in subs
            for c in range(CUSTOMERS_EACH)
        ]
        Organization.objects.bulk_create(orgs)
        customers = [
            Customer(
                id=uuid.uuid4(),
                org=org,
                partner_uuid=org.parent_id,
                external_id=f"B-{org.id.hex[:12]}",
                status=CustomerStatus.PROVISIONED,
                status_changed=now,
                provisioned_at=now,
                primary_email=f"admin@{org.id.hex[:12]}.test",
                address_line1="1 Bench Street",
                city="Leeds",
                country="GB",
                org_locale="en_GB",
                meeting_site_locale="en_GB",
            )
            for org in orgs
        ]
        Customer.objects.bulk_create(customers)
        Subscriber.objects.bulk_create(
            Subscriber(
                customer=c, email=f"u{i}@{c.id.hex[:12]}.test", package="webex_meetings", status_changed=now
            )
            for c in customers
            for i in range(SUBSCRIBERS_EACH)
        )


def test_indirect_providers_at_a_thousand_subpartners(world, client, api_client, capsys, settings):
    settings.ROOT_URLCONF = "tests.bench.floor"
    acme, admin = world.acme, fresh(world.acme_admin)
    client.force_login(admin)
    api = api_client(admin)
    page_url = reverse("partner:subpartner_list", kwargs={"org_id": acme.webex_id})

    def ok(response):
        assert response.status_code == 200, response.status_code
        return response

    deep = {"page": "1", "offset": "0"}
    cases = {
        "Indirect providers page 1": lambda: ok(client.get(page_url)),
        "Indirect providers page 30 (htmx partial)": lambda: ok(
            client.get(page_url, {"page": deep["page"]}, HTTP_HX_REQUEST="true")
        ),
        "Indirect providers, search + suspended": lambda: ok(
            client.get(page_url, {"q": "Reseller", "status": "active"})
        ),
        "GET /v1/wholesale/subPartners (max=100)": lambda: ok(
            api.get("/v1/wholesale/subPartners", {"max": "100"})
        ),
        "GET ... ?offset=900&max=100": lambda: ok(
            api.get("/v1/wholesale/subPartners", {"offset": deep["offset"], "max": "100"})
        ),
        "GET /v1/partner/subPartners (counts, max=100)": lambda: ok(
            api.get("/v1/partner/subPartners", {"max": "100", "offset": deep["offset"]})
        ),
    }
    small = {name: measure(call, REQUESTS) for name, call in cases.items()}
    started = time.perf_counter()
    bulk_subpartners(acme, SUBPARTNERS)
    analyse(Organization, SubPartnerProfile, Customer, Subscriber)  # as autovacuum would have
    seeded = time.perf_counter() - started
    assert Customer.objects.filter(org__parent__parent=acme).count() >= SUBPARTNERS * CUSTOMERS_EACH
    deep.update(page="30", offset="900")
    large = {name: measure(call, REQUESTS) for name, call in cases.items()}
    floors = {
        "page": measure(lambda: ok(client.get(FLOOR_PAGE)), REQUESTS),
        "api": measure(lambda: ok(api.get(FLOOR_API)), REQUESTS),
    }
    console = measure(
        lambda: ok(client.get(reverse("partner:settings", kwargs={"org_id": acme.webex_id}))), REQUESTS
    )
    with capsys.disabled():
        print(
            f"\n\nIndirect providers: 1 vs {SUBPARTNERS + 1:,} sub-partners, "
            f"{SUBPARTNERS * CUSTOMERS_EACH:,} customers, "
            f"{SUBPARTNERS * CUSTOMERS_EACH * SUBSCRIBERS_EACH:,} subscribers (seeded in {seeded:.1f} s)"
        )
        print(
            f"{'request':<46} {'queries @1':>10} {'queries @1k':>11} {'median @1':>10} {'median @1k':>11}"
            f" {'cpu @1k':>9} {'cpu / floor':>11}"
        )
        for name in cases:
            (q_small, t_small, _cpu), (q_large, t_large, c_large) = small[name], large[name]
            floor = floors["api" if name.startswith("GET") else "page"]
            print(
                f"{name:<46} {q_small:>10} {q_large:>11} {t_small:>8.1f}ms {t_large:>9.1f}ms"
                f" {c_large:>7.1f}ms {c_large / floor[2]:>10.1f}x"
            )
        for kind, (queries, wall, cpu) in floors.items():
            label = f"floor: trivial {kind}"
            print(f"{label:<46} {'':>10} {queries:>11} {'':>10} {wall:>9.1f}ms {cpu:>7.1f}ms")
        print(f"(median of {REQUESTS} requests each; database: {connection.vendor})\n")
        print_against_console(
            cases, large, ("the partner's Settings page, a console page with one form", console)
        )
    for name in cases:
        assert large[name][0] == small[name][0], f"{name}: queries grow with the number of sub-partners"
