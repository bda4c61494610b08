"""Routes of this app, composed into the hubs by config/urls.py."""

from django.urls import path

from apps.subpartners import views

partner_urlpatterns = [path("indirect-providers/", views.subpartner_list, name="subpartner_list")]
