"""The one vocabulary of refusals: every stable error code, its meaning and the HTTP status the API answers
it with, and the accumulator services collect a request's problems in.

A service refuses with Django's ``ValidationError`` keyed by field, each message carrying an ``ErrorCode`` as
its ``code`` (``Errors``, ``refuse``), or with ``core.exceptions.ApplicationError`` carrying one. Forms show
the messages on their fields; the API's keyed exception handler (``core.api.keyed``) puts the codes in
``errors[].errorCode`` with ``error_status``; ``error_code_table`` is the table of the API reference.
"""

from dataclasses import dataclass, field
from enum import IntEnum
from typing import NoReturn

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class _Descriptions(dict):
    """The registry's meanings, marked for translation: an item read out is plain text in the active
    language (English on the API, which answers in English; the reader's language on a page), so that it can
    be stored (a customer's ``errors``, a JSON field) as well as shown."""

    def __getitem__(self, code):
        return str(super().__getitem__(code))


class ErrorCode(IntEnum):
    """Stable codes of refusals. 4001–4049: an order was refused (synchronous, the API's
    ``errors[].errorCode``); 4050–4099: a background failure (``errors`` of a customer or of a package);
    41xx: attaching to an existing organisation. 10022 is Webex's own code for an e-mail address that
    already belongs to someone."""

    PROVISIONING_ID_UNKNOWN = 4001
    PACKAGES_INVALID = 4002
    ADDON_WITHOUT_BASE = 4003
    CALLING_LOCATION_REQUIRED = 4004
    EXTERNAL_ID_IN_USE = 4005
    NAME_INVALID = 4006
    EMAIL_INVALID = 4007
    ADDRESS_INVALID = 4008
    COUNTRY_UNKNOWN = 4009
    LANGUAGE_UNSUPPORTED = 4010
    TIME_ZONE_UNKNOWN = 4011
    PACKAGE_LIMIT_INVALID = 4012
    EXTERNAL_ID_INVALID = 4013
    CUSTOMER_BUSY = 4014
    PACKAGE_IN_USE = 4015
    PARTNER_SUSPENDED = 4016
    LOCATION_INVALID = 4017
    SCREENING_HOLD = 4018
    # Subscribers (``services.subscribers``).
    SUBSCRIBER_PACKAGE_INVALID = 4020
    PACKAGE_NOT_HELD = 4021
    PACKAGE_LIMIT_REACHED = 4022
    CALLING_NUMBER_REQUIRED = 4023
    PHONE_NUMBER_INVALID = 4024
    PHONE_NUMBER_IN_USE = 4025
    EXTENSION_INVALID = 4026
    EXTENSION_IN_USE = 4027
    PERSON_NAME_INVALID = 4028
    LOCATION_UNKNOWN = 4029
    CALLING_NOT_IN_PACKAGE = 4030
    ADMIN_DOWNGRADE = 4031
    SUBSCRIBER_IS_ADMIN = 4032
    CONSENT_NOT_PENDING = 4033
    # Workspaces (``services.workspaces``).
    WORKSPACE_NAME_INVALID = 4034
    WORKSPACE_NAME_IN_USE = 4035
    CALLING_PLAN_UNAVAILABLE = 4050
    PROVISIONING_FAILED = 4051
    # Attaching to an existing organisation (``provisioning.services.attach``).
    ORG_NOT_FOUND = 4101
    ORG_NOT_CUSTOMER = 4102
    ORG_MANAGED_ELSEWHERE = 4103
    ORG_ALREADY_WHOLESALE = 4104
    ORG_BROADWORKS = 4105
    ORG_TRIAL = 4106
    ATTACH_DECLINED = 4110
    # Sub-partners (``subpartners.services``, issue 9).
    SUBPARTNER_NAME_INVALID = 4120
    SUBPARTNER_NAME_IN_USE = 4121
    SUBPARTNER_PARENT_INVALID = 4122
    BILLING_START_DATE_INVALID = 4123
    SUBPARTNER_HAS_CUSTOMERS = 4124
    SUBPARTNER_REQUEST_DECIDED = 4125
    SUBPARTNER_REASON_REQUIRED = 4126
    EMAIL_IN_USE = 10022
    # --- billing (issue 10): 42xx refusals of billing reports and Setup Assist orders ---
    REPORT_PERIOD_INVALID = 4201
    REPORT_TYPE_INVALID = 4202
    REPORT_EXISTS = 4203
    REPORT_SUBPARTNER_UNKNOWN = 4204
    SETUP_ASSIST_TOO_LATE = 4210
    SETUP_ASSIST_LOCATION_INVALID = 4211
    SETUP_ASSIST_NOT_PROVISIONED = 4212
    PRICE_INVALID = 4220
    REPORT_NOT_FOUND = 2024  # Webex's own code (a report's background failure)
    REPORT_GENERATION_FAILED = 4250  # a report's background failure (its ``errors[].code``)
    # --- branding and organisation settings (issue 13; apps.branding, apps.customers settings): 43xx ---
    LOGO_INVALID = 4301
    COLOUR_INVALID = 4302
    CONTRAST_TOO_LOW = 4303
    BRAND_URL_INVALID = 4304
    SIGN_IN_HOST_INVALID = 4305
    SIGN_IN_HOST_IN_USE = 4306
    DOMAIN_INVALID = 4310
    DOMAIN_NOT_VERIFIED = 4311
    DOMAIN_CLAIMED_ELSEWHERE = 4312
    SETTING_INVALID = 4313


