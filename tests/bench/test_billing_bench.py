"""Billing at scale, on PostgreSQL (run with ``make bench`` and a ``DATABASE_URL`` of PostgreSQL):

1. The daily job for 200,000 holders (each with an interval touching the day: most held all day, some
   changing package at a random second, some removed mid-day) against a bare ``INSERT ... SELECT`` that
   computes the same rows into a table of the same shape. Must be within 2×.
2. A one-month USER report over 200,000 subscribers (6,000,000 usage rows) against the bare SQL
   ``GROUP BY`` on the same table, fetched in full. Must be within 2×, with flat memory while the CSV is
   written (Python's traced peak stays small and does not grow with the lines written).

Rows are generated in SQL (``generate_series``), shaped like what the services write; the tables are
analysed afterwards as autovacuum would. Figures are printed for the issue note.
"""

import tempfile
import time
import tracemalloc
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection

from apps.billing.models import BillingReport, UsageDay
from apps.billing.services.reports import report_csv_write
from apps.billing.services.usage import usage_day_build
from apps.subscribers.models import PackageAssignment

pytestmark = pytest.mark.bench

HOLDERS = 200_000
DAYS = 30


def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("the billing benchmarks run on PostgreSQL (set DATABASE_URL)")


def _timed(function, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - started)
    return best


def test_daily_job_for_200k_holders_within_2x_of_a_bare_insert_select(world):
    _postgres_only()
    day = date(2026, 6, 15)
    start = datetime.combine(day, datetime.min.time(), tzinfo=UTC)
    customer = world.blue_harbor
    table = PackageAssignment._meta.db_table
    with connection.cursor() as cursor:
        # mod(n, 10): 0 → changed package at a random second of the day (two intervals); 1 → removed mid-day;
        # else held all day (started ten days before, open).
        cursor.execute(
            f"""
            INSERT INTO {table} (id, subscriber_uuid, subscriber_email, workspace_name, customer_uuid,
                                 org_uuid, partner_uuid, package, started_at, ended_at)
            SELECT gen_random_uuid(), md5(n::text)::uuid, '', '', %(customer)s, %(org)s, %(partner)s,
                   CASE WHEN mod(n, 2) = 0 THEN 'webex_calling' ELSE 'webex_suite' END,
                   %(start)s - interval '10 days',
                   CASE mod(n, 10) WHEN 0 THEN %(start)s + (mod(n, 86400)) * interval '1 second'
                               WHEN 1 THEN %(start)s + interval '13 hours' ELSE NULL END
            FROM generate_series(1, %(holders)s) n;
            INSERT INTO {table} (id, subscriber_uuid, subscriber_email, workspace_name, customer_uuid,
                                 org_uuid, partner_uuid, package, started_at, ended_at)
            SELECT gen_random_uuid(), md5(n::text)::uuid, '', '', %(customer)s, %(org)s, %(partner)s,
                   'webex_meetings', %(start)s + (mod(n, 86400)) * interval '1 second', NULL
            FROM generate_series(1, %(holders)s) n WHERE mod(n, 10) = 0;
            ANALYZE {table};
            CREATE TABLE bench_usage_baseline (LIKE {UsageDay._meta.db_table} INCLUDING ALL);
            """,
            {
                "customer": customer.pk,
                "org": customer.org_id,
                "partner": world.acme.id,
                "start": start,
                "holders": HOLDERS,
            },
        )

    def baseline():
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE bench_usage_baseline")
            cursor.execute(
                f"""
                INSERT INTO bench_usage_baseline (day, kind, holder_uuid, customer_uuid, org_uuid,
                    customer_external_id, partner_uuid, billed_partner_uuid, service, quantity)
                SELECT %(day)s, 'subscriber', a.subscriber_uuid, a.customer_uuid, a.org_uuid, '',
                       a.partner_uuid, a.partner_uuid, a.package,
                       SUM(EXTRACT(EPOCH FROM LEAST(COALESCE(a.ended_at, %(end)s), %(end)s)
                           - GREATEST(a.started_at, %(start)s))) / 86400.0
                FROM {table} a
                WHERE a.started_at < %(end)s AND (a.ended_at IS NULL OR a.ended_at > %(start)s)
                GROUP BY a.subscriber_uuid, a.customer_uuid, a.org_uuid, a.partner_uuid, a.package
                """,
                {"day": day, "start": start, "end": start + timedelta(days=1)},
            )

    ours = _timed(lambda: usage_day_build(day=day))
    bare = _timed(baseline)
    rows = UsageDay.objects.filter(day=day).count()
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*), SUM(quantity) FROM bench_usage_baseline")
        bare_rows, bare_sum = cursor.fetchone()
    total = sum(UsageDay.objects.filter(day=day).values_list("quantity", flat=True))
    print(
        f"\n[billing bench] daily job, {HOLDERS:,} holders: {rows:,} usage rows in {ours:.2f} s; "
        f"bare INSERT…SELECT {bare:.2f} s; ratio {ours / bare:.2f}"
    )
    assert rows == bare_rows and total == pytest.approx(bare_sum, rel=1e-9)
    assert ours <= 2 * bare


