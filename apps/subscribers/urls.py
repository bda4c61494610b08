"""Routes of this app, composed by config/urls.py: Control Hub's users, CSV imports and workspaces, and the
consent page a consent e-mail links to."""

from django.urls import path

from apps.subscribers.views import consent, details, imports, users, workspaces

urlpatterns = [path("consent/<str:token>/", consent.subscriber_consent, name="subscriber_consent")]
control_urlpatterns = [
    path("users/", users.user_list, name="user_list"),
    path("users/add/", users.user_add, name="user_add"),
    path("users/export.csv", users.user_export, name="user_export"),
    path("users/<str:subscriber_id>/", users.user_detail, name="user_detail"),
    path("users/<str:subscriber_id>/package/", users.user_package, name="user_package"),
    path("users/<str:subscriber_id>/remove/", users.user_remove, name="user_remove"),
    path("users/<str:subscriber_id>/consent/", users.user_consent_send, name="user_consent_send"),
    # "Add or modify users with CSV": the upload page is a read; the upload itself is the service's
    # USERS_PROVISION (restricted-by-partner mode takes it from customer admins).
    path("user-imports/new/", imports.user_import, name="user_import"),
    path("user-imports/template.csv", imports.user_import_template, name="user_import_template"),
    path("user-imports/<str:import_id>/", imports.user_import_detail, name="user_import_detail"),
    path("user-imports/<str:import_id>/errors.csv", imports.user_import_errors, name="user_import_errors"),
    # issue 12 item 3: a refused row is tried again once its cause is fixed; a stopped import resumes
    path("user-imports/<str:import_id>/retry/", imports.user_import_retry, name="user_import_retry"),
    path("user-imports/<str:import_id>/resume/", imports.user_import_resume, name="user_import_resume"),
    path("workspaces/", workspaces.workspace_list, name="workspace_list"),
    path("workspaces/add/", workspaces.workspace_create, name="workspace_create"),
    path("workspaces/<str:workspace_id>/", workspaces.workspace_detail, name="workspace_detail"),
    path("workspaces/<str:workspace_id>/edit/", workspaces.workspace_edit, name="workspace_edit"),
    path("workspaces/<str:workspace_id>/remove/", workspaces.workspace_remove, name="workspace_remove"),
    # issue 13: user details (names, e-mail), editable under restricted-by-partner mode
    path("users/<str:subscriber_id>/details/", details.user_details, name="user_details"),
]
