"""Control Hub routes of restricted-by-partner mode, included in the ``control`` namespace."""

from django.urls import path

from apps.accounts.permissions import Action
from apps.core.hub import CONTROL_HUB, hub_view

from . import views

urlpatterns = [
    path(
        "restrictions/",
        hub_view(CONTROL_HUB, Action.ORG_VIEW)(views.restriction_list),
        name="restriction_list",
    ),
]
