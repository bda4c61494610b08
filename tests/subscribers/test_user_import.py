"""Control Hub "Add or modify users with CSV": the template, the upload's checks, the task applying rows
through the subscriber services (added, modified, deleted, refused rows reported with their line), the
progress page and the error report, and who may upload."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.core.models import AuditEvent
from apps.subscribers.models import ImportStatus, Subscriber, SubscriberImport
from apps.subscribers.services import imports as import_services
from apps.subscribers.services.imports import (
    COLUMNS,
    subscriber_import_create,
    subscriber_import_failed,
    subscriber_import_run,
)

HEADER = "Action,First Name,Last Name,Email,Package,Location,Phone Number,Extension"


def url(name: str, org, **kwargs) -> str:
    return reverse(f"control:{name}", kwargs={"org_id": org.webex_id, **kwargs})


def csv_bytes(*lines: str, header: str = HEADER) -> bytes:
    return ("\r\n".join([header, *lines]) + "\r\n").encode()


def fifty_rows_two_bad() -> bytes:
    """50 webex_suite users with extensions; line 12 has an unknown package, line 31 an extension taken."""
    lines = []
    for n in range(50):
        line = n + 2
        package = "no_such_package" if line == 12 else "webex_suite"
        extension = "2001" if line == 31 else str(3000 + n)  # 2001 is maria's
        lines.append(f"add,User,{n:02d},user{n:02d}@blueharbor.test,{package},,,{extension}")
    return csv_bytes(*lines)


def upload(client, org, data: bytes, name: str = "users.csv"):
    return client.post(url("user_import", org), {"file": SimpleUploadedFile(name, data, "text/csv")})


# --- the template ------------------------------------------------------------------------------------------


def test_template_has_the_header_and_two_example_rows(world, page_client):
    response = page_client(world.acme_admin).get(url("user_import_template", world.blue_harbor.org))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert tuple(rows[0]) == COLUMNS
    assert len(rows) == 3 and all(row[3] for row in rows[1:])


# --- upload checks: a form error, nothing created -----------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "users.csv", "empty"),
        (csv_bytes(), "users.csv", "no users"),
        (b"\xff\xfeE\x00m\x00a\x00i\x00l\x00", "users.csv", "not a CSV"),
        ("Email\r\nzoë@example.com\r\n".encode("latin-1"), "users.csv", "not UTF-8"),
        (csv_bytes("Ada,webex_suite", header="First Name,Package"), "users.csv", "Email column"),
        (csv_bytes("a@b.test,x,y", header="Email,Shoe Size,Colour"), "users.csv", "Unknown columns"),
        (csv_bytes("a@b.test"), "users.xlsx", "CSV file"),
    ],
    ids=["empty", "header-only", "binary", "latin-1", "no-email-column", "unknown-columns", "not-csv-name"],
)
def test_a_bad_file_is_a_form_error_and_creates_nothing(world, page_client, data, name, message):
    client = page_client(world.acme_admin)
    response = upload(client, world.blue_harbor.org, data, name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not SubscriberImport.objects.exists()


def test_unknown_columns_are_all_listed(world):
    with pytest.raises(Exception) as exc:
        import_services.subscriber_import_parse(data=csv_bytes(header="Email,Shoe Size,Colour"))
    text = " ".join(exc.value.message_dict["file"])
    assert "shoe size" in text and "colour" in text


def test_too_many_rows_and_too_large_are_refused(world, page_client, monkeypatch):
    client = page_client(world.acme_admin)
    rows = [f"u{n}@example.com" for n in range(import_services.IMPORT_MAX_ROWS + 1)]
    response = upload(client, world.blue_harbor.org, csv_bytes(*rows, header="Email"))
    assert "more than 20,000 rows" in response.content.decode()
    big = csv_bytes(*["x" * 1000 + "@example.com"] * 5300, header="Email")
    assert len(big) > import_services.IMPORT_MAX_BYTES
    response = upload(client, world.blue_harbor.org, big)
    assert "larger than 5 MB" in response.content.decode()
    assert not SubscriberImport.objects.exists()


def test_a_bom_and_any_header_case_and_order_are_accepted(world):
    data = "\ufeffemail,PACKAGE,extension\r\nbom@blueharbor.test,webex_suite,3100\r\n".encode()
    text, rows = import_services.subscriber_import_parse(data=data, file_name="users.csv")
    assert rows[0].values == {"email": "bom@blueharbor.test", "package": "webex_suite", "extension": "3100"}
    assert rows[0].line == 2 and rows[0].action == "add"


# --- processing ---------------------------------------------------------------------------------------------


def test_fifty_rows_two_bad_adds_48_and_reports_2_with_lines_and_reasons(
    world, page_client, django_capture_on_commit_callbacks
):
    org = world.blue_harbor.org
    client = page_client(world.acme_admin)
    before = Subscriber.objects.filter(customer=world.blue_harbor).count()
    created_before = AuditEvent.objects.filter(action="subscriber.create").count()
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, org, fifty_rows_two_bad())
    job = SubscriberImport.objects.get()
    assert response.status_code == 302 and response["Location"] == url(
        "user_import_detail", org, import_id=job.webex_id
    )
    assert (job.status, job.total_rows, job.processed_rows) == (ImportStatus.DONE, 50, 50)
    assert (job.added_count, job.modified_count, job.deleted_count, job.failed_count) == (48, 0, 0, 2)
    assert Subscriber.objects.filter(customer=world.blue_harbor).count() == before + 48
    assert not Subscriber.objects.filter(
        email__in=["user10@blueharbor.test", "user29@blueharbor.test"]
    ).exists()
    assert [(e["row"], e["email"]) for e in job.errors] == [
        (12, "user10@blueharbor.test"),
        (31, "user29@blueharbor.test"),
    ]
    assert job.errors[0]["errors"][0].startswith("Package: ")
    assert job.errors[1]["errors"] == ["Extension: Extension 2001 is already in use in Blue Harbor Dental."]
    assert job.started_at and job.finished_at
    # One audit entry for the upload, one per subscriber written (by the service), none for refused rows.
    assert AuditEvent.objects.filter(action="subscriber_import.create", target_id=str(job.pk)).count() == 1
    assert AuditEvent.objects.filter(action="subscriber.create").count() == created_before + 48

    page = client.get(url("user_import_detail", org, import_id=job.webex_id))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="count-added">48<' in html and 'data-testid="count-failed">2<' in html
    assert "user10@blueharbor.test" in html and "hx-trigger" not in html  # done: no polling

    report = client.get(url("user_import_errors", org, import_id=job.webex_id))
    assert report.status_code == 200 and report["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(report.streaming_content).decode())))
    assert rows[0] == ["Line", "Email", "Action", "Errors"]
    assert [r[:3] for r in rows[1:]] == [
        ["12", "user10@blueharbor.test", "add"],
        ["31", "user29@blueharbor.test", "add"],
    ]
    assert "no_such_package" in rows[1][3] and "2001" in rows[2][3]

    # The import page lists it among the recent imports, linking its report and its error rows.
    again = client.get(url("user_import", org)).content.decode()
    assert again.count('data-testid="recent-import"') == 1
    assert '<span class="badge badge-success">Done</span>' in again  # as the import's own page shows it
    assert url("user_import_detail", org, import_id=job.webex_id) in again
    assert url("user_import_errors", org, import_id=job.webex_id) in again


def _run(actor, customer, data: bytes) -> SubscriberImport:
    job = subscriber_import_create(actor=actor, customer=customer, data=data, file_name="users.csv")
    return subscriber_import_run(import_id=job.pk)


def test_a_row_the_database_refuses_fails_alone(world, monkeypatch):
    from django.db import DataError

    real_add, real_batch = import_services.subscriber_add, import_services.subscribers_add_batch

    def add(**kwargs):
        if kwargs["email"] == "b@blueharbor.test":
            raise DataError("value too long for type character varying(254)")
        return real_add(**kwargs)

    def batch(**kwargs):
        # The chunk's one insert fails as a whole; the rows then go one by one and only b fails.
        if any(order["email"] == "b@blueharbor.test" for order in kwargs["orders"]):
            raise DataError("value too long for type character varying(254)")
        return real_batch(**kwargs)

    monkeypatch.setattr(import_services, "subscriber_add", add)
    monkeypatch.setattr(import_services, "subscribers_add_batch", batch)
    job = _run(
        world.acme_admin,
        world.blue_harbor,
        csv_bytes(
            *(f"add,,,{name}@blueharbor.test,webex_suite,,,{3000 + n}" for n, name in enumerate("abc"))
        ),
    )
    assert (job.status, job.added_count, job.failed_count) == (ImportStatus.DONE, 2, 1)
    assert [e["row"] for e in job.errors] == [3]
    assert set(
        Subscriber.objects.filter(email__in=["a@blueharbor.test", "c@blueharbor.test"]).values_list(
            "email", flat=True
        )
    ) == {"a@blueharbor.test", "c@blueharbor.test"}


def test_modify_changes_the_package_and_delete_removes(world):
    blue = world.blue_harbor
    job = _run(
        world.acme_admin,
        blue,
        csv_bytes(
            "modify,,,TOM@blueharbor.test,Webex Suite,,,",  # by name, e-mail in any case; keeps extension
            "delete,,,maria@blueharbor.test,,,,",
            "modify,,,nobody@blueharbor.test,webex_suite,,,",
            "remove,,,x@blueharbor.test,,,,",
        ),
    )
    assert (job.added_count, job.modified_count, job.deleted_count, job.failed_count) == (0, 1, 1, 2)
    tom = Subscriber.objects.get(email="tom@blueharbor.test")
    assert tom.package == "webex_suite" and list(tom.extensions.values_list("extension", flat=True)) == [
        "2002"
    ]
    assert not Subscriber.objects.filter(email="maria@blueharbor.test").exists()
    assert AuditEvent.objects.filter(action="subscriber.package_change", target_id=str(tom.pk)).exists()
    assert AuditEvent.objects.filter(action="subscriber.remove").count() == 1
    assert [e["errors"][0].split(":")[0] for e in job.errors] == ["Email", "Action"]


def test_a_user_removed_meanwhile_fails_its_row_alone(world, monkeypatch):
    """A modify or delete row names a user someone removes on the Users page between the row's read and the
    service's lock: the service says so (an ApplicationError, the API's 404), and that row is refused like any
    other. It left the chunk, rolled the chunk back and stopped the whole import as failed."""
    from apps.subscribers.services import subscriber_remove

    real_of = import_services._subscriber_of

    def read_then_removed(customer, email):
        found = real_of(customer, email)
        if found.email in ("tom@blueharbor.test", "maria@blueharbor.test"):
            subscriber_remove(actor=world.acme_admin, subscriber=found)
        return found

    monkeypatch.setattr(import_services, "_subscriber_of", read_then_removed)
    job = _run(
        world.acme_admin,
        world.blue_harbor,
        csv_bytes(
            "modify,,,tom@blueharbor.test,webex_suite,,,",
            "delete,,,maria@blueharbor.test,,,,",
            "add,,,new@blueharbor.test,webex_suite,,,3101",
        ),
    )
    assert (job.status, job.added_count, job.modified_count, job.deleted_count, job.failed_count) == (
        ImportStatus.DONE,
        1,
        0,
        0,
        2,
    )
    assert [e["row"] for e in job.errors] == [2, 3]
    assert all("removed meanwhile" in e["errors"][0] for e in job.errors), job.errors
    assert Subscriber.objects.filter(email="new@blueharbor.test").exists()


def test_the_run_is_idempotent_and_resumes_from_processed_rows(world, monkeypatch):
    monkeypatch.setattr(import_services, "CHUNK_ROWS", 2)
    monkeypatch.setattr(import_services, "BATCH_ROWS", 2)
    lines = [f"add,,,r{n}@blueharbor.test,webex_suite,,,{3200 + n}" for n in range(5)]
    job = subscriber_import_create(
        actor=world.acme_admin, customer=world.blue_harbor, data=csv_bytes(*lines), file_name="u.csv"
    )
    # A worker that died after the first chunk committed: the retry starts at row 3.
    chunks = []
    real = import_services._apply_batch

    def crash_in_second_chunk(chunk, **kwargs):
        chunks.append(chunk)
        if len(chunks) == 2:
            raise RuntimeError("worker lost")
        return real(chunk, **kwargs)

    monkeypatch.setattr(import_services, "_apply_batch", crash_in_second_chunk)
    with pytest.raises(RuntimeError):
        subscriber_import_run(import_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.processed_rows, job.added_count) == (ImportStatus.RUNNING, 2, 2)
    monkeypatch.setattr(import_services, "_apply_batch", real)
    job = subscriber_import_run(import_id=job.pk)
    assert (job.status, job.processed_rows, job.added_count, job.failed_count) == (ImportStatus.DONE, 5, 5, 0)
    assert subscriber_import_run(import_id=job.pk) is None  # done: a duplicated task does nothing
    assert Subscriber.objects.filter(email__startswith="r", customer=world.blue_harbor).count() == 5


@pytest.fixture
def eager_without_propagation():
    """As a worker does: the task's failure handler runs instead of the error reaching the caller."""
    from config.celery import app

    app.conf.task_eager_propagates = False
    yield
    app.conf.task_eager_propagates = True


