"""The Wholesale Customers API's bodies, field for field as the official Webex OpenAPI names them.

Input serializers check JSON types only (strings are strings, lists are lists); every business rule — the
50-character address lines, the countries, locales and time zones, add-ons and their base packages — is the
provisioning service's, so the wizard and the API refuse the same orders with the same codes.
"""

from collections.abc import Mapping

from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from apps.core.api.fields import StrictCharField
from apps.core.api.schema import ErrorSerializer, PrecheckInfoSerializer
from apps.core.ids import IdType, encode_id
from apps.core.jsonrows import json_list
from apps.customers.models import Customer, CustomerStatus, PackageStatus
from apps.customers.selectors import CUSTOMER_API_VALUES
from apps.packages.constants import PackageCode
from apps.provisioning.orders import Address, CallingLocation, CustomerOrder

# Generous caps so that absurd input is refused as a type error; the real limits are the service's.
TEXT_MAX = 1000


def _text(**kwargs) -> StrictCharField:
    kwargs.setdefault("required", False)
    kwargs.setdefault("allow_blank", True)
    kwargs.setdefault("max_length", TEXT_MAX)
    return StrictCharField(**kwargs)


class PackageCodeField(serializers.ChoiceField):
    """A package code (the official ``WholesalePackagesCustomer`` enum)."""

    def __init__(self, **kwargs):
        super().__init__(choices=PackageCode.choices, **kwargs)


class CustomerStatusField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=CustomerStatus.choices, **kwargs)


class PackageStatusField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=PackageStatus.choices, **kwargs)


@extend_schema_field(
    {
        "type": "string",
        "pattern": "^{0}(,{0})*$".format("(" + "|".join(CustomerStatus.values) + ")"),
    }
)
class StatusListField(serializers.CharField):
    """One or more statuses separated by commas (the list filter)."""


PACKAGES_FIELD_HELP = (
    "The complete list of Webex Wholesale packages. `cisco_calling_plan` needs one of common_area_calling, "
    "webex_calling, webex_suite, webex_voice, cx_essentials, webex_calling_standard; `attendant_console` "
    "needs one of webex_calling, webex_suite, cx_essentials; the cx_voice_ports, cx_ai_assistant and "
    "webex_ai_agent add-ons need cx_premium_agent or cx_standard_agent."
)


def _packages(**kwargs) -> serializers.ListField:
    return serializers.ListField(
        child=PackageCodeField(), max_length=50, help_text=PACKAGES_FIELD_HELP, **kwargs
    )


@extend_schema_field({"type": "number", "minimum": 0})
class LimitField(serializers.Field):
    """A package limit: a JSON number (a whole one; the service says so when it is not)."""

    default_error_messages = {"invalid": "A limit must be a number."}

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | float):
            self.fail("invalid")
        if isinstance(data, float) and (data != data or data in (float("inf"), float("-inf"))):
            self.fail("invalid")
        return data

    def to_representation(self, value):
        return value


class AddressInSerializer(serializers.Serializer):
    addressLine1 = _text(required=True, help_text="Address line 1 (at most 50 characters).")
    addressLine2 = _text(help_text="Address line 2 (at most 50 characters).")
    city = _text(required=True)
    stateOrProvince = _text()
    zipOrPostalCode = _text()
    country = _text(required=True, help_text="ISO 3166 alpha-2 country code.")

    def to_address(self, data: dict) -> Address:
        return Address(
            address_line1=data.get("addressLine1", ""),
            address_line2=data.get("addressLine2", ""),
            city=data.get("city", ""),
            state_or_province=data.get("stateOrProvince", ""),
            zip_or_postal_code=data.get("zipOrPostalCode", ""),
            country=data.get("country", ""),
        )


def to_address(data: dict | None) -> Address | None:
    return AddressInSerializer().to_address(data) if data is not None else None


class CustomerInfoSerializer(serializers.Serializer):
    name = _text(help_text="The customer's name; it cannot include “%”. Mandatory for a new organisation.")
    primaryEmail = _text(help_text="The first administrator's e-mail. Mandatory for a new organisation.")
    language = _text(help_text="A locale (en_US) or a two-letter language (en) for the organisation.")


class PrecheckCustomerInfoSerializer(serializers.Serializer):
    name = _text()
    primaryEmail = _text(required=True)
    language = _text()


