"""Offset pagination the Webex way: ``{"items": [...]}`` and RFC 5988 ``Link`` headers.

The next/prev links carry every query parameter of the request plus ``offset`` and ``max``, because clients
send parameters only on the first request and then follow links verbatim. One extra row is read instead
of a COUNT, so a page costs the same at any size.

The next link also carries ``cursor``, naming the last row shown (``apps.core.keyset``): following it, the
database seeks the index of the ORDER BY to the next row instead of skipping ``offset`` rows, so page 2,000
costs what page 1 does. ``offset`` is still accepted (and still in the link, counting as before); a cursor
that is not one of this list's ordering is ignored and the offset serves. A deep ``offset`` sent directly is
read by its keys first (``apps.core.pagination.page_slice``): the database skips index entries, not rows.

A list may also come as a ``core.compiled.BoundList``: its pages are read the same way, with SQL compiled
once per shape of page instead of built and compiled by the ORM for every request.
"""

import re
from urllib.parse import urlencode

from rest_framework import exceptions
from rest_framework.pagination import BasePagination
from rest_framework.response import Response

from apps.core.compiled import BoundList
from apps.core.keyset import cursor_after, rows_after
from apps.core.pagination import page_slice

# ASCII digits only: int() would also take " 5", "1_0" and other scripts' digits.
_WHOLE_NUMBER = re.compile(r"-?[0-9]+")
# Far beyond any real list, and inside a 64-bit OFFSET on every database.
MAX_OFFSET = 1_000_000_000


def _whole_number(value: str | None, name: str, default: int, *, minimum: int, maximum: int) -> int:
    if value is None:
        return default
    if not _WHOLE_NUMBER.fullmatch(value):
        raise exceptions.ValidationError({name: "Must be a whole number."})
    if value.startswith("-") and minimum == 0:
        raise exceptions.ValidationError({name: "Must not be negative."})
    # Compare lengths first: int() of thousands of digits is slow, and refused past Python's limit.
    if len(value.lstrip("-")) > len(str(maximum)) or not minimum <= int(value) <= maximum:
        raise exceptions.ValidationError({name: f"Must be between {minimum} and {maximum}."})
    return int(value)


class WebexOffsetPagination(BasePagination):
    default_max = 100
    max_max = 100

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        params = request.query_params
        self.offset = _whole_number(params.get("offset"), "offset", 0, minimum=0, maximum=MAX_OFFSET)
        self.max = _whole_number(params.get("max"), "max", self.default_max, minimum=1, maximum=self.max_max)
        cursor = params.get("cursor")
        if isinstance(queryset, BoundList):
            rows = queryset.page(offset=self.offset, limit=self.max + 1, cursor=cursor)
        else:
            following = rows_after(queryset, cursor) if cursor else None
            if following is not None:
                rows = list(following[: self.max + 1])
            else:
                rows = list(page_slice(queryset, self.offset, self.offset + self.max + 1))
        self.has_next = len(rows) > self.max
        rows = rows[: self.max]
        if not self.has_next:
            self.cursor = None
        elif isinstance(queryset, BoundList):
            self.cursor = queryset.cursor_after(rows[-1])
        else:
            self.cursor = cursor_after(queryset, rows[-1])
        return rows

    def _link(self, offset: int, cursor: str | None = None) -> str:
        params = [(k, v) for k, values in self.request.query_params.lists() for v in values]
        params = [(k, v) for k, v in params if k not in ("offset", "max", "cursor")]
        params += [("offset", str(offset)), ("max", str(self.max))]
        if cursor:
            params.append(("cursor", cursor))
        return self.request.build_absolute_uri(self.request.path) + "?" + urlencode(params)

    def get_paginated_response(self, data):
        links = []
        if self.has_next:
            links.append(f'<{self._link(self.offset + self.max, self.cursor)}>; rel="next"')
        if self.offset > 0:
            links.append(f'<{self._link(max(self.offset - self.max, 0))}>; rel="prev"')
        headers = {"Link": ", ".join(links)} if links else {}
        return Response({"items": data}, headers=headers)

    def get_paginated_response_schema(self, schema):
        return {"type": "object", "required": ["items"], "properties": {"items": schema}}

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": "offset",
                "in": "query",
                "required": False,
                "description": (
                    'Rows to skip. To walk a long list, follow the `Link rel="next"` URL: its `cursor`'
                    " makes every page cost what the first does, while an offset sent directly costs"
                    " reading the rows it skips (a few milliseconds per 10,000)."
                ),
                "schema": {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET},
            },
            {
                "name": "cursor",
                "in": "query",
                "required": False,
                "description": 'Where the next page starts (set in the `Link rel="next"` URL).',
                "schema": {"type": "string"},
            },
            {
                "name": "max",
                "in": "query",
                "required": False,
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_max},
            },
        ]
