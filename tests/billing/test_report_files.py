"""A billing report's file goes with its row, whichever way the row goes: deleted through the API (tested in
``test_reports_api``), or with the sub-partner or partner it belongs to (a cascade). A deletion rolled back
keeps its file."""

from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import TestCase

from apps.billing.models import BillingReport, ReportStatus
from apps.billing.services.reports import report_storage
from apps.core.models import Organization, OrgKind
from apps.subpartners.services import subpartner_remove


def _completed_report(world, **fields) -> BillingReport:
    report = BillingReport.objects.create(
        partner=world.acme,
        start_date=date(2026, 1, 1),
        end_date=date(2026, 1, 31),
        status=ReportStatus.COMPLETED,
        **fields,
    )
    content = ContentFile(b"PARTNER_NAME\n")
    report.file_name = report_storage().save(f"{world.acme.pk}/{report.pk}.csv", content)
    report.save(update_fields=["file_name"])
    return report


def test_a_sub_partners_reports_lose_their_files_with_it(world):
    reseller = Organization.objects.create(name="Harbour Reseller", kind=OrgKind.PARTNER, parent=world.acme)
    report = _completed_report(world, subpartner=reseller)
    assert report_storage().exists(report.file_name)
    with TestCase.captureOnCommitCallbacks(execute=True):
        subpartner_remove(actor=world.acme_admin, subpartner=reseller)
    assert not BillingReport.objects.filter(pk=report.pk).exists()
    assert not report_storage().exists(report.file_name)


def test_a_deletion_rolled_back_keeps_the_file(world):
    report = _completed_report(world)
    pk = report.pk
    with TestCase.captureOnCommitCallbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        report.delete()
        raise RuntimeError("the request failed after the deletion")
    assert BillingReport.objects.filter(pk=pk).exists()
    assert report_storage().exists(report.file_name)
    report_storage().delete(report.file_name)  # tidy up
