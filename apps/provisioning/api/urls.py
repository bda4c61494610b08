"""API routes of this app, included under /v1/ by config/api_urls.py."""

from django.urls import path

from apps.provisioning.api import settings, views

urlpatterns = [
    path("wholesale/customers", views.CustomerListApi.as_view(), name="api_customer_list"),
    # Before the detail route: "validate" is not a customer id.
    path("wholesale/customers/validate", views.CustomerPrecheckApi.as_view(), name="api_customer_validate"),
    path(
        "wholesale/customers/<str:customer_id>", views.CustomerDetailApi.as_view(), name="api_customer_detail"
    ),
    # issue 13: a customer's Control Hub organisation settings and domains on the partner API
    path(
        "partner/customers/<str:customer_id>/settings",
        settings.CustomerSettingsApi.as_view(),
        name="api_customer_settings",
    ),
    path(
        "partner/customers/<str:customer_id>/domains",
        settings.CustomerDomainsApi.as_view(),
        name="api_customer_domains",
    ),
]
