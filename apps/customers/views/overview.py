"""Control Hub pages of a customer organisation."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from apps.accounts.permissions import Action
from apps.accounts.selectors import admins_of_org
from apps.customers.selectors import customer_of_org, subscriber_package_counts


def overview(request: HttpRequest) -> HttpResponse:
    sees_people = Action.USERS_VIEW in request.actions
    package_counts = subscriber_package_counts(actor=request.user, org=request.org) if sees_people else []
    context = {
        "customer": customer_of_org(org=request.org),
        "package_counts": package_counts,
        "subscriber_total": sum(row["n"] for row in package_counts),
        "admin_count": admins_of_org(org=request.org).count()
        if Action.ADMINS_VIEW in request.actions
        else None,
    }
    return render(request, "customers/overview.html", context)
