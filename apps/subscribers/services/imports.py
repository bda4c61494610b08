"""The Users page's "Add or modify users with CSV": the upload (checked at once, nothing created when the
file is wrong), the Celery task's body that applies it row by row, and the template.

The file: a header row naming the columns (case-insensitive, any order) ``Action, First Name, Last Name,
Email, Package, Location, Phone Number, Extension`` (only ``Email`` is required; ``Action`` is ``add``,
``modify`` or ``delete``, empty meaning ``add``). Every row goes through the one subscriber service of its
action, so the rules are those of the Users page and the API: ``add`` → ``subscriber_add``; ``modify`` →
``subscriber_change_package`` (package, phone number, extension and location; an empty package keeps the
current one; names are not changed); ``delete`` → ``subscriber_remove``. A refused row is recorded with its
line number and the service's messages, and nothing is written for it.

Set-based: a chunk of ``BATCH_ROWS`` plain ``add`` rows goes through ``subscribers_add_batch`` — the same
checks from a few set queries, one insert per table — and reports what the rows one by one would; a chunk it
cannot take (another action, an existing account, a concurrent conflict) is applied row by row,
``CHUNK_ROWS`` at a time.

Retry-safe: each chunk is applied in one transaction together with the import's counters and
``processed_rows``; a crash rolls the chunk back and a retried task resumes exactly
where the last committed chunk ended. The page's progress bar moves at every chunk.
"""

import csv
import io
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DataError, IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.language import language_for
from apps.accounts.models import User
from apps.accounts.permissions import Action, require
from apps.core.exceptions import ApplicationError
from apps.core.services import audit_record, outbox_enqueue
from apps.customers.models import Customer
from apps.packages.catalogue import PACKAGES
from apps.packages.constants import SUBSCRIBER_PACKAGES
from apps.subscribers.fixes import error_codes, retryable
from apps.subscribers.models import ImportStatus, Subscriber, SubscriberImport
from apps.subscribers.services.subscribers import (
    BatchNotApplicable,
    subscriber_add,
    subscriber_change_package,
    subscriber_remove,
    subscribers_add_batch,
)

# The column headers, in the template's order. The Users page export uses the same names (minus Action,
# plus Status), so an export edited in a spreadsheet can be uploaded again.
COLUMNS = ("Action", "First Name", "Last Name", "Email", "Package", "Location", "Phone Number", "Extension")
# The header as written (case-insensitive) → the key of the subscriber services' orders.
COLUMN_KEYS = {
    "action": "action",
    "first name": "first_name",
    "last name": "last_name",
    "email": "email",
    "package": "package",
    "location": "location",
    "phone number": "phone_number",
    "extension": "extension",
}
# The services' error keys → the column a person fixes in the file.
KEY_COLUMNS = {COLUMN_KEYS[column.lower()]: column for column in COLUMNS}
# Ignored header: the Users page export's own column, so that an export uploads as it is.
IGNORED_COLUMNS = {"status"}
ACTIONS = ("add", "modify", "delete")

IMPORT_MAX_ROWS = 20_000
IMPORT_MAX_BYTES = 5 * 1024 * 1024
# Rows per transaction: the progress bar moves this often, and a chunk holds the customer's row lock (taken by
# every subscriber write) for its duration, so it stays short for people working on the same customer.
CHUNK_ROWS = 100
# Rows per transaction when a chunk goes through ``subscribers_add_batch`` (milliseconds per hundred rows):
# fewer round trips, and the bar still moves every few hundred milliseconds.
BATCH_ROWS = 500
_PROGRESS_FIELDS = [
    "processed_rows",
    "total_rows",
    "added_count",
    "modified_count",
    "deleted_count",
    "failed_count",
    "modified",
    "errors",
    "status",
    "finished_at",
]

# "Webex Meetings" or "webex_meetings": a package by its name or its code, as the export may show either.
_PACKAGE_ALIASES = {
    alias.lower(): code
    for code in SUBSCRIBER_PACKAGES
    for alias in (str(code), PACKAGES[code].name)
    if code in PACKAGES
}


