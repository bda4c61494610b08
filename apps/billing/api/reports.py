"""The Wholesale Billing Reports API (``/v1/wholesale/billing/reports``), wire-compatible with Webex: create
(200 with the report's id, built in the background), get (status, ``tempDownloadURL``), list (every filter
of the official file, ``Link`` pagination), delete (204); and the file behind ``tempDownloadURL``, which
needs no token: its signed, expiring key is the only credential.

The acting partner is found as in every wholesale API (the caller's own, ``onBehalfOfSubPartnerOrgId``, or
``orgId``); reports of one of its sub-partners are asked for with ``subPartnerOrgId``.
"""

import re
from datetime import date

from django.http import FileResponse, HttpResponse
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.request import Request
from rest_framework.response import Response

from apps.accounts.models import ApiScope
from apps.accounts.permissions import Action
from apps.billing.api.serializers import (
    ReportCreateSerializer,
    ReportIdSerializer,
    ReportSerializer,
    report_body,
    report_id_body,
)
from apps.billing.models import ReportStatus, ReportType
from apps.billing.selectors.reports import SORTS, billing_report_get, billing_reports_list, report_subpartner
from apps.billing.services.reports import (
    LinkRefused,
    billing_report_create,
    billing_report_delete,
    billing_report_open_by_link,
)
from apps.core.api.errors import error_response
from apps.core.api.keyed import keyed_exception_handler
from apps.core.api.pagination import WebexOffsetPagination
from apps.core.api.schema import CONFLICT
from apps.core.errors import ErrorCode, error_code_table
from apps.core.models import Organization
from apps.customers.api import ON_BEHALF, ORG_SCOPE, WholesaleApi

API_FIELDS = {
    "start": "billingStartDate",
    "end": "billingEndDate",
    "type": "type",
    "category": "category",
    "subpartner": "subPartnerOrgId",
    "period": "",
}
REPORT_CODES = (
    ErrorCode.REPORT_PERIOD_INVALID,
    ErrorCode.REPORT_TYPE_INVALID,
    ErrorCode.REPORT_EXISTS,
    ErrorCode.REPORT_SUBPARTNER_UNKNOWN,
)
ERROR_CODES_DOC = (
    "\n\nA refused request answers with the Webex error body; each `errors[]` entry names the field and "
    "carries a stable `errorCode`:\n\n" + error_code_table(REPORT_CODES)
)
REPORT_ID = OpenApiParameter("report_id", str, OpenApiParameter.PATH, description="The report's `id`.")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
EXCEPTION_HANDLER = keyed_exception_handler(API_FIELDS)


class BillingReportsApi(WholesaleApi):
    read_scope = ApiScope.WHOLESALE_BILLING_REPORTS_READ
    write_scope = ApiScope.WHOLESALE_BILLING_REPORTS_WRITE
    pagination_class = None
    read_action = Action.BILLING_VIEW
    write_action = Action.BILLING_MANAGE  # create and delete

    def get_exception_handler(self):
        return EXCEPTION_HANDLER

    def partner(self) -> Organization:
        """The acting partner (the guard has checked it: 404 outside the caller's reach, then the action)."""
        return self.scope()[0]


def _date_param(request: Request, name: str):
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return None
    if not _DATE.fullmatch(raw):
        raise exceptions.ValidationError({name: "Give the date as YYYY-MM-DD."})
    try:
        return date.fromisoformat(raw)
    except ValueError as error:
        raise exceptions.ValidationError({name: "This date does not exist."}) from error


def _choice(request: Request, name: str, choices) -> str:
    value = request.query_params.get(name)
    if value is None:
        return ""
    if value not in choices:
        raise exceptions.ValidationError({name: f"Use one of {', '.join(choices)}."})
    return value


def _whole(request: Request, name: str, default: int, maximum: int, minimum: int = 1) -> int:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return default
    if not re.fullmatch(r"[0-9]{1,10}", raw) or not minimum <= int(raw) <= maximum:
        raise exceptions.ValidationError({name: f"A whole number from {minimum} to {maximum}."})
    return int(raw)


