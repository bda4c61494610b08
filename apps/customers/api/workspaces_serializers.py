"""Serializers of the partner API for workspaces (``/v1/partner/workspaces``): camelCase JSON in, the
service's keyword arguments out; the rules are the service's."""

from rest_framework import serializers

from apps.core.api.fields import StrictCharField
from apps.core.ids import IdType, encode_id
from apps.customers.services.workspaces import DEFAULT_PACKAGE, WORKSPACE_PACKAGES

# Service field keys ↔ the JSON names a client sends.
WORKSPACE_FIELDS = {
    "name": "name",
    "package": "package",
    "location": "locationId",
    "phone_number": "phoneNumber",
    "extension": "extension",
    "customer": "customerId",
}


class WorkspaceSerializer(serializers.Serializer):
    id = serializers.CharField(source="webex_id", read_only=True)
    customerId = serializers.SerializerMethodField()
    name = serializers.CharField()
    locationId = serializers.SerializerMethodField()
    package = serializers.CharField(help_text=f"One of {', '.join(WORKSPACE_PACKAGES)}.")
    phoneNumber = serializers.SerializerMethodField()
    extension = serializers.SerializerMethodField()
    created = serializers.DateTimeField()

    def get_customerId(self, obj) -> str:
        return encode_id(IdType.CUSTOMER, obj.customer_id)

    def get_locationId(self, obj) -> str:
        return encode_id(IdType.LOCATION, obj.location_id)

    def get_phoneNumber(self, obj) -> str | None:
        number = next(iter(obj.phone_numbers.all()), None)
        return number.e164 if number else None

    def get_extension(self, obj) -> str | None:
        extension = next(iter(obj.extensions.all()), None)
        return extension.extension if extension else None


class WorkspaceWriteSerializer(serializers.Serializer):
    """The body of PUT (the complete workspace: a number or extension left out is freed)."""

    name = StrictCharField(
        max_length=200, allow_blank=True, help_text="1–80 characters, unique per customer."
    )
    package = StrictCharField(
        max_length=64,
        required=False,
        allow_blank=True,
        help_text=f"A package workspaces can hold; default `{DEFAULT_PACKAGE}`.",
    )
    locationId = StrictCharField(
        max_length=200,
        required=False,
        allow_blank=True,
        help_text="A location of the customer; default: the phone number's location, else the headquarters.",
    )
    phoneNumber = StrictCharField(
        max_length=32,
        required=False,
        allow_blank=True,
        allow_null=True,
        help_text="An available number of the customer's inventory at that location (E.164).",
    )
    extension = StrictCharField(
        max_length=32,
        required=False,
        allow_blank=True,
        allow_null=True,
        help_text="Unique in the organisation. A phone number, an extension or both are required.",
    )

    def values(self) -> dict:
        """The service's keyword arguments."""
        data = self.validated_data
        return {
            "name": data.get("name") or "",
            "package": data.get("package") or "",
            "location": data.get("locationId") or "",
            "phone_number": data.get("phoneNumber") or "",
            "extension": data.get("extension") or "",
        }


class WorkspaceCreateSerializer(WorkspaceWriteSerializer):
    customerId = StrictCharField(max_length=200, help_text="The customer the workspace belongs to.")


class WorkspaceListQuerySerializer(serializers.Serializer):
    customerId = serializers.CharField(required=False, max_length=200, help_text="Only this customer's.")
    locationId = serializers.CharField(required=False, max_length=200, help_text="Only this location's.")
