"""Control Hub's users controls (issue 13), composed by config/urls.py; ``urlpatterns``: the SCIM endpoint
(its users, then its discovery documents)."""

from django.urls import path

from apps.directory import views
from apps.directory.scim import views as scim

urlpatterns = [
    path("scim/v2/Users", scim.scim_users, name="scim_users"),
    path("scim/v2/Users/<str:user_id>", scim.scim_user, name="scim_user"),
    path(
        "scim/v2/ServiceProviderConfig",
        scim.scim_service_provider_config,
        name="scim_service_provider_config",
    ),
    path("scim/v2/ResourceTypes", scim.scim_resource_types, name="scim_resource_types"),
    path("scim/v2/ResourceTypes/<str:type_id>", scim.scim_resource_types, name="scim_resource_type"),
    path("scim/v2/Schemas", scim.scim_schemas, name="scim_schemas"),
    path("scim/v2/Schemas/<str:schema_id>", scim.scim_schemas, name="scim_schema"),
]
control_urlpatterns = [
    path("users-claim/", views.user_claim, name="user_claim"),
    path("auto-assign/", views.auto_assign, name="auto_assign"),
    path("directory-sync/", views.directory_sync, name="directory_sync"),
    path("services-status/", views.services_status, name="services_status"),
]
