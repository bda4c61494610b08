"""The Wholesale Subscribers API's bodies, field for field as the official Webex OpenAPI names them, and the
partner API's workspace bodies (camelCase JSON in, the service's keyword arguments out). The subscribers'
bodies make their fields once per class (``FieldsOnceSerializer``): validating them was most of what DRF
spent on a subscriber add."""

from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.core.api.fields import StrictCharField
from apps.core.api.schema import ErrorSerializer, PrecheckInfoSerializer
from apps.core.api.serializers import FieldsOnceSerializer
from apps.core.errors import ErrorCode
from apps.core.ids import IdType, encode_id
from apps.core.jsonrows import json_list
from apps.core.memo import OncePerKey
from apps.core.wire import webex_time
from apps.packages.constants import SUBSCRIBER_PACKAGES
from apps.subscribers.models import Subscriber, SubscriberStatus
from apps.subscribers.selectors.subscribers import SUBSCRIBER_API_VALUES
from apps.subscribers.services.workspaces import DEFAULT_PACKAGE, WORKSPACE_PACKAGES

TEXT_MAX = 1000  # absurd input is a type error; the real limits are the service's
# The legacy single ``package`` of the official ``Subscriber`` schema names only these; a subscriber holding
# another package (an add-on, a contact-centre agent) shows it in ``packages`` alone.
LEGACY_PACKAGES = (
    "webex_calling",
    "webex_meetings",
    "webex_suite",
    "webex_voice",
    "cx_essentials",
    "webex_calling_standard",
)
SUBSCRIBER_PACKAGE_CODES = [str(code) for code in SUBSCRIBER_PACKAGES]


def _text(**kwargs) -> StrictCharField:
    kwargs.setdefault("required", False)
    kwargs.setdefault("allow_blank", True)
    kwargs.setdefault("max_length", TEXT_MAX)
    return StrictCharField(**kwargs)


@extend_schema_field({"type": "string", "enum": SUBSCRIBER_PACKAGE_CODES})
class SubscriberPackageField(StrictCharField):
    """A package a person can hold. Any string is taken: the service refuses others (its errorCode)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", TEXT_MAX)
        super().__init__(**kwargs)


def _packages(**kwargs) -> serializers.ListField:
    return serializers.ListField(
        child=SubscriberPackageField(),
        required=False,
        max_length=50,
        help_text="The subscriber's package as a list of exactly one (the current form; not with `package`).",
        **kwargs,
    )


PACKAGE_HELP = "The subscriber's package (legacy form; not with `packages`)."


def one_package(data: dict) -> str:
    """``package`` or ``packages`` (exactly one element), not both: else the package's errorCode."""
    has_single, has_list = "package" in data, "packages" in data
    if has_single and has_list:
        message = "Give either package or packages, not both."
    elif has_list and len(data["packages"]) != 1:
        message = "packages holds exactly one package: a subscriber has one package."
    else:
        return data.get("package", "") if has_single else (data["packages"][0] if has_list else "")
    raise DjangoValidationError(
        {"package": [DjangoValidationError(message, code=int(ErrorCode.SUBSCRIBER_PACKAGE_INVALID))]}
    )


class SubscriberParametersSerializer(FieldsOnceSerializer):
    firstName = _text(help_text="The first name of the subscriber.")
    lastName = _text(help_text="The last name of the subscriber.")
    primaryPhoneNumber = _text(
        help_text="A number of the customer's inventory (E.164). A number, an extension or both are needed "
        "for a calling package unless the person already has calling."
    )
    extension = _text(help_text="An extension of the organisation's extension length.")
    locationId = _text(help_text="A location of the customer (its id, or its exact name).")


class SubscriberUpdateParametersSerializer(FieldsOnceSerializer):
    primaryPhoneNumber = _text(help_text="A number of the customer's inventory (E.164).")
    extension = _text(help_text="An extension of the organisation's extension length.")
    locationId = _text(help_text="A location of the customer (its id, or its exact name).")


