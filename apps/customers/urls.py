"""Control Hub at /org/<org-id>/..."""

from django.urls import path

from apps.accounts import views as accounts_views
from apps.accounts.permissions import Action
from apps.core.hub import CONTROL_HUB, hub_view
from apps.core.views import audit_list

from .views import overview as views


def page(view, action: Action = Action.ORG_VIEW):
    return hub_view(CONTROL_HUB, action)(view)


app_name = "control"
urlpatterns = [
    path("", page(views.overview), name="overview"),
    path("administrators/", page(accounts_views.admin_list, Action.ADMINS_VIEW), name="admin_list"),
    path(
        "administrators/<str:person_id>/",
        page(accounts_views.admin_detail, Action.ADMINS_VIEW),
        name="admin_detail",
    ),
    path(
        "administrators/<str:person_id>/remove/",
        page(accounts_views.admin_remove, Action.ADMINS_MANAGE),
        name="admin_remove",
    ),
    path("audit/", page(audit_list, Action.AUDIT_VIEW), name="audit_list"),
]
