"""Partner Hub's Billing pages and the operations console's prices and Setup Assist queue: what each
persona sees and may do, the report's life from the page, statements, Setup Assist's rules."""

import re
from datetime import UTC, date, timedelta
from decimal import Decimal

import pytest
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from apps.billing.models import BillingReport, ReportStatus, SetupAssistOrder, TransferPrice
from apps.billing.selectors.invoice import invoice_preview, previous_month
from apps.billing.services.prices import transfer_price_set
from apps.billing.services.setup_assist import add_business_days
from apps.billing.services.usage import usage_day_build
from apps.locations.models import Location


def _url(name, org, **kwargs):
    return reverse(f"partner:{name}", kwargs={"org_id": org.webex_id, **kwargs})


def _today():
    return timezone.now().astimezone(UTC).date()


def test_the_overview_shows_the_chart_and_the_invoice_preview(past_world, page_client):
    transfer_price_set(
        actor=past_world.operator,
        partner=past_world.acme,
        code="webex_suite",
        amount="30",
        effective_from=date(2020, 1, 1),
    )
    response = page_client(past_world.acme_admin).get(_url("billing_overview", past_world.acme))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="usage-chart"' in html and "<polyline" in html and "Webex Suite" in html
    assert "Blue Harbor Dental" in html  # last month per customer
    month_to_date = response.context["month_to_date"]
    if month_to_date is not None:  # from the 2nd: the days built so far, up to yesterday (not today)
        assert (month_to_date.start, month_to_date.end) == (
            _today().replace(day=1),
            _today() - timedelta(days=1),
        )


@pytest.mark.parametrize(
    ("persona", "read", "write"),
    [
        ("acme_admin", 200, 302),
        ("acme_wholesale", 200, 302),
        ("acme_readonly", 200, 403),
        ("acme_partner_admin", 403, 403),  # limited to assigned customers: no partner-wide billing
    ],
)
def test_who_sees_billing_and_who_orders_reports(past_world, page_client, persona, read, write):
    client = page_client(getattr(past_world, persona))
    url = _url("billing_report_list", past_world.acme)
    assert client.get(url).status_code == read
    start, end = previous_month(_today())
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(url, {"start": start, "end": end, "type": "USER"})
    assert response.status_code == write
    assert BillingReport.objects.exists() == (write == 302)


def test_a_report_from_the_page_downloads_and_deletes(past_world, page_client):
    client = page_client(past_world.acme_admin)
    start, end = _today() - timedelta(days=20), _today() - timedelta(days=1)
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(
            _url("billing_report_list", past_world.acme), {"start": start, "end": end, "type": "CUSTOMER"}
        )
    report = BillingReport.objects.get()
    assert report.status == ReportStatus.COMPLETED
    listing = client.get(_url("billing_report_list", past_world.acme)).content.decode()
    assert "Download" in listing and "<dialog" in listing and "confirm(" not in listing
    response = client.get(_url("billing_report_download", past_world.acme, report_id=report.webex_id))
    body = b"".join(response.streaming_content).decode()
    assert body.startswith("PARTNER_NAME,PARTNER_ORG_ID,SUBSCRIPTION_ID,SERVICE_NAME,SKU,DESCRIPTION,")
    # The same period again is refused on the form until the report is deleted.
    again = client.post(
        _url("billing_report_list", past_world.acme), {"start": start, "end": end, "type": "CUSTOMER"}
    )
    assert again.status_code == 200 and "delete it first" in again.content.decode()
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(_url("billing_report_delete", past_world.acme, report_id=report.webex_id))
    assert not BillingReport.objects.exists()


def test_a_parent_cross_launched_into_a_subpartner_sees_no_billing_but_reports_on_it_from_home(
    past_world, page_client
):
    """The guide: cross-launched into an indirect provider's Partner Hub, the Reports screen is unavailable;
    the parent orders that sub-partner's reports from its own Billing (subPartnerOrgId)."""
    client = page_client(past_world.acme_admin)
    assert client.get(_url("billing_overview", past_world.northwind)).status_code == 403
    form = client.get(_url("billing_report_list", past_world.acme)).content.decode()
    assert "Northwind Reseller" in form
    # The sub-partner's own admin sees its own billing.
    own = page_client(past_world.northwind_admin).get(_url("billing_overview", past_world.northwind))
    html = own.content.decode()
    assert own.status_code == 200 and "Riverside" in html
    # ... in quantities: the transfer prices are the parent's agreement, not the reseller's.
    assert "Quantities only" in html and "Amount (" not in html
    # The parent's own overview rolls Riverside up, but offers statements of its own customers only.
    parent = (
        page_client(past_world.acme_admin).get(_url("billing_overview", past_world.acme)).content.decode()
    )
    assert "Riverside Bakery" in parent and "Statement of Riverside Bakery" not in parent
    assert "Statement of Blue Harbor Dental" in parent


