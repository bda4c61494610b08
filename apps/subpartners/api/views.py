"""``GET /v1/wholesale/subPartners`` exactly as the official document describes it, and the partner API's
``/v1/partner/subPartners`` (list with names and counts, set up) and ``/v1/partner/subPartners/{orgId}``
(get, suspend or reactivate, change the billing start date, remove). Both answer for the caller's own
sub-partners only (``orgId``: a partner it acts for); a sub-partner has none, so ``onBehalfOfSubPartnerOrgId``
is a 400 here."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from apps.accounts.api.guard import GuardedApi
from apps.accounts.api.scope import api_org
from apps.accounts.models import ApiScope
from apps.accounts.permissions import Action
from apps.core.api.keyed import keyed_exception_handler
from apps.core.api.pagination import WebexOffsetPagination
from apps.core.api.schema import CONFLICT
from apps.core.errors import ErrorCode as E
from apps.core.errors import error_code_table
from apps.core.models import Organization
from apps.subpartners import services
from apps.subpartners.api.serializers import (
    PartnerSubPartnerSerializer,
    SubPartnerListQuerySerializer,
    SubPartnerSerializer,
    SubPartnerSetupResultSerializer,
    SubPartnerSetupSerializer,
    SubPartnerUpdateSerializer,
    partner_subpartner_body,
    subpartner_body,
)
from apps.subpartners.selectors import (
    Counts,
    subpartner_counts,
    subpartner_get,
    subpartner_rows_for_api,
)

ORG_ID = OpenApiParameter(
    "orgId", str, description="Wholesale Hub: the partner whose sub-partners to list (default: yours)."
)
SUBPARTNER_ID = OpenApiParameter(
    "subpartner_id", str, OpenApiParameter.PATH, description="The sub-partner's organisation id."
)
SETUP_CODES = (
    E.SUBPARTNER_NAME_INVALID,
    E.SUBPARTNER_NAME_IN_USE,
    E.SUBPARTNER_PARENT_INVALID,
    E.BILLING_START_DATE_INVALID,
    E.EMAIL_INVALID,
)


# Service field keys → the JSON field a client sent them in.
API_FIELDS = {
    "name": "displayName",
    "admin_email": "adminEmail",
    "admin_first_name": "adminFirstName",
    "admin_last_name": "adminLastName",
    "billing_start_date": "billingStartDate",
    "reason": "statusReason",
    "status": "provisioningState",
}
SUBPARTNER_EXCEPTION_HANDLER = keyed_exception_handler(API_FIELDS)


class SubPartnerPagination(WebexOffsetPagination):
    default_max = 100
    max_max = 1000


class SubPartnerApi(GuardedApi):
    """Reads need ``SUBPARTNERS_VIEW`` on the acting partner, writes ``SUBPARTNERS_MANAGE`` (checked by the
    guard once the acting partner, and the sub-partner a path names, are found: 404 before 403)."""

    read_scope = ApiScope.WHOLESALE_SUB_PARTNERS_READ
    write_scope = ApiScope.WHOLESALE_CUSTOMERS_WRITE
    read_action = Action.SUBPARTNERS_VIEW
    write_action = Action.SUBPARTNERS_MANAGE
    pagination_class = SubPartnerPagination

    def get_exception_handler(self):
        return SUBPARTNER_EXCEPTION_HANDLER

    def read_org(self) -> Organization:
        """The partner whose sub-partners the call reads or writes (a sub-partner has none: acting for one
        is a 400), after the sub-partner the path names, if any, is found below it."""
        if getattr(self, "_parent", None) is None:
            self._parent = api_org(self.request, on_behalf=False)
            if "subpartner_id" in self.kwargs:
                self._subpartner = subpartner_get(
                    actor=self.request.user, partner=self._parent, org_id=self.kwargs["subpartner_id"]
                )
        return self._parent

    def subpartner(self) -> Organization:
        self.read_org()
        return self._subpartner

    def listed(self, parent: Organization):
        query = SubPartnerListQuerySerializer(data=self.request.query_params.dict())
        query.is_valid(raise_exception=True)
        status = query.validated_data.get("provisioningState", "")
        return subpartner_rows_for_api(actor=self.request.user, partner=parent, status=status)


@extend_schema(tags=["Wholesale Provisioning"], parameters=[ORG_ID])
class SubPartnerListApi(SubPartnerApi):
    serializer_class = SubPartnerSerializer

    @extend_schema(
        summary="List Wholesale Sub-partners",
        operation_id="listWholesaleSubPartners",
        description="Lists the caller's sub-partners (indirect providers), optionally in one provisioning "
        "state. `active`: it can provision, update and delete customers and subscribers; `suspended`: it can "
        "only delete them.",
        parameters=[SubPartnerListQuerySerializer],
        responses=SubPartnerSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        parent = self.read_org()
        page = self.paginate_queryset(self.listed(parent))
        return self.get_paginated_response([subpartner_body(row) for row in page])


def _partner_bodies(rows: list) -> list[dict]:
    """``partner_subpartner_body`` of rows of ``subpartner_rows_for_api`` (one query for their counts)."""
    counts = subpartner_counts(subpartner_ids=[row["id"] for row in rows])
    return [partner_subpartner_body(row, counts.get(row["id"], Counts())) for row in rows]


@extend_schema(tags=["Partner: indirect providers"], parameters=[ORG_ID])
class PartnerSubPartnerListApi(SubPartnerApi):
    serializer_class = PartnerSubPartnerSerializer

    @extend_schema(
        summary="List indirect providers",
        operation_id="listIndirectProviders",
        parameters=[SubPartnerListQuerySerializer],
        responses=PartnerSubPartnerSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        parent = self.read_org()
        page = self.paginate_queryset(self.listed(parent))
        return self.get_paginated_response(_partner_bodies(page))

    @extend_schema(
        summary="Set up an indirect provider",
        operation_id="setUpIndirectProvider",
        description="Set a sub-partner up with its first administrator (invited by e-mail) and its billing "
        "start date. `state` is `approved` with the new `orgId`, or `pending` while the platform operator "
        "approves set-ups first.\n\n" + error_code_table(SETUP_CODES),
        request=SubPartnerSetupSerializer,
        responses={201: SubPartnerSetupResultSerializer, 202: SubPartnerSetupResultSerializer, 409: CONFLICT},
    )
    def post(self, request: Request) -> Response:
        parent = self.read_org()
        data = SubPartnerSetupSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        setup = services.subpartner_setup(
            actor=request.user,
            parent=parent,
            name=values["displayName"],
            admin_email=values["adminEmail"],
            admin_first_name=values["adminFirstName"],
            admin_last_name=values["adminLastName"],
            billing_start_date=values.get("billingStartDate"),
        )
        created = setup.subpartner_id is not None
        return Response(
            SubPartnerSetupResultSerializer(setup).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_202_ACCEPTED,
        )


@extend_schema(tags=["Partner: indirect providers"], parameters=[SUBPARTNER_ID, ORG_ID])
class PartnerSubPartnerDetailApi(SubPartnerApi):
    serializer_class = PartnerSubPartnerSerializer

    def _render(self, subpartner: Organization) -> Response:
        rows = subpartner_rows_for_api(actor=self.request.user, partner=subpartner.parent)
        return Response(_partner_bodies([rows.get(pk=subpartner.pk)])[0])

    @extend_schema(summary="Get an indirect provider", responses=PartnerSubPartnerSerializer)
    def get(self, request: Request, subpartner_id: str) -> Response:
        return self._render(self.subpartner())

    @extend_schema(
        summary="Suspend, reactivate or change the billing start date of an indirect provider",
        description="`provisioningState: suspended` needs a `statusReason`. Suspended, the sub-partner (and "
        "you acting for it) can only delete customers and subscribers.",
        request=SubPartnerUpdateSerializer,
        responses=PartnerSubPartnerSerializer,
    )
    def put(self, request: Request, subpartner_id: str) -> Response:
        subpartner = self.subpartner()
        data = SubPartnerUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        if "provisioningState" in values:
            services.subpartner_set_status(
                actor=request.user,
                subpartner=subpartner,
                status=values["provisioningState"],
                reason=values["statusReason"],
            )
        if "billingStartDate" in values:
            services.subpartner_billing_start_update(
                actor=request.user, subpartner=subpartner, billing_start_date=values["billingStartDate"]
            )
        return self._render(subpartner)

    @extend_schema(
        summary="Remove an indirect provider",
        description="Refused (409, errorCode 4124) while it still manages customer organisations.",
        responses={204: None, 409: CONFLICT},
    )
    def delete(self, request: Request, subpartner_id: str) -> Response:
        services.subpartner_remove(actor=request.user, subpartner=self.subpartner())
        return Response(status=status.HTTP_204_NO_CONTENT)
