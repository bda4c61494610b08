"""Partner API for administrators and the audit log: the same services as the Administrators pages."""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from apps.accounts import services
from apps.accounts.api.guard import GuardedApi
from apps.accounts.api.serializers import (
    AdminCustomersSerializer,
    AdminInviteSerializer,
    AdminRolesSerializer,
    AdminSerializer,
    AuditEventSerializer,
    AuditQuerySerializer,
    audit_event_body,
)
from apps.accounts.models import ApiScope
from apps.accounts.permissions import Action
from apps.accounts.selectors import (
    admins_of_org,
    assigned_customers_of,
    audit_events_for_api,
    org_get_visible,
    person_get,
)
from apps.core.ids import id_encoder
from apps.core.models import OrgKind
from apps.core.selectors import audit_filter_lookups

ORG_ID = OpenApiParameter(
    "orgId",
    str,
    description="Act on this organisation (a customer or sub-partner you manage); default: yours.",
)


class AdminApi(GuardedApi):
    read_scope = ApiScope.PEOPLE_READ
    write_scope = ApiScope.PEOPLE_WRITE
    read_action = Action.ADMINS_VIEW
    write_action = Action.ADMINS_MANAGE

    def org(self):
        """The organisation acted in (``orgId`` or the caller's own), read once per request."""
        if getattr(self, "_org", None) is None:
            self._org = self.read_org()
        return self._org


@extend_schema(tags=["Partner: administrators"], parameters=[ORG_ID])
class AdminListApi(AdminApi):
    serializer_class = AdminSerializer

    @extend_schema(summary="List administrators", responses=AdminSerializer(many=True))
    def get(self, request):
        admins = admins_of_org(org=self.org()).select_related("org")
        page = self.paginate_queryset(admins)
        return self.get_paginated_response(AdminSerializer(page, many=True).data)

    @extend_schema(
        summary="Invite an administrator", request=AdminInviteSerializer, responses={201: AdminSerializer}
    )
    def post(self, request):
        org = self.org()
        data = AdminInviteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        person = services.person_invite(
            actor=request.user,
            org=org,
            email=data.validated_data["email"],
            first_name=data.validated_data["firstName"],
            last_name=data.validated_data["lastName"],
            roles=data.validated_data["roles"],
        )
        return Response(AdminSerializer(person).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["Partner: administrators"], parameters=[ORG_ID])
class AdminDetailApi(AdminApi):
    @extend_schema(summary="Get an administrator", responses=AdminSerializer)
    def get(self, request, person_id: str):
        return Response(AdminSerializer(person_get(org=self.org(), person_id=person_id)).data)

    @extend_schema(
        summary="Replace an administrator's roles", request=AdminRolesSerializer, responses=AdminSerializer
    )
    def put(self, request, person_id: str):
        org = self.org()
        person = person_get(org=org, person_id=person_id)
        data = AdminRolesSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.person_set_roles(
            actor=request.user, org=org, person=person, roles=data.validated_data["roles"]
        )
        return Response(AdminSerializer(person_get(org=org, person_id=person_id)).data)

    @extend_schema(summary="Remove every administrator role", responses={204: None})
    def delete(self, request, person_id: str):
        org = self.org()
        services.person_remove_admin(
            actor=request.user, org=org, person=person_get(org=org, person_id=person_id)
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["Partner: administrators"], parameters=[ORG_ID])
class AdminCustomersApi(AdminApi):
    """The customers a partner administrator manages (only partner admins hold such assignments)."""

    @extend_schema(summary="List a partner administrator's customers", responses=AdminCustomersSerializer)
    def get(self, request, person_id: str):
        person = person_get(org=self.org(), person_id=person_id)
        return Response({"customerOrgIds": [c.webex_id for c in assigned_customers_of(user=person)]})

    @extend_schema(
        summary="Set a partner administrator's customers",
        request=AdminCustomersSerializer,
        responses=AdminCustomersSerializer,
    )
    def put(self, request, person_id: str):
        org = self.org()
        person = person_get(org=org, person_id=person_id)
        data = AdminCustomersSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        customers = []
        for org_id in data.validated_data["customerOrgIds"]:
            try:
                customers.append(org_get_visible(actor=request.user, org_id=org_id, kind=OrgKind.CUSTOMER))
            except Http404:
                raise ValidationError({"customerOrgIds": f"Unknown customer {org_id}."}) from None
        services.person_assign_customers(actor=request.user, org=org, person=person, customers=customers)
        return Response({"customerOrgIds": [c.webex_id for c in assigned_customers_of(user=person)]})


@extend_schema(tags=["Partner: audit"])
class AuditEventListApi(GuardedApi):
    read_scope = ApiScope.AUDIT_EVENTS_READ
    read_action = Action.AUDIT_VIEW
    serializer_class = AuditEventSerializer

    @extend_schema(
        summary="List audit events",
        parameters=[ORG_ID, AuditQuerySerializer],
        responses=AuditEventSerializer(many=True),
    )
    def get(self, request):
        org = self.read_org()
        # A plain dict: from a QueryDict DRF would read an empty ``from=`` as absent instead of as a bad date.
        query = AuditQuerySerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        lookups = audit_filter_lookups(
            actor=query.validated_data.get("actorEmail", ""),
            action=query.validated_data.get("action", ""),
            date_from=query.validated_data.get("from"),
            date_to=query.validated_data.get("to"),
        )
        page = self.paginate_queryset(audit_events_for_api(actor=request.user, org=org, lookups=lookups))
        encode = id_encoder()
        return self.get_paginated_response([audit_event_body(row, encode) for row in page])
