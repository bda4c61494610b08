"""Pages owned by core: the landing redirect, the audit log of every hub, health."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from apps.core.checks import static_manifest_problem


def healthz(request: HttpRequest) -> JsonResponse:
    """200 only when pages can render: a production start without ``collectstatic`` is not healthy."""
    problem = static_manifest_problem()
    if problem:
        return JsonResponse({"status": "failing", "problems": [problem]}, status=503)
    return JsonResponse({"status": "ok"})


def _error_page(request: HttpRequest, status: int, title: str, text: str) -> HttpResponse:
    return render(request, "core/error.html", {"status": status, "title": title, "text": text}, status=status)


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    return _error_page(request, 404, "Not found", "This page does not exist, or it is not yours to see.")


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    return _error_page(request, 403, "Not allowed", "Your roles do not allow this here.")


def server_error(request: HttpRequest) -> HttpResponse:
    return _error_page(request, 500, "Something went wrong", "The error has been logged. Please try again.")
