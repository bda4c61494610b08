"""Everything under /v1/: the Webex Wholesale API, the partner API, and their OpenAPI schema and docs."""

from django.urls import include, path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerView


class ApiDocsView(SpectacularSwaggerView):
    """The Swagger UI page: a page to read, so GET and HEAD only (OPTIONS would look for a template)."""

    http_method_names = ["get", "head"]


urlpatterns = [
    # JSON whatever the Accept header says: the path promises it, and YAML is the DRF view's first choice.
    path("openapi.json", SpectacularJSONAPIView.as_view(), name="openapi"),
    path("docs/", ApiDocsView.as_view(url_name="openapi"), name="api_docs"),
    path("", include("apps.accounts.api.urls")),
    path("", include("apps.onboarding.api.urls")),
    path("", include("apps.provisioning.api.urls")),
    path("", include("apps.locations.api.urls")),
    path("", include("apps.subscribers.api.urls")),
    path("", include("apps.restrictions.api.urls")),
    path("", include("apps.subpartners.api.urls")),  # sub-partners (issue 9)
    path("", include("apps.billing.api.urls")),  # billing (issue 10)
    path("", include("apps.branding.api.urls")),  # branding (issue 13)
]
