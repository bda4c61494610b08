"""Partner API for workspaces (``/v1/partner/workspaces``): the same services as the Control Hub pages.

``orgId`` names the organisation acted in: a customer (its workspaces) or a partner (its customers'); without
it, the caller's own. Scopes are those of subscribers (``spark-admin:wholesale_subscribers_read`` /
``_write``): a workspace holds a package as a subscriber does. Refusals are the Webex error body, each
``errors[]`` entry naming the JSON field and carrying the service's ``errorCode`` (409 for conflicts).
"""

from collections.abc import Callable
from datetime import tzinfo
from uuid import UUID

from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from apps.accounts.api.guard import GuardedApi, InBody
from apps.accounts.models import ApiScope
from apps.accounts.permissions import Action
from apps.core.api.keyed import keyed_exception_handler
from apps.core.errors import ErrorCode, error_code_table
from apps.core.ids import IdType, encode_id, id_encoder
from apps.core.models import Organization
from apps.core.wire import drf_time
from apps.customers.models import Customer
from apps.customers.selectors import customer_get, customer_scoped
from apps.locations.selectors import location_get
from apps.subscribers.api.serializers import (
    WORKSPACE_FIELDS,
    WorkspaceCreateSerializer,
    WorkspaceListQuerySerializer,
    WorkspaceSerializer,
    WorkspaceWriteSerializer,
)
from apps.subscribers.models import Workspace
from apps.subscribers.selectors.workspaces import (
    with_numbers_and_extensions,
    workspace_get,
    workspaces_for_api,
)
from apps.subscribers.services import workspaces as workspace_services

ORG_ID = OpenApiParameter(
    "orgId",
    str,
    description="The organisation acted in: a customer (its workspaces) or a partner (its customers'); "
    "default: yours.",
)
LOCATION = OpenApiParameter(
    "Location", str, OpenApiParameter.HEADER, response=[201], description="The new workspace's url."
)
# The codes the workspace services answer with, in this API's words where the registry's are a person's.
WORKSPACE_CODES = (
    ErrorCode.CUSTOMER_BUSY,
    *(code for code in ErrorCode if 4020 <= code <= 4029 and code != ErrorCode.PERSON_NAME_INVALID),
    ErrorCode.WORKSPACE_NAME_INVALID,
    ErrorCode.WORKSPACE_NAME_IN_USE,
)
_WORDING = {
    ErrorCode.SUBSCRIBER_PACKAGE_INVALID: "The package is not one a workspace can hold.",
    ErrorCode.CUSTOMER_BUSY: "The customer is not provisioned yet (or is being updated or removed).",
}
ERROR_CODES_DOC = (
    "\n\nA refused request answers with the Webex error body; each `errors[]` entry names the field and "
    "carries a stable `errorCode`:\n\n" + error_code_table(WORKSPACE_CODES, _WORDING)
)


WORKSPACES_EXCEPTION_HANDLER = keyed_exception_handler(WORKSPACE_FIELDS)


def workspace_list_body(
    row: dict, encode: Callable[[IdType, UUID], str] = encode_id, zone: tzinfo | None = None
) -> dict:
    """``WorkspaceSerializer``'s body of a row of ``with_numbers_and_extensions``: the same keys in the same
    order, without a model instance, a serializer and two prefetched instances per workspace (a page of 100
    cost the API six times its floor's CPU). ``encode``: ``encode_id``, or a page's ``id_encoder()`` for
    the ids its rows repeat (customers, locations); ``zone``: the current time zone, looked up once a page."""
    return {
        "id": encode_id(IdType.WORKSPACE, row["id"]),
        "customerId": encode(IdType.CUSTOMER, row["customer_id"]),
        "name": row["name"],
        "locationId": encode(IdType.LOCATION, row["location_id"]),
        "package": row["package"],
        "phoneNumber": row["phone_number"],
        "extension": row["extension"],
        "created": drf_time(row["created"], zone or timezone.get_current_timezone()),
    }


class WorkspaceApiBase(GuardedApi):
    """Reads need the organisation acted in; writes provision the workspace's customer organisation (named
    by the path, or by ``customerId`` in the body)."""

    read_scope = ApiScope.WHOLESALE_SUBSCRIBERS_READ
    write_scope = ApiScope.WHOLESALE_SUBSCRIBERS_WRITE
    read_action = Action.ORG_VIEW
    write_action = Action.USERS_PROVISION

    def get_exception_handler(self):
        return WORKSPACES_EXCEPTION_HANDLER

    def write_org(self):
        if "workspace_id" in self.kwargs:
            return self.workspace(self.kwargs["workspace_id"]).customer.org
        return InBody

    def scope(self) -> Organization:
        if getattr(self, "_scope", None) is None:
            self._scope = self.read_org()
        return self._scope

    def customer(self, scope: Organization, customer_id: str) -> Customer:
        """A customer of the scope (itself, or one the partner manages), with its packages; else 404."""
        return customer_get(actor=self.request.user, customer_id=customer_id, **_within(scope))

    def customer_of_list(self, scope: Organization, customer_id: str) -> Customer:
        """``customer()``'s customer as a list filters by it: its row alone, in one query compiled once
        (``customer_scoped``), not its organisation and packages; else 404."""
        found = customer_scoped(actor=self.request.user, customer_id=customer_id, **_within(scope)).rows()
        if not found:
            raise Http404
        return found[0]

    def workspace(self, workspace_id: str) -> Workspace:
        """The workspace behind the path's id, of the call's scope; 404 otherwise. Read once per request."""
        if getattr(self, "_workspace", None) is None:
            self._workspace = workspace_get(
                actor=self.request.user, workspace_id=workspace_id, scope=self.scope()
            )
        return self._workspace

    def url_of(self, workspace: Workspace) -> str:
        path = reverse("api_workspace_detail", kwargs={"workspace_id": workspace.webex_id})
        return self.request.build_absolute_uri(path)


