"""The Webex Wholesale Subscribers API (``/v1/wholesale/subscribers``): thin views over
``services.subscribers``, wire-compatible with Webex (200, or 202 ``pending_user_migration``, with
``Location``; ``Link`` pagination; the Webex error body with ``errorCode``).

The acting partner is found as in the customers API (the caller's own, ``onBehalfOfSubPartnerOrgId``, or the
organisation ``orgId`` names); a customer organisation named by ``orgId`` narrows every call to its own
subscribers. Partners act through their tokens: restricted-by-partner mode, which limits customer admins,
does not apply to them.
"""

import re
from datetime import UTC, datetime, time

from django.urls import reverse
from django.utils.dateparse import parse_date, parse_datetime
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.request import Request
from rest_framework.response import Response

from apps.accounts.api.guard import InBody
from apps.accounts.models import ApiScope
from apps.accounts.permissions import Action
from apps.core.api.keyed import keyed_exception_handler
from apps.core.api.pagination import WebexOffsetPagination
from apps.core.api.params import statuses_param
from apps.core.api.schema import CONFLICT, PRECHECK_SUCCESS
from apps.core.errors import ErrorCode, error_code_ref, error_code_table
from apps.customers.api import ON_BEHALF, ORG_SCOPE, WholesaleApi
from apps.subscribers import services
from apps.subscribers.api.serializers import (
    SubscriberListQuerySerializer,
    SubscriberPrecheckResponseSerializer,
    SubscriberPrecheckSerializer,
    SubscriberProvisionSerializer,
    SubscriberSerializer,
    SubscriberUpdateSerializer,
    subscriber_bodies,
)
from apps.subscribers.models import Subscriber, SubscriberStatus
from apps.subscribers.selectors.subscribers import subscriber_get_for_api, subscriber_rows_for_api

# Service field keys → the JSON path a client sent them in.
API_FIELDS = {
    "email": "email",
    "package": "package",
    "first_name": "provisioningParameters.firstName",
    "last_name": "provisioningParameters.lastName",
    "phone_number": "provisioningParameters.primaryPhoneNumber",
    "extension": "provisioningParameters.extension",
    "location": "provisioningParameters.locationId",
    "customer": "customerId",
    "subscriber": "",
}

# The codes the subscriber services (and this API's package/packages rule) answer with.
SUBSCRIBER_CODES = (
    ErrorCode.ADDON_WITHOUT_BASE,
    ErrorCode.CUSTOMER_BUSY,
    *(code for code in ErrorCode if 4020 <= code <= 4033),
    ErrorCode.EMAIL_INVALID,
    ErrorCode.EMAIL_IN_USE,
)
_DESCRIPTIONS = {
    ErrorCode.SUBSCRIBER_PACKAGE_INVALID: "No package, more than one (`package` and `packages` together, or "
    "`packages` not of exactly one element), or one a person cannot hold.",
    ErrorCode.EMAIL_INVALID: "The e-mail address is missing or not an e-mail address.",
    ErrorCode.ADDON_WITHOUT_BASE: "An add-on package needs one of its base packages on the customer.",
    ErrorCode.CUSTOMER_BUSY: "The customer is not provisioned yet (or is being updated or removed).",
}


ERROR_CODES_DOC = (
    "\n\nA refused request answers with the Webex error body; each `errors[]` entry names the field and "
    "carries a stable `errorCode`:\n\n" + error_code_table(SUBSCRIBER_CODES, _DESCRIPTIONS)
)


SUBSCRIBER_ID = OpenApiParameter(
    "subscriber_id", str, OpenApiParameter.PATH, description="The subscriberId (its `id`)."
)
LOCATION = OpenApiParameter(
    "Location", str, OpenApiParameter.HEADER, response=[200, 202], description="The subscriber's url."
)


SUBSCRIBERS_EXCEPTION_HANDLER = keyed_exception_handler(API_FIELDS)


class SubscriberPagination(WebexOffsetPagination):
    default_max = 50
    max_max = 100


class WholesaleSubscriberApi(WholesaleApi):
    """Reads need the acting partner's customers; writes provision users in the subscriber's customer
    organisation (named by the path, or by ``customerId`` in the body)."""

    read_scope = ApiScope.WHOLESALE_SUBSCRIBERS_READ
    write_scope = ApiScope.WHOLESALE_SUBSCRIBERS_WRITE
    pagination_class = SubscriberPagination
    read_action = Action.CUSTOMERS_VIEW
    write_action = Action.USERS_PROVISION

    def get_exception_handler(self):
        return SUBSCRIBERS_EXCEPTION_HANDLER

    def write_org(self):
        if "subscriber_id" in self.kwargs:
            return self.subscriber(self.kwargs["subscriber_id"]).customer.org
        return InBody

    def subscriber(self, subscriber_id: str) -> Subscriber:
        """The subscriber behind the path's id, of the call's scope; 404 otherwise. Read once per request."""
        if getattr(self, "_subscriber", None) is None:
            partner, customer_org = self.scope()
            self._subscriber = subscriber_get_for_api(
                actor=self.request.user,
                subscriber_id=subscriber_id,
                partner=partner if self.scoped() else None,
                org=customer_org,
            )
        return self._subscriber

    def subscriber_url(self, subscriber: Subscriber) -> str:
        path = reverse("api_subscriber_detail", kwargs={"subscriber_id": subscriber.webex_id})
        return self.request.build_absolute_uri(path)

    def render(self, subscriber: Subscriber, http: int = status.HTTP_200_OK) -> Response:
        headers = {"Location": self.subscriber_url(subscriber)}
        return Response(SubscriberSerializer(subscriber).data, status=http, headers=headers)


