from django.urls import include, path

from apps.core import views as core_views
from apps.customers.views.consent import subscriber_consent
from apps.partners.urls import ops_urlpatterns

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path("consent/<str:token>/", subscriber_consent, name="subscriber_consent"),
    path("ops/", include(ops_urlpatterns)),
    path("partner/<str:org_id>/", include("apps.partners.urls")),
    path("org/<str:org_id>/", include("apps.customers.urls")),
    path("v1/", include("config.api_urls")),
]

handler404 = "apps.core.views.page_not_found"
handler403 = "apps.core.views.permission_denied"
handler500 = "apps.core.views.server_error"
