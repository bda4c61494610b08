"""CSV downloads of the consoles: one safe cell rule and one streaming response for every export.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-``, ``@`` (or a tab / carriage return) as a
formula: free-text cells are prefixed with ``'`` so they stay text. Large exports stream row by row from a
queryset iterated in chunks, so their memory does not grow with the number of rows.
"""

import csv
from collections.abc import Iterable, Iterator

from django.http import StreamingHttpResponse

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """A cell a spreadsheet shows as text, never runs as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


class _Echo:
    """A file-like object whose write returns the line, so csv.writer feeds a streaming response."""

    def write(self, value: str) -> str:
        return value


def _lines(header: Iterable[str], rows: Iterable[Iterable]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(header)
    for row in rows:
        yield writer.writerow(row)


def csv_download(*, filename: str, header: Iterable[str], rows: Iterable[Iterable]) -> StreamingHttpResponse:
    """A streamed CSV attachment: ``rows`` is consumed lazily as the response is sent."""
    response = StreamingHttpResponse(_lines(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
