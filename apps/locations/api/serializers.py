"""Serializers of the partner API for locations and phone numbers (``/v1/partner/locations``...)."""

from collections.abc import Callable
from uuid import UUID

from rest_framework import serializers

from apps.core.api.fields import StrictCharField
from apps.core.ids import IdType, encode_id
from apps.locations.models import NumberStatus
from apps.locations.services.locations import ADDRESS_LINE_MAX, NAME_MAX
from apps.locations.services.numbers import RANGE_MAX

# Service field keys ↔ the JSON names a client sends.
LOCATION_FIELDS = {
    "name": "name",
    "address_line1": "address.addressLine1",
    "address_line2": "address.addressLine2",
    "city": "address.city",
    "state_or_province": "address.stateOrProvince",
    "zip_or_postal_code": "address.zipOrPostalCode",
    "country": "address.country",
    "timezone": "timeZone",
    "language": "preferredLanguage",
    "emergency_location_identifier": "emergencyLocationIdentifier",
    "phone_numbers": "phoneNumbers",
    "count": "count",
    "end": "end",
}


class LocationAddressSerializer(serializers.Serializer):
    addressLine1 = StrictCharField(source="address_line1", max_length=ADDRESS_LINE_MAX)
    addressLine2 = StrictCharField(
        source="address_line2", max_length=ADDRESS_LINE_MAX, required=False, allow_blank=True
    )
    city = StrictCharField(max_length=100)
    stateOrProvince = StrictCharField(
        source="state_or_province", max_length=100, required=False, allow_blank=True
    )
    zipOrPostalCode = StrictCharField(
        source="zip_or_postal_code", max_length=20, required=False, allow_blank=True
    )
    country = StrictCharField(max_length=2, help_text="ISO 3166-1 alpha-2 country code.")


class LocationSerializer(serializers.Serializer):
    id = serializers.CharField(source="webex_id", read_only=True)
    orgId = serializers.SerializerMethodField()
    name = StrictCharField(max_length=NAME_MAX)
    address = LocationAddressSerializer(source="*")
    timeZone = StrictCharField(source="timezone", max_length=64, help_text="An IANA time zone.")
    preferredLanguage = StrictCharField(
        source="language", max_length=5, help_text="A supported locale, such as en_US."
    )
    emergencyLocationIdentifier = StrictCharField(
        source="emergency_location_identifier", max_length=64, required=False, allow_blank=True
    )
    headquarters = serializers.BooleanField(source="is_headquarters", read_only=True)

    def get_orgId(self, obj) -> str:
        return encode_id(IdType.ORGANIZATION, obj.org_id)  # the id alone: no read of the organisation


class PhoneNumberSerializer(serializers.Serializer):
    id = serializers.CharField(source="webex_id")
    phoneNumber = serializers.CharField(source="e164")
    locationId = serializers.SerializerMethodField()
    orgId = serializers.SerializerMethodField()
    status = serializers.ChoiceField(choices=NumberStatus.values)
    subscriberId = serializers.SerializerMethodField()

    def get_locationId(self, obj) -> str:
        return encode_id(IdType.LOCATION, obj.location_id)

    def get_orgId(self, obj) -> str:
        return encode_id(IdType.ORGANIZATION, obj.org_id)

    def get_subscriberId(self, obj) -> str | None:
        return encode_id(IdType.SUBSCRIBER, obj.subscriber_id) if obj.subscriber_id else None


def location_list_body(row: dict, encode: Callable[[IdType, UUID], str] = encode_id) -> dict:
    """``LocationSerializer``'s body of a row of ``locations.selectors.locations_for_api``: the same keys in
    the same order, without a model instance and a serializer (with its nested address) per location.
    ``encode``: ``encode_id``, or a page's ``id_encoder()`` for the ids its rows repeat (the organisation)."""
    return {
        "id": encode_id(IdType.LOCATION, row["id"]),
        "orgId": encode(IdType.ORGANIZATION, row["org_id"]),
        "name": row["name"],
        "address": {
            "addressLine1": row["address_line1"],
            "addressLine2": row["address_line2"],
            "city": row["city"],
            "stateOrProvince": row["state_or_province"],
            "zipOrPostalCode": row["zip_or_postal_code"],
            "country": row["country"],
        },
        "timeZone": row["timezone"],
        "preferredLanguage": row["language"],
        "emergencyLocationIdentifier": row["emergency_location_identifier"],
        "headquarters": row["is_headquarters"],
    }


def number_list_body(row: dict, encode: Callable[[IdType, UUID], str] = encode_id) -> dict:
    """``PhoneNumberSerializer``'s body of a row of ``locations.selectors.numbers_for_api``: the same keys in
    the same order, without a model instance (and its holders' rows) and a serializer per number.
    ``encode``: ``encode_id``, or a page's ``id_encoder()`` for the ids its rows repeat (the location and
    its organisation)."""
    assigned = row["subscriber_id"] is not None or row["workspace_id"] is not None
    return {
        "id": encode_id(IdType.NUMBER, row["id"]),
        "phoneNumber": row["e164"],
        "locationId": encode(IdType.LOCATION, row["location_id"]),
        "orgId": encode(IdType.ORGANIZATION, row["org_id"]),
        "status": NumberStatus.ASSIGNED.value if assigned else NumberStatus.AVAILABLE.value,
        "subscriberId": encode_id(IdType.SUBSCRIBER, row["subscriber_id"]) if row["subscriber_id"] else None,
    }


class PhoneNumberItemsSerializer(serializers.Serializer):
    items = PhoneNumberSerializer(many=True, help_text="The numbers added, in order.")


class PhoneNumberAddSerializer(serializers.Serializer):
    """Either ``phoneNumbers`` (a list), or a range: ``start`` with ``count`` or ``end``."""

    phoneNumbers = serializers.ListField(
        child=StrictCharField(max_length=32), required=False, min_length=1, max_length=RANGE_MAX
    )
    start = StrictCharField(max_length=32, required=False)
    count = serializers.IntegerField(required=False, min_value=1, max_value=RANGE_MAX)
    end = StrictCharField(max_length=32, required=False)

    def validate(self, attrs):
        if "phoneNumbers" in attrs:
            if {"start", "count", "end"} & set(attrs):
                raise serializers.ValidationError("Give phoneNumbers or a range (start with count or end).")
        elif "start" not in attrs:
            raise serializers.ValidationError("Give phoneNumbers or a range (start with count or end).")
        elif ("count" in attrs) == ("end" in attrs):
            raise serializers.ValidationError("A range takes start with either count or end.")
        return attrs


class PhoneNumberQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=NumberStatus.values, required=False)


class LocationListQuerySerializer(serializers.Serializer):
    orgId = serializers.CharField(
        required=False, help_text="The customer organisation (or a partner: its customers' locations)."
    )