@extend_schema(tags=["Wholesale Billing Reports"], parameters=[ON_BEHALF, ORG_SCOPE])
class BillingReportListApi(BillingReportsApi):
    pagination_class = WebexOffsetPagination  # max default 100, at most 100 (the official file)

    @extend_schema(
        summary="List Wholesale Billing Reports",
        operation_id="listWholesaleBillingReports",
        description="The billing reports of your partner organisation (or of one sub-partner).",
        parameters=[
            OpenApiParameter("billingStartDate", str, description="Only reports of this startDate."),
            OpenApiParameter("billingEndDate", str, description="Only reports of this endDate."),
            OpenApiParameter("type", str, enum=ReportType.values),
            OpenApiParameter("sortBy", str, enum=list(SORTS), default="billingStartDate"),
            OpenApiParameter("status", str, enum=ReportStatus.values),
            OpenApiParameter("subPartnerOrgId", str, description="Only reports of this sub-partner."),
        ],
        responses=ReportSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        partner = self.partner()
        sub = request.query_params.get("subPartnerOrgId", "")
        subpartner = report_subpartner(partner=partner, org_id=sub) if sub else None
        reports = billing_reports_list(
            partner=partner,
            start=_date_param(request, "billingStartDate"),
            end=_date_param(request, "billingEndDate"),
            type=_choice(request, "type", ReportType.values),
            status=_choice(request, "status", ReportStatus.values),
            subpartner=subpartner,
            sort=_choice(request, "sortBy", list(SORTS)) or "billingStartDate",
        )
        if sub and subpartner is None:
            reports = reports.none()  # none of yours: no reports (the same for any unknown id)
        page = self.paginate_queryset(reports)
        return self.get_paginated_response([report_body(request, r) for r in page])

    @extend_schema(
        summary="Create a Wholesale Billing Report",
        operation_id="createWholesaleBillingReport",
        description="Order a billing report of a period (any days within the last five years, not today): it "
        "is generated in the background; get it by its `id` for the status and the download link. A period "
        "with a COMPLETED report of the same type is refused (409) until that report is deleted."
        + ERROR_CODES_DOC,
        request=ReportCreateSerializer,
        responses={200: ReportIdSerializer, 409: CONFLICT},
    )
    def post(self, request: Request) -> Response:
        partner = self.partner()
        body = ReportCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        report = billing_report_create(
            actor=request.user,
            partner=partner,
            start=data["billingStartDate"],
            end=data["billingEndDate"],
            type=data.get("type"),
            category=data.get("category"),
            subpartner_org_id=data.get("subPartnerOrgId"),
        )
        return Response(report_id_body(report), status=status.HTTP_200_OK)


@extend_schema(tags=["Wholesale Billing Reports"], parameters=[REPORT_ID, ON_BEHALF, ORG_SCOPE])
class BillingReportDetailApi(BillingReportsApi):
    @extend_schema(
        summary="Get a Wholesale Billing Report",
        operation_id="getWholesaleBillingReport",
        description="A report's status; once COMPLETED, `tempDownloadURL` downloads its CSV without a token "
        "until the link expires (get the report again for a fresh link).",
        responses=ReportSerializer,
    )
    def get(self, request: Request, report_id: str) -> Response:
        partner = self.partner()
        return Response(report_body(request, billing_report_get(partner=partner, report_id=report_id)))

    @extend_schema(
        summary="Delete a Wholesale Billing Report",
        operation_id="deleteWholesaleBillingReport",
        description="Delete a report (its download link stops working); its period can be ordered again.",
        responses={204: OpenApiResponse(description="Deleted.")},
    )
    def delete(self, request: Request, report_id: str) -> Response:
        partner = self.partner()
        report = billing_report_get(partner=partner, report_id=report_id)
        billing_report_delete(actor=request.user, report=report)
        return Response(status=status.HTTP_204_NO_CONTENT)


def billing_report_file(request, token: str) -> HttpResponse:
    """``tempDownloadURL``: the CSV, streamed from the report storage. Its signed key is the credential (a
    tampered or unknown one is a 404, an expired one a 410); deleting the report kills the link."""
    if request.method not in ("GET", "HEAD"):
        response = error_response(405)
        response["Allow"] = "GET, HEAD"
        return response
    try:
        report, handle = billing_report_open_by_link(token=token)
    except LinkRefused as refused:
        if refused.expired:
            return error_response(410, "This download link has expired: get the report again for a new one.")
        return error_response(404, "Billing Report not found.")
    name = f"billing-report-{report.type.lower()}-{report.start_date}-{report.end_date}.csv"
    response = FileResponse(handle, as_attachment=True, filename=name, content_type="text/csv")
    response["Cache-Control"] = "private, no-store"
    return response
