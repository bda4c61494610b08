"""The Webex Wholesale Customers API (``/v1/wholesale/customers``): thin views over the provisioning
services, wire-compatible with Webex (202 + ``Location`` + ``{"url"}``, ``Link`` pagination, the Webex error
body with ``errorCode``).

The acting partner of a call is the caller's own, or ``onBehalfOfSubPartnerOrgId`` (a sub-partner the
caller reaches), or — our convention, as on every ``/v1/`` route — the organisation ``orgId`` names (a
partner it acts for, or a customer's managing partner). An organisation the caller may not see is a 404
before anything else is read.
"""

from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.request import Request
from rest_framework.response import Response

from apps.accounts.models import ApiScope
from apps.accounts.permissions import Action
from apps.core.api.keyed import keyed_exception_handler
from apps.core.api.pagination import WebexOffsetPagination
from apps.core.api.params import statuses_param
from apps.core.api.schema import CONFLICT, PRECHECK_SUCCESS
from apps.core.errors import error_code_table
from apps.customers.api import CUSTOMER_ID, ON_BEHALF, ORG_SCOPE, CustomerApi, WholesaleApi
from apps.customers.models import Customer, CustomerStatus
from apps.customers.selectors import customer_packages_of, customers_for_api
from apps.provisioning import services
from apps.provisioning.api.serializers import (
    CustomerGetQuerySerializer,
    CustomerListQuerySerializer,
    CustomerPrecheckSerializer,
    CustomerProvisioningPrecheckResponseSerializer,
    CustomerProvisionSerializer,
    CustomerSerializer,
    CustomerUpdateSerializer,
    ResourceURLSerializer,
    customer_body,
)

# Service field keys → the JSON path a client sent them in.
_LOCATION = "provisioningParameters.calling.location"
API_FIELDS = {
    "provisioning_id": "provisioningId",
    "packages": "packages",
    "external_id": "externalId",
    "org_id": "orgId",
    "name": "customerInfo.name",
    "primary_email": "customerInfo.primaryEmail",
    "language": "customerInfo.language",
    "address_line1": "address.addressLine1",
    "address_line2": "address.addressLine2",
    "city": "address.city",
    "state_or_province": "address.stateOrProvince",
    "zip_or_postal_code": "address.zipOrPostalCode",
    "country": "address.country",
    "calling_location": _LOCATION,
    "location_name": f"{_LOCATION}.name",
    "location_address_line1": f"{_LOCATION}.address.addressLine1",
    "location_address_line2": f"{_LOCATION}.address.addressLine2",
    "location_city": f"{_LOCATION}.address.city",
    "location_state_or_province": f"{_LOCATION}.address.stateOrProvince",
    "location_zip_or_postal_code": f"{_LOCATION}.address.zipOrPostalCode",
    "location_country": f"{_LOCATION}.address.country",
    "location_timezone": f"{_LOCATION}.timezone",
    "location_language": f"{_LOCATION}.language",
    "location_emergency_location_identifier": f"{_LOCATION}.emergencyLocationIdentifier",
    "meetings_timezone": "provisioningParameters.meetings.timezone",
    "package_limits": "provisioningParameters.packages.limits",
}


ERROR_CODES_DOC = (
    "\n\nA refused order answers with the Webex error body; each `errors[]` entry names the field and "
    "carries a stable `errorCode`:\n\n" + error_code_table()
)
LOCATION = OpenApiParameter(
    "Location",
    str,
    OpenApiParameter.HEADER,
    response=[202],
    description="The customer's url (as in the body).",
)


WHOLESALE_EXCEPTION_HANDLER = keyed_exception_handler(API_FIELDS)


class CustomerPagination(WebexOffsetPagination):
    default_max = 100
    max_max = 1000


class WholesaleCustomerApi(WholesaleApi):
    read_scope = ApiScope.WHOLESALE_CUSTOMERS_READ
    write_scope = ApiScope.WHOLESALE_CUSTOMERS_WRITE
    pagination_class = CustomerPagination

    def get_exception_handler(self):
        return WHOLESALE_EXCEPTION_HANDLER

    def customer_url(self, customer: Customer) -> str:
        path = reverse("api_customer_detail", kwargs={"customer_id": customer.webex_id})
        return self.request.build_absolute_uri(path)

    def accepted(self, customer: Customer) -> Response:
        url = self.customer_url(customer)
        return Response({"url": url}, status=status.HTTP_202_ACCEPTED, headers={"Location": url})


