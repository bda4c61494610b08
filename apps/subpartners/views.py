"""Partner Hub's Indirect providers page."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from apps.accounts.hub import hub_page
from apps.accounts.permissions import Action
from apps.core.htmx import partial_or_page
from apps.core.pagination import paginate
from apps.subpartners.selectors import subpartners_of


@hub_page(Action.SUBPARTNERS_VIEW)
def subpartner_list(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()[:100]
    page = paginate(subpartners_of(actor=request.user, partner=request.org, search=search), request)
    return render(
        request,
        partial_or_page(request, "subpartners/subpartner_list.html", "results"),
        {"page": page, "q": search},
    )
