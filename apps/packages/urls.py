"""Partner Hub routes of this area, included in the ``partner`` namespace by apps/partners/urls.py."""

from django.urls import path

from apps.core.hub import PARTNER_HUB, hub_view

from . import views

urlpatterns = [
    path("packages/", hub_view(PARTNER_HUB)(views.package_list), name="package_list"),
]
