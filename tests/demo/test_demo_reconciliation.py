"""Over the demo world (95 days of history): for several periods, the QUANTITY of the USER report adds up
to the CUSTOMER report's and the PARTNER report's, and to the invoice preview's quantities; the history
holds what the demo promises (90 days, mid-day changes, a workspace, a Setup Assist order)."""

import csv
import io
from datetime import UTC, timedelta

import pytest
from django.utils import timezone

from apps.accounts.selectors import user_get_by_email
from apps.billing.models import BillingReport, HolderKind, UsageDay
from apps.billing.selectors.invoice import invoice_preview, previous_month
from apps.billing.services.reports import (
    billing_report_build,
    billing_report_create,
    billing_report_delete,
    report_storage,
)

pytestmark = pytest.mark.django_db


def _report_total(admin, start, end, kind) -> float:
    report = billing_report_create(actor=admin, partner=admin.org, start=str(start), end=str(end), type=kind)
    billing_report_build(report_id=report.pk)
    report.refresh_from_db()
    with report_storage().open(report.file_name, "rb") as handle:
        rows = list(csv.DictReader(io.StringIO(handle.read().decode())))
    return sum(float(row["QUANTITY"]) for row in rows)


def test_the_reports_and_the_invoice_agree_over_the_demo_world(seeded):
    today = timezone.now().astimezone(UTC).date()
    usage = UsageDay.objects.all()
    assert usage.values("day").distinct().count() >= 90
    assert usage.filter(kind=HolderKind.WORKSPACE).exists()
    assert usage.filter(kind=HolderKind.SETUP_ASSIST, service="setup_assist_express").exists()
    assert usage.filter(quantity__lt=1).exists()  # users added, changed or removed mid-day
    admin = user_get_by_email(email="admin@acme.example")
    seeded = BillingReport.objects.get(partner=admin.org)  # the demo's own: last month's customer report
    assert seeded.status == "COMPLETED" and seeded.rows > 0
    billing_report_delete(actor=admin, report=seeded)
    periods = [previous_month(today), (today - timedelta(days=90), today - timedelta(days=1))]
    periods.append((today - timedelta(days=37), today - timedelta(days=31)))
    for start, end in periods:
        totals = {kind: _report_total(admin, start, end, kind) for kind in ("USER", "CUSTOMER", "PARTNER")}
        invoice = invoice_preview(partner=admin.org, start=start, end=end)
        assert totals["USER"] > 0
        assert totals["USER"] == pytest.approx(totals["CUSTOMER"], abs=1e-4), (start, end)
        assert totals["USER"] == pytest.approx(totals["PARTNER"], abs=1e-4), (start, end)
        assert totals["USER"] == pytest.approx(invoice.quantity, abs=1e-4), (start, end)
        assert invoice.complete and invoice.total > 0
