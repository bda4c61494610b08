"""Routes of this app, composed into the hubs by config/urls.py."""

from django.urls import path

from apps.provisioning.views import attach, customers, ops, panel, setup, wizard

partner_urlpatterns = [
    path("customers/", customers.customer_list, name="customer_list"),
    path("customers/new/", wizard.customer_wizard, name="customer_create"),
    path("customers/export.csv", customers.customer_export, name="customer_export"),
    path("customers/<str:customer_id>/", panel.customer_detail, name="customer_detail"),
    path("customers/<str:customer_id>/progress/", panel.customer_progress, name="customer_progress"),
    path("customers/<str:customer_id>/packages/", panel.customer_packages, name="customer_packages"),
    path("customers/<str:customer_id>/remove/", panel.customer_remove, name="customer_remove"),
    path("customers/<str:customer_id>/retry/", panel.customer_retry, name="customer_retry"),
    path(
        "customers/<str:customer_id>/restricted-mode/",
        panel.customer_restricted_mode,
        name="customer_restricted_mode",
    ),
    path("customers/<str:customer_id>/setup/", setup.customer_setup, name="customer_setup"),
]
control_urlpatterns = [path("wholesale-request/", attach.attach_request, name="attach_request")]
ops_urlpatterns = [path("organisations/new/", ops.existing_org_create, name="existing_org_create")]