@dataclass(frozen=True)
class ImportRow:
    line: int  # the line of the file the row ends on (1 is the header)
    values: dict[str, str]  # service keys → stripped text
    extra: bool = False  # more values than columns

    @property
    def action(self) -> str:
        return self.values.get("action", "").lower() or "add"


def subscriber_import_template() -> str:
    """The template CSV: the header and two example rows (a meetings user, a calling user)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerow(["add", "Ada", "Lovelace", "ada.lovelace@example.com", "webex_meetings", "", "", ""])
    writer.writerow(
        ["add", "Alan", "Turing", "alan.turing@example.com", "webex_calling", "Headquarters", "", "2001"]
    )
    return buffer.getvalue()


def _file_error(message: str) -> ValidationError:
    return ValidationError({"file": message})


def _decode(data: bytes, file_name: str) -> str:
    if not data:
        raise _file_error(_("The file is empty."))
    if len(data) > IMPORT_MAX_BYTES:
        raise _file_error(
            _("The file is larger than %(size)d MB.") % {"size": IMPORT_MAX_BYTES // (1024 * 1024)}
        )
    if file_name and not file_name.lower().endswith(".csv"):
        raise _file_error(_("Choose a CSV file (.csv)."))
    if b"\x00" in data:
        raise _file_error(_("The file is not a CSV file."))
    try:
        return data.decode("utf-8-sig")  # Excel's "CSV UTF-8" starts with a byte order mark
    except UnicodeDecodeError:
        raise _file_error(_("The file is not UTF-8 text: save it as “CSV UTF-8”.")) from None


def _header(reader: csv.DictReader) -> list[str]:
    try:
        raw = reader.fieldnames
    except csv.Error as exc:
        raise _file_error(_("The file is not valid CSV: %(problem)s.") % {"problem": exc}) from None
    header = [(h or "").strip().lower() for h in (raw or [])]
    if not any(header):
        raise _file_error(_("The file is empty."))
    unknown = [h for h in header if h and h not in COLUMN_KEYS and h not in IGNORED_COLUMNS]
    if unknown:
        raise _file_error(
            _("Unknown columns: %(unknown)s. The columns are: %(columns)s.")
            % {"unknown": ", ".join(f"“{h}”" for h in unknown[:20]), "columns": ", ".join(COLUMNS)}
        )
    if "email" not in header:
        raise _file_error(
            _("The first line must name the columns, with an Email column: %(columns)s")
            % {"columns": ", ".join(COLUMNS)}
        )
    repeated = sorted({h for h in header if h and header.count(h) > 1})
    if repeated:
        raise _file_error(_("Columns named twice: %(columns)s.") % {"columns": ", ".join(repeated)})
    return header


def import_rows(text: str) -> list[ImportRow]:
    """The data rows of a decoded file (blank lines skipped), or a ValidationError keyed ``file`` saying
    why the file as a whole cannot be imported."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = _header(reader)
    reader.fieldnames = [COLUMN_KEYS.get(h, h) for h in header]
    keys = [k for k in reader.fieldnames if k in COLUMN_KEYS.values()]
    rows: list[ImportRow] = []
    try:
        for record in reader:
            extra = None in record
            values = {k: (record.get(k) or "").strip() for k in keys}
            if not extra and not any(values.values()):
                continue
            rows.append(ImportRow(line=reader.line_num, values=values, extra=extra))
            if len(rows) > IMPORT_MAX_ROWS:
                raise _file_error(
                    _("The file has more than %(max)s rows: split it.") % {"max": f"{IMPORT_MAX_ROWS:,}"}
                )
    except csv.Error as exc:
        raise _file_error(
            _("Line %(line)d is not valid CSV (%(problem)s).") % {"line": reader.line_num, "problem": exc}
        ) from None
    if not rows:
        raise _file_error(_("The file has no users: add one row per user under the header."))
    return rows


def subscriber_import_parse(*, data: bytes, file_name: str = "") -> tuple[str, list[ImportRow]]:
    """Check an uploaded file without writing anything: (its text, its rows)."""
    text = _decode(data, file_name)
    return text, import_rows(text)


