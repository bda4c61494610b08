"""Scale: the audit log, the list that grows fastest (every subscriber added, changed or removed writes an
event). Acme with 10,000 customers and 200,000 events across them, another partner with 200,000 more (the
table the small organisations' logs are found in), and the logs read as Acme's admin: the Partner Hub audit
page (first page, a deep page, each filter), a customer's Control Hub audit page (20 events among 400,000), a
small partner's (Globex: a handful), and ``GET /v1/partner/auditEvents`` (first page, offset, the ``Link``
cursor, each filter). Each case costs the same number of queries as with the persona world's few events;
printed against the floors (a trivial page, a trivial API view) measured in the same run.

Run with ``make bench`` (the figures go to the issue note).
"""

import time

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.core.models import AuditEvent, Organization
from apps.customers.models import Customer, CustomerPackage
from apps.onboarding.models import OnboardingTemplate
from tests.bench.floor import FLOOR_API, FLOOR_PAGE
from tests.bench.seed import (
    analyse,
    bulk_customers,
    bulk_other_customers,
    measure,
    next_link,
    print_small_vs_large,
    seed_audit_events,
)
from tests.conftest import fresh

pytestmark = pytest.mark.bench

CUSTOMERS = 10_000
EVENTS = 200_000
REQUESTS = 25


def test_audit_logs_at_four_hundred_thousand_events(world, client, api_client, capsys, settings):
    settings.ROOT_URLCONF = "tests.bench.floor"
    acme, admin = world.acme, fresh(world.acme_admin)
    client.force_login(admin)
    api = api_client(admin)
    partner_page = reverse("partner:audit_list", kwargs={"org_id": acme.webex_id})
    globex_admin = fresh(world.globex_admin)
    globex_page = reverse("partner:audit_list", kwargs={"org_id": world.globex.webex_id})
    globex_client = type(client)()
    globex_client.force_login(globex_admin)

    def ok(response):
        assert response.status_code == 200, (response.status_code, response.content[:300])
        return response

    # At the persona world's size the deep cases ask for the first page (an empty page would skip queries).
    seeded = {"page": "1", "offset": "0", "customer": world.blue_harbor.org, "since": timezone.localdate()}

    def customer_page():
        return reverse("control:audit_list", kwargs={"org_id": seeded["customer"].webex_id})

    cases = {
        "Partner Hub audit log, page 1": lambda: ok(client.get(partner_page)),
        "Partner Hub audit log, page 200 (htmx partial)": lambda: ok(
            client.get(partner_page, {"page": seeded["page"]}, HTTP_HX_REQUEST="true")
        ),
        "Partner Hub audit log, one event": lambda: ok(
            client.get(partner_page, {"action": "subscriber.create"})
        ),
        "Partner Hub audit log, actor e-mail": lambda: ok(client.get(partner_page, {"actor": "admin7@"})),
        "Partner Hub audit log, one day": lambda: ok(
            client.get(partner_page, {"date_from": seeded["since"], "date_to": seeded["since"]})
        ),
        "Control Hub audit log of one customer": lambda: ok(client.get(customer_page())),
        "Small partner's audit log (Globex)": lambda: ok(globex_client.get(globex_page)),
        "GET /v1/partner/auditEvents (max=100)": lambda: ok(
            api.get("/v1/partner/auditEvents", {"max": "100"})
        ),
        "GET ... ?offset=9900&max=100": lambda: ok(
            api.get("/v1/partner/auditEvents", {"offset": seeded["offset"], "max": "100"})
        ),
        "GET ... deep page by the next link (cursor)": lambda: ok(api.get(seeded["next"])),
        "GET ... ?action=subscriber.create": lambda: ok(
            api.get("/v1/partner/auditEvents", {"action": "subscriber.create", "max": "100"})
        ),
        "GET ... ?from=&to= (one day)": lambda: ok(
            api.get(
                "/v1/partner/auditEvents",
                {"from": seeded["since"].isoformat(), "to": seeded["since"].isoformat(), "max": "100"},
            )
        ),
    }
    floors = {"page": lambda: ok(client.get(FLOOR_PAGE)), "api": lambda: ok(api.get(FLOOR_API))}

    seeded["next"] = next_link(api.get("/v1/partner/auditEvents", {"max": "2"}))
    small = {name: measure(call, REQUESTS) for name, call in cases.items()}
    small_floor = {kind: measure(call, REQUESTS) for kind, call in floors.items()}

    started = time.perf_counter()
    template = OnboardingTemplate.objects.get(partner=acme)
    bulk_customers(acme, template, 0, CUSTOMERS)
    benched = Organization.objects.filter(parent=acme, name__startswith="Bench Customer")
    acme_orgs = list(benched.values_list("pk", flat=True))
    other = Organization.objects.create(name="Bench Other Partner", kind="partner", parent=world.platform)
    other_orgs = [c.org_id for c in bulk_other_customers(other, 1_000)]
    seed_audit_events([acme.pk, *acme_orgs], "acme", EVENTS)
    seed_audit_events([other.pk, *other_orgs], "other", EVENTS)
    analyse(Organization, Customer, CustomerPackage, AuditEvent)
    took = time.perf_counter() - started
    assert AuditEvent.objects.filter(acting_org__parent=acme).count() >= EVENTS * 0.9

    seeded.update(page="200", offset="9900", customer=Organization.objects.get(pk=acme_orgs[7]))
    seeded["since"] = (timezone.now() - timezone.timedelta(days=3)).date()
    seeded["next"] = next_link(api.get("/v1/partner/auditEvents", {"offset": "9800", "max": "100"}))
    large = {name: measure(call, REQUESTS) for name, call in cases.items()}
    large_floor = {kind: measure(call, REQUESTS) for kind, call in floors.items()}

    with capsys.disabled():
        print(
            f"\n\nAudit logs: the persona world's events vs {2 * EVENTS:,} events "
            f"({CUSTOMERS:,} customers of Acme; seeded in {took:.1f} s)"
        )
        print_small_vs_large(
            cases,
            small,
            large,
            small_floor,
            large_floor,
            labels=("@few", "@400k"),
            width=48,
            requests=REQUESTS,
        )
    for name in cases:
        assert large[name][0] == small[name][0], f"{name}: queries grow with the number of events"
