"""Pages owned by core: the landing redirect, the audit log of every hub, health."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from apps.accounts.selectors import audit_events_visible_to, roles_of

from .forms import AuditFilterForm
from .htmx import partial_or_page
from .pagination import paginate
from .selectors import audit_actions, audit_events_filter


def home_url_for(user) -> str | None:
    """Where a person lands after signing in: the hub of their home organisation."""
    org = user.org
    if org is None or not roles_of(user):
        return None
    if org.is_platform:
        return reverse("ops:partner_list")
    if org.is_partner:
        return reverse("partner:overview", kwargs={"org_id": org.webex_id})
    return reverse("control:overview", kwargs={"org_id": org.webex_id})


@login_required
def home(request: HttpRequest) -> HttpResponse:
    url = home_url_for(request.user)
    if url is None:
        return render(request, "core/no_access.html", status=403)
    return redirect(url)


def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def audit_list(request: HttpRequest) -> HttpResponse:
    """The audit log of the hub's organisation (decorated per hub in the URL confs)."""
    form = AuditFilterForm(request.GET or None)
    events = audit_events_visible_to(actor=request.user, org=request.org)
    actions = audit_actions(events)
    if form.is_valid():
        events = audit_events_filter(events, **form.cleaned_data)
    page = paginate(events, request)
    context = {"form": form, "page": page, "actions": actions}
    return render(request, partial_or_page(request, "core/audit_list.html", "results"), context)


def _error_page(request: HttpRequest, status: int, title: str, text: str) -> HttpResponse:
    return render(request, "core/error.html", {"status": status, "title": title, "text": text}, status=status)


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    return _error_page(request, 404, "Not found", "This page does not exist, or it is not yours to see.")


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    return _error_page(request, 403, "Not allowed", "Your roles do not allow this here.")


def server_error(request: HttpRequest) -> HttpResponse:
    return _error_page(request, 500, "Something went wrong", "The error has been logged. Please try again.")
