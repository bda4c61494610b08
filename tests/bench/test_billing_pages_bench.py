"""Scale: the Partner Hub's Billing pages of a partner whose 200,000 holders have a month of usage behind them
(6,600,000 usage rows: last month and this month to date; every other holder in one customer, the others
spread over 5,000 customers, twenty each), against 2,000 holders. The overview (its 90-day chart, the invoice
previews of this month and the last, and last month's usage per customer, largest first, one page at a time)
and a customer's statement read the sums the daily build keeps, never the holders' rows: their queries and
CPU must not grow with the usage, and each page is compared with the floor (a trivial logged-in page)
measured in the same run.

Usage rows are generated in SQL (``generate_series``) in the shape the daily build writes, then each day's
sums are built by the service (``usage_day_sums_build``), whose time per day is printed too. PostgreSQL only
(``make bench`` with a ``DATABASE_URL`` of PostgreSQL).
"""

import time
from datetime import UTC, timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from apps.billing.models import CustomerUsageDay, CustomerUsageMonth, PartnerUsageDay, UsageDay
from apps.billing.selectors.invoice import previous_month
from apps.billing.services.usage import usage_day_sums_build
from apps.core.ids import IdType, encode_id
from tests.bench.floor import FLOOR_PAGE
from tests.bench.seed import analyse, measure, next_page, print_against_console, print_small_vs_large
from tests.conftest import fresh

pytestmark = pytest.mark.bench

HOLDERS = 200_000
FEW = 2_000  # the holders of the small run (51 customers: two pages); the large run adds the others
REQUESTS = 15


def _seed_usage(world, first, days: int, holders: range) -> None:
    """Holders of Acme (numbered ``holders``), each holding a calling or a suite licence every day from
    ``first`` for ``days`` days (a tenth of them half a day on the 15th); the even ones in Blue Harbor."""
    blue = world.blue_harbor
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {UsageDay._meta.db_table} (day, kind, holder_uuid, user_uuid, customer_uuid, org_uuid,
                customer_external_id, partner_uuid, billed_partner_uuid, location_uuid, service, quantity)
            SELECT %(first)s + d, 'subscriber', md5(n::text)::uuid, md5('u' || n)::uuid,
                   CASE WHEN mod(n, 2) = 0 THEN %(blue)s ELSE md5('c' || (n / 40))::uuid END,
                   CASE WHEN mod(n, 2) = 0 THEN %(blue_org)s ELSE md5('o' || (n / 40))::uuid END,
                   CASE WHEN mod(n, 2) = 0 THEN %(blue_external_id)s ELSE 'EXT-' || (n / 40) END,
                   %(partner)s, %(partner)s, md5('l' || (n / 40))::uuid,
                   CASE WHEN mod(n, 2) = 0 THEN 'webex_calling' ELSE 'webex_suite' END,
                   CASE WHEN d = 14 AND mod(n, 10) = 0 THEN 0.5 ELSE 1 END
            FROM generate_series(%(first_holder)s, %(last_holder)s) n
            CROSS JOIN generate_series(0, %(days)s - 1) d
            """,  # noqa: S608 (the table's name comes from the model)
            {
                "first": first,
                "days": days,
                "first_holder": holders.start,
                "last_holder": holders.stop - 1,
                "blue": blue.pk,
                "blue_org": blue.org_id,
                "blue_external_id": blue.external_id,
                "partner": world.acme.id,
            },
        )
    analyse(UsageDay)


def test_billing_pages_at_two_hundred_thousand_holders(world, client, capsys, settings):
    if connection.vendor != "postgresql":
        pytest.skip("the billing benchmarks run on PostgreSQL (set DATABASE_URL)")
    settings.ROOT_URLCONF = "tests.bench.floor"
    acme, blue = world.acme, world.blue_harbor
    client.force_login(fresh(world.acme_admin))
    org_id = acme.webex_id
    overview = reverse("partner:billing_overview", kwargs={"org_id": org_id})
    statement = reverse(
        "partner:billing_statement",
        kwargs={"org_id": org_id, "customer_id": encode_id(IdType.CUSTOMER, blue.pk)},
    )
    following = {}

    def ok(response):
        assert response.status_code == 200, (response.status_code, response.content[:300])
        return response

    cases = {
        "Billing overview (chart, invoices, page 1)": lambda: ok(client.get(overview)),
        "Billing overview, next page (htmx partial)": lambda: ok(
            client.get(overview, following, HTTP_HX_REQUEST="true")
        ),
        "Customer statement, last month (100k holders)": lambda: ok(client.get(statement)),
    }
    floors = {"page": lambda: ok(client.get(FLOOR_PAGE))}

    today = timezone.now().astimezone(UTC).date()
    first = previous_month(today)[0]
    days = (today - first).days  # last month and this month up to yesterday

    def sums_build() -> float:
        """Build each day's sums (the month's with them); the seconds a day took."""
        started = time.perf_counter()
        for day in range(days):
            usage_day_sums_build(day=first + timedelta(days=day))
        analyse(CustomerUsageDay, PartnerUsageDay, CustomerUsageMonth)
        return (time.perf_counter() - started) / days

    _seed_usage(world, first, days, range(1, FEW + 1))
    sums_build()
    following.update(next_page(client, overview, {}))
    small = {name: measure(call, REQUESTS) for name, call in cases.items()}
    small_floor = {kind: measure(call, REQUESTS) for kind, call in floors.items()}

    started = time.perf_counter()
    _seed_usage(world, first, days, range(FEW + 1, HOLDERS + 1))
    seeded = time.perf_counter() - started
    per_day = sums_build()
    following.clear()
    following.update(next_page(client, overview, {}))
    large = {name: measure(call, REQUESTS) for name, call in cases.items()}
    large_floor = {kind: measure(call, REQUESTS) for kind, call in floors.items()}
    console = measure(
        lambda: ok(client.get(reverse("partner:settings", kwargs={"org_id": org_id}))), REQUESTS
    )

    with capsys.disabled():
        print(
            f"\n\nBilling pages: {FEW} vs {HOLDERS:,} holders over {days} days "
            f"({HOLDERS * days:,} usage rows seeded in {seeded:.1f} s; each day's sums, month's too, "
            f"built in {per_day:.2f} s)"
        )
        print_small_vs_large(
            cases,
            small,
            large,
            small_floor,
            large_floor,
            labels=("@2k", "@200k"),
            width=48,
            requests=REQUESTS,
        )
        print_against_console(
            cases, large, ("the partner's Settings page, a console page with one form", console)
        )
    for name in cases:
        assert large[name][0] == small[name][0], f"{name}: queries grow with the usage"
