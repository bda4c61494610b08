"""The partner API of Setup Assist orders (``/v1/partner/setupAssistOrders``), in the Webex wire style: list
the acting partner's orders, order one for a provisioned customer's location (the same service as the
page: six business days' notice, the SKU by seats)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from apps.accounts.models import ApiScope
from apps.accounts.permissions import Action
from apps.billing.models import SetupAssistOrder
from apps.billing.selectors.setup_assist import setup_assist_orders_of
from apps.billing.services.setup_assist import setup_assist_order
from apps.core.api.fields import StrictCharField
from apps.core.api.keyed import keyed_exception_handler
from apps.core.api.pagination import WebexOffsetPagination
from apps.core.errors import ErrorCode, error_code_table
from apps.core.ids import IdType, encode_id
from apps.core.wire import webex_time
from apps.customers.api import ON_BEHALF, ORG_SCOPE, WholesaleApi
from apps.locations.selectors import location_get

API_FIELDS = {
    "customer": "customerId",
    "location": "locationId",
    "wanted_completion": "wantedCompletionDate",
}
CODES = (
    ErrorCode.SETUP_ASSIST_TOO_LATE,
    ErrorCode.SETUP_ASSIST_LOCATION_INVALID,
    ErrorCode.SETUP_ASSIST_NOT_PROVISIONED,
)


class SetupAssistOrderCreateSerializer(serializers.Serializer):
    customerId = StrictCharField(max_length=1000)
    locationId = StrictCharField(max_length=1000)
    wantedCompletionDate = serializers.DateField(help_text="YYYY-MM-DD, at least six business days away.")
    notes = StrictCharField(max_length=2000, required=False, allow_blank=True)


class SetupAssistOrderSerializer(serializers.Serializer):
    id = serializers.CharField()
    customerId = serializers.CharField()
    locationId = serializers.CharField()
    locationName = serializers.CharField()
    sku = serializers.CharField(
        help_text="`SETUP_ASSIST_EXPRESS` (up to five seats) or `SETUP_ASSIST_STANDARD`."
    )
    seats = serializers.IntegerField()
    wantedCompletionDate = serializers.CharField()
    phase = serializers.CharField()
    ordered = serializers.CharField()


def order_body(order: SetupAssistOrder) -> dict:
    return {
        "id": str(order.pk),
        "customerId": encode_id(IdType.CUSTOMER, order.customer_uuid),
        "locationId": encode_id(IdType.LOCATION, order.location_uuid),
        "locationName": order.location_name,
        "sku": order.sku.upper(),
        "seats": order.seats,
        "wantedCompletionDate": order.wanted_completion.isoformat(),
        "phase": order.phase,
        "ordered": webex_time(order.ordered_at),
    }


@extend_schema(tags=["Setup Assist"], parameters=[ON_BEHALF, ORG_SCOPE])
class SetupAssistOrderListApi(WholesaleApi):
    read_scope = ApiScope.WHOLESALE_BILLING_REPORTS_READ
    write_scope = ApiScope.WHOLESALE_BILLING_REPORTS_WRITE
    read_action = Action.BILLING_VIEW
    write_action = Action.BILLING_MANAGE
    pagination_class = WebexOffsetPagination
    exception_handler = staticmethod(keyed_exception_handler(API_FIELDS))

    def get_exception_handler(self):
        return self.exception_handler

    @extend_schema(
        summary="List Setup Assist orders",
        operation_id="listSetupAssistOrders",
        responses=SetupAssistOrderSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(setup_assist_orders_of(partner=self.scope()[0]))
        return self.get_paginated_response([order_body(o) for o in page])

    @extend_schema(
        summary="Order Setup Assist",
        operation_id="createSetupAssistOrder",
        description="Order Wholesale Setup Assist for a provisioned customer's location; it is billed as its "
        "own service on the day it is ordered.\n\n" + error_code_table(CODES),
        request=SetupAssistOrderCreateSerializer,
        responses={201: SetupAssistOrderSerializer},
    )
    def post(self, request: Request) -> Response:
        body = SetupAssistOrderCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        customer = self.customer(data["customerId"])
        location = location_get(actor=request.user, scope=customer.org, location_id=data["locationId"])
        order = setup_assist_order(
            actor=request.user,
            customer=customer,
            location=location,
            wanted_completion=data["wantedCompletionDate"],
            notes=data.get("notes", ""),
        )
        return Response(order_body(order), status=status.HTTP_201_CREATED)