def test_a_customer_statement_matches_the_invoice_preview(past_world, page_client):
    transfer_price_set(
        actor=past_world.operator,
        partner=past_world.acme,
        code="webex_calling",
        amount="31",
        effective_from=date(2020, 1, 1),
    )
    start, end = previous_month(_today())
    blue = past_world.blue_harbor
    url = _url("billing_statement", past_world.acme, customer_id=blue.webex_id) + f"?month={start:%Y-%m}"
    response = page_client(past_world.acme_admin).get(url)
    assert response.status_code == 200
    invoice = invoice_preview(partner=past_world.acme, start=start, end=end, customer_org_id=blue.org_id)
    assert invoice.lines and f"{invoice.total:,.2f}" in response.content.decode()
    # A customer of another partner is not found, whatever the month.
    other = _url("billing_statement", past_world.acme, customer_id=past_world.initech.webex_id)
    assert page_client(past_world.acme_admin).get(other).status_code == 404
    assert page_client(past_world.acme_admin).get(url.split("?")[0] + "?month=junk").status_code == 200


def test_invoice_amounts_prorate_monthly_prices_and_follow_price_history(past_world):
    start, end = previous_month(_today())
    days = (end - start).days + 1
    transfer_price_set(
        actor=past_world.operator,
        partner=past_world.acme,
        code="webex_calling",
        amount="10",
        effective_from=start,
    )
    invoice = invoice_preview(partner=past_world.acme, start=start, end=end)
    calling = next(line for line in invoice.lines if line.service.code == "webex_calling")
    assert calling.priced
    assert calling.amount == (Decimal(str(calling.quantity)) * 10 / days).quantize(Decimal("0.01"))
    transfer_price_set(
        actor=past_world.operator,
        partner=past_world.acme,
        code="webex_calling",
        amount="20",
        effective_from=start + timedelta(days=10),
    )
    assert (
        next(
            line
            for line in invoice_preview(partner=past_world.acme, start=start, end=end).lines
            if line.service.code == "webex_calling"
        ).amount
        > calling.amount
    )
    assert TransferPrice.objects.filter(partner=past_world.acme, service="webex_calling").count() == 2


def _hq(customer) -> Location:
    return Location.objects.get(org=customer.org, is_headquarters=True)


def test_setup_assist_order_six_business_days_sku_and_billing(past_world, page_client):
    client = page_client(past_world.acme_admin)
    blue = past_world.blue_harbor
    url = _url("setup_assist_list", past_world.acme) + f"?customer={blue.webex_id}"
    assert client.get(url).status_code == 200
    too_soon = add_business_days(_today(), 5)
    refused = client.post(url, {"location": str(_hq(blue).pk), "wanted_completion": too_soon})
    assert refused.status_code == 200 and "six business days" in refused.content.decode()
    assert not SetupAssistOrder.objects.exists()
    response = client.post(
        url, {"location": str(_hq(blue).pk), "wanted_completion": add_business_days(_today(), 6)}
    )
    assert response.status_code == 302
    order = SetupAssistOrder.objects.get()
    assert order.sku == "setup_assist_express" and order.seats <= 5 and order.units == 1
    # Another customer's location is refused.
    other = client.post(
        url,
        {"location": str(_hq(past_world.cedar_pine).pk), "wanted_completion": add_business_days(_today(), 9)},
    )
    assert other.status_code == 200 and SetupAssistOrder.objects.count() == 1
    # Billed as its own service on the day it was ordered.
    usage_day_build(day=order.billing_day)
    invoice = invoice_preview(partner=past_world.acme, start=order.billing_day, end=order.billing_day)
    assert [line.quantity for line in invoice.lines if line.service.code == "setup_assist_express"] == [1]
    # The platform's team moves it through the Express phases.
    ops = page_client(past_world.operator)
    assert "Move to discovery and assessment" in ops.get(reverse("ops:setup_assist_queue")).content.decode()
    for phase in ("discovery", "solution_design", "completed"):
        ops.post(reverse("ops:setup_assist_advance", kwargs={"order_id": order.pk}))
        order.refresh_from_db()
        assert order.phase == phase
    assert (
        page_client(past_world.acme_admin)
        .post(reverse("ops:setup_assist_advance", kwargs={"order_id": order.pk}))
        .status_code
        == 404
    )


