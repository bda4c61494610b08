"""Routes of this app, composed into the hubs by config/urls.py."""

from django.urls import path

from apps.dashboards import views

partner_urlpatterns = [path("", views.partner_overview, name="overview")]
control_urlpatterns = [path("", views.control_overview, name="overview")]
