"""API routes of this app, included under /v1/ by config/api_urls.py."""

from django.urls import path

from apps.subpartners.api import views

urlpatterns = [
    path("wholesale/subPartners", views.SubPartnerListApi.as_view(), name="api_subpartner_list"),
    path("partner/subPartners", views.PartnerSubPartnerListApi.as_view(), name="api_partner_subpartner_list"),
    path(
        "partner/subPartners/<str:subpartner_id>",
        views.PartnerSubPartnerDetailApi.as_view(),
        name="api_partner_subpartner_detail",
    ),
]
