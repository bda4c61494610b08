"""API routes of this app, included under /v1/ by config/api_urls.py."""

from django.urls import path

from apps.subscribers.api import subscribers, workspaces

urlpatterns = [
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
    path("partner/workspaces", workspaces.WorkspaceListApi.as_view(), name="api_workspace_list"),
    path(
        "partner/workspaces/<str:workspace_id>",
        workspaces.WorkspaceDetailApi.as_view(),
        name="api_workspace_detail",
    ),
]
