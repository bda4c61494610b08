"""The Wholesale Billing Reports API's bodies, field for field as the official Webex OpenAPI names them."""

from django.urls import reverse
from rest_framework import serializers

from apps.billing.models import BillingReport, ReportCategory, ReportStatus, ReportType
from apps.billing.services.reports import billing_report_link_token
from apps.core.api.fields import StrictCharField
from apps.core.ids import IdType, encode_id
from apps.core.wire import webex_time

TEXT_MAX = 1000


class ReportCreateSerializer(serializers.Serializer):
    """Any string is taken for the dates and choices: the service answers with the errorCode."""

    billingStartDate = StrictCharField(max_length=TEXT_MAX, help_text="The startDate (YYYY-MM-DD).")
    billingEndDate = StrictCharField(max_length=TEXT_MAX, help_text="The endDate (YYYY-MM-DD).")
    type = StrictCharField(
        max_length=TEXT_MAX,
        required=False,
        allow_blank=True,
        help_text="`PARTNER` (default), `CUSTOMER` or `USER`.",
    )
    subPartnerOrgId = StrictCharField(
        max_length=TEXT_MAX, required=False, allow_blank=True, help_text="A sub-partner's organisation id."
    )
    category = StrictCharField(
        max_length=TEXT_MAX,
        required=False,
        allow_blank=True,
        help_text="Wholesale Hub: `RECONCILIATION` (default) or `POINT_IN_TIME` (the package allocations "
        "held at the end of `billingEndDate`).",
    )
    internal = serializers.BooleanField(required=False, help_text="Accepted and ignored: no internal orgs.")


class ReportIdSerializer(serializers.Serializer):
    id = serializers.CharField()
    billingStartDate = serializers.CharField()
    billingEndDate = serializers.CharField()
    type = serializers.ChoiceField(choices=ReportType.values)
    category = serializers.ChoiceField(choices=ReportCategory.values)


class ReportErrorSerializer(serializers.Serializer):
    code = serializers.IntegerField()
    description = serializers.CharField()


class ReportSerializer(ReportIdSerializer):
    created = serializers.CharField()
    createdBy = serializers.CharField(required=False)
    status = serializers.ChoiceField(choices=ReportStatus.values)
    tempDownloadURL = serializers.CharField(required=False)
    errors = ReportErrorSerializer(many=True, required=False)


def report_id_body(report: BillingReport) -> dict:
    return {
        "id": report.webex_id,
        "billingStartDate": report.start_date.isoformat(),
        "billingEndDate": report.end_date.isoformat(),
        "type": report.type,
        "category": report.category,
    }


def report_link(request, report: BillingReport) -> str:
    path = reverse("billing_report_file", kwargs={"token": billing_report_link_token(report=report)})
    return request.build_absolute_uri(path)


def report_body(request, report: BillingReport) -> dict:
    body = report_id_body(report)
    body["created"] = webex_time(report.created)
    if report.created_by_id:
        body["createdBy"] = encode_id(IdType.PEOPLE, report.created_by_id)
    body["status"] = report.status
    if report.status == ReportStatus.COMPLETED and report.file_name:
        body["tempDownloadURL"] = report_link(request, report)
    if report.status == ReportStatus.FAILED:
        body["errors"] = [
            {"code": int(e.get("code", 0)), "description": str(e.get("description", ""))}
            for e in report.errors
        ]
    return body
