"""An export's page (progress, polled while it is written; the download link once ready, until the retention
deletes the file) and its download. Only the person who asked sees either: anyone else gets a 404."""

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django_htmx.http import HttpResponseStopPolling

from apps.accounts.hub import hub_page
from apps.accounts.permissions import Action
from apps.exports.models import Export, ExportStatus
from apps.exports.registry import export_kind
from apps.exports.selectors import export_get
from apps.exports.services import export_path


def export_in_url(request: HttpRequest, export_id: str) -> Export:
    return export_get(actor=request.user, org=request.org, export_id=export_id)


def _back_url(request: HttpRequest, export: Export) -> str:
    try:
        return reverse(
            f"{request.resolver_match.namespace}:{export_kind(export.kind).list_url_name}",
            kwargs={"org_id": request.org.webex_id},
        )
    except NoReverseMatch:
        return ""


def _context(request: HttpRequest, export: Export) -> dict:
    return {
        "export": export,
        "back_url": _back_url(request, export),
        "retention_hours": settings.EXPORT_RETENTION_HOURS,
    }


@hub_page(Action.ORG_VIEW, on=export_in_url)
def export_detail(request: HttpRequest, export: Export) -> HttpResponse:
    context = _context(request, export)
    if request.htmx and not request.htmx.boosted:
        response = render(request, "exports/export_detail.html#live", context)
        return response if export.busy else HttpResponseStopPolling(response.content)
    return render(request, "exports/export_detail.html", context)


@hub_page(Action.ORG_VIEW, on=export_in_url)
def export_download(request: HttpRequest, export: Export) -> HttpResponse:
    """The file while it is kept; once the retention deleted it, 410 Gone with the export's page (which says
    so and offers the way back to export again). Not written yet, or failed: 404."""
    if export.status == ExportStatus.DONE:
        try:
            # Opened, not tested first: a sweep deleting it meanwhile cannot take it from under the response.
            handle = export_path(export).open("rb")
        except FileNotFoundError:
            # Deleted before the sweep marked the export (or by hand): gone all the same. Shown as the
            # sweep will leave it; nothing is saved here.
            export.status = ExportStatus.EXPIRED
        else:
            return FileResponse(
                handle, as_attachment=True, filename=export.file_name, content_type="text/csv"
            )
    if export.status == ExportStatus.EXPIRED:
        return render(request, "exports/export_detail.html", _context(request, export), status=410)
    raise Http404