def _service_fields(data: dict) -> dict:
    """The body as the subscriber services' keyword arguments."""
    params = data.get("provisioningParameters") or {}
    fields = {
        "package": one_package(data),
        "phone_number": params.get("primaryPhoneNumber", ""),
        "extension": params.get("extension", ""),
        "location": params.get("locationId", ""),
    }
    if "email" in data:
        fields["email"] = data["email"]
    if "firstName" in params or "lastName" in params:
        fields["first_name"] = params.get("firstName", "")
        fields["last_name"] = params.get("lastName", "")
    return fields


class SubscriberProvisionSerializer(FieldsOnceSerializer):
    """``POST /v1/wholesale/subscribers``."""

    customerId = _text(required=True, allow_blank=False, help_text="The customer the person joins.")
    email = _text(required=True, help_text="The subscriber's e-mail address.")
    package = SubscriberPackageField(required=False, help_text=PACKAGE_HELP)
    packages = _packages()
    provisioningParameters = SubscriberParametersSerializer(required=False)

    def to_fields(self) -> dict:
        return _service_fields(self.validated_data)


class SubscriberCustomerInfoSerializer(FieldsOnceSerializer):
    primaryEmail = _text(required=True)


class SubscriberPrecheckSerializer(FieldsOnceSerializer):
    """``POST /v1/wholesale/subscribers/validate``: ``customerId`` (an existing customer) is checked in full;
    ``provisioningId`` alone (a customer yet to be provisioned) is refused with a 400 saying so."""

    provisioningId = _text(help_text="Not supported: provision the customer first, then give customerId.")
    customerId = _text(help_text="The customer the person would join.")
    email = _text(required=True, help_text="The subscriber's e-mail address.")
    package = SubscriberPackageField(required=False, help_text=PACKAGE_HELP)
    packages = _packages()
    provisioningParameters = SubscriberParametersSerializer(required=False)
    customerInfo = SubscriberCustomerInfoSerializer(required=False, help_text="Accepted; not used.")

    def to_fields(self) -> dict:
        return _service_fields(self.validated_data)


class SubscriberUpdateSerializer(FieldsOnceSerializer):
    """``PUT /v1/wholesale/subscribers/{subscriberId}``."""

    package = SubscriberPackageField(required=False, help_text=PACKAGE_HELP)
    packages = _packages()
    provisioningParameters = SubscriberUpdateParametersSerializer(required=False)

    def to_fields(self) -> dict:
        return _service_fields(self.validated_data)


# --- output ------------------------------------------------------------------------------------------------


class SubscriberSerializer(serializers.Serializer):
    """A wholesale subscriber. `personId` appears once `provisioned`; `package` (legacy) only for the
    packages its enum names, `packages` always."""

    id = serializers.CharField(help_text="The subscriberId.")
    personId = serializers.CharField(required=False, help_text="Present once the subscriber is provisioned.")
    email = serializers.CharField()
    customerId = serializers.CharField()
    externalCustomerId = serializers.CharField(required=False)
    package = serializers.ChoiceField(choices=LEGACY_PACKAGES, required=False)
    packages = serializers.ListField(child=SubscriberPackageField())
    status = serializers.ChoiceField(choices=SubscriberStatus.choices)
    errors = ErrorSerializer(many=True)
    created = serializers.CharField(help_text="ISO-8601, UTC.")
    lastStatusChange = serializers.CharField(help_text="ISO-8601, UTC.")

    def to_representation(self, subscriber: Subscriber) -> dict:
        row = {name: getattr(subscriber, name) for name in SUBSCRIBER_API_VALUES if "__" not in name}
        row["customer__external_id"] = subscriber.customer.external_id
        row["errors_json"] = subscriber.errors
        return subscriber_body(row)


