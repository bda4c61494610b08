"""Exports past EXPORT_INLINE_MAX rows run in the worker: the list's export answers with the export's page
(progress, then the download link); the file holds what the streamed export holds; only the person who asked
sees it."""

import csv
import dataclasses
import io

import pytest
from django.test import override_settings

from apps.exports import services
from apps.exports.models import Export, ExportStatus
from apps.exports.services import export_failed
from apps.subscribers.services import subscriber_add


def users_url(org, tail: str = "") -> str:
    return f"/org/{org.webex_id}/users/{tail}"


def read_csv(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode())))


def streamed(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.fixture
def blue(world, page_client):
    return page_client(world.blue_admin)


def test_a_small_export_still_streams_at_once(world, blue):
    response = blue.get(users_url(world.blue_harbor.org, "export.csv"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert not Export.objects.exists()


@override_settings(EXPORT_INLINE_MAX=1)
def test_a_large_export_runs_in_the_worker_and_is_downloaded_when_ready(
    world, blue, django_capture_on_commit_callbacks
):
    org = world.blue_harbor.org
    with override_settings(EXPORT_INLINE_MAX=10_000):
        inline = read_csv(streamed(blue.get(users_url(org, "export.csv"), {"sort": "email"})))
    assert len(inline) > 2  # the header and more rows than the limit

    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = blue.get(users_url(org, "export.csv"), {"sort": "email"})
    export = Export.objects.get()
    page = f"/org/{org.webex_id}/exports/{export.webex_id}/"
    assert response.status_code == 302 and response.url == page
    assert export.status == ExportStatus.QUEUED and export.total_rows == len(inline) - 1
    waiting = blue.get(page, HTTP_HX_REQUEST="true")
    assert waiting.status_code == 200 and b'hx-trigger="every 1s"' in waiting.content
    assert b"Waiting for a worker" in waiting.content

    for callback in queued:  # the commit: the outbox publishes, the (eager) worker writes the file
        callback()
    export.refresh_from_db()
    assert export.status == ExportStatus.DONE and export.written_rows == len(inline) - 1
    finished = blue.get(page, HTTP_HX_REQUEST="true")
    assert finished.status_code == 286  # the poll stops
    ready = blue.get(page)
    assert b"export-download" in ready.content
    download = blue.get(f"{page}download")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert read_csv(streamed(download)) == inline


@override_settings(EXPORT_INLINE_MAX=1)
def test_only_the_person_who_asked_sees_the_export(
    world, blue, page_client, django_capture_on_commit_callbacks
):
    org = world.blue_harbor.org
    with django_capture_on_commit_callbacks(execute=True):
        blue.get(users_url(org, "export.csv"))
    export = Export.objects.get()
    page = f"/org/{org.webex_id}/exports/{export.webex_id}/"
    colleague = page_client(world.blue_readonly)
    assert colleague.get(users_url(org)).status_code == 200  # may read the users...
    assert colleague.get(page).status_code == 404  # ...but not another person's export
    assert colleague.get(f"{page}download").status_code == 404


@override_settings(EXPORT_INLINE_MAX=1)
def test_an_export_the_worker_gave_up_ends_failed_and_offers_no_download(
    world, blue, django_capture_on_commit_callbacks
):
    org = world.blue_harbor.org
    with django_capture_on_commit_callbacks(execute=False):
        blue.get(users_url(org, "export.csv"))
    export = Export.objects.get()
    export_failed(export_id=export.pk)
    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED and not export.busy
    page = f"/org/{org.webex_id}/exports/{export.webex_id}/"
    assert b"The export stopped" in blue.get(page).content
    assert blue.get(f"{page}download").status_code == 404


@override_settings(EXPORT_INLINE_MAX=1)
def test_a_run_that_outlives_its_export_does_not_bring_it_back(
    world, blue, monkeypatch, django_capture_on_commit_callbacks
):
    """A message delivered again, or a run still writing when the task's last attempt gave up: a finished
    export stays as it ended (ready, failed, expired) and a failed one keeps no file."""
    org = world.blue_harbor.org
    with django_capture_on_commit_callbacks(execute=False):
        blue.get(users_url(org, "export.csv"))
    export = Export.objects.get()
    replace = services.os.replace

    def given_up_while_writing(partial, path):
        export_failed(export_id=export.pk)
        replace(partial, path)

    monkeypatch.setattr(services.os, "replace", given_up_while_writing)
    assert services.export_run(export_id=export.pk) is None
    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED
    assert not services.export_path(export).exists()

    for ended in (ExportStatus.DONE, ExportStatus.EXPIRED, ExportStatus.FAILED):
        Export.objects.filter(pk=export.pk).update(status=ended)
        assert services.export_run(export_id=export.pk) is None
        export.refresh_from_db()
        assert export.status == ended
        assert not services.export_path(export).exists()


@override_settings(EXPORT_INLINE_MAX=1)
def test_the_partner_customer_export_goes_to_the_worker_too(
    world, page_client, django_capture_on_commit_callbacks
):
    client = page_client(world.acme_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(f"/partner/{world.acme.webex_id}/customers/export.csv")
    export = Export.objects.get()
    assert response.status_code == 302 and export.kind == "customers"
    assert export.status == ExportStatus.DONE
    rows = read_csv(streamed(client.get(f"{response.url}download")))
    assert rows[0][:2] == ["name", "customer id"] and len(rows) - 1 == export.total_rows >= 2


def test_two_runs_of_one_export_at_once_leave_one_whole_file(
    world, blue, settings, tmp_path, monkeypatch, django_capture_on_commit_callbacks
):
    """The same message delivered twice and run side by side (the outbox's lease ran out while the queue was
    long, Redis' visibility timeout): each run writes its own file, the first to finish serves it and the
    other leaves it alone. Both wrote into one ``.part``, the later truncating what the earlier had written,
    which then renamed the mixture into place (and the other failed, its file gone)."""
    # Through the settings fixture alone: a change of it inside an @override_settings outlives both.
    settings.EXPORT_INLINE_MAX, settings.EXPORT_ROOT = 1, tmp_path / "exports"
    org = world.blue_harbor.org
    with django_capture_on_commit_callbacks(execute=False):
        blue.get(users_url(org, "export.csv"), {"sort": "email"})
    export = Export.objects.get()
    real_kind = services.export_kind
    second = []

    def kind_of(key):
        kind = real_kind(key)

        def rows(queryset):
            for n, row in enumerate(kind.rows(queryset)):
                if n == 1 and not second:
                    second.append(1)
                    # Meanwhile someone is added (sorted first), and the second delivery runs to its end.
                    subscriber_add(
                        actor=world.acme_admin,
                        customer=world.blue_harbor,
                        email="aaaa@blueharbor.test",
                        first_name="Aaron",
                        package="webex_suite",
                        extension="3999",
                    )
                    assert services.export_run(export_id=export.pk).status == ExportStatus.DONE
                    won = services.export_path(export).read_bytes()
                    second.append(won)
                yield row

        return dataclasses.replace(kind, rows=rows)

    monkeypatch.setattr(services, "export_kind", kind_of)
    assert services.export_run(export_id=export.pk) is None  # the other run finished first: this one yields
    export.refresh_from_db()
    served = services.export_path(export).read_bytes()
    assert export.status == ExportStatus.DONE and served == second[1]
    rows = read_csv(served)
    assert rows[1][2] == "aaaa@blueharbor.test" and all(len(row) == len(rows[0]) for row in rows)
    assert export.written_rows == len(rows) - 1
    assert sorted(path.name for path in settings.EXPORT_ROOT.iterdir()) == [f"{export.pk}.csv"]
