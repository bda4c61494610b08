"""htmx helpers shared by every console page: a page or its partial, and the one list page."""

from collections.abc import Callable

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from apps.core.pagination import PAGE_SIZE, paginate


def partial_or_page(request: HttpRequest, template: str, region: str) -> str:
    """The named partial of ``template`` for an htmx request (not boosted), else the whole page."""
    return f"{template}#{region}" if request.htmx and not request.htmx.boosted else template


SEARCH_MAX = 100  # the longest search a list page takes (the box's maxlength; longer input is cut)
LIST_PAGE = "console.html"
LIST_RESULTS = "components/list_results.html"


def list_search(request: HttpRequest) -> str:
    """The search box of a list page (``q``), stripped and bounded."""
    value = request.GET.get("q", "")
    return value.strip()[:SEARCH_MAX] if isinstance(value, str) else ""


def render_list(
    request: HttpRequest,
    template: str,
    rows: QuerySet,
    *,
    name: str,
    search: str = "",
    filtered: bool | None = None,
    context: dict | None = None,
    size: int = PAGE_SIZE,
    shape: Callable[[list], list] | None = None,
) -> HttpResponse:
    """A list page (a template extending ``components/list_page.html``): one page of ``rows`` — already
    searched, filtered and sorted in SQL by the view's selector — with the pager and the empty state; the
    whole page, or for an htmx request (not boosted) its ``#results`` region alone. ``name`` names the list in
    ids and test ids (``<name>-search``, ``<name>-empty``); ``filtered`` (default: a search was made) picks
    the "nothing matches" state over the "nothing yet" one; ``shape`` prepares the page's rows for display
    (``core.pagination.paginate``)."""
    partial = bool(request.htmx) and not request.htmx.boosted
    values = {
        "list_layout": LIST_RESULTS if partial else LIST_PAGE,
        "list_name": name,
        "page": paginate(rows, request, size=size, shape=shape),
        "q": search,
        "search_max": SEARCH_MAX,
        "filtered": bool(search) if filtered is None else filtered,
        **(context or {}),
    }
    return render(request, template, values)
