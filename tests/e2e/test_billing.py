"""A partner admin orders last month's billing report in Partner Hub, watches it go from in progress to
completed (a real Celery worker builds it), downloads the CSV and deletes it through the in-app dialog; the
Billing pages pass axe-core's WCAG 2.2 AA rules."""

import csv
import io
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from apps.billing.clock import shifted_clock
from apps.billing.models import BillingReport
from apps.billing.services.usage import usage_days_backfill

AXE = Path(__file__).with_name("vendor") / "axe.min.js"


@pytest.fixture
def billing_world(transactional_db):
    """The personas' world built 45 days ago, with every usage day since."""
    from tests.conftest import build_world

    today = timezone.now().astimezone(UTC).date()
    start = datetime.combine(today - timedelta(days=45), datetime.min.time(), tzinfo=UTC)
    with shifted_clock(start + timedelta(hours=9)):
        world = build_world()
    usage_days_backfill(start=start.date(), end=today - timedelta(days=1))
    return world


def assert_accessible(page) -> None:
    """axe-core's WCAG 2.2 A/AA rules over the page's main region (the shared shell is not billing's)."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "() => axe.run({include: ['#main']}, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})"
    )
    problems = [
        f"{v['id']}: {[(n['target'], n['failureSummary'][:300]) for n in v['nodes']][:2]}"
        for v in result["violations"]
    ]
    assert not problems, problems


@pytest.mark.e2e
@pytest.mark.worker
def test_partner_admin_orders_last_months_report_and_downloads_it(
    page, billing_world, celery_worker_live, sign_in_by_cookie, shot
):
    acme = billing_world.acme
    sign_in_by_cookie("admin@acme.test")
    page.get_by_role("link", name="Billing").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Billing")
    expect(page.get_by_test_id("usage-chart")).to_be_visible()
    expect(page.get_by_test_id("invoice-last-month")).to_be_visible()
    shot("billing-overview")
    assert_accessible(page)

    page.get_by_role("link", name="Billing reports").click()
    expect(page).to_have_url(re.compile(rf"/partner/{acme.webex_id}/billing/reports/$"))
    # The form offers last month by default.
    page.get_by_label("Report type").select_option("USER")
    page.get_by_role("button", name="Order report").click()
    row = page.get_by_test_id("report-row").first
    shot("report-ordered")
    expect(row.get_by_role("link", name=re.compile("^Download"))).to_be_visible(timeout=30_000)
    expect(row).to_contain_text("Completed")
    shot("report-completed")
    assert_accessible(page)

    with page.expect_download() as download:
        row.get_by_role("link", name=re.compile("^Download")).click()
    text = Path(download.value.path()).read_text()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows and rows[0]["PARTNER_NAME"] == "Acme Telecom" and "SUBSCRIBER_ID" in rows[0]
    assert download.value.suggested_filename.startswith("billing-report-user-")

    # Delete through the in-app dialog: Cancel keeps it, Delete removes it.
    row.get_by_role("button", name=re.compile("^Delete")).click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    shot("delete-dialog")
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()
    assert BillingReport.objects.count() == 1
    row.get_by_role("button", name=re.compile("^Delete")).click()
    page.get_by_role("dialog").get_by_role("button", name="Delete report").click()
    expect(page.get_by_text("Report deleted")).to_be_visible()
    assert BillingReport.objects.count() == 0