class CallingLocationSerializer(serializers.Serializer):
    name = _text(required=True, help_text="Name of the headquarters location.")
    address = AddressInSerializer()
    timezone = _text(required=True, help_text="An IANA time zone, such as America/Los_Angeles.")
    language = _text(required=True, help_text="Language of e-mails and voice prompts, such as en_us.")
    emergencyLocationIdentifier = _text()

    def to_location(self, data: dict | None) -> CallingLocation | None:
        if data is None:
            return None
        return CallingLocation(
            name=data.get("name", ""),
            address=to_address(data["address"]),
            timezone=data.get("timezone", ""),
            language=data.get("language", ""),
            emergency_location_identifier=data.get("emergencyLocationIdentifier", ""),
        )


class CallingParametersSerializer(serializers.Serializer):
    location = CallingLocationSerializer()


class MeetingsParametersSerializer(serializers.Serializer):
    timezone = _text()


class PackageParametersSerializer(serializers.Serializer):
    limits = serializers.DictField(child=LimitField(), required=False, help_text="Package → its limit.")


class ProvisioningParametersSerializer(serializers.Serializer):
    calling = CallingParametersSerializer(
        required=False, help_text="Mandatory when a calling package is provisioned for a new organisation."
    )
    meetings = MeetingsParametersSerializer(required=False)
    packages = PackageParametersSerializer(required=False)


def _parameters(data: dict) -> tuple[CallingLocation | None, str, dict]:
    params = data.get("provisioningParameters") or {}
    calling = params.get("calling")
    location = CallingLocationSerializer().to_location(calling["location"]) if calling else None
    meetings_timezone = (params.get("meetings") or {}).get("timezone", "")
    limits = (params.get("packages") or {}).get("limits") or {}
    return location, meetings_timezone, limits


class CustomerProvisionSerializer(serializers.Serializer):
    """``POST /v1/wholesale/customers``."""

    provisioningId = _text(required=True, allow_blank=False, help_text="The onboarding template's id.")
    packages = _packages(min_length=1)
    orgId = _text(help_text="An existing organisation to attach to. Mandatory for existing customers.")
    externalId = _text(required=True, help_text="The partner's own id of the customer (unique per partner).")
    address = AddressInSerializer(help_text="Billing address: its country becomes the organisation's.")
    customerInfo = CustomerInfoSerializer(required=False)
    provisioningParameters = ProvisioningParametersSerializer(required=False)
    subPartnerAdminEmail = _text(help_text="Accepted for compatibility; not used.")

    def to_order(self) -> CustomerOrder:
        data = self.validated_data
        info = data.get("customerInfo") or {}
        location, meetings_timezone, limits = _parameters(data)
        return CustomerOrder(
            provisioning_id=data.get("provisioningId", ""),
            packages=tuple(data.get("packages", ())),
            external_id=data.get("externalId", ""),
            address=to_address(data.get("address")),
            name=info.get("name", ""),
            primary_email=info.get("primaryEmail", ""),
            language=info.get("language", ""),
            org_id=data.get("orgId", ""),
            calling_location=location,
            meetings_timezone=meetings_timezone,
            package_limits=limits,
        )


class CustomerPrecheckSerializer(CustomerProvisionSerializer):
    """``POST /v1/wholesale/customers/validate``: only the address is required; what is given is checked."""

    provisioningId = _text()
    packages = _packages(required=False)
    externalId = _text()
    customerInfo = PrecheckCustomerInfoSerializer(required=False)


class CustomerUpdateSerializer(serializers.Serializer):
    """``PUT /v1/wholesale/customers/{customerId}``."""

    externalId = _text()
    packages = _packages(min_length=1)
    address = AddressInSerializer(required=False)
    provisioningParameters = ProvisioningParametersSerializer(required=False)
    subPartnerAdminEmail = _text(help_text="Accepted for compatibility; not used.")

    def to_changes(self) -> dict:
        data = self.validated_data
        location, _, limits = _parameters(data)
        params = data.get("provisioningParameters") or {}
        return {
            "packages": list(data["packages"]),
            "calling_location": location,
            "package_limits": limits if "limits" in (params.get("packages") or {}) else None,
            "external_id": data.get("externalId"),
            "address": to_address(data.get("address")),
        }


# --- output ----------------------------------------------------------------------------------------------


_ADDRESS = (
    ("addressLine1", "address_line1"),
    ("addressLine2", "address_line2"),
    ("city", "city"),
    ("stateOrProvince", "state_or_province"),
    ("zipOrPostalCode", "zip_or_postal_code"),
    ("country", "country"),
)


