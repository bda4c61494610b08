"""Control Hub pages of "Add or modify users with CSV" (``/org/<org-id>/user-imports/...``): the upload form
with its template, the import's progress and outcome (polled with htmx while it runs) and its per-row error
report. The rules of the file and of every row are the import service's and the subscriber services'."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseStopPolling

from apps.accounts.hub import hub_page
from apps.accounts.permissions import Action
from apps.core.csv_download import csv_download, safe_cell
from apps.core.forms import call_service
from apps.customers.selectors import customer_of_org_get
from apps.subscribers import services
from apps.subscribers.fixes import Fix, fixes_for
from apps.subscribers.forms import UserImportForm
from apps.subscribers.models import ImportStatus, SubscriberImport
from apps.subscribers.selectors.imports import subscriber_import_get, subscriber_imports_recent
from apps.subscribers.services.imports import IMPORT_MAX_BYTES

ERRORS_SHOWN = 20
BUSY = (ImportStatus.QUEUED, ImportStatus.RUNNING)
# Import statuses → the badge colours of the console.
BADGES = {
    ImportStatus.QUEUED: "warning",
    ImportStatus.RUNNING: "info",
    ImportStatus.DONE: "success",
    ImportStatus.FAILED: "danger",
}
ERROR_COLUMNS = ("Line", "Email", "Action", "Errors")


def _detail_url(request: HttpRequest, job: SubscriberImport) -> str:
    return reverse(
        "control:user_import_detail", kwargs={"org_id": request.org.webex_id, "import_id": job.webex_id}
    )


@hub_page(Action.USERS_VIEW, write=Action.USERS_PROVISION)
def user_import(request: HttpRequest) -> HttpResponse:
    """GET: the upload form (hidden when restricted-by-partner mode takes CSV import from the admin). POST:
    the service checks the file; a good one is queued and the browser goes to its progress page."""
    customer = customer_of_org_get(actor=request.user, org=request.org)
    posted = request.method == "POST"
    form = UserImportForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        upload = form.cleaned_data["file"]
        # One byte past the limit is enough for the service to refuse a file that is too large.
        data = upload.read(IMPORT_MAX_BYTES + 1)
        job = call_service(
            form,
            services.subscriber_import_create,
            actor=request.user,
            customer=customer,
            data=data,
            file_name=upload.name or "",
        )
        if job is not None:
            messages.success(
                request,
                ngettext(
                    "%(file)s uploaded: %(rows)s row to import.",
                    "%(file)s uploaded: %(rows)s rows to import.",
                    job.total_rows,
                )
                % {"file": upload.name, "rows": f"{job.total_rows:,}"},
            )
            return redirect(_detail_url(request, job))
    recent = subscriber_imports_recent(actor=request.user, customer=customer)
    for job in recent:  # the status badge of the list, coloured as the import's own page colours it
        job.badge = BADGES.get(job.status, "info")
    return render(
        request, "subscribers/user_import.html", {"form": form, "customer": customer, "recent": recent}
    )


@hub_page(Action.USERS_VIEW)
def user_import_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(services.subscriber_import_template(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="users-template.csv"'
    return response


def import_in_url(request: HttpRequest, import_id: str) -> SubscriberImport:
    return subscriber_import_get(actor=request.user, org=request.org, import_id=import_id)


@hub_page(Action.USERS_VIEW, on=import_in_url)
def user_import_detail(request: HttpRequest, job: SubscriberImport) -> HttpResponse:
    """The import's status, counters and first errors; while it is queued or running the live region polls
    this URL every second, and the answer that finds it finished stops the polling (HTTP 286)."""
    busy = job.status in BUSY
    errors = job.errors or []
    may_provision = Action.USERS_PROVISION in request.actions
    retry_lines = services.subscriber_import_retry_lines(job=job) if job.status == ImportStatus.DONE else []
    context = {
        "job": job,
        "busy": busy,
        "badge": BADGES.get(job.status, "info"),
        "errors": [_with_fixes(request, job, error) for error in errors[:ERRORS_SHOWN]],
        "more_errors": max(0, len(errors) - ERRORS_SHOWN),
        "can_resume": may_provision and job.status == ImportStatus.FAILED,
        "retry_count": len(retry_lines) if may_provision else 0,
    }
    if request.htmx and not request.htmx.boosted:
        response = render(request, "subscribers/user_import_detail.html#live", context)
        return response if busy else HttpResponseStopPolling(response.content)
    return render(request, "subscribers/user_import_detail.html", context)


def _with_fixes(request: HttpRequest, job: SubscriberImport, error: dict) -> dict:
    """A refused row with the pages that fix its causes; a row refused for its own content is fixed in the
    file, uploaded again from the upload page."""
    fixes = fixes_for(error.get("codes") or [], actor=request.user, customer=job.customer)
    if not fixes and Action.USERS_PROVISION in request.actions:
        upload = reverse("control:user_import", kwargs={"org_id": request.org.webex_id})
        fixes = [Fix(_("Correct the row in your file and upload it again"), upload)]
    return {**error, "fixes": fixes}


@hub_page(Action.USERS_PROVISION, on=import_in_url)
@require_POST
def user_import_retry(request: HttpRequest, job: SubscriberImport) -> HttpResponse:
    """The refused rows of a finished import, tried again once their causes were fixed: a new import."""
    try:
        retry = services.subscriber_import_retry(actor=request.user, job=job)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(_detail_url(request, job))
    messages.success(
        request,
        ngettext("%(n)d refused row is tried again.", "%(n)d refused rows are tried again.", retry.total_rows)
        % {"n": retry.total_rows},
    )
    return redirect(_detail_url(request, retry))


@hub_page(Action.USERS_PROVISION, on=import_in_url)
@require_POST
def user_import_resume(request: HttpRequest, job: SubscriberImport) -> HttpResponse:
    """An import that stopped runs again from where it stopped."""
    try:
        services.subscriber_import_resume(actor=request.user, job=job)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The import runs again from where it stopped."))
    return redirect(_detail_url(request, job))


@hub_page(Action.USERS_VIEW, on=import_in_url)
def user_import_errors(request: HttpRequest, job: SubscriberImport) -> HttpResponse:
    """The per-row error report: one line per refused row, the messages joined with "; "."""
    rows = (
        [
            error.get("row", ""),
            safe_cell(error.get("email", "")),
            safe_cell(error.get("action", "")),
            safe_cell("; ".join(error.get("errors", []))),
        ]
        for error in job.errors or []
    )
    stem = (job.file_name or "users").rsplit(".", 1)[0][:80] or "users"
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in stem)
    return csv_download(filename=f"{safe}-errors.csv", header=ERROR_COLUMNS, rows=rows)