@transaction.atomic
def subscriber_import_create(
    *, actor: User, customer: Customer, data: bytes, file_name: str = ""
) -> SubscriberImport:
    """Accept an uploaded file: the import is ``queued`` and its task runs once this commits. A file that
    cannot be imported is a ValidationError keyed ``file``, and nothing is created."""
    require(actor, Action.USERS_PROVISION, customer.org)
    text, rows = subscriber_import_parse(data=data, file_name=file_name)
    job = SubscriberImport.objects.create(
        customer=customer,
        requested_by=actor,
        file_name=(file_name or "")[:255],
        content=text,
        total_rows=len(rows),
    )
    audit_record(
        actor=actor,
        acting_org=customer.org,
        action="subscriber_import.create",
        target=job,
        after={"file_name": job.file_name, "rows": job.total_rows},
    )
    from apps.subscribers.tasks import subscriber_import_task

    outbox_enqueue(task_name=subscriber_import_task.name, args=[str(job.pk)])
    return job


# --- the task's body ---------------------------------------------------------------------------------------


def _messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [
            f"{KEY_COLUMNS.get(key, key.replace('_', ' ').capitalize())}: {message}"
            for key, messages in exc.message_dict.items()
            for message in messages
        ]
    return list(exc.messages)


class _RowRefused(Exception):
    def __init__(self, messages: list[str], codes: list[int] | None = None):
        self.messages = messages
        self.codes = codes or []  # the services' error codes: the page names where each cause is fixed


def _subscriber_of(customer: Customer, email: str) -> Subscriber:
    if not email:
        raise _RowRefused([_("Email: Enter the e-mail address of the user.")])
    found = (
        Subscriber.objects.select_related("customer", "customer__org")
        .filter(customer=customer, email=email.strip().lower())  # stored lower-case: the index serves it
        .first()
    )
    if found is None:
        raise _RowRefused(
            [_("Email: %(org)s has no user with this e-mail address.") % {"org": customer.org.name}]
        )
    return found


_EXTRA_VALUES = gettext_lazy("The row has more values than the header has columns.")
# The columns an ``add`` passes to the subscriber service (all but Action).
_ORDER_KEYS = ("email", "first_name", "last_name", "phone_number", "extension", "location")


def _package(value: str) -> str:
    return _PACKAGE_ALIASES.get(value.lower(), value)


def _apply(row: ImportRow, *, actor: User, customer: Customer) -> str:
    """Apply one row through its service; returns the counter it adds to, or raises _RowRefused."""
    if row.extra:
        raise _RowRefused([str(_EXTRA_VALUES)])
    values = row.values
    action = row.action
    try:
        if action == "add":
            subscriber_add(
                actor=actor,
                customer=customer,
                email=values.get("email", ""),
                package=_package(values.get("package", "")),
                first_name=values.get("first_name", ""),
                last_name=values.get("last_name", ""),
                phone_number=values.get("phone_number", ""),
                extension=values.get("extension", ""),
                location=values.get("location", ""),
            )
            return "added"
        if action == "modify":
            subscriber = _subscriber_of(customer, values.get("email", ""))
            subscriber_change_package(
                actor=actor,
                subscriber=subscriber,
                package=_package(values.get("package", "")) or subscriber.package,
                phone_number=values.get("phone_number", ""),
                extension=values.get("extension", ""),
                location=values.get("location", ""),
            )
            return "modified"
        if action == "delete":
            subscriber_remove(actor=actor, subscriber=_subscriber_of(customer, values.get("email", "")))
            return "deleted"
    except ValidationError as exc:
        raise _RowRefused(_messages(exc), error_codes(exc)) from None
    except PermissionDenied as exc:
        raise _RowRefused([str(exc) or _("You may not add or change users here.")]) from None
    except ApplicationError as exc:
        # A rule the service answers with a status of its own: the user was removed since the row read it
        # (the service's lock found nobody). The row fails; the chunk and the other rows go on.
        raise _RowRefused([str(exc)]) from None
    except (IntegrityError, DataError):
        # A value the database refused (the services' own atomic blocks rolled the row's writes back): the
        # row fails, the chunk and the other rows go on.
        raise _RowRefused(
            [_("The row could not be written: a value is too long or already taken.")]
        ) from None
    shown = values.get("action", "")[:20]
    raise _RowRefused([_("Action: “%(action)s” is not one of add, modify or delete.") % {"action": shown}])


