"""``/v1/partner/branding`` (the acting partner's own brand and its default for customers) and
``/v1/partner/customers/{customerId}/branding`` (one customer's, with the override switch and the resolved
brand). The acting partner is found as on the Wholesale Customers API; out of scope is 404; a write validates
every field before changing any (Webex error body, ``errorCode`` per field)."""

from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from apps.accounts.models import ApiScope
from apps.accounts.permissions import Action
from apps.branding import services
from apps.branding.api.serializers import (
    ERROR_FIELDS,
    BrandSerializer,
    CustomerBrandingSerializer,
    OwnBrandSerializer,
    PartnerBrandingSerializer,
    brand_json,
    resolved_json,
)
from apps.branding.models import BrandLayer
from apps.branding.selectors import brand_get, branding_for
from apps.core.api.keyed import keyed_exception_handler
from apps.customers.api import CUSTOMER_ID, ON_BEHALF, ORG_SCOPE, CustomerApi, WholesaleApi
from apps.customers.models import Customer

BRANDING_EXCEPTION_HANDLER = keyed_exception_handler(ERROR_FIELDS)


class BrandingApi(WholesaleApi):
    read_scope = ApiScope.WHOLESALE_CUSTOMERS_READ
    write_scope = ApiScope.WHOLESALE_CUSTOMERS_WRITE
    pagination_class = None

    def get_exception_handler(self):
        return BRANDING_EXCEPTION_HANDLER


def _partner_json(partner) -> dict:
    return {
        "orgId": partner.webex_id,
        "own": brand_json(brand_get(org=partner, layer=BrandLayer.OWN), sign_in_host=True),
        "customerDefault": brand_json(brand_get(org=partner, layer=BrandLayer.CUSTOMER_DEFAULT)),
    }


def _customer_json(customer: Customer) -> dict:
    brand = brand_get(org=customer.org, layer=BrandLayer.CUSTOMER)
    return {
        "customerId": customer.webex_id,
        "brand": brand_json(brand),
        "allowCustomerOverride": bool(brand and brand.allow_customer_override),
        "effective": resolved_json(branding_for(customer.org)),
    }


@extend_schema(tags=["Partner: branding"], parameters=[ON_BEHALF, ORG_SCOPE])
class PartnerBrandingApi(BrandingApi):
    """On the acting partner (the guard's default organisation)."""

    serializer_class = PartnerBrandingSerializer
    read_action = Action.ORG_VIEW
    write_action = Action.BRANDING_MANAGE

    @extend_schema(summary="Get the partner's branding", operation_id="getPartnerBranding")
    def get(self, request: Request) -> Response:
        return Response(_partner_json(self.read_org()))

    @extend_schema(
        summary="Update the partner's branding",
        operation_id="updatePartnerBranding",
        description="Change the fields given of `own` and `customerDefault` (null or an empty string clears "
        "a field, which is then inherited). Colours must reach WCAG 2.2 AA contrast where they are used; "
        "logos are PNG, JPEG or SVG without script, at most 512 KB and 2048 pixels a side.",
    )
    def put(self, request: Request) -> Response:
        partner = self.write_org()
        body = PartnerBrandingSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with transaction.atomic():  # both layers or neither
            for key, layer, serializer in (
                ("own", BrandLayer.OWN, OwnBrandSerializer),
                ("customerDefault", BrandLayer.CUSTOMER_DEFAULT, BrandSerializer),
            ):
                if key in request.data:
                    part = serializer(data=request.data[key])
                    part.is_valid(raise_exception=True)
                    values, logos = part.split()
                    services.brand_update(
                        actor=request.user, org=partner, layer=layer, values=values, logos=logos
                    )
        return Response(_partner_json(partner))


@extend_schema(tags=["Partner: branding"], parameters=[CUSTOMER_ID, ON_BEHALF, ORG_SCOPE])
class CustomerBrandingApi(CustomerApi, BrandingApi):
    """On the customer's organisation (out of reach: 404)."""

    serializer_class = CustomerBrandingSerializer
    read_action = Action.ORG_VIEW
    write_action = Action.BRANDING_MANAGE

    @extend_schema(summary="Get a customer's branding", operation_id="getCustomerBranding")
    def get(self, request: Request, customer_id: str) -> Response:
        return Response(_customer_json(self.customer(customer_id)))

    @extend_schema(
        summary="Update a customer's branding",
        operation_id="updateCustomerBranding",
        description="Change the fields given of `brand`, and whether the customer's own administrators may "
        "override it (`allowCustomerOverride`; off, their Control Hub has no Branding page).",
    )
    def put(self, request: Request, customer_id: str) -> Response:
        customer = self.customer(customer_id)
        body = CustomerBrandingSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with transaction.atomic():
            if "brand" in request.data:
                part = BrandSerializer(data=request.data["brand"])
                part.is_valid(raise_exception=True)
                values, logos = part.split()
                services.brand_update(
                    actor=request.user,
                    org=customer.org,
                    layer=BrandLayer.CUSTOMER,
                    values=values,
                    logos=logos,
                )
            if "allowCustomerOverride" in body.validated_data:
                services.brand_override_allow(
                    actor=request.user,
                    customer_org=customer.org,
                    allowed=body.validated_data["allowCustomerOverride"],
                )
        return Response(_customer_json(customer))
