"""Background CSV exports: requested in a transaction with their outbox message, written by the worker in
chunks (progress after each), kept as a file under EXPORT_ROOT and served to the person who asked, until
the retention's sweep deletes the file ``EXPORT_RETENTION_HOURS`` after the export finished."""

import csv
import logging
import os
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from apps.accounts.models import User
from apps.core.models import Organization
from apps.core.services import audit_entry, audit_record, audit_record_batch, outbox_enqueue
from apps.exports.models import Export, ExportStatus
from apps.exports.registry import export_kind

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 1000  # rows between two progress updates
SWEEP_BATCH = 500  # exports locked, cleaned and marked in one transaction by the retention's sweep
_FILE_SUFFIXES = (".csv", ".part")  # the file served, and the one being written (or left by a failed run)


def export_path(export: Export) -> Path:
    return Path(settings.EXPORT_ROOT) / f"{export.pk}.csv"


def _export_files(pk) -> list[Path]:
    # A run's own ``<pk>.<run>.part`` left behind goes with the orphans (``_sweep_orphan_files``), once its
    # export is swept: no directory scan per export here.
    root = Path(settings.EXPORT_ROOT)
    return [root / f"{pk}{suffix}" for suffix in _FILE_SUFFIXES]


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
        if export is None or not export.busy:  # finished (ready, failed, expired): a message delivered again
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
    # A file of this run's own: the same message delivered twice (a lease that ran out while the queue was
    # long, Redis' visibility timeout) runs twice at once, and two runs writing one file mix their rows.
    partial = path.with_name(f"{export.pk}.{uuid.uuid4().hex}.part")
    running = Export.objects.filter(pk=export.pk, status=ExportStatus.RUNNING)
    written = 0
    with partial.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(kind.header)
        for row in kind.rows(queryset):
            writer.writerow(row)
            written += 1
            if written % PROGRESS_EVERY == 0:
                running.update(written_rows=written)
    with transaction.atomic():
        # The first run to finish serves its file; a later one finds the export finished and leaves it be.
        if running.select_for_update().only("pk").first() is None:
            partial.unlink(missing_ok=True)
            return None
        os.replace(partial, path)
        finished = running.update(
            status=ExportStatus.DONE,
            written_rows=written,
            total_rows=max(written, export.total_rows),
            finished_at=timezone.now(),
        )
    if not finished:  # given up meanwhile (failed, by the task's last attempt): it stays so, with no file
        path.unlink(missing_ok=True)
        return None
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


# --- retention ---------------------------------------------------------------------------------------------


def _delete_files(paths: list[Path]) -> bool:
    """Delete the files that exist; False (and a warning) when one could not be deleted."""
    try:
        for path in paths:
            path.unlink(missing_ok=True)  # already gone (deleted by hand, or a sweep that did not commit)
    except OSError:
        logger.warning("Could not delete the export file %s", path, exc_info=True)
        return False
    return True


# What the sweep leaves each finished status as: a ready export is expired, a failed one stays failed.
_SWEPT_STATUS = {ExportStatus.DONE: ExportStatus.EXPIRED, ExportStatus.FAILED: ExportStatus.FAILED}


