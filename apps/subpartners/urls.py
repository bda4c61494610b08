"""Routes of this app, composed into the hubs by config/urls.py."""

from django.urls import path

from apps.subpartners import views

partner_urlpatterns = [
    path("indirect-providers/", views.subpartner_list, name="subpartner_list"),
    path("indirect-providers/new/", views.subpartner_setup, name="subpartner_setup"),
    path("indirect-providers/<str:subpartner_id>/status/", views.subpartner_status, name="subpartner_status"),
    path("indirect-providers/<str:subpartner_id>/remove/", views.subpartner_remove, name="subpartner_remove"),
]
ops_urlpatterns = [
    path("subpartner-requests/", views.setup_request_list, name="setup_request_list"),
    path(
        "subpartner-requests/<str:setup_request_id>/",
        views.setup_request_decide,
        name="setup_request_decide",
    ),
]
