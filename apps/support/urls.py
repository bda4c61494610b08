"""Help and support (issue 13), composed into the hubs by config/urls.py."""

from django.urls import path

from apps.support import views

partner_urlpatterns = [
    path("help/", views.partner_help, name="help"),
    path(
        "support-requests/<str:request_id>/status/",
        views.support_request_status,
        name="support_request_status",
    ),
]
control_urlpatterns = [path("help/", views.control_help, name="help")]
ops_urlpatterns = [path("support-requests/", views.ops_support_request_list, name="support_request_list")]