def test_standard_sku_above_five_seats():
    from apps.billing.services.setup_assist import sku_for

    assert [sku_for(n) for n in (0, 5, 6, 40)] == [
        "setup_assist_express",
        "setup_assist_express",
        "setup_assist_standard",
        "setup_assist_standard",
    ]


def test_the_operator_sets_prices_with_history(past_world, page_client):
    ops = page_client(past_world.operator)
    url = reverse("ops:billing_prices")
    data = {
        "partner": str(past_world.acme.pk),
        "code": "webex_suite",
        "amount": "25.5",
        "currency": "USD",
        "effective_from": "2026-01-01",
    }
    assert ops.post(url, data).status_code == 302
    assert ops.post(url, data).status_code == 200  # the same day again: refused, history is not rewritten
    assert ops.post(url, {**data, "amount": "-1", "effective_from": "2026-02-01"}).status_code == 200
    assert (
        ops.post(url, {**data, "partner": str(past_world.northwind.pk)}).status_code == 200
    )  # a sub-partner
    assert TransferPrice.objects.count() == 1
    assert "25.50" in ops.get(url + f"?partner={past_world.acme.pk}").content.decode()
    assert page_client(past_world.acme_admin).get(url).status_code == 404


def test_setup_assist_through_the_partner_api(past_world, api_client):
    client = api_client(past_world.acme_admin)
    blue = past_world.blue_harbor
    hq = _hq(blue)
    body = {
        "customerId": blue.webex_id,
        "locationId": hq.webex_id,
        "wantedCompletionDate": str(add_business_days(_today(), 6)),
        "notes": "Reception first.",
    }
    too_soon = client.post(
        "/v1/partner/setupAssistOrders", {**body, "wantedCompletionDate": str(add_business_days(_today(), 2))}
    )
    assert too_soon.status_code == 400
    assert too_soon.json()["errors"][0]["errorCode"] == 4210
    created = client.post("/v1/partner/setupAssistOrders", body)
    assert created.status_code == 201 and created.json()["sku"] == "SETUP_ASSIST_EXPRESS"
    listed = client.get("/v1/partner/setupAssistOrders").json()["items"]
    assert [item["id"] for item in listed] == [created.json()["id"]]
    # Another partner's customer is not found; a read-only token may not order.
    globex = api_client(past_world.globex_admin)
    assert globex.post("/v1/partner/setupAssistOrders", body).status_code == 404
    assert globex.get("/v1/partner/setupAssistOrders").json()["items"] == []
    readonly = api_client(past_world.acme_readonly)
    assert readonly.post("/v1/partner/setupAssistOrders", body).status_code == 403
    assert SetupAssistOrder.objects.count() == 1


def test_a_french_partner_admin_reads_billing_and_its_errors_in_french(past_world, page_client):
    """Issue 12 item 12: the Billing pages, their numbers' labels and the report service's errors follow
    the person's language."""
    past_world.acme_admin.language = "fr"
    past_world.acme_admin.save(update_fields=["language"])
    client = page_client(past_world.acme_admin)
    overview = client.get(_url("billing_overview", past_world.acme)).content.decode()
    assert "<h1>Facturation</h1>" in overview and "jours-licence" in overview
    assert "Usage and invoice" not in overview and "licence-days" not in overview
    assert not re.search(r' (?:x|y|x1|x2|y1|y2)="\d+,\d', overview)  # the chart's coordinates stay numbers
    url = _url("billing_report_list", past_world.acme)
    start, end = previous_month(_today())
    refused = client.post(url, {"start": end, "end": start, "type": "USER"}).content.decode()
    assert "La fin précède le début." in refused and "<h1>Rapports de facturation</h1>" in refused
