"""The overview pages' trends (issue 12, item 11): customers and packages over the last 90 days from SQL
aggregates (a fixed number of queries, however many customers), customers needing attention, and charts that
people and screen readers can read. The package trend's past weeks are the billing day sums (licences in
use on that day), its last point the licences held now; a day not summed yet is no point."""

from dataclasses import fields
from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.billing.services.usage import usage_days_backfill
from apps.customers.models import AWAITING_ATTACH_APPROVAL, NEEDS_ATTENTION, Customer, CustomerStatus
from apps.customers.selectors import customers_visible_to
from apps.dashboards.selectors import customer_overview, package_trend, trend_moments
from apps.subscribers.models import PackageAssignment
from apps.subscribers.services import assignment_close
from tests.conftest import fresh
from tests.factories import provision_customer


def customer_trend(*, actor, partner):
    return customer_overview(actor=actor, partner=partner).trend


def customers_needing_attention(*, actor, partner):
    return customer_overview(actor=actor, partner=partner).attention


def _build_usage_days() -> None:
    """The daily usage build, over the trend's 90 days (up to yesterday)."""
    today = timezone.now().date()
    usage_days_backfill(start=today - timedelta(days=91), end=today - timedelta(days=1))


def _backdate_customers(org_parent, days: int) -> None:
    Customer.objects.filter(org__parent=org_parent).update(created=timezone.now() - timedelta(days=days))


def test_customers_are_counted_when_they_existed(world):
    _backdate_customers(world.acme, 60)  # Blue Harbor and Cedar & Pine, two months ago
    provision_customer(
        actor=world.acme_admin, partner=world.acme, name="Fresh Start", admin_email="a@fresh.test"
    )
    trend = customer_trend(actor=world.acme_admin, partner=world.acme)
    points = trend.series["Customers"]
    assert len(points) == len(trend_moments()) and points[0] == 0
    assert points[-2] == 2 and points[-1] == 3  # the fresh one exists only now
    assert points == sorted(points)
    # Another partner's customers never count; an indirect provider's are its own.
    assert customer_trend(actor=world.globex_admin, partner=world.globex).series["Customers"][-1] == 1


def test_packages_are_counted_while_they_were_held(world):
    now = timezone.now()
    blue = world.blue_harbor
    PackageAssignment.objects.filter(customer_uuid=blue.pk).update(started_at=now - timedelta(days=80))
    one = PackageAssignment.objects.filter(customer_uuid=blue.pk).order_by("started_at", "id").first()
    assignment_close(subscriber=one.subscriber, at=now - timedelta(days=30))
    _build_usage_days()
    trend = package_trend(actor=world.blue_admin, org=blue.org)
    held = [sum(points) for points in zip(*trend.series.values(), strict=True)]
    total = PackageAssignment.objects.filter(customer_uuid=blue.pk).count()
    assert held[0] == 0  # 90 days ago nothing was held yet
    assert held[2] == total  # ~76 days ago every assignment was held all day
    assert held[-2] == held[-1] == total - 1  # one ended 30 days ago: last week's day and now
    # The partner's view sums its customers; a partner admin sees only its assigned customers.
    partner_trend = package_trend(actor=world.acme_admin, org=world.acme)
    assigned = package_trend(actor=world.acme_partner_admin, org=world.acme)
    for point in (-2, -1):  # the partner's day sums and the customers' the admin sees; now
        partner = sum(points[point] for points in partner_trend.series.values())
        assert partner >= held[point]
        assert sum(points[point] for points in assigned.series.values()) == held[point]


def test_days_not_summed_yet_are_no_point_and_now_is_counted_live(world, page_client):
    """A fresh install (the daily usage build has not run): the past weeks are unknown, not 0, and the
    last point is what is held now."""
    blue = world.blue_harbor
    trend = package_trend(actor=world.blue_admin, org=blue.org)
    total = PackageAssignment.objects.filter(customer_uuid=blue.pk, ended_at__isnull=True).count()
    assert all(point is None for points in trend.series.values() for point in points[:-1])
    assert sum(points[-1] for points in trend.series.values()) == total
    html = page_client(world.blue_admin).get(
        reverse("control:overview", kwargs={"org_id": blue.org.webex_id})
    )
    assert html.status_code == 200 and "–" in html.content.decode()  # the table's unknown weeks


