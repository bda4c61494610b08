"""Scale: the overviews (dashboards) of Partner Hub and Control Hub at 10,000 customers and 200,000
subscribers of one partner (100,000 of them in one customer, each with its open package assignment, as
subscriber_add writes), against the persona world: their queries must not grow, and their time is printed
against the floor (a trivial logged-in page) and a plain console page measured in the same run.

The package trend's past weeks read the billing day sums: the bench writes those of the trend's days as the
daily usage build would for the seeded intervals (every one held all day), so that the overviews read them.
"""

import time
from datetime import UTC

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.billing.models import CustomerUsageDay, PartnerUsageDay, UsageRun, UsageRunStatus
from apps.core.models import Organization
from apps.customers.models import Customer, CustomerPackage
from apps.dashboards.selectors import trend_moments
from apps.locations.models import Extension
from apps.onboarding.models import OnboardingTemplate
from apps.subscribers.models import PackageAssignment, Subscriber
from tests.bench.floor import FLOOR_PAGE
from tests.bench.seed import (
    analyse,
    bulk_customers,
    bulk_other_customers,
    measure,
    print_against_console,
    print_small_vs_large,
    seed_subscribers,
)
from tests.bench.test_subscriber_list_bench import OTHERS, PER_OTHER
from tests.conftest import fresh

pytestmark = pytest.mark.bench

CUSTOMERS = 10_000
IN_ONE_CUSTOMER = 100_000
REQUESTS = 10


def seed_trend_day_sums() -> None:
    """The billing day sums of the trend's past days, as ``usage_day_build`` leaves them when every open
    interval was held all of each day: one licence-day per interval, per customer and per partner."""
    days = [moment.astimezone(UTC).date() for moment in trend_moments()[:-1]]
    customer_days, partner_days = CustomerUsageDay._meta.db_table, PartnerUsageDay._meta.db_table
    assignments = PackageAssignment._meta.db_table
    customer = "customer_uuid, org_uuid, customer_external_id, partner_uuid, billed_partner_uuid"
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {customer_days} (day, {customer}, service, quantity)
                SELECT d, a.customer_uuid, a.org_uuid, '', a.partner_uuid, a.partner_uuid, a.package, COUNT(*)
                FROM {assignments} a CROSS JOIN unnest(%s::date[]) AS d
                WHERE a.ended_at IS NULL
                GROUP BY d, a.customer_uuid, a.org_uuid, a.partner_uuid, a.package""",  # noqa: S608
            [days],
        )
        cursor.execute(
            f"""INSERT INTO {partner_days} (day, partner_uuid, billed_partner_uuid, service, quantity)
                SELECT day, partner_uuid, billed_partner_uuid, service, SUM(quantity) FROM {customer_days}
                GROUP BY day, partner_uuid, billed_partner_uuid, service""",  # noqa: S608
        )
    UsageRun.objects.bulk_create(
        [UsageRun(day=day, status=UsageRunStatus.COMPLETED, finished_at=timezone.now()) for day in days]
    )


def test_overviews_at_ten_thousand_customers_and_two_hundred_thousand_subscribers(
    world, client, capsys, settings
):
    settings.ROOT_URLCONF = "tests.bench.floor"
    acme, blue = world.acme, world.blue_harbor
    client.force_login(fresh(world.acme_admin))

    def ok(response):
        assert response.status_code == 200, (response.status_code, response.content[:300])
        return response

    partner = reverse("partner:overview", kwargs={"org_id": acme.webex_id})
    cases = {
        "Partner Hub overview": lambda: ok(client.get(partner)),
        "Control Hub overview, 100,000 users": lambda: ok(
            client.get(reverse("control:overview", kwargs={"org_id": blue.org.webex_id}))
        ),
        "Control Hub overview, 100 users": lambda: ok(
            client.get(reverse("control:overview", kwargs={"org_id": world.cedar_pine.org.webex_id}))
        ),
    }
    floors = {"page": lambda: ok(client.get(FLOOR_PAGE))}
    small = {name: measure(call, REQUESTS) for name, call in cases.items()}
    small_floor = {kind: measure(call, REQUESTS) for kind, call in floors.items()}

    started = time.perf_counter()
    bulk_customers(acme, OnboardingTemplate.objects.get(partner=acme), 0, CUSTOMERS)
    seed_subscribers(blue, "big", IN_ONE_CUSTOMER)
    seed_subscribers(world.cedar_pine, "cedar", PER_OTHER)
    for index, customer in enumerate(bulk_other_customers(acme, OTHERS)):
        seed_subscribers(customer, f"c{index:04d}-", PER_OTHER)
    seed_trend_day_sums()
    analyse(
        Organization,
        Customer,
        CustomerPackage,
        User,
        Subscriber,
        Extension,
        PackageAssignment,
        CustomerUsageDay,
        PartnerUsageDay,
    )
    seeded = time.perf_counter() - started
    large = {name: measure(call, REQUESTS) for name, call in cases.items()}
    large_floor = {kind: measure(call, REQUESTS) for kind, call in floors.items()}
    console = measure(
        lambda: ok(client.get(reverse("partner:settings", kwargs={"org_id": acme.webex_id}))), REQUESTS
    )

    with capsys.disabled():
        print(
            f"\n\nOverviews: the persona world vs {CUSTOMERS + OTHERS:,} customers and "
            f"{IN_ONE_CUSTOMER + OTHERS * PER_OTHER:,} subscribers (seeded in {seeded:.1f} s)"
        )
        print_small_vs_large(
            cases,
            small,
            large,
            small_floor,
            large_floor,
            labels=("@few", "@200k"),
            width=40,
            requests=REQUESTS,
        )
        print_against_console(
            cases, large, ("the partner's Settings page, a console page with one form", console)
        )
    for name in cases:
        assert large[name][0] == small[name][0], f"{name}: queries grow with the data"
