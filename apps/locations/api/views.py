"""Partner API for a customer's locations and phone numbers: the same services as the Control Hub pages.

``orgId`` names the organisation acted in: a customer (its locations), or a partner (its customers'
locations, read-only lists and lookups). Without it, the caller's own organisation. Scopes are those of
customer provisioning: ``spark-admin:wholesale_customers_read`` / ``_write``.
"""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, status
from rest_framework.request import Request
from rest_framework.response import Response

from apps.accounts.api.guard import GuardedApi
from apps.accounts.models import ApiScope
from apps.accounts.permissions import Action
from apps.core.api.keyed import keyed_exception_handler
from apps.core.ids import id_encoder
from apps.core.models import Organization
from apps.locations.api.serializers import (
    LOCATION_FIELDS,
    LocationSerializer,
    PhoneNumberAddSerializer,
    PhoneNumberItemsSerializer,
    PhoneNumberQuerySerializer,
    PhoneNumberSerializer,
    location_list_body,
    number_list_body,
)
from apps.locations.models import Location
from apps.locations.selectors import location_get, locations_for_api, number_get, numbers_for_api
from apps.locations.services import locations as location_services
from apps.locations.services import numbers as number_services

ORG_ID = OpenApiParameter(
    "orgId",
    str,
    description="The customer organisation acted in (a partner: its customers' locations); default: yours.",
)


LOCATIONS_EXCEPTION_HANDLER = keyed_exception_handler(LOCATION_FIELDS)


class LocationApiBase(GuardedApi):
    """Reads need the organisation acted in; writes change the organisation of the location (or number)
    the path names, or the customer organisation ``orgId`` names."""

    read_scope = ApiScope.WHOLESALE_CUSTOMERS_READ
    write_scope = ApiScope.WHOLESALE_CUSTOMERS_WRITE
    read_action = Action.ORG_VIEW
    write_action = Action.ORG_MANAGE

    def get_exception_handler(self):
        return LOCATIONS_EXCEPTION_HANDLER

    def write_org(self) -> Organization:
        if "location_id" in self.kwargs:
            return self.location(self.kwargs["location_id"]).org
        return self.scope()

    def scope(self) -> Organization:
        if getattr(self, "_scope", None) is None:
            self._scope = self.read_org()
        return self._scope

    def location(self, location_id: str) -> Location:
        """The location behind the path's id, of the call's scope; 404 otherwise. Read once per request."""
        if getattr(self, "_location", None) is None:
            self._location = location_get(
                actor=self.request.user, scope=self.scope(), location_id=location_id
            )
        return self._location


def _values(data: dict) -> dict:
    return {key: value for key, value in data.items() if key in location_services.FIELDS}


