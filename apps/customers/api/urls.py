"""API routes of this area, included under /v1/ by config/api_urls.py."""

from django.urls import path

from . import locations, subscribers, views
from . import workspaces as workspace_api

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
    path("wholesale/subscribers", subscribers.SubscriberListApi.as_view(), name="api_subscriber_list"),
    # Before the detail route: "validate" is not a subscriber id.
    path(
        "wholesale/subscribers/validate",
        subscribers.SubscriberPrecheckApi.as_view(),
        name="api_subscriber_validate",
    ),
    path(
        "wholesale/subscribers/<str:subscriber_id>",
        subscribers.SubscriberDetailApi.as_view(),
        name="api_subscriber_detail",
    ),
    path(
        "subscribers/<str:subscriber_id>/emails/consentMove",
        subscribers.SubscriberConsentMoveApi.as_view(),
        name="api_subscriber_consent_move",
    ),
    path(
        "wholesale/subscribers/<str:subscriber_id>/emails/consentMove",
        subscribers.WholesaleSubscriberConsentMoveApi.as_view(),
        name="api_wholesale_subscriber_consent_move",
    ),
    path("partner/workspaces", workspace_api.WorkspaceListApi.as_view(), name="api_workspace_list"),
    path(
        "partner/workspaces/<str:workspace_id>",
        workspace_api.WorkspaceDetailApi.as_view(),
        name="api_workspace_detail",
    ),
]