def package_body(row: Mapping, *, license_info: bool = False) -> dict:
    """A customer package on the wire (``Package``), from a row of ``customer_packages_for_api``."""
    data = {"name": row["code"], "status": row["status"]}
    warnings, errors = json_list(row["warnings_json"]), json_list(row["errors_json"])
    if warnings:
        data["warnings"] = warnings
    if errors:
        data["errors"] = errors
    if license_info and row["status"] == PackageStatus.PROVISIONED:
        data["licenseIds"] = list(row["license_ids"])
    return data


def customer_body(row: Mapping, packages: list[Mapping], *, license_info: bool = False) -> dict:
    """A wholesale customer on the wire (``CustomerSerializer``), from a row of ``customers_for_api`` (the
    attnames of ``CUSTOMER_API_VALUES``) and its packages ordered by code: the list builds its page with
    this, without a serializer instance per row, and the detail with the same function."""
    data = {"id": encode_id(IdType.CUSTOMER, row["id"])}
    if row["provisioned_at"] is not None:
        data["orgId"] = encode_id(IdType.ORGANIZATION, row["org_id"])
    if row["external_id"]:
        data["externalId"] = row["external_id"]
    data["address"] = {key: row[name] for key, name in _ADDRESS if row[name]}
    data["status"] = row["status"]
    data["packages"] = [package["code"] for package in packages]
    data["resourceDetails"] = {"packages": [package_body(p, license_info=license_info) for p in packages]}
    errors = json_list(row["errors_json"])
    if errors:
        data["errors"] = errors
    return data


class AddressSerializer(serializers.Serializer):
    addressLine1 = serializers.CharField(required=False)
    addressLine2 = serializers.CharField(required=False)
    city = serializers.CharField(required=False)
    stateOrProvince = serializers.CharField(required=False)
    zipOrPostalCode = serializers.CharField(required=False)
    country = serializers.CharField(required=False)


@extend_schema_serializer(component_name="Package")
class PackageSerializer(serializers.Serializer):
    name = PackageCodeField(required=False)
    status = PackageStatusField(required=False)
    warnings = ErrorSerializer(many=True, required=False)
    errors = ErrorSerializer(many=True, required=False)
    licenseIds = serializers.ListField(child=serializers.CharField(), required=False)


class ResourceDetailsSerializer(serializers.Serializer):
    packages = PackageSerializer(many=True, required=False)


class CustomerSerializer(serializers.Serializer):
    """A wholesale customer. `orgId` appears once the organisation has been provisioned. (The schema: the
    body itself is ``customer_body``'s.)"""

    id = serializers.CharField(required=False, help_text="The customerId.")
    orgId = serializers.CharField(required=False, help_text="Present once the customer is provisioned.")
    externalId = serializers.CharField(required=False)
    address = AddressSerializer(required=False)
    status = CustomerStatusField(required=False)
    packages = serializers.ListField(child=PackageCodeField(), required=False)
    resourceDetails = ResourceDetailsSerializer(required=False)
    errors = ErrorSerializer(many=True, required=False)

    def to_representation(self, customer: Customer) -> dict:
        row = {name: getattr(customer, name) for name in CUSTOMER_API_VALUES}
        row["errors_json"] = customer.errors
        packages = [  # prefetched by the selectors, ordered by code
            {
                "code": p.code,
                "status": p.status,
                "warnings_json": p.warnings,
                "errors_json": p.errors,
                "license_ids": p.license_ids,
            }
            for p in customer.packages.all()
        ]
        return customer_body(row, packages, license_info=bool(self.context.get("license_info")))


class ResourceURLSerializer(serializers.Serializer):
    url = serializers.CharField(help_text="The customer's URL: its last path segment is the customerId.")


class CustomerProvisioningPrecheckResponseSerializer(serializers.Serializer):
    message = serializers.CharField()
    info = PrecheckInfoSerializer(many=True)


class CustomerListQuerySerializer(serializers.Serializer):
    """The list's filters (documentation: the view reads them itself)."""

    externalId = serializers.CharField(
        required=False, allow_blank=True, max_length=255, help_text="Customer external ID."
    )
    orgId = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="The customer's organisation id. Naming a partner you act for lists its customers; an "
        "organisation you may not see is a 404.",
    )
    status = serializers.ListField(
        child=StatusListField(),
        required=False,
        help_text="Only customers in these statuses: repeat the parameter or separate values with commas "
        f"({', '.join(CustomerStatus.values)}).",
    )


class CustomerGetQuerySerializer(serializers.Serializer):
    includePackageLicenseInfo = serializers.BooleanField(
        required=False, default=False, help_text="List the licenseIds of every provisioned package."
    )