def subscriber_bodies(rows: Iterable[Mapping]) -> list[dict]:
    """``subscriber_body`` of each row of a page, each customer's id encoded once (a page of one customer's
    subscribers names it on every row)."""
    customer_ids = OncePerKey(_encoded_customer_id)
    return [subscriber_body(row, customer_ids) for row in rows]


def _encoded_customer_id(customer_id) -> str:
    return encode_id(IdType.CUSTOMER, customer_id)


def subscriber_body(row: Mapping, customer_ids: OncePerKey | None = None) -> dict:
    """A wholesale subscriber on the wire (``SubscriberSerializer``), from a row of
    ``subscriber_rows_for_api``: the list builds its page with this, without a serializer per row.
    ``customer_ids``: the page's customer ids, each encoded once (``subscriber_bodies``)."""
    status = row["status"]
    data = {"id": encode_id(IdType.SUBSCRIBER, row["id"])}
    if status == SubscriberStatus.PROVISIONED and row["user_id"] is not None:
        data["personId"] = encode_id(IdType.PEOPLE, row["user_id"])
    data["email"] = row["email"]
    customer_id = row["customer_id"]
    data["customerId"] = (
        _encoded_customer_id(customer_id) if customer_ids is None else customer_ids[customer_id]
    )
    if row["customer__external_id"]:
        data["externalCustomerId"] = row["customer__external_id"]
    package = row["package"]
    if package in LEGACY_PACKAGES:
        data["package"] = package
    data["packages"] = [package]
    data["status"] = status
    data["errors"] = list(json_list(row["errors_json"]))
    data["created"] = webex_time(row["created"])
    data["lastStatusChange"] = webex_time(row["status_changed"] or row["created"])
    return data


class SubscriberPrecheckResponseSerializer(serializers.Serializer):
    message = serializers.CharField()
    info = PrecheckInfoSerializer(many=True)


@extend_schema_field(
    {"type": "string", "pattern": "^{0}(,{0})*$".format("(" + "|".join(SubscriberStatus.values) + ")")}
)
class StatusListField(serializers.CharField):
    """One or more statuses separated by commas."""


@extend_schema_field(
    {
        "type": "string",
        "maxLength": 40,
        "pattern": r"^([0-9]{1,15}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([T ].*)?)?$",
    }
)
class MomentField(serializers.CharField):
    """Epoch milliseconds or an ISO-8601 date or date-time."""


class SubscriberListQuerySerializer(serializers.Serializer):
    """The list's filters (documentation: the view reads them itself)."""

    customerId = serializers.CharField(
        required=False, allow_blank=True, max_length=1000, help_text="Wholesale customer ID."
    )
    personId = serializers.CharField(
        required=False, allow_blank=True, max_length=1000, help_text="The subscriber's person ID."
    )
    externalCustomerId = serializers.CharField(
        required=False, allow_blank=True, max_length=255, help_text="The customer's external ID."
    )
    email = serializers.CharField(
        required=False, allow_blank=True, max_length=254, help_text="The subscriber's e-mail."
    )
    status = serializers.ListField(
        child=StatusListField(),
        required=False,
        help_text="Only subscribers in these statuses: repeat the parameter or separate values with commas "
        f"({', '.join(SubscriberStatus.values)}).",
    )
    after = MomentField(
        required=False,
        allow_blank=True,
        help_text="Created after this time: epoch milliseconds (preferred) or ISO-8601.",
    )
    lastStatusChange = MomentField(
        required=False,
        allow_blank=True,
        help_text="Status changed after this time: epoch milliseconds (preferred) or ISO-8601.",
    )
    sortBy = serializers.ChoiceField(
        choices=["created", "lastStatusChange"], required=False, help_text="Default `created`."
    )
    sortOrder = serializers.ChoiceField(choices=["ASC", "DESC"], required=False, help_text="Default `ASC`.")
    orgId = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="Wholesale Hub: a customer organisation (its subscribers only) or a partner you act for.",
    )


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