ERROR_DESCRIPTIONS: dict[ErrorCode, str] = _Descriptions(
    {
        ErrorCode.PROVISIONING_ID_UNKNOWN: _(
            "No onboarding template of this partner has this provisioningId."
        ),
        ErrorCode.PACKAGES_INVALID: _("The package list is empty or names something that is not a package."),
        ErrorCode.ADDON_WITHOUT_BASE: _(
            "An add-on package was ordered without one of the packages it needs."
        ),
        ErrorCode.CALLING_LOCATION_REQUIRED: _(
            "A calling package needs provisioningParameters.calling.location."
        ),
        ErrorCode.EXTERNAL_ID_IN_USE: _("Another customer of this partner already has this externalId."),
        ErrorCode.NAME_INVALID: _("The customer name is missing, too long or contains “%”."),
        ErrorCode.EMAIL_INVALID: _("The primary e-mail address is missing or not an e-mail address."),
        ErrorCode.ADDRESS_INVALID: _("An address line or the city is missing, or a value is too long."),
        ErrorCode.COUNTRY_UNKNOWN: _("The country is not an ISO 3166 alpha-2 code."),
        ErrorCode.LANGUAGE_UNSUPPORTED: _("The language or locale is not one of the supported locales."),
        ErrorCode.TIME_ZONE_UNKNOWN: _("The time zone is not an IANA time zone."),
        ErrorCode.PACKAGE_LIMIT_INVALID: _("A package limit names no package or is not a whole number ≥ 0."),
        ErrorCode.EXTERNAL_ID_INVALID: _("The externalId is longer than 255 characters."),
        ErrorCode.CUSTOMER_BUSY: _(
            "The customer is being provisioned, updated or removed: wait for it to finish."
        ),
        ErrorCode.PACKAGE_IN_USE: _("A package to remove is still held by subscribers."),
        ErrorCode.PARTNER_SUSPENDED: _(
            "The (sub-)partner is suspended: it can only remove customers, users and workspaces."
        ),
        ErrorCode.LOCATION_INVALID: _("The calling location's name is missing or too long."),
        ErrorCode.SUBSCRIBER_PACKAGE_INVALID: _("No package, more than one, or one a person cannot hold."),
        ErrorCode.PACKAGE_NOT_HELD: _("The customer does not hold this package (provisioned)."),
        ErrorCode.PACKAGE_LIMIT_REACHED: _("The customer's limit for this package is reached."),
        ErrorCode.CALLING_NUMBER_REQUIRED: _("A calling package needs a phone number, an extension or both."),
        ErrorCode.PHONE_NUMBER_INVALID: _(
            "The phone number is not valid, not in the customer's inventory or of another location."
        ),
        ErrorCode.PHONE_NUMBER_IN_USE: _("The phone number is assigned to someone else."),
        ErrorCode.EXTENSION_INVALID: _("The extension is not digits of the organisation's extension length."),
        ErrorCode.EXTENSION_IN_USE: _("The extension is used by someone else in the organisation."),
        ErrorCode.PERSON_NAME_INVALID: _("A first or last name is too long."),
        ErrorCode.LOCATION_UNKNOWN: _("The locationId names no location of the customer."),
        ErrorCode.CALLING_NOT_IN_PACKAGE: _(
            "A phone number or extension was given for a package without calling."
        ),
        ErrorCode.ADMIN_DOWNGRADE: _(
            "A full administrator cannot hold less than the organisation's package."
        ),
        ErrorCode.SUBSCRIBER_IS_ADMIN: _("The subscriber is an administrator: remove the roles first."),
        ErrorCode.CONSENT_NOT_PENDING: _("The subscriber is not waiting for a consent."),
        ErrorCode.WORKSPACE_NAME_INVALID: _("A workspace name is missing or longer than 80 characters."),
        ErrorCode.WORKSPACE_NAME_IN_USE: _("The customer already has a workspace of this name."),
        ErrorCode.CALLING_PLAN_UNAVAILABLE: _("Cisco Calling Plan is not offered in the location's country."),
        ErrorCode.PROVISIONING_FAILED: _(
            "Provisioning stopped on an unexpected error; remove the customer and "
            "order it again, or contact support."
        ),
        ErrorCode.ORG_NOT_FOUND: _("The orgId names no organisation."),
        ErrorCode.ORG_NOT_CUSTOMER: _("The orgId is not a customer organisation."),
        ErrorCode.ORG_MANAGED_ELSEWHERE: _("The organisation is managed by another partner."),
        ErrorCode.ORG_ALREADY_WHOLESALE: _("The organisation already has wholesale services."),
        ErrorCode.ORG_BROADWORKS: _("Webex for BroadWorks organisations are refused."),
        ErrorCode.ORG_TRIAL: _("Trial organisations cannot become wholesale customers."),
        ErrorCode.ATTACH_DECLINED: _("The organisation's administrator declined the wholesale request."),
        ErrorCode.EMAIL_IN_USE: _("The email is already associated with an existing user."),
        # Sub-partners (issue 9).
        ErrorCode.SUBPARTNER_NAME_INVALID: _("The sub-partner's organisation name is missing or too long."),
        ErrorCode.SUBPARTNER_NAME_IN_USE: _(
            "The parent has a sub-partner (or a pending set-up) of this name."
        ),
        ErrorCode.SUBPARTNER_PARENT_INVALID: _("Only a top-level partner has sub-partners (one level)."),
        ErrorCode.BILLING_START_DATE_INVALID: _(
            "The billing start date is not YYYY-MM-DD or is over a year away."
        ),
        ErrorCode.SUBPARTNER_HAS_CUSTOMERS: _("The sub-partner still has customer organisations."),
        ErrorCode.SUBPARTNER_REQUEST_DECIDED: _("The set-up request was already approved or declined."),
        ErrorCode.SUBPARTNER_REASON_REQUIRED: _(
            "Suspending a sub-partner needs a reason (at most 500 characters)."
        ),
        # --- billing (issue 10) ---
        ErrorCode.REPORT_PERIOD_INVALID: _(
            "The billing period is not two YYYY-MM-DD dates within the "
            "last five years, before today, the end not before the start."
        ),
        ErrorCode.REPORT_TYPE_INVALID: _(
            "The report type is not PARTNER, CUSTOMER or USER (or the category not "
            "RECONCILIATION or POINT_IN_TIME)."
        ),
        ErrorCode.REPORT_EXISTS: _("A COMPLETED report of this period and type exists: delete it first."),
        ErrorCode.REPORT_SUBPARTNER_UNKNOWN: _("The subPartnerOrgId names none of your sub-partners."),
        ErrorCode.SETUP_ASSIST_TOO_LATE: _(
            "Setup Assist must be requested at least six business days before the wanted completion date."
        ),
        ErrorCode.SETUP_ASSIST_LOCATION_INVALID: _("The location is not one of the customer's."),
        ErrorCode.SETUP_ASSIST_NOT_PROVISIONED: _(
            "Setup Assist is ordered after provisioning: the customer is not provisioned."
        ),
        ErrorCode.PRICE_INVALID: _("A price is a non-negative amount with a service and an effective date."),
        ErrorCode.REPORT_NOT_FOUND: _("Billing Report not found."),
        ErrorCode.REPORT_GENERATION_FAILED: _("The report could not be generated: order it again."),
        # --- branding and organisation settings (issue 13) ---
        ErrorCode.LOGO_INVALID: _(
            "A logo is not a PNG, JPEG or safe SVG file within the size and pixel limits."
        ),
        ErrorCode.COLOUR_INVALID: _("A colour is not a #rrggbb hexadecimal colour."),
        ErrorCode.CONTRAST_TOO_LOW: _(
            "A colour is unreadable on the surface it is used on (WCAG 2.2 AA contrast)."
        ),
        ErrorCode.BRAND_URL_INVALID: _("A help, support or feedback URL is not an https:// URL."),
        ErrorCode.SIGN_IN_HOST_INVALID: _("The sign-in host is not a host name."),
        ErrorCode.SIGN_IN_HOST_IN_USE: _("Another partner already signs in on this host name."),
        ErrorCode.DOMAIN_INVALID: _("The domain is not a domain name, or already one of the organisation's."),
        ErrorCode.DOMAIN_NOT_VERIFIED: _(
            "The domain's TXT record was not found (verify it before claiming it)."
        ),
        ErrorCode.DOMAIN_CLAIMED_ELSEWHERE: _("Another organisation has claimed the domain."),
        ErrorCode.SETTING_INVALID: _("The value is not one of the setting's choices."),
    }
)
_CONFLICTS_BILLING = {ErrorCode.REPORT_EXISTS}  # billing (issue 10)
_CONFLICTS = {
    ErrorCode.EXTERNAL_ID_IN_USE,
    ErrorCode.CUSTOMER_BUSY,
    ErrorCode.PACKAGE_IN_USE,
    ErrorCode.EMAIL_IN_USE,
    ErrorCode.PACKAGE_LIMIT_REACHED,
    ErrorCode.PHONE_NUMBER_IN_USE,
    ErrorCode.EXTENSION_IN_USE,
    ErrorCode.ADMIN_DOWNGRADE,
    ErrorCode.SUBSCRIBER_IS_ADMIN,
    ErrorCode.CONSENT_NOT_PENDING,
    ErrorCode.WORKSPACE_NAME_IN_USE,
    ErrorCode.ORG_MANAGED_ELSEWHERE,
    ErrorCode.ORG_ALREADY_WHOLESALE,
    ErrorCode.SUBPARTNER_NAME_IN_USE,  # sub-partners (issue 9)
    ErrorCode.SUBPARTNER_HAS_CUSTOMERS,
    ErrorCode.SUBPARTNER_REQUEST_DECIDED,
    ErrorCode.SIGN_IN_HOST_IN_USE,
    ErrorCode.DOMAIN_CLAIMED_ELSEWHERE,
}


