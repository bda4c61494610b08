"""API routes of this app, included under /v1/ by config/api_urls.py."""

from django.urls import path

from apps.accounts.api import views

urlpatterns = [
    path("partner/admins", views.AdminListApi.as_view(), name="api_admin_list"),
    path("partner/admins/<str:person_id>", views.AdminDetailApi.as_view(), name="api_admin_detail"),
    path(
        "partner/admins/<str:person_id>/customers",
        views.AdminCustomersApi.as_view(),
        name="api_admin_customers",
    ),
    path("partner/auditEvents", views.AuditEventListApi.as_view(), name="api_audit_event_list"),
]
