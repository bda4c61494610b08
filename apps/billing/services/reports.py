"""Billing reports: create (the guide's period rules), build (a Celery task aggregates the usage days in
SQL and streams the CSV into the report storage), delete (the file goes too, so its link dies), and the
signed, expiring download link (``tempDownloadURL``) that needs no token.

Columns are exactly the guide's *Billing Report Fields* table, in its order, per type.
"""

import csv
import io
import logging
import re
import tempfile
from datetime import UTC, date, timedelta

from django.conf import settings
from django.core import signing
from django.core.files import File
from django.core.files.storage import storages
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.permissions import Action, require
from apps.billing.catalogue import service
from apps.billing.models import BillingReport, ReportCategory, ReportStatus, ReportType
from apps.billing.selectors.reports import ReportRow, report_rows, report_subpartner
from apps.core.csv_download import safe_cell
from apps.core.errors import ErrorCode, Errors, refuse
from apps.core.ids import IdType, encode_id
from apps.core.models import Organization
from apps.core.services import audit_record, outbox_enqueue
from apps.partners.selectors import partner_subscription_id

logger = logging.getLogger(__name__)

COLUMNS = {
    ReportType.PARTNER: [
        "PARTNER_NAME",
        "PARTNER_ORG_ID",
        "SUBSCRIPTION_ID",
        "SERVICE_NAME",
        "SKU",
        "DESCRIPTION",
        "CONSUMPTION_START_DATE",
        "CONSUMPTION_END_DATE",
        "QUANTITY",
    ],
}
COLUMNS[ReportType.CUSTOMER] = [
    *COLUMNS[ReportType.PARTNER],
    "CUSTOMER_ORG_ID",
    "CUSTOMER_EXTERNAL_ID",
    "LOCATION_ID",
]
COLUMNS[ReportType.USER] = [
    *COLUMNS[ReportType.PARTNER],
    "CUSTOMER_ORG_ID",
    "CUSTOMER_EXTERNAL_ID",
    "SUBSCRIBER_ID",
    "USER_ID",
    "WORKSPACE_ID",
    "LOCATION_ID",
]
HISTORY_YEARS = 5
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_LINK_SALT = "billing.report.download"


def report_storage():
    return storages["billing_reports"]


def utc_today() -> date:
    return timezone.now().astimezone(UTC).date()


def _earliest(today: date) -> date:
    try:
        return today.replace(year=today.year - HISTORY_YEARS)
    except ValueError:  # 29 February
        return today.replace(year=today.year - HISTORY_YEARS, day=28)


def _parse_date(value, key: str, errors: Errors) -> date | None:
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        errors.add(key, ErrorCode.REPORT_PERIOD_INVALID, _("Give the date as YYYY-MM-DD."))
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        errors.add(key, ErrorCode.REPORT_PERIOD_INVALID, _("This date does not exist."))
        return None


def _subpartner(partner: Organization, value) -> Organization | None:
    """The sub-partner ``subPartnerOrgId`` names: one directly below the acting partner, else refused (the
    same answer whether it exists elsewhere or not)."""
    if value in (None, ""):
        return None
    sub = report_subpartner(partner=partner, org_id=value)
    if sub is None:
        refuse("subpartner", ErrorCode.REPORT_SUBPARTNER_UNKNOWN, _("This is not one of your sub-partners."))
    return sub