def test_customers_needing_attention_are_counted_and_listed(world):
    Customer.objects.filter(pk=world.cedar_pine.pk).update(status=CustomerStatus.PROVISIONED_WITH_ERRORS)
    attention = customers_needing_attention(actor=world.acme_admin, partner=world.acme)
    assert (attention.errors, attention.screening, attention.approvals) == (1, 0, 0)
    assert [c.org.name for c in attention.customers] == ["Cedar & Pine Legal"]
    assert customers_needing_attention(actor=world.globex_admin, partner=world.globex).total == 0


def test_the_compiled_customer_figures_are_the_plain_aggregate_for_every_persona(world):
    """``customer_overview`` runs its aggregate and list compiled once per reach: for every persona and
    partner (one it sees all of, some of, or none of), the same figures as the plain queryset of the
    customers the persona sees."""
    Customer.objects.filter(pk=world.cedar_pine.pk).update(status=CustomerStatus.ERROR)
    Customer.objects.filter(pk=world.initech.pk).update(status=CustomerStatus.PENDING_RPL_REVIEW)
    personas = [
        fresh(getattr(world, f.name)) for f in fields(world) if isinstance(getattr(world, f.name), User)
    ]
    compared = 0
    for actor in personas:
        for partner in (world.acme, world.northwind, world.globex):
            figures = customer_overview(actor=actor, partner=partner)
            plain = customers_visible_to(actor=actor).filter(org__parent=partner)
            by_status = plain.exclude(AWAITING_ATTACH_APPROVAL).values("status").annotate(n=Count("pk"))
            expected = {row["status"]: row["n"] for row in by_status}
            assert {
                key: n for _label, key, n in figures.tiles if n and key in CustomerStatus.values
            } == expected
            moments = figures.trend.moments
            assert figures.trend.series["Customers"] == [
                plain.filter(created__lte=m).count() for m in moments
            ]
            listed = plain.filter(NEEDS_ATTENTION).order_by("-status_changed")
            assert {c.pk for c in figures.attention.customers} == {c.pk for c in listed[:8]}
            assert figures.attention.total == listed.count()
            compared += bool(expected)
    assert compared >= 5


def test_the_customer_figures_are_grouped_counts_of_the_partners_customers_by_partner(world):
    """At 10,000 customers each filtered count is evaluated on every row, and the join of every customer to
    its organisation costs more than the counts: the aggregate groups the customers by status, approval wait
    and the first moment they existed at; for an actor who sees every customer of the partner, it reads
    those filed under the partner (an index range) without their organisations; a partner admin of assigned
    customers reads through them as before."""
    for actor, by_partner in (
        (world.acme_admin, True),
        (world.operator, True),
        (world.acme_partner_admin, False),
    ):
        with CaptureQueriesContext(connection) as queries:
            customer_overview(actor=fresh(actor), partner=world.acme)
        aggregate = next(q["sql"] for q in queries if "COUNT(" in q["sql"])
        assert "FILTER" not in aggregate and "UNION" not in aggregate and aggregate.count("COUNT(") == 1
        assert ('"partner_uuid" =' in aggregate) is by_partner, actor.email
        assert ("core_organization" in aggregate) is not by_partner, actor.email


def _overview_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("hub", ["partner", "control"])
def test_the_overview_takes_a_fixed_number_of_queries(world, page_client, hub):
    client = page_client(world.acme_admin)
    org = world.acme if hub == "partner" else world.blue_harbor.org
    url = reverse(f"{hub}:overview", kwargs={"org_id": org.webex_id})
    client.get(url)  # the brand cached (apps.branding.cache) for both counts: they compare sizes, not caches
    before = _overview_queries(client, url)
    for n in range(3):
        provision_customer(
            actor=world.acme_admin, partner=world.acme, name=f"More {n}", admin_email=f"a@more{n}.test"
        )
    assert _overview_queries(client, url) == before


def test_the_partner_overview_shows_its_charts_and_attention(world, page_client):
    body = page_client(world.acme_admin).get(
        reverse("partner:overview", kwargs={"org_id": world.acme.webex_id})
    )
    html = body.content.decode()
    for chart in ("chart-customers", "chart-packages"):
        assert f'data-testid="{chart}"' in html
    assert 'role="img"' in html and "<desc" in html and "The numbers" in html
    assert "Customers needing attention" in html


def test_the_control_overview_shows_the_package_chart(world, page_client):
    org = world.blue_harbor.org
    html = page_client(world.blue_admin).get(reverse("control:overview", kwargs={"org_id": org.webex_id}))
    assert 'data-testid="chart-packages"' in html.content.decode()