def error_status(code) -> int:
    """The HTTP status the API answers an error code with."""
    if code in _CONFLICTS or code in _CONFLICTS_BILLING:
        return 409
    if code == ErrorCode.PARTNER_SUSPENDED:
        return 403
    return 400


def error_code_table(codes=None, wording: dict | None = None) -> str:
    """The API reference's table (Markdown) of ``codes`` (default: every code): code, HTTP status, meaning —
    in an operation's own ``wording`` where it words a code more precisely."""
    wording = wording or {}
    lines = ["| errorCode | status | meaning |", "|---|---|---|"]
    for code in sorted(ERROR_DESCRIPTIONS if codes is None else codes):
        meaning = wording.get(code) or ERROR_DESCRIPTIONS[code]
        lines.append(f"| {int(code)} | {error_status(code)} | {meaning} |")
    return "\n".join(lines)


def error_code_ref(code: ErrorCode) -> str:
    """How an operation's description names one refusal: its status and code from the registry."""
    return f"{error_status(code)}, errorCode {int(code)}"


@dataclass
class Errors:
    """Every problem of a request, keyed by field, raised at once."""

    by_field: dict[str, list[ValidationError]] = field(default_factory=dict)

    def add(self, key: str, code: ErrorCode, message: str) -> None:
        self.by_field.setdefault(key, []).append(ValidationError(message, code=int(code)))

    def __bool__(self) -> bool:
        return bool(self.by_field)

    def raise_if_any(self) -> None:
        if self.by_field:
            raise ValidationError(self.by_field)


def refuse(key: str, code: ErrorCode, message: str) -> NoReturn:
    """One problem, at once."""
    raise ValidationError({key: [ValidationError(message, code=int(code))]})


def text(value) -> str:
    """A submitted value as stripped text; anything that is not a string is empty."""
    return value.strip() if isinstance(value, str) else ""
