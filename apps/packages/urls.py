"""Routes of this app, composed into Partner Hub by config/urls.py."""

from django.urls import path

from apps.packages import views

partner_urlpatterns = [path("packages/", views.package_list, name="package_list")]
