"""Partner Hub's Indirect providers page."""

from django.http import HttpRequest, HttpResponse

from apps.accounts.hub import hub_page
from apps.accounts.permissions import Action
from apps.core.htmx import list_search, render_list
from apps.subpartners.selectors import subpartners_of


@hub_page(Action.SUBPARTNERS_VIEW)
def subpartner_list(request: HttpRequest) -> HttpResponse:
    search = list_search(request)
    rows = subpartners_of(actor=request.user, partner=request.org, search=search)
    return render_list(request, "subpartners/subpartner_list.html", rows, name="subpartner", search=search)