def test_a_task_that_gives_up_marks_the_import_failed(
    world, django_capture_on_commit_callbacks, monkeypatch, eager_without_propagation
):
    def boom(rows, **kwargs):
        raise RuntimeError("unexpected")

    monkeypatch.setattr(import_services, "_apply_batch", boom)
    with django_capture_on_commit_callbacks(execute=True):
        subscriber_import_create(
            actor=world.acme_admin,
            customer=world.blue_harbor,
            data=csv_bytes(",,,a@b.test,,,,"),
            file_name="u.csv",
        )
    job = SubscriberImport.objects.get()
    assert job.status == ImportStatus.FAILED and job.finished_at
    assert subscriber_import_failed(import_id=job.pk).status == ImportStatus.FAILED  # idempotent


# --- the pages and who may use them -------------------------------------------------------------------------


def test_progress_region_polls_while_running_and_stops_when_done(world, page_client):
    org = world.blue_harbor.org
    job = subscriber_import_create(
        actor=world.acme_admin,
        customer=world.blue_harbor,
        data=csv_bytes(",,,q@b.test,,,,"),
        file_name="u.csv",
    )
    client = page_client(world.acme_admin)
    detail = url("user_import_detail", org, import_id=job.webex_id)
    html = client.get(detail).content.decode()
    assert 'hx-trigger="every 1s"' in html and "Queued" in html
    assert client.get(detail, HTTP_HX_REQUEST="true").status_code == 200
    subscriber_import_run(import_id=job.pk)
    response = client.get(detail, HTTP_HX_REQUEST="true")
    assert response.status_code == 286 and "hx-trigger" not in response.content.decode()