def _apply_one(row: ImportRow, *, actor: User | None, customer: Customer) -> str | _RowRefused:
    """One row through its service (in its own savepoint, the service's atomic block)."""
    try:
        if actor is None:
            raise _RowRefused([_("The person who uploaded the file no longer exists.")])
        return _apply(row, actor=actor, customer=customer)
    except _RowRefused as refused:
        return refused


def _apply_batch(chunk: list[ImportRow], *, actor: User | None, customer: Customer) -> list | None:
    """A chunk of plain ``add`` rows through ``subscribers_add_batch`` (the same checks, set queries, one
    insert per table, one savepoint): per row its counter or its refusal, with the messages one by one would
    give. None when the chunk must go row by row: another action in it, an existing account named, a
    permission refused (each row then says so), or a value taken by a concurrent write."""
    if actor is None or any(row.action != "add" for row in chunk):
        return None
    orders = [
        {key: row.values.get(key, "") for key in _ORDER_KEYS}
        | {"package": _package(row.values.get("package", ""))}
        for row in chunk
        if not row.extra
    ]
    try:
        added = iter(subscribers_add_batch(actor=actor, customer=customer, orders=orders))
    except (BatchNotApplicable, PermissionDenied, IntegrityError, DataError):
        return None
    outcomes: list[str | _RowRefused] = []
    for row in chunk:
        if row.extra:
            outcomes.append(_RowRefused([str(_EXTRA_VALUES)]))
            continue
        outcome = next(added)
        outcomes.append(
            _RowRefused(_messages(outcome), error_codes(outcome))
            if isinstance(outcome, ValidationError)
            else "added"
        )
    return outcomes


def _begin(import_id) -> SubscriberImport | None:
    """queued → running (once); None when there is nothing (more) to do."""
    with transaction.atomic():
        job = SubscriberImport.objects.select_for_update().filter(pk=import_id).first()
        if job is None or job.status in (ImportStatus.DONE, ImportStatus.FAILED):
            return None
        if job.status == ImportStatus.QUEUED:
            job.status = ImportStatus.RUNNING
            job.started_at = timezone.now()
            job.save(update_fields=["status", "started_at"])
        return job


def _finish(job: SubscriberImport, status: str) -> None:
    job.status = status
    job.finished_at = timezone.now()


def subscriber_import_run(*, import_id) -> SubscriberImport | None:
    """Apply an import's rows (the task's body). Idempotent: a finished import is left alone, a retried one
    resumes after the last committed chunk; each row is audited by the service that writes it."""
    job = _begin(import_id)
    if job is None:
        return None
    actor = User.objects.select_related("org").filter(pk=job.requested_by_id).first()
    customer = Customer.objects.select_related("org", "org__parent").get(pk=job.customer_id)
    try:
        rows = import_rows(job.content)
    except ValidationError:
        rows = []  # cannot happen for a file the upload accepted; the import ends with nothing applied
    # The refused rows' messages are written once, in the language of the person who uploaded the file.
    language = (language_for(actor) if actor is not None else None) or settings.LANGUAGE_CODE
    with translation.override(language):
        return _apply_rows(import_id, rows, actor=actor, customer=customer)


def _apply_rows(
    import_id, rows: list[ImportRow], *, actor: User | None, customer: Customer
) -> SubscriberImport:
    """The rows from the last committed chunk on, a chunk per transaction, until the import is done."""
    while True:
        with transaction.atomic():
            job = SubscriberImport.objects.select_for_update().defer("content").get(pk=import_id)
            if job.status != ImportStatus.RUNNING:
                return job
            start = job.processed_rows
            chunk = rows[start : start + BATCH_ROWS]
            outcomes = _apply_batch(chunk, actor=actor, customer=customer)
            if outcomes is None:
                chunk = chunk[:CHUNK_ROWS]
                outcomes = [_apply_one(row, actor=actor, customer=customer) for row in chunk]
            for row, outcome in zip(chunk, outcomes, strict=True):
                if isinstance(outcome, _RowRefused):
                    job.failed_count += 1
                    job.errors.append(
                        {
                            "row": row.line,
                            "email": row.values.get("email", "")[:254],
                            "action": row.values.get("action", "") or "add",
                            "errors": outcome.messages,
                            "codes": outcome.codes,
                        }
                    )
                else:
                    setattr(job, f"{outcome}_count", getattr(job, f"{outcome}_count") + 1)
            job.processed_rows = start + len(chunk)
            job.total_rows = len(rows)
            if job.processed_rows >= len(rows):
                _finish(job, ImportStatus.DONE)
            job.save(update_fields=_PROGRESS_FIELDS)
            if job.status == ImportStatus.DONE:
                return job


