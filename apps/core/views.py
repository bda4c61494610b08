"""Pages owned by core: the landing redirect, the audit log of every hub, health, and the error pages."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _

from apps.core.checks import static_manifest_problem
from apps.core.exceptions import RestrictionRefused


def healthz(request: HttpRequest) -> JsonResponse:
    """200 only when pages can render: a production start without ``collectstatic`` is not healthy."""
    problem = static_manifest_problem()
    if problem:
        return JsonResponse({"status": "failing", "problems": [problem]}, status=503)
    return JsonResponse({"status": "ok"})


def _error_page(request: HttpRequest, status: int, title: str, text: str) -> HttpResponse:
    return render(request, "core/error.html", {"status": status, "title": title, "text": text}, status=status)


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    return _error_page(
        request,
        404,
        _("Page not found"),
        _(
            "This page does not exist, or it is not yours to see. Check the address, or go back to your "
            "console."
        ),
    )


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    """403 with the permission function's own reason: a restriction names who restricts (the partner, for a
    customer's admin), anything else the roles."""
    reason = str(exception) if exception is not None and str(exception) else ""
    if isinstance(exception, RestrictionRefused):
        user_org = getattr(getattr(request, "user", None), "org", None)
        by_partner = user_org is not None and user_org.is_customer
        title = _("Restricted by your partner") if by_partner else _("Restricted")
        return _error_page(request, 403, title, reason)
    return _error_page(request, 403, _("Not allowed"), reason or _("Your roles do not allow this here."))


def server_error(request: HttpRequest) -> HttpResponse:
    """Rendered without the request's context processors: they read the database (the brand, the hub), which
    may be what failed."""
    context = {
        "status": 500,
        "title": _("Something went wrong"),
        "text": _("The error has been logged. Please try again in a moment."),
    }
    return HttpResponse(loader.render_to_string("core/error.html", context), status=500)
