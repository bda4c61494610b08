"""Routes of this app, composed into Partner Hub and Control Hub by config/urls.py."""

from django.urls import path

from apps.exports import views

_routes = [
    path("exports/<str:export_id>/", views.export_detail, name="export_detail"),
    path("exports/<str:export_id>/download", views.export_download, name="export_download"),
]
partner_urlpatterns = list(_routes)
control_urlpatterns = list(_routes)
