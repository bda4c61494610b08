"""Routes of this app, composed into the hubs by config/urls.py."""

from django.urls import path

from apps.locations import views

control_urlpatterns = [
    path("locations/", views.location_list, name="location_list"),
    path("locations/add/", views.location_create, name="location_create"),
    path("locations/<str:location_id>/", views.location_detail, name="location_detail"),
    path("locations/<str:location_id>/edit/", views.location_edit, name="location_edit"),
    path("locations/<str:location_id>/delete/", views.location_delete, name="location_delete"),
    path("locations/<str:location_id>/numbers/add/", views.number_add, name="number_add"),
    path("numbers/<str:number_id>/release/", views.number_release, name="number_release"),
    path("numbers/<str:number_id>/delete/", views.number_delete, name="number_delete"),
]