@transaction.atomic
def billing_report_create(
    *,
    actor,
    partner: Organization,
    start,
    end,
    type=None,
    category=None,
    subpartner_org_id=None,
) -> BillingReport:
    """Order a report of ``partner`` (or of one of its sub-partners): IN_PROGRESS at once, built by a task
    once this commits. The period lies within the last five years and before today (UTC), the end not
    before the start; a period with a COMPLETED report of the same type is refused until it is deleted."""
    require(actor, Action.BILLING_MANAGE, partner)
    errors = Errors()
    first = _parse_date(start, "start", errors)
    last = _parse_date(end, "end", errors)
    type = ReportType.PARTNER if type in (None, "") else type
    if type not in ReportType.values:
        errors.add("type", ErrorCode.REPORT_TYPE_INVALID, _("Use PARTNER, CUSTOMER or USER."))
    category = ReportCategory.RECONCILIATION if category in (None, "") else category
    if category not in ReportCategory.values:
        errors.add("category", ErrorCode.REPORT_TYPE_INVALID, _("Use RECONCILIATION or POINT_IN_TIME."))
    if first and last:
        today = utc_today()
        if first < _earliest(today):
            errors.add(
                "start", ErrorCode.REPORT_PERIOD_INVALID, _("The start lies more than five years back.")
            )
        if last >= today:
            errors.add("end", ErrorCode.REPORT_PERIOD_INVALID, _("The end must lie before today (UTC)."))
        if last < first:
            errors.add("end", ErrorCode.REPORT_PERIOD_INVALID, _("The end comes before the start."))
    errors.raise_if_any()
    subpartner = _subpartner(partner, subpartner_org_id)
    same = BillingReport.objects.filter(
        partner=partner,
        subpartner=subpartner,
        type=type,
        category=category,
        start_date=first,
        end_date=last,
        status=ReportStatus.COMPLETED,
    )
    if same.exists():
        refuse(
            "period", ErrorCode.REPORT_EXISTS, _("A completed report of this period exists: delete it first.")
        )
    report = BillingReport.objects.create(
        partner=partner,
        subpartner=subpartner,
        type=type,
        category=category,
        start_date=first,
        end_date=last,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    audit_record(
        actor=actor,
        acting_org=partner,
        action="billing_report.create",
        target=report,
        after={"type": type, "category": category, "start": str(first), "end": str(last)},
    )
    _enqueue(report)
    return report


def _enqueue(report: BillingReport) -> None:
    """The build is recorded with the report (the outbox) and published once both commit: a broker away
    costs time, not the order (the relay publishes it later)."""
    from apps.billing.tasks import billing_report_build_task  # the task module imports this one

    outbox_enqueue(task_name=billing_report_build_task.name, args=[str(report.pk)])


@transaction.atomic
def billing_report_delete(*, actor, report: BillingReport) -> None:
    """Delete the report and, once that commits, its file (``billing.signals``): its link stops working. A
    report still being built is deleted too (its task finds nothing to finish and removes what it wrote)."""
    require(actor, Action.BILLING_MANAGE, report.partner)
    audit_record(
        actor=actor,
        acting_org=report.partner,
        action="billing_report.delete",
        target=report,
        before={"type": report.type, "start": str(report.start_date), "end": str(report.end_date)},
    )
    report.delete()


# --- building ----------------------------------------------------------------------------------------------


def _quantity(value: float) -> str:
    text = f"{round(value or 0.0, 6):.6f}".rstrip("0").rstrip(".")
    return text or "0"


def _maybe(id_type: IdType, value) -> str:
    return encode_id(id_type, value) if value else ""


def _line(report: BillingReport, row: ReportRow, head: list[str]) -> list[str]:
    svc = service(row.service)
    line = head + [
        svc.name,
        svc.sku,
        svc.description,
        row.start.isoformat(),
        row.end.isoformat(),
        _quantity(row.quantity),
    ]
    if report.type == ReportType.PARTNER:
        return line
    line += [_maybe(IdType.ORGANIZATION, row.org_uuid), safe_cell(row.customer_external_id)]
    if report.type == ReportType.USER:
        line += [
            _maybe(IdType.SUBSCRIBER, row.holder_uuid) if row.kind == "subscriber" else "",
            _maybe(IdType.PEOPLE, row.user_uuid),
            _maybe(IdType.WORKSPACE, row.holder_uuid) if row.kind == "workspace" else "",
        ]
    return [*line, _maybe(IdType.LOCATION, row.location_uuid)]


def report_csv_write(*, report: BillingReport, stream) -> int:
    """Write the report's CSV (header and lines) to a binary stream, row by row; returns the line count."""
    text = io.TextIOWrapper(stream, encoding="utf-8", newline="", write_through=True)
    writer = csv.writer(text)
    writer.writerow(COLUMNS[report.type])
    owner = report.subpartner or report.partner
    # Free text a (sub-)partner admin typed is kept text for a spreadsheet, as in every other export.
    head = [safe_cell(owner.name), owner.webex_id, partner_subscription_id(partner=owner)]
    count = 0
    for row in report_rows(report=report):
        writer.writerow(_line(report, row, head))
        count += 1
    text.flush()
    text.detach()
    return count


def billing_report_build(*, report_id) -> None:
    """Build an IN_PROGRESS report: its CSV goes through a temporary file (flat memory) into the report
    storage, then the report is COMPLETED. Idempotent: a report that is gone or no longer in progress is
    left alone; a file written for a report deleted meanwhile is removed."""
    report = (
        BillingReport.objects.select_related("partner", "subpartner")
        .filter(pk=report_id, status=ReportStatus.IN_PROGRESS)
        .first()
    )
    if report is None:
        return
    with tempfile.TemporaryFile() as spool:
        count = report_csv_write(report=report, stream=spool)
        spool.seek(0)
        name = report_storage().save(f"{report.partner_id}/{report.pk}.csv", File(spool))
    try:
        with transaction.atomic():
            done = BillingReport.objects.filter(pk=report.pk, status=ReportStatus.IN_PROGRESS).update(
                status=ReportStatus.COMPLETED, file_name=name, rows=count, finished_at=timezone.now()
            )
    except IntegrityError:  # another report of the same period completed first
        done = 0
        billing_report_failed(
            report_id=report.pk, description=_("A completed report of this period exists: delete it first.")
        )
    if not done:
        report_storage().delete(name)


def billing_report_failed(*, report_id, description: str = "The report could not be generated.") -> None:
    """The task gave up: the report ends FAILED with the Webex-style error entry (no delete needed)."""
    BillingReport.objects.filter(pk=report_id, status=ReportStatus.IN_PROGRESS).update(
        status=ReportStatus.FAILED,
        finished_at=timezone.now(),
        errors=[{"code": int(ErrorCode.REPORT_GENERATION_FAILED), "description": description}],
    )


def billing_reports_requeue(*, older_than: timedelta = timedelta(minutes=15)) -> int:
    """Reports still IN_PROGRESS long after they were ordered (a lost task): queued again."""
    from apps.billing.tasks import billing_report_build_task  # the task module imports this one

    stale = BillingReport.objects.filter(
        status=ReportStatus.IN_PROGRESS, created__lt=timezone.now() - older_than
    ).values_list("pk", flat=True)
    count = 0
    for pk in stale:
        billing_report_build_task.delay(str(pk))
        count += 1
    return count


# --- the download link -------------------------------------------------------------------------------------


def billing_report_link_token(*, report: BillingReport) -> str:
    """The signed key of ``tempDownloadURL``: the report and its file, stamped now (expires after
    ``BILLING_REPORT_LINK_MAX_AGE`` seconds)."""
    return signing.TimestampSigner(salt=_LINK_SALT).sign_object({"r": str(report.pk), "f": report.file_name})


class LinkRefused(Exception):
    def __init__(self, expired: bool):
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def billing_report_open_by_link(*, token: str):
    """(the report, its file opened from the storage) for a valid, unexpired link of a COMPLETED report
    that still exists; ``LinkRefused`` otherwise."""
    signer = signing.TimestampSigner(salt=_LINK_SALT)
    try:
        data = signer.unsign_object(token, max_age=settings.BILLING_REPORT_LINK_MAX_AGE)
    except signing.SignatureExpired as error:
        raise LinkRefused(expired=True) from error
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise LinkRefused(expired=False) from error
    if not isinstance(data, dict):
        raise LinkRefused(expired=False)
    report = (
        BillingReport.objects.filter(pk=data.get("r"), status=ReportStatus.COMPLETED)
        .exclude(file_name="")
        .first()
    )
    if report is None or report.file_name != data.get("f"):
        raise LinkRefused(expired=False)
    return report, report_storage().open(report.file_name, "rb")
