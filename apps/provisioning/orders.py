"""What a partner orders when it creates or changes a customer: plain data that the Partner Hub wizard and
``POST /v1/wholesale/customers`` both build, and that ``customer_provision_request`` takes."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Address:
    address_line1: str
    city: str
    country: str  # ISO 3166 alpha-2
    address_line2: str = ""
    state_or_province: str = ""
    zip_or_postal_code: str = ""


@dataclass(frozen=True)
class CallingLocation:
    """``provisioningParameters.calling.location``: the headquarters calling location."""

    name: str
    address: Address
    timezone: str
    language: str
    emergency_location_identifier: str = ""


@dataclass(frozen=True)
class CustomerOrder:
    provisioning_id: str
    packages: tuple[str, ...]
    external_id: str
    address: Address
    name: str = ""  # customerInfo.name: mandatory for a new organisation
    primary_email: str = ""  # customerInfo.primaryEmail: mandatory for a new organisation
    language: str = ""  # customerInfo.language: locale or two-letter language; the template's otherwise
    org_id: str = ""  # an existing organisation to attach to
    calling_location: CallingLocation | None = None
    meetings_timezone: str = ""
    package_limits: dict[str, int] = field(default_factory=dict)