# --- list filters ------------------------------------------------------------------------------------------

_EPOCH_MS = re.compile(r"[0-9]{1,15}")
MOMENT_MAX = 40
SORTS = ("created", "lastStatusChange")
ORDERS = {"ASC": False, "DESC": True}


def _moment(request: Request, name: str) -> datetime | None:
    """Epoch milliseconds or ISO-8601 (a date is its midnight, a time without offset is UTC)."""
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return None
    problem = f"Give epoch milliseconds or an ISO-8601 date and time (such as {name}=1579046400245)."
    if len(raw) > MOMENT_MAX or not raw.isascii():
        raise exceptions.ValidationError({name: problem})
    try:
        if _EPOCH_MS.fullmatch(raw):
            return datetime.fromtimestamp(int(raw) / 1000, tz=UTC)
        value = parse_datetime(raw)
        if value is None:
            day = parse_date(raw)
            value = datetime.combine(day, time.min) if day is not None else None
        if value is not None:
            # In UTC now: an instant at the edge of the calendar in another offset overflows here, not
            # later in the database driver.
            value = (value if value.tzinfo is not None else value.replace(tzinfo=UTC)).astimezone(UTC)
    except (ValueError, OverflowError, OSError):
        value = None
    if value is None:
        raise exceptions.ValidationError({name: problem})
    return value


def _choice(request: Request, name: str, choices, default: str) -> str:
    value = request.query_params.get(name, default)
    if value not in choices:
        raise exceptions.ValidationError({name: f"Use one of {', '.join(choices)}."})
    return value


def _short(request: Request, name: str, limit: int) -> str:
    value = request.query_params.get(name, "")
    if len(value) > limit:
        raise exceptions.ValidationError({name: f"At most {limit} characters."})
    return value


# --- views -------------------------------------------------------------------------------------------------


