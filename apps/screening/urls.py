"""Routes of this app, composed into the operations console by config/urls.py."""

from django.urls import path

from apps.screening import views

ops_urlpatterns = [
    path("screening/", views.screening_list, name="screening_list"),
    path("screening/import/", views.screening_import, name="screening_import"),
    path("screening/template.csv", views.screening_template, name="screening_template"),
    path("screening/<str:entry_id>/remove/", views.screening_entry_remove, name="screening_entry_remove"),
    path("screening/reviews/", views.screening_review_list, name="screening_review_list"),
    path("screening/reviews/<str:hold_id>/", views.screening_review, name="screening_review"),
]
