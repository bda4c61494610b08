"""API routes of restricted-by-partner mode, included under /v1/ by config/api_urls.py."""

from django.urls import path

from apps.restrictions.api import views

urlpatterns = [
    path(
        "partner/customers/<str:customer_id>/restrictedMode",
        views.RestrictedModeApi.as_view(),
        name="api_restricted_mode",
    ),
]
