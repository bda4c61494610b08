"""Partner Hub at /partner/<org-id>/... and the operations console at /ops/."""

from django.urls import include, path

from apps.accounts import views as accounts_views
from apps.accounts.permissions import Action
from apps.accounts.urls import shared_hub_routes
from apps.core.hub import PARTNER_HUB, hub_view
from apps.core.views import audit_list

from . import views


def page(view, action: Action = Action.ORG_VIEW):
    return hub_view(PARTNER_HUB, action)(view)


app_name = "partner"
urlpatterns = [
    path("", page(views.overview), name="overview"),
    path("customers/", page(views.customer_list, Action.CUSTOMERS_VIEW), name="customer_list"),
    path("indirect-providers/", page(views.subpartner_list, Action.SUBPARTNERS_VIEW), name="subpartner_list"),
    *shared_hub_routes(PARTNER_HUB),
    path("", include("apps.packages.urls")),
    path("", include("apps.onboarding.urls")),
    path("", include("apps.onboarding.wizard_urls")),
    path("", include("apps.customers.partner_urls")),
    path("settings/", page(views.settings_edit), name="settings"),
    path("api-tokens/", page(accounts_views.api_token_list, Action.TOKENS_MANAGE), name="api_token_list"),
    path(
        "api-tokens/<str:token_id>/revoke/",
        page(accounts_views.api_token_revoke, Action.TOKENS_MANAGE),
        name="api_token_revoke",
    ),
]

ops_urlpatterns = (
    [
        path("", views.ops_partner_list, name="partner_list"),
        path("partners/new/", views.ops_partner_create, name="partner_create"),
        path("audit/", views.ops_view(Action.AUDIT_VIEW)(audit_list), name="audit_list"),
        path("", include("apps.customers.ops_urls")),
    ],
    "ops",
)