def test_a_restricted_customer_admin_cannot_upload(world, page_client):
    org = world.blue_harbor.org
    client = page_client(world.blue_admin)  # restricted-by-partner mode is on for Blue Harbor
    page = client.get(url("user_import", org))
    assert page.status_code == 200
    assert 'data-testid="user-import-unavailable"' in page.content.decode()
    assert 'data-testid="user-import-form"' not in page.content.decode()
    response = upload(client, org, csv_bytes(",,,sneaky@blueharbor.test,webex_suite,,,3999"))
    assert response.status_code == 403
    assert not SubscriberImport.objects.exists()


def test_the_partner_admin_sees_the_form_and_a_read_only_admin_cannot_upload(world, page_client):
    org = world.blue_harbor.org
    html = page_client(world.acme_partner_admin).get(url("user_import", org)).content.decode()
    assert 'data-testid="user-import-form"' in html
    response = upload(page_client(world.blue_readonly), org, csv_bytes(",,,ro@blueharbor.test,,,,"))
    assert response.status_code == 403
    assert not SubscriberImport.objects.exists()


def test_an_import_of_another_customer_is_404(world, page_client):
    job = subscriber_import_create(
        actor=world.acme_admin,
        customer=world.cedar_pine,
        data=csv_bytes(",,,c@b.test,,,,"),
        file_name="u.csv",
    )
    client = page_client(world.acme_admin)
    # Cedar & Pine's import named under Blue Harbor's organisation.
    assert (
        client.get(url("user_import_detail", world.blue_harbor.org, import_id=job.webex_id)).status_code
        == 404
    )
    assert (
        client.get(url("user_import_errors", world.blue_harbor.org, import_id="garbage")).status_code == 404
    )
