"""Usage days: the SQL integration against a brute-force count, second by second; the daily job's
idempotence, retry of a failed day, removed customers, sub-partner billing start dates, the backfill
command."""

import uuid
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.billing.models import UsageDay, UsageRun, UsageRunStatus
from apps.billing.services import usage as usage_services
from apps.billing.services.usage import usage_day_build, usage_days_backfill, usage_days_run
from apps.subscribers.models import PackageAssignment, Subscriber
from apps.subscribers.services.history import assignment_change, assignment_close

PACKAGES = ["webex_calling", "webex_suite", "webex_meetings"]
# Windows of three days: an ordinary one, around a leap day, across the end of a year.
BASES = [
    datetime(2026, 3, 9, tzinfo=UTC),
    datetime(2028, 2, 28, tzinfo=UTC),
    datetime(2026, 12, 30, tzinfo=UTC),
]
SPAN = 3 * 86400


class _Rollback(Exception):
    pass


# A holder's history: sorted instants (seconds into the window); between two of them it holds a package or
# nothing; the last interval may stay open.
holder_histories = st.lists(
    st.tuples(
        st.lists(st.integers(0, SPAN - 1), min_size=1, max_size=7, unique=True).map(sorted),
        st.lists(st.sampled_from([*PACKAGES, None]), min_size=7, max_size=7),
        st.booleans(),
    ),
    min_size=1,
    max_size=4,
)


def _intervals(history):
    """[(package, start, end or None)] of one holder: consecutive instants bound intervals (a change when
    both sides hold a package, a gap when one side holds nothing)."""
    instants, packages, open_end = history
    found = []
    for n, start in enumerate(instants):
        package = packages[n]
        end = instants[n + 1] if n + 1 < len(instants) else (None if open_end else SPAN)
        if package is not None and (end is None or end > start):
            found.append((package, start, end))
    return found


def _brute_force(intervals_by_holder):
    """{(holder, package, day index): held seconds}, by marking every second of the window."""
    expected = defaultdict(float)
    for holder, intervals in intervals_by_holder.items():
        for package in PACKAGES:
            seconds = bytearray(SPAN)
            for p, start, end in intervals:
                if p == package:
                    stop = SPAN if end is None else end
                    seconds[start:stop] = b"\x01" * (stop - start)
            for day in range(3):
                held = seconds[day * 86400 : (day + 1) * 86400].count(1)
                if held:
                    expected[(holder, package, day)] = held / 86400
    return expected


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(histories=holder_histories, base=st.sampled_from(BASES))
def test_usage_rows_equal_a_second_by_second_integration(world, histories, base):
    customer = world.blue_harbor
    intervals_by_holder = {uuid.uuid4(): _intervals(h) for h in histories}
    rows = [
        PackageAssignment(
            subscriber_uuid=holder,
            customer_uuid=customer.pk,
            org_uuid=customer.org_id,
            partner_uuid=world.acme.id,
            package=package,
            started_at=base + timedelta(seconds=start),
            ended_at=None if end is None else base + timedelta(seconds=end),
        )
        for holder, intervals in intervals_by_holder.items()
        for package, start, end in intervals
    ]
    expected = _brute_force(intervals_by_holder)
    try:
        with transaction.atomic():
            PackageAssignment.objects.bulk_create(rows)
            got = {}
            for day in range(3):
                usage_day_build(day=(base + timedelta(days=day)).date())
            holders = set(intervals_by_holder)
            for row in UsageDay.objects.filter(holder_uuid__in=holders):
                got[(row.holder_uuid, row.service, (row.day - base.date()).days)] = row.quantity
            raise _Rollback
    except _Rollback:
        pass
    assert set(got) == set(expected)
    for key, quantity in expected.items():
        assert got[key] == pytest.approx(quantity, abs=1e-9), key


def _maria(world) -> Subscriber:
    return Subscriber.objects.get(email="maria@blueharbor.test")


def _day_of(world) -> date:
    """The day after maria got her package (a full day of it, unless changed)."""
    start = PackageAssignment.objects.get(subscriber_uuid=_maria(world).pk).started_at
    return start.date() + timedelta(days=1)


def test_a_change_at_noon_gives_each_package_half_a_day_and_a_rerun_replaces_the_day(world):
    day = _day_of(world)
    noon = datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=12)
    assignment_change(subscriber=_maria(world), package="webex_calling", at=noon)
    usage_day_build(day=day)
    usage_day_build(day=day)  # idempotent: the day is replaced, not doubled
    mine = UsageDay.objects.filter(day=day, holder_uuid=_maria(world).pk)
    assert sorted(mine.values_list("service", "quantity")) == [("webex_calling", 0.5), ("webex_suite", 0.5)]
    assert {r.partner_uuid for r in mine} == {world.acme.id}
    assert {r.user_uuid for r in mine} == {_maria(world).user_id}
    assert UsageRun.objects.get(day=day).status == UsageRunStatus.COMPLETED


