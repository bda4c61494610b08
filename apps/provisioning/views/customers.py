"""Partner Hub's customer list (search, status filter, sort, pagination) and its CSV export."""

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from apps.accounts.hub import hub_page
from apps.accounts.permissions import Action
from apps.core.csv_download import csv_download
from apps.core.htmx import list_search, render_list
from apps.core.memo import OncePerKey
from apps.core.models import Organization
from apps.core.templatetags.console import status_badge
from apps.core.urlshapes import row_urls
from apps.customers.models import CustomerStatus
from apps.exports.services import export_request
from apps.provisioning.exports import CUSTOMERS_EXPORT, customers_export_queryset
from apps.provisioning.selectors import (
    customer_list_page,
    customer_list_shown,
    indirect_customers_reachable,
)

# --- CSV export ----------------------------------------------------------------------------------------


@hub_page(Action.CUSTOMERS_VIEW)
def customer_export(request: HttpRequest) -> HttpResponse:
    """The customer list as CSV, with the list's search, status filter and sort; streamed in chunks, so the
    memory it takes does not grow with the number of customers. More than EXPORT_INLINE_MAX customers: the
    worker writes the file and the export's page shows progress, then the download link."""
    params = {
        "search": list_search(request),
        "status": request.GET.get("status", ""),
        "sort": request.GET.get("sort", "name"),
    }
    customers = customers_export_queryset(actor=request.user, org=request.org, params=params)
    filename = f"customers-{slugify(request.org.name) or 'partner'}-{timezone.localdate():%Y%m%d}.csv"
    if customers.count() > settings.EXPORT_INLINE_MAX:
        export = export_request(
            actor=request.user, org=request.org, kind=CUSTOMERS_EXPORT.key, params=params, file_name=filename
        )
        return redirect("partner:export_detail", org_id=request.org.webex_id, export_id=export.webex_id)
    return csv_download(
        filename=filename, header=CUSTOMERS_EXPORT.header, rows=CUSTOMERS_EXPORT.rows(customers)
    )


def _rows_shown(partner: Organization) -> Callable[[list], list]:
    """The page's rows as the list shows them (``customer_list_shown``), with their two links, their status
    badge and the Control Hub button's accessible name."""

    def shown(rows: list) -> list:
        detail_url = row_urls("partner:customer_detail", org_id=partner.webex_id)
        control_hub_url = row_urls("control:overview")
        # The Control Hub button's accessible name, worded once for the page instead of a
        # {% blocktranslate %} per row; the status badges once per status.
        open_label = _("Open Control Hub of %(name)s")
        closed_label = _("Control Hub of %(name)s: available once the organisation is provisioned")
        badges = OncePerKey(
            lambda row: status_badge(row.status_css, row.status_label),
            key=lambda row: (row.status_css, row.status_label),
        )
        for row in customer_list_shown(rows):
            row.detail_url = detail_url(customer_id=row.webex_id)
            row.status_badge = badges[row]
            name = {"name": row.org.name}
            if row.provisioned_at:
                row.control_hub_url = control_hub_url(org_id=row.org.webex_id)
                row.control_hub_label = open_label % name  # plain text: the template escapes it
            else:
                row.control_hub_url, row.control_hub_label = "", closed_label % name
        return rows

    return shown


@hub_page(Action.CUSTOMERS_VIEW)
def customer_list(request: HttpRequest) -> HttpResponse:
    search = list_search(request)
    status = request.GET.get("status", "")
    sort = request.GET.get("sort", "name")
    customers = customer_list_page(
        actor=request.user, partner=request.org, search=search, status=status, sort=sort
    )
    filters = {k: v for k, v in (("q", search), ("status", status), ("sort", sort)) if v}
    context = {
        "status": status,
        "sort": sort,
        "statuses": CustomerStatus.choices,
        "export_query": urlencode(filters),
    }
    if not request.htmx:  # the page's heading, not the results region
        reachable = indirect_customers_reachable(actor=request.user, partner=request.org)
        context["has_indirect_providers"] = reachable
    return render_list(
        request,
        "provisioning/customer_list.html",
        customers,
        name="customer",
        search=search,
        filtered=bool(search or status),
        context=context,
        shape=_rows_shown(request.org),
    )
