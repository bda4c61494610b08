"""Routes of this app, composed into the hubs by config/urls.py."""

from django.urls import path

from apps.partners import views

partner_urlpatterns = [path("settings/", views.settings_edit, name="settings")]
ops_urlpatterns = [
    path("", views.ops_partner_list, name="partner_list"),
    path("partners/new/", views.ops_partner_create, name="partner_create"),
]
