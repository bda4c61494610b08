"""The overview (home) pages of Partner Hub and Control Hub."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from apps.accounts.hub import hub_page
from apps.accounts.permissions import Action
from apps.accounts.selectors import admins_of_org
from apps.customers.models import CustomerStatus
from apps.customers.selectors import customer_of_org
from apps.dashboards.selectors import customer_overview, package_trend
from apps.subscribers.selectors.counts import licences_in_use


@hub_page(Action.ORG_VIEW)
def partner_overview(request: HttpRequest) -> HttpResponse:
    customers = customer_overview(actor=request.user, partner=request.org)
    licences = licences_in_use(actor=request.user, org=request.org)
    tiles = customers.tiles
    context = {
        "status_counts": tiles,
        # The customer list filters by the stored status only: a tile of another status is not a link.
        "listed_statuses": set(CustomerStatus.values),
        "customer_total": sum(n for _label, _key, n in tiles),
        "package_counts": licences.subscribers,
    }
    if Action.CUSTOMERS_VIEW in request.actions:
        context |= {
            "customer_trend": customers.trend,
            "package_trend": package_trend(actor=request.user, org=request.org, held=licences.held),
            "attention": customers.attention,
        }
    return render(request, "dashboards/partner_overview.html", context)


@hub_page(Action.ORG_VIEW)
def control_overview(request: HttpRequest) -> HttpResponse:
    sees_people = Action.USERS_VIEW in request.actions
    licences = licences_in_use(actor=request.user, org=request.org) if sees_people else None
    package_counts = licences.subscribers if licences else []
    context = {
        "customer": customer_of_org(org=request.org),
        "package_counts": package_counts,
        "subscriber_total": sum(row["n"] for row in package_counts),
        "package_trend": package_trend(actor=request.user, org=request.org, held=licences.held)
        if licences
        else None,
        "admin_count": admins_of_org(org=request.org).count()
        if Action.ADMINS_VIEW in request.actions
        else None,
    }
    return render(request, "dashboards/control_overview.html", context)
