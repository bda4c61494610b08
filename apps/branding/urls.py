"""Routes of branding, composed into the hubs by config/urls.py; ``urlpatterns``: the public logos."""

from django.urls import path

from apps.branding import views

urlpatterns = [path("brand/logo/<str:name>", views.brand_logo, name="brand_logo")]
partner_urlpatterns = [
    path("branding/", views.partner_branding, name="branding"),
    path("branding/customers/", views.partner_branding_customers, name="branding_customers"),
    path("customers/<str:customer_id>/branding/", views.customer_branding, name="customer_branding"),
]
control_urlpatterns = [path("branding/", views.control_branding, name="branding")]