@extend_schema(tags=["Wholesale Provisioning"], parameters=[ON_BEHALF])
class CustomerListApi(WholesaleCustomerApi):
    serializer_class = CustomerSerializer
    read_action = Action.CUSTOMERS_VIEW
    write_action = Action.CUSTOMER_CREATE

    @extend_schema(
        summary="List Wholesale Customers",
        operation_id="listWholesaleCustomers",
        parameters=[CustomerListQuerySerializer],
        responses=CustomerSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        partner, customer_org = self.scope()
        external_id = request.query_params.get("externalId", "")
        if len(external_id) > 255:
            raise exceptions.ValidationError({"externalId": "An external id has at most 255 characters."})
        customers = customers_for_api(
            actor=request.user,
            partner=partner,
            external_id=external_id,
            org=customer_org,
            statuses=statuses_param(request, CustomerStatus.values),
        )
        page = self.paginate_queryset(customers)
        packages = customer_packages_of(page)
        return self.get_paginated_response([customer_body(row, packages.get(row["id"], [])) for row in page])

    @extend_schema(
        summary="Provision a Wholesale Customer",
        operation_id="provisionWholesaleCustomer",
        description="Provision a wholesale customer: validated at once, provisioned in the background "
        "(poll the `url` until `status` is `provisioned`)." + ERROR_CODES_DOC,
        parameters=[ORG_SCOPE, LOCATION],
        request=CustomerProvisionSerializer,
        responses={
            202: OpenApiResponse(
                ResourceURLSerializer,
                description="Accepted: provisioning runs in the background.",
            ),
            409: CONFLICT,
        },
    )
    def post(self, request: Request) -> Response:
        partner, _ = self.scope()
        data = CustomerProvisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        customer = services.customer_provision_request(
            actor=request.user, partner=partner, order=data.to_order()
        )
        return self.accepted(customer)


@extend_schema(tags=["Wholesale Provisioning"], parameters=[CUSTOMER_ID, ON_BEHALF, ORG_SCOPE])
class CustomerDetailApi(CustomerApi, WholesaleCustomerApi):
    serializer_class = CustomerSerializer
    read_action = Action.ORG_VIEW
    write_action = Action.WHOLESALE_MANAGE
    delete_action = Action.CUSTOMER_REMOVE  # also a suspended (sub-)partner's (issue 9)

    @extend_schema(
        summary="Get a Wholesale Customer",
        operation_id="getWholesaleCustomer",
        parameters=[CustomerGetQuerySerializer],
        responses=CustomerSerializer,
    )
    def get(self, request: Request, customer_id: str) -> Response:
        customer = self.customer(customer_id)
        query = CustomerGetQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        context = {"license_info": query.validated_data["includePackageLicenseInfo"]}
        return Response(CustomerSerializer(customer, context=context).data)

    @extend_schema(
        summary="Update a Wholesale Customer",
        operation_id="updateWholesaleCustomer",
        description="Change the customer's packages (the complete list: a package left out is removed), "
        "its limits, external id or billing address; done in the background (`updating`)." + ERROR_CODES_DOC,
        parameters=[LOCATION],
        request=CustomerUpdateSerializer,
        responses={
            202: OpenApiResponse(
                ResourceURLSerializer,
                description="Accepted: the update runs in the background.",
            ),
            409: CONFLICT,
        },
    )
    def put(self, request: Request, customer_id: str) -> Response:
        customer = self.customer(customer_id)
        data = CustomerUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        customer = services.customer_update_request(
            actor=request.user, customer=customer, **data.to_changes()
        )
        return self.accepted(customer)

    @extend_schema(
        summary="Remove a Wholesale Customer",
        operation_id="removeWholesaleCustomer",
        description="Remove the customer's wholesale services in the background (`deleting`, then gone from "
        "the list). The organisation itself stays.",
        responses={202: OpenApiResponse(description="Accepted: the removal runs in the background.")},
    )
    def delete(self, request: Request, customer_id: str) -> Response:
        customer = self.customer(customer_id)
        services.customer_remove_request(actor=request.user, customer=customer)
        return Response(status=status.HTTP_202_ACCEPTED)


@extend_schema(tags=["Wholesale Provisioning"], parameters=[ON_BEHALF, ORG_SCOPE])
class CustomerPrecheckApi(WholesaleCustomerApi):
    write_action = Action.WHOLESALE_PRECHECK  # the guide: partner full admins only

    @extend_schema(
        summary="Precheck a Wholesale Customer Provisioning",
        operation_id="precheckWholesaleCustomer",
        description="Would this order be accepted? The same checks as provisioning (templates, packages and "
        "add-ons, calling location, external id, e-mail, organisation, addresses, countries, locales, time "
        "zones) without writing anything. Only the address is required; what else is given is checked."
        + ERROR_CODES_DOC,
        request=CustomerPrecheckSerializer,
        responses={
            200: CustomerProvisioningPrecheckResponseSerializer,
            409: CONFLICT,
        },
    )
    def post(self, request: Request) -> Response:
        partner, _ = self.scope()
        data = CustomerPrecheckSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.customer_precheck(actor=request.user, partner=partner, order=data.to_order(), partial=True)
        return Response(PRECHECK_SUCCESS)
