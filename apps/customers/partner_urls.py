"""Partner Hub routes of this area, included in the ``partner`` namespace by apps/partners/urls.py."""

from django.urls import path

from apps.accounts.permissions import Action
from apps.core.hub import PARTNER_HUB, hub_view

from .views import partner as views
from .views import setup as setup_views


def page(view, action: Action = Action.CUSTOMERS_VIEW):
    return hub_view(PARTNER_HUB, action)(view)


urlpatterns = [
    path("customers/export.csv", page(views.customer_export), name="customer_export"),
    path("customers/<str:customer_id>/", page(views.customer_detail), name="customer_detail"),
    path("customers/<str:customer_id>/progress/", page(views.customer_progress), name="customer_progress"),
    path("customers/<str:customer_id>/packages/", page(views.customer_packages), name="customer_packages"),
    path("customers/<str:customer_id>/remove/", page(views.customer_remove), name="customer_remove"),
    path(
        "customers/<str:customer_id>/restricted-mode/",
        page(views.customer_restricted_mode),
        name="customer_restricted_mode",
    ),
    path("customers/<str:customer_id>/setup/", page(setup_views.customer_setup), name="customer_setup"),
]
