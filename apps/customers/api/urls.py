"""API routes of this area, included under /v1/ by config/api_urls.py."""

from django.urls import path

from . import locations, views

urlpatterns = [
    path("wholesale/customers", views.CustomerListApi.as_view(), name="api_customer_list"),
    # Before the detail route: "validate" is not a customer id.
    path("wholesale/customers/validate", views.CustomerPrecheckApi.as_view(), name="api_customer_validate"),
    path(
        "wholesale/customers/<str:customer_id>", views.CustomerDetailApi.as_view(), name="api_customer_detail"
    ),
    path("partner/locations", locations.LocationListApi.as_view(), name="api_location_list"),
    path(
        "partner/locations/<str:location_id>",
        locations.LocationDetailApi.as_view(),
        name="api_location_detail",
    ),
    path(
        "partner/locations/<str:location_id>/numbers",
        locations.LocationNumberListApi.as_view(),
        name="api_location_numbers",
    ),
    path("partner/numbers/<str:number_id>", locations.NumberDetailApi.as_view(), name="api_number_detail"),
]
