"""Operations console routes of this area, included in the ``ops`` namespace by apps/partners/urls.py."""

from django.urls import path

from .views import ops as views

urlpatterns: list = [
    path("screening/", views.screening_list, name="screening_list"),
    path("screening/import/", views.screening_import, name="screening_import"),
    path("screening/template.csv", views.screening_template, name="screening_template"),
    path("screening/<str:entry_id>/remove/", views.screening_entry_remove, name="screening_entry_remove"),
    path("screening/reviews/", views.screening_review_list, name="screening_review_list"),
    path("screening/reviews/<str:hold_id>/", views.screening_review, name="screening_review"),
    path("organisations/new/", views.existing_org_create, name="existing_org_create"),
]