@extend_schema(tags=["Partner: locations and numbers"], parameters=[ORG_ID])
class LocationListApi(LocationApiBase):
    serializer_class = LocationSerializer

    @extend_schema(
        summary="List locations",
        operation_id="listLocations",
        description="Oldest first (a customer's headquarters first), as the API's other lists.",
        responses=LocationSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(locations_for_api(actor=request.user, scope=self.scope()))
        encode = id_encoder()
        return self.get_paginated_response([location_list_body(row, encode) for row in page])

    @extend_schema(
        summary="Create a location",
        operation_id="createLocation",
        request=LocationSerializer,
        responses={201: LocationSerializer},
    )
    def post(self, request: Request) -> Response:
        org = self.scope()
        if not org.is_customer:
            raise exceptions.ValidationError({"orgId": "Name the customer organisation the location is for."})
        data = LocationSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        location = location_services.location_create(
            actor=request.user, org=org, values=_values(data.validated_data)
        )
        return Response(LocationSerializer(location).data, status=status.HTTP_201_CREATED)


@extend_schema(
    tags=["Partner: locations and numbers"],
    parameters=[ORG_ID, OpenApiParameter("location_id", str, OpenApiParameter.PATH)],
)
class LocationDetailApi(LocationApiBase):
    serializer_class = LocationSerializer

    @extend_schema(summary="Get a location", operation_id="getLocation", responses=LocationSerializer)
    def get(self, request: Request, location_id: str) -> Response:
        return Response(LocationSerializer(self.location(location_id)).data)

    @extend_schema(
        summary="Update a location",
        operation_id="updateLocation",
        request=LocationSerializer,
        responses=LocationSerializer,
    )
    def put(self, request: Request, location_id: str) -> Response:
        location = self.location(location_id)
        data = LocationSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        location = location_services.location_update(
            actor=request.user, location=location, values=_values(data.validated_data)
        )
        return Response(LocationSerializer(location).data)

    @extend_schema(summary="Delete a location", operation_id="deleteLocation", responses={204: None})
    def delete(self, request: Request, location_id: str) -> Response:
        location_services.location_delete(actor=request.user, location=self.location(location_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(
    tags=["Partner: locations and numbers"],
    parameters=[ORG_ID, OpenApiParameter("location_id", str, OpenApiParameter.PATH)],
)
class LocationNumberListApi(LocationApiBase):
    serializer_class = PhoneNumberSerializer
    write_action = Action.NUMBERS_MANAGE

    @extend_schema(
        summary="List a location's phone numbers",
        operation_id="listLocationNumbers",
        parameters=[PhoneNumberQuerySerializer],
        responses=PhoneNumberSerializer(many=True),
    )
    def get(self, request: Request, location_id: str) -> Response:
        location = self.location(location_id)
        query = PhoneNumberQuerySerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        numbers = numbers_for_api(
            actor=request.user, location=location, status=query.validated_data.get("status", "")
        )
        page = self.paginate_queryset(numbers)
        encode = id_encoder()
        return self.get_paginated_response([number_list_body(row, encode) for row in page])

    @extend_schema(
        summary="Add phone numbers to a location",
        operation_id="addLocationNumbers",
        description="`phoneNumbers` (a list), or a range: `start` with `count` or `end`; at most "
        f"{number_services.RANGE_MAX:,} numbers. All are added, or none.",
        request=PhoneNumberAddSerializer,
        responses={201: PhoneNumberItemsSerializer},
    )
    def post(self, request: Request, location_id: str) -> Response:
        location = self.location(location_id)
        data = PhoneNumberAddSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        if "phoneNumbers" in values:
            added = number_services.numbers_add(
                actor=request.user, location=location, phone_numbers=values["phoneNumbers"]
            )
        else:
            added = number_services.numbers_add_range(
                actor=request.user,
                location=location,
                start=values["start"],
                count=values.get("count"),
                end=values.get("end"),
            )
        return Response(
            {"items": PhoneNumberSerializer(added, many=True).data}, status=status.HTTP_201_CREATED
        )


@extend_schema(
    tags=["Partner: locations and numbers"],
    parameters=[ORG_ID, OpenApiParameter("number_id", str, OpenApiParameter.PATH)],
)
class NumberDetailApi(LocationApiBase):
    serializer_class = PhoneNumberSerializer
    write_action = Action.NUMBERS_MANAGE

    def write_org(self) -> Organization:
        return self.number(self.kwargs["number_id"]).org

    def number(self, number_id: str):
        """The number behind the path's id, of the call's scope; 404 otherwise. Read once per request."""
        if getattr(self, "_number", None) is None:
            self._number = number_get(actor=self.request.user, scope=self.scope(), number_id=number_id)
        return self._number

    @extend_schema(summary="Get a phone number", operation_id="getNumber", responses=PhoneNumberSerializer)
    def get(self, request: Request, number_id: str) -> Response:
        return Response(PhoneNumberSerializer(self.number(number_id)).data)

    @extend_schema(
        summary="Delete an unassigned phone number", operation_id="deleteNumber", responses={204: None}
    )
    def delete(self, request: Request, number_id: str) -> Response:
        number_services.number_delete(actor=request.user, number=self.number(number_id))
        return Response(status=status.HTTP_204_NO_CONTENT)