@extend_schema(tags=["Wholesale Provisioning"], parameters=[ON_BEHALF])
class SubscriberListApi(WholesaleSubscriberApi):
    serializer_class = SubscriberSerializer

    @extend_schema(
        summary="List Wholesale Subscribers",
        operation_id="listWholesaleSubscribers",
        description="The subscribers of your customers, filtered, oldest first unless sorted otherwise.",
        parameters=[SubscriberListQuerySerializer],
        responses=SubscriberSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        partner, customer_org = self.scope()
        subscribers = subscriber_rows_for_api(
            actor=request.user,
            partner=partner,
            org=customer_org,
            customer_id=_short(request, "customerId", 1000),
            person_id=_short(request, "personId", 1000),
            external_customer_id=_short(request, "externalCustomerId", 255),
            email=_short(request, "email", 254),
            statuses=statuses_param(request, SubscriberStatus.values),
            created_after=_moment(request, "after"),
            changed_after=_moment(request, "lastStatusChange"),
            sort_by=_choice(request, "sortBy", SORTS, "created"),
            descending=ORDERS[_choice(request, "sortOrder", tuple(ORDERS), "ASC")],
        )
        page = self.paginate_queryset(subscribers)
        return self.get_paginated_response(subscriber_bodies(page))

    @extend_schema(
        summary="Provision a Wholesale Subscriber",
        operation_id="provisionWholesaleSubscriber",
        description="Add a person to a customer with one package: 200 `provisioned`, or 202 "
        "`pending_user_migration` when the e-mail belongs to an existing free account (a consent e-mail "
        "is sent; they hold the package once they accept). An unknown customerId is a 404." + ERROR_CODES_DOC,
        parameters=[ORG_SCOPE, LOCATION],
        request=SubscriberProvisionSerializer,
        responses={
            200: OpenApiResponse(SubscriberSerializer, description="Provisioned."),
            202: OpenApiResponse(SubscriberSerializer, description="Pending the person's consent."),
            409: CONFLICT,
        },
    )
    def post(self, request: Request) -> Response:
        data = SubscriberProvisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.to_fields()
        # The customer the body names, read once by the service, locked: 404 outside the call's scope, then
        # 403 unless the caller may provision users there (USERS_PROVISION, the write_action), then the order.
        customers = self.customer_scoped(data.validated_data["customerId"])
        subscriber = services.subscriber_add(actor=request.user, customer=customers, **fields)
        pending = subscriber.status == SubscriberStatus.PENDING_USER_MIGRATION
        return self.render(subscriber, status.HTTP_202_ACCEPTED if pending else status.HTTP_200_OK)


@extend_schema(tags=["Wholesale Provisioning"], parameters=[SUBSCRIBER_ID, ON_BEHALF, ORG_SCOPE])
class SubscriberDetailApi(WholesaleSubscriberApi):
    serializer_class = SubscriberSerializer
    delete_action = Action.USERS_REMOVE  # also a suspended (sub-)partner's (issue 9)

    @extend_schema(
        summary="Get a Wholesale Subscriber",
        operation_id="getWholesaleSubscriber",
        responses=SubscriberSerializer,
    )
    def get(self, request: Request, subscriber_id: str) -> Response:
        return Response(SubscriberSerializer(self.subscriber(subscriber_id)).data)

    @extend_schema(
        summary="Update a Wholesale Subscriber",
        operation_id="updateWholesaleSubscriber",
        description="Move the subscriber to another package, or give a calling one a number, extension or "
        "location. Leaving calling releases their numbers and extensions." + ERROR_CODES_DOC,
        parameters=[LOCATION],
        request=SubscriberUpdateSerializer,
        responses={200: SubscriberSerializer, 409: CONFLICT},
    )
    def put(self, request: Request, subscriber_id: str) -> Response:
        subscriber = self.subscriber(subscriber_id)
        data = SubscriberUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        subscriber = services.subscriber_change_package(
            actor=request.user, subscriber=subscriber, **data.to_fields()
        )
        return self.render(subscriber)

    @extend_schema(
        summary="Remove a Wholesale Subscriber",
        operation_id="removeWholesaleSubscriber",
        description="Take the package and the person away (their numbers and extensions are freed). An "
        f"administrator is refused ({error_code_ref(ErrorCode.SUBSCRIBER_IS_ADMIN)}): remove their roles "
        "first.",
        responses={204: OpenApiResponse(description="Removed."), 409: CONFLICT},
    )
    def delete(self, request: Request, subscriber_id: str) -> Response:
        services.subscriber_remove(actor=request.user, subscriber=self.subscriber(subscriber_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["Wholesale Provisioning"], parameters=[ON_BEHALF, ORG_SCOPE])
class SubscriberPrecheckApi(WholesaleSubscriberApi):
    # The guide's Pre-Provisioning Check API is for partner full admins: checked on the acting partner.
    write_action = Action.WHOLESALE_PRECHECK

    def write_org(self):
        return self.read_org()

    @extend_schema(
        summary="Precheck a Wholesale Subscriber Provisioning",
        operation_id="precheckWholesaleSubscriber",
        description="Would this subscriber be accepted? The same checks as provisioning, writing nothing. "
        "Give the customerId of a provisioned customer; a precheck for a customer yet to be provisioned "
        "(`provisioningId` without `customerId`) is not supported and answers 400." + ERROR_CODES_DOC,
        request=SubscriberPrecheckSerializer,
        responses={200: SubscriberPrecheckResponseSerializer, 409: CONFLICT},
    )
    def post(self, request: Request) -> Response:
        data = SubscriberPrecheckSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.to_fields()
        customer_id = data.validated_data.get("customerId", "")
        if not customer_id:
            if data.validated_data.get("provisioningId"):
                message = (
                    "A precheck with provisioningId (a customer yet to be provisioned) is not supported: "
                    "provision the customer, then precheck with its customerId."
                )
            else:
                message = "Give the customerId of the customer the subscriber would join."
            raise exceptions.ValidationError({"customerId": message})
        customer = self.customer(customer_id)  # 404 outside the call's scope
        self.check(Action.USERS_PROVISION, customer.org)
        services.subscriber_precheck(actor=request.user, customer=customer, **fields)
        return Response(PRECHECK_SUCCESS)


CONSENT_MOVE_SCHEMA = {
    "summary": "Send Consent User Move Email to Pending Wholesale Subscribers",
    "description": "Send the consent e-mail again to a `pending_user_migration` subscriber; another status "
    f"is refused ({error_code_ref(ErrorCode.CONSENT_NOT_PENDING)}).",
    "request": None,
    "responses": {204: OpenApiResponse(description="Sent."), 409: CONFLICT},
}


@extend_schema(tags=["Wholesale Provisioning"], parameters=[SUBSCRIBER_ID, ON_BEHALF, ORG_SCOPE])
class SubscriberConsentMoveApi(WholesaleSubscriberApi):
    """``POST /v1/subscribers/{id}/emails/consentMove`` (the official path)."""

    @extend_schema(operation_id="sendWholesaleSubscriberConsentMove", **CONSENT_MOVE_SCHEMA)
    def post(self, request: Request, subscriber_id: str) -> Response:
        services.subscriber_consent_send(actor=request.user, subscriber=self.subscriber(subscriber_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class WholesaleSubscriberConsentMoveApi(SubscriberConsentMoveApi):
    """The same under ``/v1/wholesale/`` (clients use both)."""

    @extend_schema(operation_id="sendWholesaleSubscriberConsentMoveUnderWholesale", **CONSENT_MOVE_SCHEMA)
    def post(self, request: Request, subscriber_id: str) -> Response:
        return super().post(request, subscriber_id)