def test_a_removed_customers_usage_stays(world):
    from apps.provisioning.services.provisioning import customer_remove_request

    day = _day_of(world)
    usage_day_build(day=day)
    before = UsageDay.objects.filter(customer_uuid=world.cedar_pine.pk, day=day).count()
    assert before >= 1
    customer_remove_request(actor=world.acme_admin, customer=world.cedar_pine)
    usage_day_build(day=day)
    assert UsageDay.objects.filter(customer_uuid=world.cedar_pine.pk, day=day).count() == before


def test_a_failed_day_is_retried_by_the_next_run(world, monkeypatch):
    day = _day_of(world)
    real = usage_services.usage_day_build
    failing = {day}

    def flaky(*, day):
        if day in failing:
            raise RuntimeError("database went away")
        return real(day=day)

    monkeypatch.setattr(usage_services, "usage_day_build", flaky)
    result = usage_days_run(today=day + timedelta(days=1))
    assert result["failed"] == 1
    assert UsageRun.objects.get(day=day).status == UsageRunStatus.FAILED
    failing.clear()
    # Two days later: the failed day and the day after are both built.
    result = usage_days_run(today=day + timedelta(days=2))
    assert result == {"days": 2, "rows": result["rows"], "failed": 0}
    assert UsageRun.objects.get(day=day).status == UsageRunStatus.COMPLETED
    assert UsageDay.objects.filter(day=day).exists()


def test_a_subpartners_customers_are_billed_from_its_billing_start_date_to_the_parent(world):
    from apps.subpartners.models import SubPartnerProfile

    day = _day_of(world)
    SubPartnerProfile.objects.update_or_create(
        org=world.northwind, defaults={"billing_start_date": day + timedelta(days=1)}
    )
    usage_days_backfill(start=day, end=day + timedelta(days=1))
    riverside = UsageDay.objects.filter(customer_uuid=world.riverside.pk)
    assert not riverside.filter(day=day).exists()
    assert riverside.filter(day=day + timedelta(days=1)).exists()
    assert {r.billed_partner_uuid for r in riverside} == {world.acme.id}
    assert {r.partner_uuid for r in riverside} == {world.northwind.id}


def test_the_backfill_command_builds_a_range(world):
    day = _day_of(world)
    call_command("billing_backfill", str(day), str(day + timedelta(days=2)))
    assert UsageRun.objects.filter(day__range=(day, day + timedelta(days=2))).count() == 3
    assignment_close(subscriber=_maria(world))


def _sums(rows, keys):
    found = defaultdict(float)
    for row in rows:
        found[tuple(row[key] for key in keys)] += row["quantity"]
    return {key: round(total, 9) for key, total in found.items()}


def test_the_pages_sums_are_the_usage_days_added_up_and_a_rebuilt_day_replaces_its_share(world):
    """The day per customer and per partner, and the month per customer, equal the holders' rows added up,
    over the end of a month (two months' sums), with a sub-partner's customer (its own partner, the parent's
    subscription); a day rebuilt after a change replaces its share of the month, never adds to it."""
    from apps.billing.models import CustomerUsageDay, CustomerUsageMonth, PartnerUsageDay

    day = _day_of(world)
    last_of_month = (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    first, last = last_of_month - timedelta(days=1), last_of_month + timedelta(days=1)
    usage_days_backfill(start=first, end=last)

    def check():
        usage = list(UsageDay.objects.filter(day__range=(first, last)).values())
        customer = [
            "customer_uuid",
            "org_uuid",
            "customer_external_id",
            "partner_uuid",
            "billed_partner_uuid",
        ]
        assert _sums(CustomerUsageDay.objects.values(), ["day", *customer, "service"]) == _sums(
            usage, ["day", *customer, "service"]
        )
        partner = ["day", "partner_uuid", "billed_partner_uuid", "service"]
        assert _sums(PartnerUsageDay.objects.values(), partner) == _sums(usage, partner)
        for row in usage:
            row["month"] = row["day"].replace(day=1)
        assert _sums(CustomerUsageMonth.objects.values(), ["month", *customer]) == _sums(
            usage, ["month", *customer]
        )
        return usage

    usage = check()
    assert {row["partner_uuid"] for row in usage} >= {world.acme.id, world.northwind.id}
    assert {row["month"] for row in usage} == {last_of_month.replace(day=1), last.replace(day=1)}
    noon = datetime.combine(first, datetime.min.time(), tzinfo=UTC) + timedelta(hours=12)
    assignment_change(subscriber=_maria(world), package="webex_calling", at=noon)
    usage_day_build(day=first)
    usage_day_build(day=first)
    check()
