"""The customers CSV export (Partner Hub): the list's columns, with its search, status filter and sort. Small
exports stream from the page; larger ones are written by the worker (``apps.exports``)."""

from collections.abc import Iterator

from apps.core.csv_download import safe_cell
from apps.core.models import Organization
from apps.exports.registry import ExportKind
from apps.provisioning.selectors import customers_of_partner

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


def customers_export_queryset(*, actor, org: Organization, params: dict):
    return customers_of_partner(
        actor=actor,
        partner=org,
        search=params.get("search", ""),
        status=params.get("status", ""),
        sort=params.get("sort", "name"),
    ).prefetch_related("packages")


def customers_export_rows(customers) -> Iterator[list]:
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


CUSTOMERS_EXPORT = ExportKind(
    key="customers",
    header=EXPORT_COLUMNS,
    queryset=customers_export_queryset,
    rows=customers_export_rows,
    list_url_name="customer_list",
)
