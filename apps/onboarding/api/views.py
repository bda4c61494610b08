"""Partner API for onboarding templates: the same services and selectors as the Partner Hub pages."""

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response

from apps.accounts.api.guard import GuardedApi
from apps.accounts.models import ApiScope
from apps.accounts.permissions import Action
from apps.core.models import Organization
from apps.onboarding import services
from apps.onboarding.api.serializers import OnboardingTemplateSerializer, OnboardingTemplateWriteSerializer
from apps.onboarding.selectors import template_get, templates_list

ORG_ID = OpenApiParameter(
    "orgId", str, description="Act for this partner (an indirect provider you manage); default: yours."
)
TEMPLATE_ID = OpenApiParameter(
    "template_id",
    str,
    OpenApiParameter.PATH,
    description="The template's id, which is its provisioningId.",
)
TAGS = ["Partner: onboarding templates"]


class TemplateApi(GuardedApi):
    read_scope = ApiScope.WHOLESALE_CUSTOMERS_READ
    write_scope = ApiScope.WHOLESALE_CUSTOMERS_WRITE
    read_action = Action.ORG_VIEW
    write_action = Action.TEMPLATES_MANAGE

    def read_org(self) -> Organization:
        org = super().read_org()
        if not org.is_partner:
            raise PermissionDenied("Onboarding templates belong to partner organisations.")
        return org

    def partner(self) -> Organization:
        """The partner acted for (``orgId`` or the caller's own), read once per request."""
        if getattr(self, "_partner", None) is None:
            self._partner = self.read_org()
        return self._partner


@extend_schema(tags=TAGS, parameters=[ORG_ID])
class OnboardingTemplateListApi(TemplateApi):
    serializer_class = OnboardingTemplateSerializer

    @extend_schema(summary="List onboarding templates", responses=OnboardingTemplateSerializer(many=True))
    def get(self, request):
        page = self.paginate_queryset(templates_list(actor=request.user, partner=self.partner()))
        return self.get_paginated_response(OnboardingTemplateSerializer(page, many=True).data)

    @extend_schema(
        summary="Create an onboarding template",
        request=OnboardingTemplateWriteSerializer,
        responses={201: OnboardingTemplateSerializer},
    )
    def post(self, request):
        partner = self.partner()
        data = OnboardingTemplateWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        template = services.template_create(actor=request.user, partner=partner, **data.service_kwargs())
        return Response(OnboardingTemplateSerializer(template).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=TAGS, parameters=[ORG_ID, TEMPLATE_ID])
class OnboardingTemplateDetailApi(TemplateApi):
    @extend_schema(summary="Get an onboarding template", responses=OnboardingTemplateSerializer)
    def get(self, request, template_id: str):
        template = template_get(actor=request.user, partner=self.partner(), template_id=template_id)
        return Response(OnboardingTemplateSerializer(template).data)

    @extend_schema(
        summary="Change an onboarding template",
        description=(
            "Settings left out keep their values. Customers already onboarded with the template keep the "
            "settings they were created with."
        ),
        request=OnboardingTemplateWriteSerializer,
        responses=OnboardingTemplateSerializer,
    )
    def put(self, request, template_id: str):
        template = template_get(actor=request.user, partner=self.partner(), template_id=template_id)
        data = OnboardingTemplateWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        template = services.template_update(actor=request.user, template=template, **data.service_kwargs())
        return Response(OnboardingTemplateSerializer(template).data)

    @extend_schema(summary="Delete an onboarding template", responses={204: None})
    def delete(self, request, template_id: str):
        template = template_get(actor=request.user, partner=self.partner(), template_id=template_id)
        services.template_delete(actor=request.user, template=template)
        return Response(status=status.HTTP_204_NO_CONTENT)
