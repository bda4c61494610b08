"""The site's routes. Each hub is one URL namespace composed here from the apps that serve it (each app's
``urls.py`` lists its ``partner_urlpatterns``, ``control_urlpatterns`` and ``ops_urlpatterns``); the page
guard (``apps.accounts.hub.hub_page``) learns the hub from that namespace."""

from django.urls import include, path

from apps.accounts import urls as accounts
from apps.billing import urls as billing  # billing (issue 10)
from apps.branding import urls as branding
from apps.calling import urls as calling
from apps.core import views as core_views
from apps.customers import urls as customers
from apps.dashboards import urls as dashboards
from apps.directory import urls as directory
from apps.exports import urls as exports
from apps.locations import urls as locations
from apps.onboarding import urls as onboarding
from apps.packages import urls as packages
from apps.partners import urls as partners
from apps.provisioning import urls as provisioning
from apps.restrictions import urls as restrictions
from apps.screening import urls as screening
from apps.subpartners import urls as subpartners
from apps.subscribers import urls as subscribers
from apps.support import urls as support

partner_hub = [
    *dashboards.partner_urlpatterns,
    *provisioning.partner_urlpatterns,
    *subpartners.partner_urlpatterns,
    *accounts.partner_urlpatterns,
    *packages.partner_urlpatterns,
    *onboarding.partner_urlpatterns,
    *partners.partner_urlpatterns,
    *branding.partner_urlpatterns,  # branding (issue 13)
    *support.partner_urlpatterns,  # help and support (issue 13)
    *exports.partner_urlpatterns,
    *billing.partner_urlpatterns,  # billing (issue 10)
]
control_hub = [
    *dashboards.control_urlpatterns,
    *provisioning.control_urlpatterns,
    *locations.control_urlpatterns,
    *subscribers.control_urlpatterns,
    *accounts.control_urlpatterns,
    *restrictions.control_urlpatterns,
    *branding.control_urlpatterns,  # branding (issue 13)
    *customers.control_urlpatterns,  # organisation settings (issue 13)
    *calling.control_urlpatterns,  # calling settings (issue 13)
    *directory.control_urlpatterns,  # users controls (issue 13)
    *support.control_urlpatterns,  # help and support (issue 13)
    *exports.control_urlpatterns,
]
ops_console = [
    *partners.ops_urlpatterns,
    *accounts.ops_urlpatterns,
    *screening.ops_urlpatterns,
    *provisioning.ops_urlpatterns,
    *subpartners.ops_urlpatterns,  # sub-partner set-up requests (issue 9)
    *billing.ops_urlpatterns,  # billing (issue 10)
    *support.ops_urlpatterns,  # help and support (issue 13)
]

urlpatterns = [
    *accounts.urlpatterns,
    path("healthz", core_views.healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    *subscribers.urlpatterns,
    *billing.urlpatterns,  # billing (issue 10): the signed report downloads
    *branding.urlpatterns,  # branding (issue 13): public logos
    *directory.urlpatterns,  # SCIM 2.0 (issue 13)
    path("ops/", include((ops_console, "ops"))),
    path("partner/<str:org_id>/", include((partner_hub, "partner"))),
    path("org/<str:org_id>/", include((control_hub, "control"))),
    path("v1/", include("config.api_urls")),
]

handler404 = "apps.core.views.page_not_found"
handler403 = "apps.core.views.permission_denied"
handler500 = "apps.core.views.server_error"
