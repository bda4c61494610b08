"""Routes of this app, composed into Control Hub by config/urls.py."""

from django.urls import path

from apps.restrictions import views

control_urlpatterns = [path("restrictions/", views.restriction_list, name="restriction_list")]