def test_user_report_of_a_month_over_6m_usage_rows_within_2x_of_the_bare_group_by(world):
    _postgres_only()
    first = date(2026, 6, 1)
    last = first + timedelta(days=DAYS - 1)
    table = UsageDay._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {table} (day, kind, holder_uuid, user_uuid, customer_uuid, org_uuid,
                                 customer_external_id, partner_uuid, billed_partner_uuid, location_uuid,
                                 service, quantity)
            SELECT %(first)s + d, 'subscriber', md5(n::text)::uuid, md5('u' || n)::uuid,
                   md5('c' || (n / 100))::uuid, md5('o' || (n / 100))::uuid, 'EXT-' || (n / 100),
                   %(partner)s, %(partner)s, md5('l' || (n / 100))::uuid,
                   CASE WHEN mod(n, 2) = 0 THEN 'webex_calling' ELSE 'webex_suite' END,
                   CASE WHEN d = 14 AND mod(n, 10) = 0 THEN 0.5 ELSE 1 END
            FROM generate_series(1, %(holders)s) n CROSS JOIN generate_series(0, %(days)s - 1) d;
            ANALYZE {table};
            """,
            {"first": first, "partner": world.acme.id, "holders": HOLDERS, "days": DAYS},
        )
    report = BillingReport.objects.create(
        partner=world.acme, type="USER", start_date=first, end_date=last, created_by=world.acme_admin
    )

    def bare():
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                SELECT service, org_uuid, customer_external_id, location_uuid, kind, holder_uuid, user_uuid,
                       MIN(day), MAX(day), SUM(quantity)
                FROM {table} WHERE billed_partner_uuid = %s AND day BETWEEN %s AND %s
                GROUP BY service, org_uuid, customer_external_id, location_uuid, kind, holder_uuid, user_uuid
                """,
                [world.acme.id, first, last],
            )
            return sum(1 for _ in cursor)

    lines = {}

    def ours():
        with tempfile.TemporaryFile() as spool:
            lines["count"] = report_csv_write(report=report, stream=spool)
            lines["bytes"] = spool.tell()

    ours_s = _timed(ours, repeat=2)
    bare_s = _timed(bare, repeat=2)
    tracemalloc.start()
    ours()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"\n[billing bench] USER report, {HOLDERS * DAYS:,} usage rows → {lines['count']:,} lines "
        f"({lines['bytes'] / 1e6:.1f} MB of CSV) in {ours_s:.2f} s; bare GROUP BY {bare_s:.2f} s; "
        f"ratio {ours_s / bare_s:.2f}; Python peak while writing {peak / 1e6:.1f} MB"
    )
    assert lines["count"] == HOLDERS
    assert ours_s <= 2 * bare_s
    assert peak < 32e6  # flat: a 40+ MB file never sits in memory
