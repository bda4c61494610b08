"""Control Hub at /org/<org-id>/..."""

from django.urls import include, path

from apps.accounts.permissions import Action
from apps.accounts.urls import shared_hub_routes
from apps.core.hub import CONTROL_HUB, hub_view

from .views import attach as attach_views
from .views import locations as location_views
from .views import overview as views


def page(view, action: Action = Action.ORG_VIEW):
    return hub_view(CONTROL_HUB, action)(view)


app_name = "control"
urlpatterns = [
    path("", page(views.overview), name="overview"),
    path(
        "wholesale-request/", page(attach_views.attach_request, Action.ATTACH_APPROVE), name="attach_request"
    ),
    path("locations/", page(location_views.location_list), name="location_list"),
    path("locations/add/", page(location_views.location_create, Action.ORG_MANAGE), name="location_create"),
    path("locations/<str:location_id>/", page(location_views.location_detail), name="location_detail"),
    path(
        "locations/<str:location_id>/edit/",
        page(location_views.location_edit, Action.ORG_MANAGE),
        name="location_edit",
    ),
    path(
        "locations/<str:location_id>/delete/",
        page(location_views.location_delete, Action.ORG_MANAGE),
        name="location_delete",
    ),
    path(
        "locations/<str:location_id>/numbers/add/",
        page(location_views.number_add, Action.ORG_MANAGE),
        name="number_add",
    ),
    path(
        "numbers/<str:number_id>/release/",
        page(location_views.number_release, Action.USERS_MANAGE),
        name="number_release",
    ),
    path(
        "numbers/<str:number_id>/delete/",
        page(location_views.number_delete, Action.ORG_MANAGE),
        name="number_delete",
    ),
    *shared_hub_routes(CONTROL_HUB),
    path("", include("apps.restrictions.urls")),
]
