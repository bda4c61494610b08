"""API routes of this app, included under /v1/ by config/api_urls.py."""

from django.urls import path

from apps.locations.api import views

urlpatterns = [
    path("partner/locations", views.LocationListApi.as_view(), name="api_location_list"),
    path(
        "partner/locations/<str:location_id>", views.LocationDetailApi.as_view(), name="api_location_detail"
    ),
    path(
        "partner/locations/<str:location_id>/numbers",
        views.LocationNumberListApi.as_view(),
        name="api_location_numbers",
    ),
    path("partner/numbers/<str:number_id>", views.NumberDetailApi.as_view(), name="api_number_detail"),
]
