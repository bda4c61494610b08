"""``/v1/partner/customers/{customerId}/restrictedMode``: read and set restricted-by-partner mode of one
customer, with the controls its own administrators lose. The acting partner is found as on the Wholesale
Customers API (the caller's own, ``orgId`` or ``onBehalfOfSubPartnerOrgId``); out of scope is 404."""

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from apps.accounts.models import ApiScope
from apps.accounts.permissions import Action
from apps.customers.api import CUSTOMER_ID, ON_BEHALF, ORG_SCOPE, CustomerApi
from apps.customers.models import Customer
from apps.restrictions import services
from apps.restrictions.api.serializers import RestrictedModeSerializer, RestrictedModeUpdateSerializer
from apps.restrictions.registry import CONTROLS, When


def _state(customer: Customer) -> tuple[bool, list]:
    enabled = customer.restricted_by_partner
    return enabled, [c for c in CONTROLS if c.when is When.ALWAYS or enabled]


@extend_schema(tags=["Partner: restricted mode"], parameters=[CUSTOMER_ID, ON_BEHALF, ORG_SCOPE])
class RestrictedModeApi(CustomerApi):
    read_scope = ApiScope.WHOLESALE_CUSTOMERS_READ
    write_scope = ApiScope.WHOLESALE_CUSTOMERS_WRITE
    serializer_class = RestrictedModeSerializer
    pagination_class = None
    read_action = Action.ORG_VIEW
    write_action = Action.WHOLESALE_MANAGE

    @extend_schema(
        summary="Get Restricted by Partner Mode",
        operation_id="getRestrictedMode",
        responses=RestrictedModeSerializer,
    )
    def get(self, request: Request, customer_id: str) -> Response:
        return Response(RestrictedModeSerializer(_state(self.customer(customer_id))).data)

    @extend_schema(
        summary="Set Restricted by Partner Mode",
        operation_id="setRestrictedMode",
        description="Turn the mode on or off for the customer's own administrators. Partner administrators "
        "are never restricted. Needs a partner role that manages the customer's wholesale services.",
        request=RestrictedModeUpdateSerializer,
        responses=RestrictedModeSerializer,
    )
    def put(self, request: Request, customer_id: str) -> Response:
        customer = self.customer(customer_id)
        data = RestrictedModeUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.restricted_mode_set(
            actor=request.user, customer=customer, enabled=data.validated_data["enabled"]
        )
        return Response(RestrictedModeSerializer(_state(customer)).data)
