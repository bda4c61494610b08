"""API routes of branding, included under /v1/ by config/api_urls.py."""

from django.urls import path

from apps.branding.api import views

urlpatterns = [
    path("partner/branding", views.PartnerBrandingApi.as_view(), name="api_partner_branding"),
    path(
        "partner/customers/<str:customer_id>/branding",
        views.CustomerBrandingApi.as_view(),
        name="api_customer_branding",
    ),
]