def _sweep_batch(*, cutoff: datetime, now: datetime, after: tuple | None) -> tuple[tuple | None, int]:
    """One batch of the sweep, in one transaction: (the keyset position reached or None at the end, how
    many exports it marked). The files go first, the marks after: a transaction that fails leaves exports
    whose file is already gone (the download says expired; the next sweep marks them), never a mark on a
    file that is still on disk."""
    with transaction.atomic():
        due = Export.objects.filter(
            status__in=list(_SWEPT_STATUS),
            file_deleted_at__isnull=True,
            finished_at__lt=cutoff,
        )
        if after is not None:
            due = due.filter(Q(finished_at__gt=after[0]) | Q(finished_at=after[0], pk__gt=after[1]))
        batch = list(
            due.select_for_update(of=("self",), skip_locked=True)
            .select_related("org")
            .order_by("finished_at", "pk")[:SWEEP_BATCH]
        )
        if not batch:
            return None, 0
        swept = [export for export in batch if _delete_files(_export_files(export.pk))]
        expired = [export.pk for export in swept if export.status == ExportStatus.DONE]
        failed = [export.pk for export in swept if export.status == ExportStatus.FAILED]
        if expired:
            Export.objects.filter(pk__in=expired).update(status=ExportStatus.EXPIRED, file_deleted_at=now)
        if failed:
            Export.objects.filter(pk__in=failed).update(file_deleted_at=now)
        audit_record_batch(
            [
                audit_entry(
                    actor=None,
                    acting_org=export.org,
                    action="export.expire",
                    target=export,
                    before={"status": export.status},
                    after={"status": _SWEPT_STATUS[export.status], "file_deleted": True},
                )
                for export in swept
            ]
        )
        if len(batch) < SWEEP_BATCH:
            return None, len(swept)
        last = batch[-1]
        return (last.finished_at, last.pk), len(swept)


def _delete_orphans(candidates: dict[uuid.UUID, list[Path]]) -> int:
    """Delete the candidates' files unless their export still keeps them; how many files went."""
    kept = set(
        Export.objects.filter(pk__in=list(candidates), file_deleted_at__isnull=True).values_list(
            "pk", flat=True
        )
    )
    return sum(len(paths) for pk, paths in candidates.items() if pk not in kept and _delete_files(paths))


def _sweep_orphan_files(*, cutoff: datetime) -> int:
    """Files under EXPORT_ROOT older than the retention whose export no longer keeps them: its row was
    deleted with its person or organisation (a cascade that leaves the file), or was swept already (a
    run that outlived its export wrote again). The files of exports not swept yet are the rows' sweep's;
    anything else in the folder is left alone."""
    root = Path(settings.EXPORT_ROOT)
    if not root.is_dir():
        return 0
    deleted = 0
    candidates: dict[uuid.UUID, list[Path]] = {}
    with os.scandir(root) as entries:
        for entry in entries:
            stem, suffix = os.path.splitext(entry.name)
            stem = stem.split(".", 1)[0]  # a run's own partial file: <pk>.<run>.part
            if suffix not in _FILE_SUFFIXES or not entry.is_file(follow_symlinks=False):
                continue
            try:
                pk = uuid.UUID(stem)
                modified = datetime.fromtimestamp(entry.stat(follow_symlinks=False).st_mtime, tz=UTC)
            except (ValueError, OSError):  # not one of ours, or gone meanwhile
                continue
            if modified < cutoff:
                candidates.setdefault(pk, []).append(Path(entry.path))
            if len(candidates) >= SWEEP_BATCH:
                deleted += _delete_orphans(candidates)
                candidates = {}
    if candidates:
        deleted += _delete_orphans(candidates)
    return deleted


def exports_expire(*, now: datetime | None = None) -> dict[str, int]:
    """The retention (Celery beat, hourly): the files of exports finished more than EXPORT_RETENTION_HOURS
    ago are deleted; a ready export becomes ``expired``, a failed one stays ``failed``; rows and their audit
    stay. Batched (SWEEP_BATCH exports a transaction, in the order they finished), idempotent, safe when a
    file is already gone, and never touches a queued or running export. An export whose file could not be
    deleted is passed over and tried again by the next run."""
    now = now or timezone.now()
    cutoff = now - timedelta(hours=settings.EXPORT_RETENTION_HOURS)
    expired = 0
    after: tuple | None = None
    while True:
        after, count = _sweep_batch(cutoff=cutoff, now=now, after=after)
        expired += count
        if after is None:
            break
    return {"expired": expired, "orphan_files": _sweep_orphan_files(cutoff=cutoff)}
