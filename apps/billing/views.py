"""Partner Hub's Billing section (usage chart, invoice preview, per-customer statement, reports, Setup
Assist) and the operations console's transfer prices and Setup Assist queue. Thin views: the selectors read,
the services decide, one ``hub_page`` guard each."""

from datetime import UTC, date, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.hub import hub_page
from apps.accounts.permissions import Action
from apps.billing.chart import usage_chart
from apps.billing.forms import PriceForm, ReportForm, SetupAssistForm
from apps.billing.models import ReportStatus
from apps.billing.selectors.customers import billing_customer_get, billing_customers
from apps.billing.selectors.invoice import invoice_preview, month_bounds, previous_month, transfer_prices_list
from apps.billing.selectors.reports import billing_report_get, billing_reports_list
from apps.billing.selectors.setup_assist import (
    setup_assist_order_get,
    setup_assist_orders_all,
    setup_assist_orders_of,
)
from apps.billing.selectors.usage import last_days, organisation_names, usage_by_day, usage_per_customer
from apps.billing.services import reports as report_services
from apps.billing.services.prices import transfer_price_set
from apps.billing.services.setup_assist import (
    earliest_completion,
    next_phase,
    setup_assist_advance,
    setup_assist_order,
)
from apps.core.forms import call_service, posted
from apps.core.htmx import partial_or_page
from apps.core.ids import IdType, encode_id
from apps.core.pagination import paginate
from apps.locations.selectors import locations_of
from apps.partners.selectors import partners_visible_to
from apps.subpartners.selectors import subpartners_of

CHART_DAYS = 90


def _today() -> date:
    return timezone.now().astimezone(UTC).date()


def _month(value: str | None, default: date) -> tuple[date, date]:
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        return month_bounds(date(year, month, 1))
    except (TypeError, ValueError):
        return month_bounds(default)


@hub_page(Action.BILLING_VIEW)
def billing_overview(request: HttpRequest) -> HttpResponse:
    today = _today()
    start, end = last_days(today, CHART_DAYS)
    chart = usage_chart(series=usage_by_day(partner=request.org, start=start, end=end), start=start, end=end)
    # Days are built once over (the daily job builds yesterday): the month to date ends yesterday.
    month_to_date = (
        invoice_preview(partner=request.org, start=today.replace(day=1), end=today - timedelta(days=1))
        if today.day > 1
        else None
    )
    last_start, last_end = previous_month(today)
    last_month = invoice_preview(partner=request.org, start=last_start, end=last_end)
    page = paginate(usage_per_customer(partner=request.org, month=last_start), request)
    names = organisation_names(ids=[row["org_uuid"] for row in page.rows])
    for row in page.rows:
        row["name"] = names.get(row["org_uuid"], "")
        # A statement is of one's own customer; a sub-partner's customers are rolled up here only.
        own = row["partner_uuid"] == request.org.id
        row["customer_id"] = encode_id(IdType.CUSTOMER, row["customer_uuid"]) if own else ""
    return render(
        request,
        partial_or_page(request, "billing/billing_overview.html", "results"),
        {
            "chart": chart,
            "month_to_date": month_to_date,
            "last_month": last_month,
            "page": page,
            "month": last_start.strftime("%Y-%m"),
        },
    )


@hub_page(Action.BILLING_VIEW)
def billing_statement(request: HttpRequest, customer_id: str) -> HttpResponse:
    """A customer's statement for a month (default: last month), for the partner to hand on."""
    customer = billing_customer_get(actor=request.user, partner=request.org, customer_id=customer_id)
    start, end = _month(request.GET.get("month"), previous_month(_today())[0])
    invoice = invoice_preview(partner=request.org, start=start, end=end, customer_org_id=customer.org_id)
    return render(
        request,
        "billing/billing_statement.html",
        {"customer": customer, "invoice": invoice, "month": start.strftime("%Y-%m")},
    )


def _reports_context(request: HttpRequest, form: ReportForm) -> dict:
    page = paginate(billing_reports_list(partner=request.org, sort="id").order_by("-created"), request)
    busy = any(r.status == ReportStatus.IN_PROGRESS for r in page.rows)
    return {"form": form, "page": page, "busy": busy}


def _subpartners(request: HttpRequest):
    if request.org.is_subpartner:
        return []
    return list(subpartners_of(actor=request.user, partner=request.org))


