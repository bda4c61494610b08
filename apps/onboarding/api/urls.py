"""API routes of this area, included under /v1/ by config/api_urls.py."""

from django.urls import path

from apps.onboarding.api import views

urlpatterns = [
    path(
        "partner/onboardingTemplates",
        views.OnboardingTemplateListApi.as_view(),
        name="api_onboarding_template_list",
    ),
    path(
        "partner/onboardingTemplates/<str:template_id>",
        views.OnboardingTemplateDetailApi.as_view(),
        name="api_onboarding_template_detail",
    ),
]
