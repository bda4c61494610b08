"""Routes of billing, composed into the hubs by config/urls.py."""

from django.urls import path

from apps.billing import views
from apps.billing.api.reports import billing_report_file

# tempDownloadURL: outside /v1/ (it is a file, not an API operation) and outside the hubs (no sign-in: its
# signed key is the credential).
urlpatterns = [path("billing-reports/<str:token>", billing_report_file, name="billing_report_file")]

partner_urlpatterns = [
    path("billing/", views.billing_overview, name="billing_overview"),
    path("billing/reports/", views.billing_report_list, name="billing_report_list"),
    path(
        "billing/reports/<str:report_id>/download",
        views.billing_report_download,
        name="billing_report_download",
    ),
    path("billing/reports/<str:report_id>/delete", views.billing_report_delete, name="billing_report_delete"),
    path("billing/customers/<str:customer_id>/statement", views.billing_statement, name="billing_statement"),
    path("billing/setup-assist/", views.setup_assist_list, name="setup_assist_list"),
]
ops_urlpatterns = [
    path("billing/prices/", views.billing_prices, name="billing_prices"),
    path("billing/setup-assist/", views.setup_assist_queue, name="setup_assist_queue"),
    path(
        "billing/setup-assist/<str:order_id>/advance",
        views.setup_assist_advance_view,
        name="setup_assist_advance",
    ),
]
