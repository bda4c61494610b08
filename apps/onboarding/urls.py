"""Routes of this app, composed into Partner Hub by config/urls.py. A template is named by its provisioningId,
the id a partner copies into the Wholesale API."""

from django.urls import path

from apps.onboarding import views

partner_urlpatterns = [
    path("templates/", views.template_list, name="template_list"),
    path("templates/new/", views.template_create, name="template_create"),
    path("templates/<str:template_id>/", views.template_detail, name="template_detail"),
    path("templates/<str:template_id>/edit/", views.template_edit, name="template_edit"),
    path("templates/<str:template_id>/delete/", views.template_delete, name="template_delete"),
]
