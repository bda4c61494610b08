"""Where a person fixes what refused a user or a workspace (issue 12, item 3): each error code of the
subscriber services names the page that removes its cause, as a customer's provisioning errors name Change
packages.

A cause outside the order itself (a number missing from the inventory, an administrator role, a package the
customer lacks, a customer still provisioning) is fixed on another page, after which the same order can be
tried again: those codes are ``RETRYABLE``. A cause inside the order (a malformed e-mail, an unknown package
code) is fixed by correcting the order: the form, or the file of a CSV import. The page's link is only offered
when the person looking may open that page (the permission function, as the guards ask it)."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from apps.accounts.permissions import Action, may
from apps.core.errors import ErrorCode
from apps.customers.models import Customer


@dataclass(frozen=True)
class Fix:
    label: str  # what to do there, naming the page
    url: str


# code → (Control Hub URL name, the action its guard asks, the link's text)
_CONTROL_PAGES: dict[ErrorCode, tuple[str, Action, str]] = {
    ErrorCode.PHONE_NUMBER_INVALID: (
        "location_list",
        Action.ORG_VIEW,
        _("Add the number to a location on the Locations page"),
    ),
    ErrorCode.PHONE_NUMBER_IN_USE: (
        "location_list",
        Action.ORG_VIEW,
        _("See who holds the number on the Locations page"),
    ),
    ErrorCode.LOCATION_UNKNOWN: (
        "location_list",
        Action.ORG_VIEW,
        _("Add the location on the Locations page"),
    ),
    ErrorCode.EXTENSION_IN_USE: (
        "user_list",
        Action.USERS_VIEW,
        _("Find who holds the extension on the Users page"),
    ),
    ErrorCode.EMAIL_IN_USE: ("user_list", Action.USERS_VIEW, _("Find the user on the Users page")),
    ErrorCode.SUBSCRIBER_IS_ADMIN: (
        "admin_list",
        Action.ADMINS_VIEW,
        _("Remove their roles on the Administrators page"),
    ),
    ErrorCode.ADMIN_DOWNGRADE: (
        "admin_list",
        Action.ADMINS_VIEW,
        _("Change their roles on the Administrators page"),
    ),
    ErrorCode.CUSTOMER_BUSY: (
        "overview",
        Action.ORG_VIEW,
        _("Follow the organisation's status on the Overview page"),
    ),
}
# Packages are the partner's: its administrators change them; a customer administrator asks for them.
_PACKAGE_CODES = frozenset(
    {ErrorCode.PACKAGE_NOT_HELD, ErrorCode.PACKAGE_LIMIT_REACHED, ErrorCode.ADDON_WITHOUT_BASE}
)
RETRYABLE = frozenset(_CONTROL_PAGES) | _PACKAGE_CODES


def error_codes(exc: ValidationError) -> list[int]:
    """The codes of a service's ValidationError, in order (a message without one is left out)."""
    if hasattr(exc, "error_dict"):
        errors = [error for group in exc.error_dict.values() for error in group]
    else:
        errors = exc.error_list
    return [e.code for e in errors if isinstance(e.code, int)]


def _url(name: str, **kwargs) -> str | None:
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return None


def fix_for(code, *, actor, customer: Customer) -> Fix | None:
    """The page that fixes ``code`` for this person, or None (the order itself is to be corrected, or the
    person may not open the page)."""
    try:
        code = ErrorCode(code)
    except ValueError:
        return None
    org = customer.org
    if code in _PACKAGE_CODES:
        partner = org.parent
        if partner is not None and may(actor, Action.WHOLESALE_MANAGE, org):
            url = _url("partner:customer_packages", org_id=partner.webex_id, customer_id=customer.webex_id)
            return Fix(_("Change the customer's packages"), url) if url else None
        url = _url("control:help", org_id=org.webex_id)
        return Fix(_("Ask your partner for the package on the Help page"), url) if url else None
    if code not in _CONTROL_PAGES:
        return None
    name, action, label = _CONTROL_PAGES[code]
    if not may(actor, action, org):
        return None
    url = _url(f"control:{name}", org_id=org.webex_id)
    return Fix(label, url) if url else None


def fixes_for(codes: Iterable, *, actor, customer: Customer) -> list[Fix]:
    """The distinct pages that fix these codes, in the order of the codes."""
    found: list[Fix] = []
    for code in codes:
        fix = fix_for(code, actor=actor, customer=customer)
        if fix is not None and fix not in found:
            found.append(fix)
    return found


def retryable(codes: Iterable) -> bool:
    """Whether an order refused with these codes may pass once their causes are fixed on other pages (every
    code is such a cause; an order with a mistake of its own needs correcting first)."""
    codes = list(codes)
    return bool(codes) and all(code in RETRYABLE for code in codes)
