"""Page pagination for console lists: a LIMIT in SQL plus one extra row, no COUNT at any size."""

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import QuerySet

PAGE_SIZE = 25


@dataclass
class Page:
    rows: list
    number: int
    has_next: bool
    params: dict

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    def _url(self, number: int) -> str:
        return "?" + urlencode({**self.params, "page": number})

    @property
    def next_url(self) -> str:
        return self._url(self.number + 1)

    @property
    def previous_url(self) -> str:
        return self._url(self.number - 1)

    @property
    def start_index(self) -> int:
        return (self.number - 1) * PAGE_SIZE + 1 if self.rows else 0

    @property
    def end_index(self) -> int:
        return (self.number - 1) * PAGE_SIZE + len(self.rows)


def paginate(
    qs: QuerySet, request, *, size: int = PAGE_SIZE, shape: Callable[[list], list] | None = None
) -> Page:
    """One page of ``qs``; ``shape`` (a selector's) then works out what the page shows of its rows once, in
    Python, so that the template reads ready values instead of calling methods and filters per row."""
    try:
        number = max(1, min(int(request.GET.get("page", 1)), 100_000))
    except ValueError:
        number = 1
    offset = (number - 1) * size
    rows = list(qs[offset : offset + size + 1])
    params = {k: v for k, v in request.GET.items() if k != "page" and v}
    shown = rows[:size]
    return Page(
        rows=shape(shown) if shape is not None else shown,
        number=number,
        has_next=len(rows) > size,
        params=params,
    )
