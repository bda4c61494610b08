"""Export files do not pile up: the hourly sweep deletes the files of exports finished more than
EXPORT_RETENTION_HOURS ago (a ready export becomes expired, a failed one keeps its status), never touches one
still being written, survives a file already gone, and the export's page and download say Expired (410)."""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from apps.accounts.models import User
from apps.core.models import AuditEvent
from apps.exports import services
from apps.exports.models import Export, ExportStatus
from apps.exports.services import export_failed, export_path, export_request, export_run, exports_expire
from apps.exports.tasks import exports_expire_task


@pytest.fixture(autouse=True)
def export_root(settings, tmp_path) -> Path:
    settings.EXPORT_ROOT = tmp_path / "exports"
    settings.EXPORT_RETENTION_HOURS = 72
    return settings.EXPORT_ROOT


def ask(world) -> Export:
    """An export of Blue Harbor's users asked for by its admin (queued: the worker has not run yet)."""
    return export_request(
        actor=world.blue_admin, org=world.blue_harbor.org, kind="users", params={}, file_name="users.csv"
    )


def finished(world, *, hours_ago: float) -> Export:
    """An export the worker wrote, finished that long ago."""
    export = export_run(export_id=ask(world).pk)
    Export.objects.filter(pk=export.pk).update(finished_at=timezone.now() - timedelta(hours=hours_ago))
    export.refresh_from_db()
    assert export.status == ExportStatus.DONE and export_path(export).exists()
    return export


def failed(world, *, hours_ago: float) -> tuple[Export, Path]:
    """An export the worker gave up on, with the half file its last run left."""
    export = ask(world)
    partial = export_path(export).with_suffix(".part")
    partial.parent.mkdir(parents=True, exist_ok=True)
    partial.write_text("First Name,Last Name\n")
    export_failed(export_id=export.pk)
    Export.objects.filter(pk=export.pk).update(finished_at=timezone.now() - timedelta(hours=hours_ago))
    return export, partial


def page_of(export: Export) -> str:
    return f"/org/{export.org.webex_id}/exports/{export.webex_id}/"


def test_the_sweep_deletes_old_finished_files_and_keeps_recent_and_running_ones(world):
    old = finished(world, hours_ago=73)
    recent = finished(world, hours_ago=71)
    old_failure, old_partial = failed(world, hours_ago=100)
    recent_failure, recent_partial = failed(world, hours_ago=1)
    # Asked for a week ago and still being written (a long retried run): its half file is the worker's.
    running = ask(world)
    Export.objects.filter(pk=running.pk).update(
        status=ExportStatus.RUNNING, created=timezone.now() - timedelta(days=7)
    )
    running_partial = export_path(running).with_suffix(".part")
    running_partial.write_text("First Name\n")
    queued = ask(world)

    assert exports_expire_task.delay().get() == {"expired": 2, "orphan_files": 0}

    old.refresh_from_db()
    assert old.status == ExportStatus.EXPIRED and old.file_deleted_at is not None
    assert not export_path(old).exists()
    old_failure.refresh_from_db()
    assert old_failure.status == ExportStatus.FAILED and old_failure.file_deleted_at is not None
    assert not old_partial.exists()
    recent.refresh_from_db()
    assert recent.status == ExportStatus.DONE and export_path(recent).exists()
    recent_failure.refresh_from_db()
    assert recent_failure.file_deleted_at is None and recent_partial.exists()
    running.refresh_from_db()
    assert running.status == ExportStatus.RUNNING and running.file_deleted_at is None
    assert running_partial.exists()
    queued.refresh_from_db()
    assert queued.status == ExportStatus.QUEUED and queued.file_deleted_at is None
    # The rows stay, with their audit; the sweep's own is the task's.
    events = AuditEvent.objects.filter(action="export.expire").order_by("target_id")
    assert {e.target_id for e in events} == {str(old.pk), str(old_failure.pk)}
    assert all(e.channel == "task" and e.actor is None for e in events)
    assert AuditEvent.objects.filter(action="export.request", target_id=str(old.pk)).exists()


def test_the_sweep_is_idempotent(world):
    old = finished(world, hours_ago=80)
    assert exports_expire() == {"expired": 1, "orphan_files": 0}
    assert exports_expire() == {"expired": 0, "orphan_files": 0}
    old.refresh_from_db()
    assert old.status == ExportStatus.EXPIRED
    assert AuditEvent.objects.filter(action="export.expire").count() == 1


def test_a_file_already_gone_is_marked_all_the_same(world):
    old = finished(world, hours_ago=80)
    export_path(old).unlink()
    assert exports_expire()["expired"] == 1
    old.refresh_from_db()
    assert old.status == ExportStatus.EXPIRED


def test_the_sweep_goes_in_batches_until_none_is_left(world, monkeypatch, django_assert_num_queries):
    monkeypatch.setattr(services, "SWEEP_BATCH", 2)
    olds = [finished(world, hours_ago=73 + n) for n in range(5)]
    # Batches of 2, 2 and 1, each its own transaction of five statements (savepoint, the locked read, the
    # mark, the audit's one insert, release), whatever the rows; no file is old enough for the orphans' check.
    with django_assert_num_queries(15):
        assert exports_expire()["expired"] == 5
    assert set(Export.objects.filter(pk__in=[e.pk for e in olds]).values_list("status", flat=True)) == {
        ExportStatus.EXPIRED
    }


