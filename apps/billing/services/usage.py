"""Usage days from the package assignment history: one ``INSERT ... SELECT`` per day turns the intervals
that touch that UTC day (subscribers and workspaces, packages and add-ons alike) into one row per holder,
service and location, quantity = the held part of the day; a second one adds the Setup Assist orders placed
that day. The SQL integrates exactly (seconds of the day, microseconds included), so a full day is 1 and a
package change at noon gives each package 0.5.

A day is rebuilt whole in one transaction (delete + insert): re-running it replaces it, and with it the sums
the Billing pages read (``_sums_sql``: the day per customer and per partner, the month per customer).
``usage_days_run`` (the daily beat job) builds every day from the first one not yet completed (a failed day
included) up to yesterday; ``usage_days_backfill`` builds a range (the management command). Usage of a
sub-partner's customers is billed to the parent's subscription from the sub-partner's billing start date on.
"""

import calendar
import logging
from datetime import UTC, date, datetime, time, timedelta

from django.db import connection, transaction
from django.db.models import UUIDField
from django.utils import timezone

from apps.billing.models import (
    CustomerUsageDay,
    CustomerUsageMonth,
    HolderKind,
    PartnerUsageDay,
    SetupAssistOrder,
    UsageDay,
    UsageRun,
    UsageRunStatus,
)
from apps.core.locks import named_lock
from apps.core.models import Organization, OrgKind
from apps.customers.models import Customer
from apps.subpartners.selectors import billing_start_date
from apps.subscribers.models import PackageAssignment, Subscriber

logger = logging.getLogger(__name__)
DAY_SECONDS = 86400
# How far back the daily run looks for a day it has not completed (a longer outage: the backfill command).
CATCH_UP_DAYS = 35


def _seconds_sqlite(column: str) -> str:
    """Seconds since midnight of a stored datetime (SQLite keeps 'YYYY-MM-DD HH:MM:SS[.ffffff]' in UTC)."""
    return (
        f"(CAST(substr({column}, 12, 2) AS INTEGER) * 3600 + CAST(substr({column}, 15, 2) AS INTEGER) * 60"
        f" + CAST(substr({column}, 18) AS REAL))"
    )


def _held_seconds_sql() -> str:
    """The seconds of [day_start, day_end) that an interval ``a`` covers, for the current database."""
    if connection.vendor == "postgresql":
        return (
            "EXTRACT(EPOCH FROM LEAST(COALESCE(a.ended_at, %(day_end)s), %(day_end)s)"
            " - GREATEST(a.started_at, %(day_start)s))"
        )
    start = f"CASE WHEN a.started_at <= %(day_start)s THEN 0 ELSE {_seconds_sqlite('a.started_at')} END"
    end = (
        f"CASE WHEN a.ended_at IS NULL OR a.ended_at >= %(day_end)s THEN {DAY_SECONDS}"
        f" ELSE {_seconds_sqlite('a.ended_at')} END"
    )
    return f"(({end}) - ({start}))"


def _uuid_param(value):
    return UUIDField().get_db_prep_value(value, connection)


def _unbilled_partners(day: date) -> list:
    """Sub-partners whose billing has not started on ``day``: their customers' usage is not billed yet."""
    subpartners = Organization.objects.filter(kind=OrgKind.PARTNER, parent__isnull=False)
    return [sp.id for sp in subpartners if billing_start_date(subpartner=sp) > day]


