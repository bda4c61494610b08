"""Control Hub's users controls (issue 13), composed by config/urls.py; ``urlpatterns``: the SCIM endpoint
(its users)."""

from django.urls import path

from apps.directory import views
from apps.directory.scim import views as scim

urlpatterns = [
    path("scim/v2/Users", scim.scim_users, name="scim_users"),
    path("scim/v2/Users/<str:user_id>", scim.scim_user, name="scim_user"),
]
control_urlpatterns = [
    path("users-claim/", views.user_claim, name="user_claim"),
    path("auto-assign/", views.auto_assign, name="auto_assign"),
    path("directory-sync/", views.directory_sync, name="directory_sync"),
    path("services-status/", views.services_status, name="services_status"),
]
