"""Everything under /v1/: the Webex Wholesale API and the partner API."""

from django.urls import path

from apps.accounts.api import views as accounts_api

urlpatterns = [
    path("partner/admins", accounts_api.AdminListApi.as_view(), name="api_admin_list"),
    path("partner/admins/<str:person_id>", accounts_api.AdminDetailApi.as_view(), name="api_admin_detail"),
    path(
        "partner/admins/<str:person_id>/customers",
        accounts_api.AdminCustomersApi.as_view(),
        name="api_admin_customers",
    ),
    path("partner/auditEvents", accounts_api.AuditEventListApi.as_view(), name="api_audit_event_list"),
]