def test_a_file_that_cannot_be_deleted_is_passed_over_and_tried_again(world, monkeypatch):
    stuck, other = finished(world, hours_ago=90), finished(world, hours_ago=80)
    unlink = Path.unlink

    def refuse(path: Path, missing_ok: bool = False) -> None:
        if path == export_path(stuck):
            raise PermissionError(13, "Permission denied", str(path))
        unlink(path, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "unlink", refuse)
    assert exports_expire()["expired"] == 1
    stuck.refresh_from_db()
    other.refresh_from_db()
    assert stuck.status == ExportStatus.DONE and export_path(stuck).exists()
    assert other.status == ExportStatus.EXPIRED
    monkeypatch.setattr(Path, "unlink", unlink)
    assert exports_expire()["expired"] == 1
    stuck.refresh_from_db()
    assert stuck.status == ExportStatus.EXPIRED


def test_files_whose_export_is_gone_are_deleted_too(world, export_root):
    """A person or organisation deleted takes its exports' rows with it (a cascade), not their files."""
    export = finished(world, hours_ago=1)
    orphan = export_path(export)
    Export.objects.filter(pk=export.pk).delete()
    young_orphan = export_root / "00000000-0000-0000-0000-000000000001.csv"
    young_orphan.write_text("x\n")
    stranger = export_root / "README.txt"
    stranger.write_text("not ours\n")
    kept = finished(world, hours_ago=1)
    long_ago = (timezone.now() - timedelta(hours=80)).timestamp()
    for path in (orphan, stranger, export_path(kept)):
        os.utime(path, (long_ago, long_ago))

    assert exports_expire() == {"expired": 0, "orphan_files": 1}
    assert not orphan.exists()
    assert young_orphan.exists() and stranger.exists()
    assert export_path(kept).exists()  # its row says it is kept (finished an hour ago)


def test_the_file_a_run_left_is_swept_with_its_export_or_as_an_orphan(world, export_root):
    """Each run writes ``<pk>.<run>.part``: one a failed run left goes once its export is swept, one whose
    export is gone as an orphan (both past the retention)."""
    export, _ = failed(world, hours_ago=73)
    left = export_root / f"{export.pk}.{'a' * 32}.part"
    left.write_text("First Name\n")
    gone = finished(world, hours_ago=1)
    orphan = export_root / f"{gone.pk}.{'b' * 32}.part"
    orphan.write_text("First Name\n")
    Export.objects.filter(pk=gone.pk).delete()
    long_ago = (timezone.now() - timedelta(hours=80)).timestamp()
    for path in (left, orphan, export_path(gone)):
        os.utime(path, (long_ago, long_ago))

    assert exports_expire() == {"expired": 1, "orphan_files": 3}
    assert not left.exists() and not orphan.exists() and not export_path(gone).exists()


def test_an_expired_export_shows_expired_and_its_download_is_gone(world, page_client):
    old = finished(world, hours_ago=73)
    exports_expire()
    client = page_client(world.blue_admin)
    page = client.get(page_of(old))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-status="expired"' in html and ">Expired<" in html
    assert "files are kept for 72 hours" in html
    assert "export-download" not in html
    download = client.get(f"{page_of(old)}download")
    assert download.status_code == 410
    assert ">Expired<" in download.content.decode()
    assert "Content-Disposition" not in download


def test_a_ready_export_says_until_when_it_is_kept_and_a_vanished_file_is_gone(world, page_client):
    export = finished(world, hours_ago=2)
    client = page_client(world.blue_admin)
    until = (export.finished_at + timedelta(hours=72)).strftime("%Y-%m-%d %H:%M")
    assert f"Available until {until}." in client.get(page_of(export)).content.decode()
    export_path(export).unlink()  # deleted before a sweep marked it (or by hand): no 500, no 404
    download = client.get(f"{page_of(export)}download")
    assert download.status_code == 410 and ">Expired<" in download.content.decode()
    export.refresh_from_db()
    assert export.status == ExportStatus.DONE  # the page changes nothing; the sweep will mark it


def test_an_expired_export_reads_in_french(world, page_client):
    User.objects.filter(pk=world.blue_admin.pk).update(language="fr")
    old = finished(world, hours_ago=73)
    exports_expire()
    html = page_client(world.blue_admin).get(page_of(old)).content.decode()
    assert ">Expirée<" in html and "Cette exportation a expiré" in html


def test_others_still_get_a_404_for_an_expired_export(world, page_client):
    old = finished(world, hours_ago=73)
    exports_expire()
    colleague = page_client(world.blue_readonly)
    assert colleague.get(page_of(old)).status_code == 404
    assert colleague.get(f"{page_of(old)}download").status_code == 404


def test_the_sweep_runs_every_hour():
    from config.celery import app

    entry = django_settings.CELERY_BEAT_SCHEDULE["exports-expire"]
    assert entry["schedule"] == 60 * 60
    app.loader.import_default_modules()
    assert entry["task"] in app.tasks
