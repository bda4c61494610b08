"""Control Hub's organisation settings (issue 13), composed into the hub by config/urls.py."""

from django.urls import path

from apps.customers import views

control_urlpatterns = [
    path("account/", views.account, name="account"),
    path("settings/", views.org_settings, name="org_settings"),
    path("settings/email/", views.email_settings, name="email_settings"),
    path("settings/authentication/", views.auth_settings, name="auth_settings"),
    path("settings/services/", views.services_settings, name="services_settings"),
    path("settings/webex-assistant/", views.webex_assistant, name="webex_assistant"),
    path("domains/", views.domain_list, name="domain_list"),
    path("domains/<str:domain_id>/verify/", views.domain_verify, name="domain_verify"),
    path("domains/<str:domain_id>/claim/", views.domain_claim, name="domain_claim"),
]
