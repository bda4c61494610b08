"""Partner Hub routes of onboarding templates, included in the ``partner`` namespace by apps/partners/urls.py.

A template is named by its provisioningId, the id a partner copies into the Wholesale API.
"""

from django.urls import path

from apps.accounts.permissions import Action
from apps.core.hub import PARTNER_HUB, hub_view

from .views import templates as views


def page(view, action: Action = Action.ORG_VIEW):
    return hub_view(PARTNER_HUB, action)(view)


urlpatterns = [
    path("templates/", page(views.template_list), name="template_list"),
    path("templates/new/", page(views.template_create, Action.TEMPLATES_MANAGE), name="template_create"),
    path("templates/<str:template_id>/", page(views.template_detail), name="template_detail"),
    path(
        "templates/<str:template_id>/edit/",
        page(views.template_edit, Action.TEMPLATES_MANAGE),
        name="template_edit",
    ),
    path(
        "templates/<str:template_id>/delete/",
        page(views.template_delete, Action.TEMPLATES_MANAGE),
        name="template_delete",
    ),
]
