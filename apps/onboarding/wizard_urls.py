"""Partner Hub routes of this area, included in the ``partner`` namespace by apps/partners/urls.py."""

from django.urls import path

from apps.accounts.permissions import Action
from apps.core.hub import PARTNER_HUB, hub_view

from .views import wizard

urlpatterns = [
    path(
        "customers/new/",
        hub_view(PARTNER_HUB, Action.CUSTOMER_CREATE)(wizard.customer_wizard),
        name="customer_create",
    ),
]