@transaction.atomic
def subscriber_import_failed(*, import_id) -> SubscriberImport | None:
    """The task gave up (an unexpected error, or its retries ran out): the import must not stay queued or
    running for ever, polled by the page; the rows of committed chunks stay applied."""
    job = SubscriberImport.objects.select_for_update().defer("content").filter(pk=import_id).first()
    if job is None or job.status in (ImportStatus.DONE, ImportStatus.FAILED):
        return job
    before = job.status
    _finish(job, ImportStatus.FAILED)
    job.save(update_fields=["status", "finished_at"])
    audit_record(
        actor=None,
        acting_org=job.customer.org,
        action="subscriber_import.failed",
        target=job,
        before={"status": before},
        after={"status": job.status, "processed_rows": job.processed_rows},
    )
    return job


# --- trying again (issue 12, item 3) ---------------------------------------------------------------------


def subscriber_import_retry_lines(*, job: SubscriberImport) -> list[int]:
    """The lines of the refused rows that may pass once their causes are fixed on other pages (a number added
    to a location, a role removed, a package the partner adds): every code of the row is such a cause."""
    return [error["row"] for error in job.errors or [] if retryable(error.get("codes") or [])]


def _retry_file(job: SubscriberImport, lines: set[int]) -> bytes:
    """The template's columns and, from the import's own file, the rows on ``lines`` (values as read)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in import_rows(job.content):
        if row.line in lines and not row.extra:
            writer.writerow([row.values.get(COLUMN_KEYS[column.lower()], "") for column in COLUMNS])
    return buffer.getvalue().encode()


@transaction.atomic
def subscriber_import_retry(*, actor: User, job: SubscriberImport) -> SubscriberImport:
    """Try the refused rows of a finished import again, once what refused them was fixed: a new import of
    those rows (queued like an upload, audited as a retry of this one). The other rows are not touched."""
    customer = job.customer
    require(actor, Action.USERS_PROVISION, customer.org)
    job = SubscriberImport.objects.select_for_update().get(pk=job.pk)
    lines = subscriber_import_retry_lines(job=job)
    if job.status != ImportStatus.DONE or not lines:
        raise ValidationError(_("This import has no refused rows to try again."))
    stem = (job.file_name or "users").rsplit(".", 1)[0][:200] or "users"
    retry = subscriber_import_create(
        actor=actor, customer=customer, data=_retry_file(job, set(lines)), file_name=f"{stem}-retry.csv"
    )
    audit_record(
        actor=actor,
        acting_org=customer.org,
        action="subscriber_import.retry",
        target=retry,
        before={"import": job.webex_id, "lines": lines},
        after={"import": retry.webex_id, "rows": retry.total_rows},
    )
    return retry


@transaction.atomic
def subscriber_import_resume(*, actor: User, job: SubscriberImport) -> SubscriberImport:
    """An import that stopped (its task gave up) runs again from where its last committed chunk ended: the
    rows already applied are not applied twice."""
    require(actor, Action.USERS_PROVISION, job.customer.org)
    job = SubscriberImport.objects.select_for_update().defer("content").get(pk=job.pk)
    if job.status != ImportStatus.FAILED:
        raise ValidationError(_("Only an import that stopped can be resumed."))
    job.status = ImportStatus.QUEUED
    job.finished_at = None
    job.save(update_fields=["status", "finished_at", "modified"])
    audit_record(
        actor=actor,
        acting_org=job.customer.org,
        action="subscriber_import.resume",
        target=job,
        before={"status": ImportStatus.FAILED},
        after={"status": job.status, "processed_rows": job.processed_rows},
    )
    from apps.subscribers.tasks import subscriber_import_task

    outbox_enqueue(task_name=subscriber_import_task.name, args=[str(job.pk)])
    return job
