"""Everything under /v1/: the Webex Wholesale API, the partner API, and their OpenAPI schema and docs."""

from django.urls import include, path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerView

from apps.accounts.api import views as accounts_api

urlpatterns = [
    # JSON whatever the Accept header says: the path promises it, and YAML is the DRF view's first choice.
    path("openapi.json", SpectacularJSONAPIView.as_view(), name="openapi"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="openapi"), name="api_docs"),
    path("partner/admins", accounts_api.AdminListApi.as_view(), name="api_admin_list"),
    path("partner/admins/<str:person_id>", accounts_api.AdminDetailApi.as_view(), name="api_admin_detail"),
    path(
        "partner/admins/<str:person_id>/customers",
        accounts_api.AdminCustomersApi.as_view(),
        name="api_admin_customers",
    ),
    path("partner/auditEvents", accounts_api.AuditEventListApi.as_view(), name="api_audit_event_list"),
    path("", include("apps.onboarding.api.urls")),
    path("", include("apps.customers.api.urls")),
    path("", include("apps.restrictions.api.urls")),
]
