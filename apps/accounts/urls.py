"""Routes of this app, composed into the hubs by config/urls.py: the administrators and the audit log of every
hub's organisation, personal API tokens, and the landing redirect."""

from django.urls import path

from apps.accounts import views

_ADMINISTRATORS = [
    path("administrators/", views.admin_list, name="admin_list"),
    path("administrators/<str:person_id>/", views.admin_detail, name="admin_detail"),
    path("administrators/<str:person_id>/remove/", views.admin_remove, name="admin_remove"),
    path("audit/", views.audit_list, name="audit_list"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("welcome/<str:uidb36>/<str:key>/", views.welcome, name="account_welcome"),
    # The signed-in person's own account, beside allauth's password and two-factor pages: no organisation.
    path("accounts/language/", views.language, name="account_language"),
]
partner_urlpatterns = [
    *_ADMINISTRATORS,
    path("api-tokens/", views.api_token_list, name="api_token_list"),
    path("api-tokens/<str:token_id>/revoke/", views.api_token_revoke, name="api_token_revoke"),
]
control_urlpatterns = list(_ADMINISTRATORS)
ops_urlpatterns = [path("audit/", views.audit_list, name="audit_list")]
