"""Background CSV exports: requested in a transaction with their outbox message, written by the worker in
chunks (progress after each), kept as a file under EXPORT_ROOT and served to the person who asked."""

import csv
import os
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.core.models import Organization
from apps.core.services import audit_record, outbox_enqueue
from apps.exports.models import Export, ExportStatus
from apps.exports.registry import export_kind

PROGRESS_EVERY = 1000  # rows between two progress updates


def export_path(export: Export) -> Path:
    return Path(settings.EXPORT_ROOT) / f"{export.pk}.csv"


@transaction.atomic
def export_request(*, actor: User, org: Organization, kind: str, params: dict, file_name: str) -> Export:
    """Queue an export of ``kind`` (the caller's page guard checked the permission to read those rows; the
    worker reads them again as ``actor``, through the same scoping selectors)."""
    queryset = export_kind(kind).queryset(actor=actor, org=org, params=params)
    export = Export.objects.create(
        org=org,
        requested_by=actor,
        kind=kind,
        params=params,
        file_name=file_name,
        total_rows=queryset.count(),
    )
    audit_record(
        actor=actor,
        acting_org=org,
        action="export.request",
        target=export,
        after={"kind": kind, "rows": export.total_rows, "params": params},
    )
    from apps.exports.tasks import export_run_task

    outbox_enqueue(task_name=export_run_task.name, args=[str(export.pk)])
    return export


def _begin(export_id) -> Export | None:
    with transaction.atomic():
        export = (
            Export.objects.select_for_update()
            .select_related("org", "requested_by")
            .filter(pk=export_id)
            .first()
        )
        if export is None or export.status in (ExportStatus.DONE, ExportStatus.FAILED):
            return None
        export.status = ExportStatus.RUNNING
        export.written_rows = 0
        export.save(update_fields=["status", "written_rows"])
        return export


def export_run(*, export_id) -> Export | None:
    """The task's body: the rows read again as the requester, written to a temporary file renamed into
    place when complete (a retried run starts the file again; a half file is never served)."""
    export = _begin(export_id)
    if export is None:
        return None
    kind = export_kind(export.kind)
    queryset = kind.queryset(actor=export.requested_by, org=export.org, params=export.params)
    path = export_path(export)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".part")
    written = 0
    with partial.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(kind.header)
        for row in kind.rows(queryset):
            writer.writerow(row)
            written += 1
            if written % PROGRESS_EVERY == 0:
                Export.objects.filter(pk=export.pk).update(written_rows=written)
    os.replace(partial, path)
    Export.objects.filter(pk=export.pk).update(
        status=ExportStatus.DONE,
        written_rows=written,
        total_rows=max(written, export.total_rows),
        finished_at=timezone.now(),
    )
    export.refresh_from_db()
    return export


@transaction.atomic
def export_failed(*, export_id) -> Export | None:
    """The task gave up: the export ends ``failed`` (the page offers to ask again), never stays busy."""
    export = Export.objects.select_for_update().filter(pk=export_id).first()
    if export is None or not export.busy:
        return export
    export.status = ExportStatus.FAILED
    export.finished_at = timezone.now()
    export.save(update_fields=["status", "finished_at"])
    return export
