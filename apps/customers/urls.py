"""Control Hub at /org/<org-id>/..."""

from django.urls import include, path

from apps.accounts.permissions import Action
from apps.accounts.urls import shared_hub_routes
from apps.core.hub import CONTROL_HUB, hub_view

from .views import attach as attach_views
from .views import imports as import_views
from .views import locations as location_views
from .views import overview as views
from .views import users as user_views
from .views import workspaces as workspace_views


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
    path("users/", page(user_views.user_list, Action.USERS_VIEW), name="user_list"),
    path("users/add/", page(user_views.user_add, Action.USERS_PROVISION), name="user_add"),
    path("users/export.csv", page(user_views.user_export, Action.USERS_VIEW), name="user_export"),
    path("users/<str:subscriber_id>/", page(user_views.user_detail, Action.USERS_VIEW), name="user_detail"),
    path(
        "users/<str:subscriber_id>/package/",
        page(user_views.user_package, Action.USERS_VIEW),
        name="user_package",
    ),
    path(
        "users/<str:subscriber_id>/remove/",
        page(user_views.user_remove, Action.USERS_VIEW),
        name="user_remove",
    ),
    path(
        "users/<str:subscriber_id>/consent/",
        page(user_views.user_consent_send, Action.USERS_VIEW),
        name="user_consent_send",
    ),
    # "Add or modify users with CSV": the upload page is a read; the upload itself is the service's
    # USERS_PROVISION (restricted-by-partner mode takes it from customer admins).
    path("user-imports/new/", page(import_views.user_import, Action.USERS_VIEW), name="user_import"),
    path(
        "user-imports/template.csv",
        page(import_views.user_import_template, Action.USERS_VIEW),
        name="user_import_template",
    ),
    path(
        "user-imports/<str:import_id>/",
        page(import_views.user_import_detail, Action.USERS_VIEW),
        name="user_import_detail",
    ),
    path(
        "user-imports/<str:import_id>/errors.csv",
        page(import_views.user_import_errors, Action.USERS_VIEW),
        name="user_import_errors",
    ),
    path("workspaces/", page(workspace_views.workspace_list, Action.USERS_VIEW), name="workspace_list"),
    path(
        "workspaces/add/",
        page(workspace_views.workspace_create, Action.USERS_PROVISION),
        name="workspace_create",
    ),
    path(
        "workspaces/<str:workspace_id>/",
        page(workspace_views.workspace_detail, Action.USERS_VIEW),
        name="workspace_detail",
    ),
    path(
        "workspaces/<str:workspace_id>/edit/",
        page(workspace_views.workspace_edit, Action.USERS_VIEW),
        name="workspace_edit",
    ),
    path(
        "workspaces/<str:workspace_id>/remove/",
        page(workspace_views.workspace_remove, Action.USERS_VIEW),
        name="workspace_remove",
    ),
    *shared_hub_routes(CONTROL_HUB),
    path("", include("apps.restrictions.urls")),
]
