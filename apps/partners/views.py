"""Partner Hub pages (overview, customers, indirect providers, settings) and the operations console."""

from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from apps.accounts.permissions import Action
from apps.core.forms import call_service
from apps.core.htmx import partial_or_page
from apps.core.hub import OPS_CONSOLE, attach_org
from apps.core.pagination import paginate
from apps.customers.models import CustomerStatus
from apps.customers.selectors import customer_status_counts, customers_of_partner, subscriber_package_counts
from apps.subpartners.selectors import subpartners_of

from . import services
from .forms import PartnerCreateForm, PartnerSettingsForm
from .selectors import partner_settings_of, partners_visible_to


def overview(request: HttpRequest) -> HttpResponse:
    counts = customer_status_counts(actor=request.user, partner=request.org)
    context = {
        "status_counts": [(CustomerStatus(s).label, s, n) for s, n in counts.items()],
        "customer_total": sum(counts.values()),
        "package_counts": subscriber_package_counts(actor=request.user, org=request.org),
    }
    return render(request, "partners/overview.html", context)


def customer_list(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()[:100]
    status = request.GET.get("status", "")
    sort = request.GET.get("sort", "name")
    customers = customers_of_partner(
        actor=request.user, partner=request.org, search=search, status=status, sort=sort
    ).prefetch_related("packages")
    filters = {k: v for k, v in (("q", search), ("status", status), ("sort", sort)) if v}
    context = {
        "page": paginate(customers, request),
        "q": search,
        "status": status,
        "sort": sort,
        "statuses": CustomerStatus.choices,
        "export_query": urlencode(filters),
    }
    return render(request, partial_or_page(request, "partners/customer_list.html", "results"), context)


def subpartner_list(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()[:100]
    page = paginate(subpartners_of(actor=request.user, partner=request.org, search=search), request)
    return render(
        request,
        partial_or_page(request, "partners/subpartner_list.html", "results"),
        {"page": page, "q": search},
    )


def settings_edit(request: HttpRequest) -> HttpResponse:
    settings = partner_settings_of(org=request.org)
    form = PartnerSettingsForm(
        request.POST or None, initial={"require_admin_mfa": settings.require_admin_mfa}
    )
    if request.method == "POST":
        if Action.ORG_MANAGE not in request.actions:
            raise PermissionDenied
        if form.is_valid() and call_service(
            form, services.partner_settings_update, actor=request.user, org=request.org, **form.cleaned_data
        ):
            messages.success(request, "Settings saved.")
            return redirect(request.path)
    return render(request, "partners/settings.html", {"form": form})


def ops_view(action: Action = Action.ORG_VIEW):
    """Operations console pages: the platform organisation of a platform operator."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            org = request.user.org
            if org is None or not org.is_platform:
                raise Http404  # the platform is out of everyone else's scope: 404, as for any organisation
            attach_org(request, OPS_CONSOLE, org)
            if action not in request.actions:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


@ops_view()
def ops_partner_list(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()[:100]
    page = paginate(partners_visible_to(actor=request.user, search=search), request)
    return render(
        request,
        partial_or_page(request, "partners/ops_partner_list.html", "results"),
        {"page": page, "q": search},
    )


@ops_view(Action.PARTNERS_MANAGE)
def ops_partner_create(request: HttpRequest) -> HttpResponse:
    parents = list(partners_visible_to(actor=request.user).filter(parent__isnull=True))
    form = PartnerCreateForm(request.POST or None, parents=parents)
    if request.method == "POST" and form.is_valid():
        org = call_service(form, services.partner_create, actor=request.user, **form.cleaned_data)
        if org is not None:
            messages.success(request, f"{org.name} created; its first administrator has been invited.")
            return redirect(reverse("ops:partner_list"))
    return render(request, "partners/ops_partner_create.html", {"form": form})
