"""API routes of billing, included under /v1/ by config/api_urls.py."""

from django.urls import path

from apps.billing.api import reports, setup_assist

urlpatterns = [
    path(
        "partner/setupAssistOrders",
        setup_assist.SetupAssistOrderListApi.as_view(),
        name="api_setup_assist_order_list",
    ),
    path("wholesale/billing/reports", reports.BillingReportListApi.as_view(), name="api_billing_report_list"),
    path(
        "wholesale/billing/reports/<str:report_id>",
        reports.BillingReportDetailApi.as_view(),
        name="api_billing_report_detail",
    ),
]