def _insert_sql(unbilled: list) -> str:
    usage = UsageDay._meta.db_table
    assignments = PackageAssignment._meta.db_table
    customers = Customer._meta.db_table
    subscribers = Subscriber._meta.db_table
    orgs = Organization._meta.db_table
    orders = SetupAssistOrder._meta.db_table
    excluded = ""
    excluded_orders = ""
    if unbilled:
        marks = ", ".join(f"%(unbilled_{n})s" for n in range(len(unbilled)))
        excluded = f" AND a.partner_uuid NOT IN ({marks})"
        excluded_orders = f" AND o.partner_id NOT IN ({marks})"
    held = _held_seconds_sql()
    columns = (
        "day, kind, holder_uuid, user_uuid, customer_uuid, org_uuid, customer_external_id, partner_uuid,"
        " billed_partner_uuid, location_uuid, service, quantity"
    )
    # Table and column names come from the models; every value is a query parameter.
    holdings = f"""
        INSERT INTO {usage} ({columns})
        SELECT %(day)s,
               CASE WHEN a.subscriber_uuid IS NOT NULL THEN '{HolderKind.SUBSCRIBER}'
                    ELSE '{HolderKind.WORKSPACE}' END,
               COALESCE(a.subscriber_uuid, a.workspace_uuid), s.user_id, a.customer_uuid, a.org_uuid,
               COALESCE(c.external_id, ''), a.partner_uuid, COALESCE(p.parent_id, p.id), a.location_uuid,
               a.package, SUM({held}) / {DAY_SECONDS}.0
        FROM {assignments} a
        JOIN {orgs} p ON p.id = a.partner_uuid
        LEFT JOIN {customers} c ON c.id = a.customer_uuid
        LEFT JOIN {subscribers} s ON s.id = a.subscriber_uuid
        WHERE a.started_at < %(day_end)s AND (a.ended_at IS NULL OR a.ended_at > %(day_start)s)
          AND a.partner_uuid IS NOT NULL{excluded}
        GROUP BY a.subscriber_uuid, a.workspace_uuid, s.user_id, a.customer_uuid, a.org_uuid, c.external_id,
                 a.partner_uuid, p.parent_id, p.id, a.location_uuid, a.package
        HAVING SUM({held}) > 0
    """  # noqa: S608
    orders_sql = f"""
        INSERT INTO {usage} ({columns})
        SELECT o.billing_day, '{HolderKind.SETUP_ASSIST}', o.id, NULL, o.customer_uuid, o.org_uuid,
               o.customer_external_id, o.partner_id, COALESCE(p.parent_id, p.id), o.location_uuid, o.sku,
               CASE WHEN o.sku = 'setup_assist_express' THEN 1 ELSE o.seats END
        FROM {orders} o JOIN {orgs} p ON p.id = o.partner_id
        WHERE o.billing_day = %(day)s{excluded_orders}
    """  # noqa: S608
    return holdings, orders_sql


def _sums_sql() -> list[str]:
    """The day's sums, from its usage rows: per customer and service; per partner (or
    sub-partner) and service, from those; and the month of each customer, from the month's customer days
    (``%(month)s`` to ``%(month_end)s``). Each replaces what the day or month held."""
    usage = UsageDay._meta.db_table
    customer_days = CustomerUsageDay._meta.db_table
    partner_days = PartnerUsageDay._meta.db_table
    months = CustomerUsageMonth._meta.db_table
    customer = "customer_uuid, org_uuid, customer_external_id, partner_uuid, billed_partner_uuid"
    # Table and column names come from the models; every value is a query parameter.
    return [
        f"DELETE FROM {customer_days} WHERE day = %(day)s",  # noqa: S608
        f"""INSERT INTO {customer_days} (day, {customer}, service, quantity)
            SELECT day, {customer}, service, SUM(quantity) FROM {usage} WHERE day = %(day)s
            GROUP BY day, {customer}, service""",  # noqa: S608
        f"DELETE FROM {partner_days} WHERE day = %(day)s",  # noqa: S608
        f"""INSERT INTO {partner_days} (day, partner_uuid, billed_partner_uuid, service, quantity)
            SELECT day, partner_uuid, billed_partner_uuid, service, SUM(quantity) FROM {customer_days}
            WHERE day = %(day)s GROUP BY day, partner_uuid, billed_partner_uuid, service""",  # noqa: S608
        f"DELETE FROM {months} WHERE month = %(month)s",  # noqa: S608
        f"""INSERT INTO {months} (month, {customer}, quantity)
            SELECT %(month)s, {customer}, SUM(quantity) FROM {customer_days}
            WHERE day BETWEEN %(month)s AND %(month_end)s GROUP BY {customer}""",  # noqa: S608
    ]


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time.min, tzinfo=UTC)
    return start, start + timedelta(days=1)


