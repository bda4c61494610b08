"""Routes both hubs share: administrators and the audit log of the hub's organisation."""

from django.urls import path

from apps.core.hub import Hub, hub_view
from apps.core.views import audit_list

from . import views
from .permissions import Action


def shared_hub_routes(hub: Hub) -> list:
    def page(view, action: Action):
        return hub_view(hub, action)(view)

    return [
        path("administrators/", page(views.admin_list, Action.ADMINS_VIEW), name="admin_list"),
        path(
            "administrators/<str:person_id>/",
            page(views.admin_detail, Action.ADMINS_VIEW),
            name="admin_detail",
        ),
        path(
            "administrators/<str:person_id>/remove/",
            page(views.admin_remove, Action.ADMINS_MANAGE),
            name="admin_remove",
        ),
        path("audit/", page(audit_list, Action.AUDIT_VIEW), name="audit_list"),
    ]
