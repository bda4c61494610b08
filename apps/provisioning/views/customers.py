"""Partner Hub's customer list (search, status filter, sort, pagination) and its CSV export."""

from collections.abc import Iterator
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import slugify

from apps.accounts.hub import hub_page
from apps.accounts.permissions import Action
from apps.core.csv_download import csv_download, safe_cell
from apps.core.htmx import partial_or_page
from apps.core.pagination import paginate
from apps.customers.models import CustomerStatus
from apps.provisioning.selectors import customers_of_partner, indirect_customers_reachable

EXPORT_CHUNK = 1000
EXPORT_COLUMNS = (
    "name",
    "customer id",
    "org id",
    "external id",
    "status",
    "packages",
    "subscribers",
    "managed by",
    "created",
)


# --- CSV export ----------------------------------------------------------------------------------------


def _export_rows(customers) -> Iterator[list]:
    for c in customers.iterator(chunk_size=EXPORT_CHUNK):
        yield (
            [
                safe_cell(c.org.name),
                c.webex_id,
                c.org.webex_id if c.provisioned_at is not None else "",
                safe_cell(c.external_id),
                c.status,
                " ".join(p.code for p in c.packages.all()),
                c.subscriber_count,
                safe_cell(c.org.parent.name if c.org.parent else ""),
                c.created.isoformat(timespec="seconds"),
            ]
        )


@hub_page(Action.CUSTOMERS_VIEW)
def customer_export(request: HttpRequest) -> StreamingHttpResponse:
    """The customer list as CSV, with the list's search, status filter and sort; streamed in chunks, so the
    memory it takes does not grow with the number of customers."""
    customers = customers_of_partner(
        actor=request.user,
        partner=request.org,
        search=request.GET.get("q", "").strip()[:100],
        status=request.GET.get("status", ""),
        sort=request.GET.get("sort", "name"),
    ).prefetch_related("packages")
    filename = f"customers-{slugify(request.org.name) or 'partner'}-{timezone.localdate():%Y%m%d}.csv"
    return csv_download(filename=filename, header=EXPORT_COLUMNS, rows=_export_rows(customers))


@hub_page(Action.CUSTOMERS_VIEW)
def customer_list(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()[:100]
    status = request.GET.get("status", "")
    sort = request.GET.get("sort", "name")
    customers = customers_of_partner(
        actor=request.user, partner=request.org, search=search, status=status, sort=sort
    ).prefetch_related("packages")
    filters = {k: v for k, v in (("q", search), ("status", status), ("sort", sort)) if v}
    context = {
        "page": paginate(customers, request),
        "q": search,
        "status": status,
        "sort": sort,
        "statuses": CustomerStatus.choices,
        "export_query": urlencode(filters),
    }
    if not request.htmx:  # the page's heading, not the results region
        reachable = indirect_customers_reachable(actor=request.user, partner=request.org)
        context["has_indirect_providers"] = reachable
    return render(request, partial_or_page(request, "provisioning/customer_list.html", "results"), context)