@transaction.atomic
def usage_day_sums_build(*, day: date) -> None:
    """Rebuild the sums of ``day`` from its usage rows (``usage_day_build`` calls it once they are written):
    the day per customer and per partner, and the whole month per customer."""
    named_lock(f"billing.usage_month:{day:%Y-%m}")
    month = day.replace(day=1)
    params = {
        "day": connection.ops.adapt_datefield_value(day),
        "month": connection.ops.adapt_datefield_value(month),
        "month_end": connection.ops.adapt_datefield_value(
            month.replace(day=calendar.monthrange(month.year, month.month)[1])
        ),
    }
    with connection.cursor() as cursor:
        for sql in _sums_sql():
            cursor.execute(sql, params)


@transaction.atomic
def usage_day_build(*, day: date) -> int:
    """Rebuild ``day`` (a UTC day) from the assignment history and the Setup Assist orders; returns the
    number of usage rows. Idempotent: the day's previous rows are replaced. The builds of one month take
    turns (they rebuild the same month's sums)."""
    named_lock(f"billing.usage_month:{day:%Y-%m}")
    start, end = _day_bounds(day)
    unbilled = _unbilled_partners(day)
    params = {
        "day": connection.ops.adapt_datefield_value(day),
        "day_start": connection.ops.adapt_datetimefield_value(start),
        "day_end": connection.ops.adapt_datetimefield_value(end),
        **{f"unbilled_{n}": _uuid_param(value) for n, value in enumerate(unbilled)},
    }
    UsageDay.objects.filter(day=day).delete()
    rows = 0
    with connection.cursor() as cursor:
        for sql in _insert_sql(unbilled):
            cursor.execute(sql, params)
            rows += max(cursor.rowcount, 0)
    usage_day_sums_build(day=day)
    UsageRun.objects.update_or_create(
        day=day,
        defaults={
            "status": UsageRunStatus.COMPLETED,
            "rows": rows,
            "error": "",
            "finished_at": timezone.now(),
        },
    )
    return rows


def _record_failure(day: date, error: Exception) -> None:
    UsageRun.objects.update_or_create(
        day=day,
        defaults={
            "status": UsageRunStatus.FAILED,
            "rows": 0,
            "error": f"{type(error).__name__}: {error}"[:2000],
            "finished_at": timezone.now(),
        },
    )


def usage_days_backfill(*, start: date, end: date) -> dict[str, int]:
    """Build every day of [start, end]; a day that fails is recorded FAILED (the next run retries it) and
    the others still build. Returns {"days", "rows", "failed"}."""
    built = rows = failed = 0
    day = start
    while day <= end:
        try:
            rows += usage_day_build(day=day)
            built += 1
        except Exception as error:  # noqa: BLE001 - any failure of one day must not stop the others
            logger.exception("Usage day %s failed", day)
            _record_failure(day, error)
            failed += 1
        day += timedelta(days=1)
    return {"days": built, "rows": rows, "failed": failed}


def usage_days_pending(*, today: date) -> list[date]:
    """The days the daily run builds: from the first day of the catch-up window it ever built (else
    yesterday) up to yesterday, every day that is not completed: a missed or failed day is built again."""
    yesterday = today - timedelta(days=1)
    window_start = today - timedelta(days=CATCH_UP_DAYS)
    runs = dict(
        UsageRun.objects.filter(day__gte=window_start, day__lte=yesterday).values_list("day", "status")
    )
    completed = [d for d, s in runs.items() if s == UsageRunStatus.COMPLETED]
    first = min([*completed, *(d for d, s in runs.items() if s == UsageRunStatus.FAILED)], default=yesterday)
    days, day = [], first
    while day <= yesterday:
        if runs.get(day) != UsageRunStatus.COMPLETED:
            days.append(day)
        day += timedelta(days=1)
    return days


def usage_days_run(*, today: date | None = None) -> dict[str, int]:
    """The daily job: yesterday (UTC), plus every day of the window a previous run missed or failed."""
    today = today or timezone.now().astimezone(UTC).date()
    built = rows = failed = 0
    for day in usage_days_pending(today=today):
        result = usage_days_backfill(start=day, end=day)
        built, rows, failed = built + result["days"], rows + result["rows"], failed + result["failed"]
    return {"days": built, "rows": rows, "failed": failed}
