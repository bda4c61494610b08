"""The demo's billing history (issue 10): the demo world is built on a clock set 95 days back, then this
walks the clock forward day by day, through the services, so that usage has a past: users added, changed
and removed mid-day, a workspace for a month, a Setup Assist order, transfer prices (with a change
mid-way). Back at the real time it builds every usage day and last month's customer report, so Billing has
content at once."""

from datetime import UTC, datetime, time, timedelta

from django.utils import timezone

from apps.billing.catalogue import SERVICES
from apps.billing.clock import Clock
from apps.billing.selectors.invoice import previous_month
from apps.billing.services.prices import transfer_price_set
from apps.billing.services.reports import billing_report_build, billing_report_create
from apps.billing.services.setup_assist import earliest_completion, setup_assist_order
from apps.billing.services.usage import usage_days_backfill
from apps.locations.selectors import locations_of
from apps.subscribers.selectors.subscribers import subscribers_of_org
from apps.subscribers.services.subscribers import subscriber_add, subscriber_change_package, subscriber_remove
from apps.subscribers.services.workspaces import workspace_create, workspace_remove

HISTORY_DAYS = 95
PRICES = {  # transfer prices per licence and month (per unit for Setup Assist), in USD
    "webex_calling": "12.00",
    "webex_suite": "21.00",
    "webex_meetings": "8.50",
    "webex_voice": "6.00",
    "webex_calling_standard": "9.00",
    "common_area_calling": "4.00",
    "cx_essentials": "26.00",
    "attendant_console": "5.00",
    "cisco_calling_plan": "3.00",
    "setup_assist_express": "250.00",
    "setup_assist_standard": "45.00",
}


def history_start() -> datetime:
    """09:00 UTC, 95 days ago: when the demo world is created."""
    today = timezone.now().astimezone(UTC).date()
    return datetime.combine(today - timedelta(days=HISTORY_DAYS), time(9), tzinfo=UTC)


def _at(start: datetime, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(start.date() + timedelta(days=day), time(hour, minute), tzinfo=UTC)


def seed_billing_history(*, clock: Clock, operator, partners: dict, customers: dict, admins: dict) -> None:
    start = clock.now()
    for partner in (partners["Acme Telecom"], partners["Globex Communications"]):
        for code, amount in PRICES.items():
            if code in SERVICES:
                transfer_price_set(
                    actor=operator, partner=partner, code=code, amount=amount, effective_from=start.date()
                )
    acme_admin = admins["Acme Telecom"]
    blue = customers["Blue Harbor Dental"]
    temps = []
    for day in range(1, HISTORY_DAYS):
        if day % 6 == 0:  # a temporary user joins mid-afternoon...
            clock.set(_at(start, day, 14, 30))
            temps.append(
                subscriber_add(
                    actor=acme_admin,
                    customer=blue,
                    email=f"temp{day:02d}@blueharbor.example",
                    package="webex_meetings",
                    first_name="Temp",
                    last_name=f"Staff {day}",
                )
            )
        if day % 9 == 0 and len(temps) > 2:  # ... and the earliest one leaves in the evening
            clock.set(_at(start, day, 18))
            subscriber_remove(actor=acme_admin, subscriber=temps.pop(0))
        if day % 15 == 0:  # a package change at noon: both packages get half the day
            clock.set(_at(start, day, 12))
            mover = (
                subscribers_of_org(actor=acme_admin, org=blue.org, search="")
                .filter(package="webex_calling")
                .order_by("email")
                .first()
            )
            if mover is not None:
                subscriber_change_package(actor=acme_admin, subscriber=mover, package="webex_suite")
        if day == 40:  # a pop-up workspace, for a month
            clock.set(_at(start, day, 10))
            popup = workspace_create(
                actor=acme_admin,
                customer=blue,
                name="Pop-up Clinic Desk",
                package="common_area_calling",
                location="Headquarters",
                extension="2903",
            )
        if day == 70:
            clock.set(_at(start, day, 16))
            workspace_remove(actor=acme_admin, workspace=popup)
        if day == 45:
            clock.set(_at(start, day, 9))
            transfer_price_set(
                actor=operator,
                partner=partners["Acme Telecom"],
                code="webex_calling",
                amount="11.50",
                effective_from=clock.now().date(),
            )
        if day == 60:
            clock.set(_at(start, day, 11))
            cedar = customers["Cedar & Pine Legal"]
            hq = locations_of(actor=acme_admin, scope=cedar.org).filter(is_headquarters=True).first()
            setup_assist_order(
                actor=acme_admin,
                customer=cedar,
                location=hq,
                wanted_completion=earliest_completion(clock.now().date()),
                notes="Front office phones and the auto attendant.",
            )
    clock.reset()


def seed_billing_usage(*, admins: dict) -> None:
    """At the real time: every usage day of the history, and last month's partner report of Acme."""
    today = timezone.now().astimezone(UTC).date()
    usage_days_backfill(start=today - timedelta(days=HISTORY_DAYS), end=today - timedelta(days=1))
    first, last = previous_month(today)
    acme_admin = admins["Acme Telecom"]
    report = billing_report_create(
        actor=acme_admin, partner=acme_admin.org, start=str(first), end=str(last), type="CUSTOMER"
    )
    billing_report_build(report_id=report.pk)