def _within(scope: Organization) -> dict:
    """How ``customer_get`` / ``customer_scoped`` name the scope's customers: the scope's own record (a
    customer organisation), or those the partner manages."""
    return {"org": scope} if scope.is_customer else {"partner": scope}


def _fresh(workspace: Workspace, request: Request) -> Workspace:
    """The written workspace re-read through the scoping selector (numbers and extensions included)."""
    return workspace_get(actor=request.user, workspace_id=str(workspace.pk))


@extend_schema(tags=["Partner: workspaces"], parameters=[ORG_ID])
class WorkspaceListApi(WorkspaceApiBase):
    serializer_class = WorkspaceSerializer

    @extend_schema(
        summary="List workspaces",
        operation_id="listWorkspaces",
        parameters=[WorkspaceListQuerySerializer],
        responses=WorkspaceSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        scope = self.scope()
        query = WorkspaceListQuerySerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        customer_id = query.validated_data.get("customerId")
        location_id = query.validated_data.get("locationId")
        workspaces = workspaces_for_api(
            actor=request.user,
            scope=scope,
            customer=self.customer_of_list(scope, customer_id) if customer_id else None,
            location=location_get(actor=request.user, scope=scope, location_id=location_id)
            if location_id
            else None,
        )
        page = with_numbers_and_extensions(self.paginate_queryset(workspaces))
        encode, zone = id_encoder(), timezone.get_current_timezone()
        return self.get_paginated_response([workspace_list_body(row, encode, zone) for row in page])

    @extend_schema(
        summary="Create a workspace",
        operation_id="createWorkspace",
        description="A workspace holds Common Area Calling: a name, a location and a phone number and/or an "
        "extension." + ERROR_CODES_DOC,
        request=WorkspaceCreateSerializer,
        responses={201: WorkspaceSerializer},
        parameters=[LOCATION],
    )
    def post(self, request: Request) -> Response:
        data = WorkspaceCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        customer = self.customer(self.scope(), data.validated_data["customerId"])
        self.check(self.write_action, customer.org)
        workspace = workspace_services.workspace_create(
            actor=request.user, customer=customer, **data.values()
        )
        url = self.url_of(workspace)
        body = WorkspaceSerializer(_fresh(workspace, request)).data
        return Response(body, status=status.HTTP_201_CREATED, headers={"Location": url})


@extend_schema(
    tags=["Partner: workspaces"],
    parameters=[ORG_ID, OpenApiParameter("workspace_id", str, OpenApiParameter.PATH)],
)
class WorkspaceDetailApi(WorkspaceApiBase):
    delete_action = Action.USERS_REMOVE  # also a suspended (sub-)partner's (issue 9)
    serializer_class = WorkspaceSerializer

    @extend_schema(summary="Get a workspace", operation_id="getWorkspace", responses=WorkspaceSerializer)
    def get(self, request: Request, workspace_id: str) -> Response:
        return Response(WorkspaceSerializer(self.workspace(workspace_id)).data)

    @extend_schema(
        summary="Update a workspace",
        operation_id="updateWorkspace",
        description="The complete workspace: a phone number or an extension left out is freed; a new "
        "package or location starts a new interval of the assignment history." + ERROR_CODES_DOC,
        request=WorkspaceWriteSerializer,
        responses=WorkspaceSerializer,
    )
    def put(self, request: Request, workspace_id: str) -> Response:
        workspace = self.workspace(workspace_id)
        data = WorkspaceWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        workspace = workspace_services.workspace_update(
            actor=request.user, workspace=workspace, **data.values()
        )
        return Response(WorkspaceSerializer(_fresh(workspace, request)).data)

    @extend_schema(
        summary="Remove a workspace",
        operation_id="deleteWorkspace",
        description="Its package interval ends now; its phone number and extension are freed.",
        responses={204: None},
    )
    def delete(self, request: Request, workspace_id: str) -> Response:
        workspace_services.workspace_remove(actor=request.user, workspace=self.workspace(workspace_id))
        return Response(status=status.HTTP_204_NO_CONTENT)
