"""Control Hub at /org/<org-id>/..."""

from django.urls import path

from apps.accounts.permissions import Action
from apps.accounts.urls import shared_hub_routes
from apps.core.hub import CONTROL_HUB, hub_view

from .views import attach as attach_views
from .views import overview as views


def page(view, action: Action = Action.ORG_VIEW):
    return hub_view(CONTROL_HUB, action)(view)


app_name = "control"
urlpatterns = [
    path("", page(views.overview), name="overview"),
    path(
        "wholesale-request/", page(attach_views.attach_request, Action.ATTACH_APPROVE), name="attach_request"
    ),
    *shared_hub_routes(CONTROL_HUB),
]
