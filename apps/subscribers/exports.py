"""The users CSV export (Control Hub): the import template's columns, one row per subscriber. Small exports
stream from the page; larger ones are written by the worker (``apps.exports``), which reads the same rows
again as the person who asked."""

from collections.abc import Iterator

from apps.core.csv_download import safe_cell
from apps.core.models import Organization
from apps.exports.registry import ExportKind
from apps.subscribers.selectors.subscribers import subscribers_of_org

EXPORT_CHUNK = 500  # rows per fetch (and per prefetch of their numbers and extensions)
EXPORT_COLUMNS = (
    "First Name",
    "Last Name",
    "Email",
    "Package",
    "Location",
    "Phone Number",
    "Extension",
    "Status",
)


def users_export_queryset(*, actor, org: Organization, params: dict):
    """The (searched, filtered, sorted) users of the list, as its filter form cleaned them."""
    return subscribers_of_org(actor=actor, org=org, **params)


def users_export_rows(subscribers) -> Iterator[list]:
    for s in subscribers.iterator(chunk_size=EXPORT_CHUNK):
        yield (
            [
                safe_cell(s.first_name),
                safe_cell(s.last_name),
                safe_cell(s.email),
                s.package,
                safe_cell(s.location.name if s.location_id else ""),
                # E.164 numbers stay as they are, so the file imports back unchanged.
                " ".join(n.e164 for n in s.phone_numbers.all()),
                " ".join(e.extension for e in s.extensions.all()),
                s.status,
            ]
        )


USERS_EXPORT = ExportKind(
    key="users",
    header=EXPORT_COLUMNS,
    queryset=users_export_queryset,
    rows=users_export_rows,
    list_url_name="user_list",
)