@hub_page(Action.BILLING_VIEW, write=Action.BILLING_MANAGE)
def billing_report_list(request: HttpRequest) -> HttpResponse:
    """Order a report (period, type, indirect provider) and follow it until it can be downloaded."""
    last_start, last_end = previous_month(_today())
    form = ReportForm(
        posted(request), initial={"start": last_start, "end": last_end}, subpartners=_subpartners(request)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        report = call_service(
            form,
            report_services.billing_report_create,
            actor=request.user,
            partner=request.org,
            start=data["start"].isoformat(),
            end=data["end"].isoformat(),
            type=data["type"],
            subpartner_org_id=data.get("subpartner") or None,
        )
        if report is not None:
            messages.success(request, _("Report ordered: it is being generated."))
            return redirect(reverse("partner:billing_report_list", kwargs={"org_id": request.org.webex_id}))
    return render(
        request,
        partial_or_page(request, "billing/billing_report_list.html", "results"),
        _reports_context(request, form),
    )


def _report_in_url(request: HttpRequest, report_id: str):
    return billing_report_get(partner=request.org, report_id=report_id)


@hub_page(Action.BILLING_VIEW)
def billing_report_download(request: HttpRequest, report_id: str) -> HttpResponse:
    report = _report_in_url(request, report_id)
    if report.status != ReportStatus.COMPLETED or not report.file_name:
        return render(request, "billing/billing_report_pending.html", {"report": report}, status=409)
    name = f"billing-report-{report.type.lower()}-{report.start_date}-{report.end_date}.csv"
    handle = report_services.report_storage().open(report.file_name, "rb")
    return FileResponse(handle, as_attachment=True, filename=name, content_type="text/csv")


@hub_page(Action.BILLING_MANAGE)
@require_POST
def billing_report_delete(request: HttpRequest, report_id: str) -> HttpResponse:
    report = _report_in_url(request, report_id)
    report_services.billing_report_delete(actor=request.user, report=report)
    messages.success(request, _("Report deleted: its download link no longer works."))
    return redirect(reverse("partner:billing_report_list", kwargs={"org_id": request.org.webex_id}))


@hub_page(Action.BILLING_VIEW, write=Action.BILLING_MANAGE)
def setup_assist_list(request: HttpRequest) -> HttpResponse:
    """Setup Assist orders of the partner; order one for a customer's location (``?customer=<id>``)."""
    customer = None
    customer_id = request.GET.get("customer", "")
    if customer_id:
        customer = billing_customer_get(actor=request.user, partner=request.org, customer_id=customer_id)
    form = None
    if customer is not None:
        locations = locations_of(actor=request.user, scope=customer.org)
        form = SetupAssistForm(
            posted(request), locations=locations, initial={"wanted_completion": earliest_completion(_today())}
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            location = next((loc for loc in locations if str(loc.pk) == data["location"]), None)
            order = call_service(
                form,
                setup_assist_order,
                actor=request.user,
                customer=customer,
                location=location,
                wanted_completion=data["wanted_completion"],
                notes=data["notes"],
            )
            if order is not None:
                messages.success(
                    request,
                    _("Setup Assist ordered for %(location)s (%(sku)s).")
                    % {"location": order.location_name, "sku": order.get_sku_display()},
                )
                return redirect(reverse("partner:setup_assist_list", kwargs={"org_id": request.org.webex_id}))
    search = request.GET.get("q", "").strip()[:100]
    found = (
        paginate(billing_customers(actor=request.user, partner=request.org, search=search), request)
        if search
        else None
    )
    orders = paginate(setup_assist_orders_of(partner=request.org), request)
    return render(
        request,
        "billing/setup_assist_list.html",
        {"customer": customer, "form": form, "q": search, "found": found, "page": orders},
    )


# --- the operations console -------------------------------------------------------------------------------


@hub_page(Action.BILLING_OPERATE)
def billing_prices(request: HttpRequest) -> HttpResponse:
    """Transfer prices per partner subscription: add one from a day on; the history stays."""
    partners = [p for p in partners_visible_to(actor=request.user) if not p.parent_id]
    form = PriceForm(posted(request), partners=partners)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        partner = next((p for p in partners if str(p.pk) == data["partner"]), None)
        price = call_service(
            form,
            transfer_price_set,
            actor=request.user,
            partner=partner,
            code=data["code"],
            amount=data["amount"],
            effective_from=data["effective_from"],
            currency=data["currency"],
        )
        if price is not None:
            messages.success(
                request,
                _("Price set for %(partner)s from %(day)s.")
                % {"partner": partner.name, "day": date_format(price.effective_from, "d M Y")},
            )
            return redirect(reverse("ops:billing_prices") + f"?partner={partner.pk}")
    shown = next((p for p in partners if str(p.pk) == request.GET.get("partner", "")), None)
    prices = list(transfer_prices_list(partner=shown)) if shown else []
    return render(
        request,
        "billing/ops_billing_prices.html",
        {"form": form, "partners": partners, "shown": shown, "prices": prices},
    )


@hub_page(Action.BILLING_OPERATE)
def setup_assist_queue(request: HttpRequest) -> HttpResponse:
    page = paginate(setup_assist_orders_all(), request)
    for order in page.rows:
        order.next_phase_label = dict(order._meta.get_field("phase").choices).get(next_phase(order))
    return render(request, "billing/ops_setup_assist_queue.html", {"page": page})


@hub_page(Action.BILLING_OPERATE)
@require_POST
def setup_assist_advance_view(request: HttpRequest, order_id: str) -> HttpResponse:
    order = setup_assist_order_get(orders=setup_assist_orders_all(), order_id=order_id)
    try:
        order = setup_assist_advance(actor=request.user, order=order)
        messages.success(
            request,
            _("%(location)s: now %(phase)s.")
            % {"location": order.location_name, "phase": order.get_phase_display().lower()},
        )
    except ValidationError as error:  # a completed order has no next phase
        messages.error(request, "; ".join(error.messages))
    return redirect(reverse("ops:setup_assist_queue"))
