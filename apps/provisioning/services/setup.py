"""The write of Partner Hub's "Set up customer" wizard: create the new locations, then each user.

Each new location is created on its own (``location_create``); then each user in its own transaction: a
number not yet in the inventory joins the user's location (``numbers_add``), then the subscriber is added
(``subscriber_add``). A user that is refused undoes only itself; the result lists what was created and what
failed, with the services' messages. Every rule stays in those services: nothing is checked here twice.

Also the few pure helpers the wizard shares with this write (how a row names its location, what its typed
number means), so that the checks before and the write agree.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.accounts.permissions import Action, require
from apps.core.models import Organization
from apps.customers.models import Customer
from apps.locations.models import Location
from apps.locations.selectors import locations_of, number_by_e164
from apps.locations.services.locations import location_create
from apps.locations.services.numbers import e164_parse, numbers_add
from apps.packages import catalogue
from apps.subscribers.models import Subscriber
from apps.subscribers.services.subscribers import subscriber_add

# A service key → the wizard field it concerns (``numbers_add`` names its input ``phone_numbers``).
_KEY_LABELS = {"phone_numbers": "phone_number"}


@dataclass(frozen=True)
class SetupUser:
    """One person to add. ``location`` names a location of the customer (one this call creates too;
    blank: the headquarters); it, ``phone_number`` and ``extension`` only count for a calling package.
    A typed number not yet in the customer's inventory is added to that location."""

    email: str
    package: str
    first_name: str = ""
    last_name: str = ""
    location: str = ""
    phone_number: str = ""
    extension: str = ""


@dataclass(frozen=True)
class SetupFailure:
    """A row that was not created: its position in the input, its name, and why (one line a message)."""

    index: int
    name: str
    errors: list[str]


@dataclass
class SetupResult:
    locations: list[Location] = field(default_factory=list)
    subscribers: list[Subscriber] = field(default_factory=list)
    failed_locations: list[SetupFailure] = field(default_factory=list)
    failed_users: list[SetupFailure] = field(default_factory=list)


# --- shared with the wizard's checks -----------------------------------------------------------------------


def package_has_calling(code: str) -> bool:
    package = catalogue.package_get(code or "")
    return package is not None and package.has_calling


def headquarters_of(locations: Sequence[Location]) -> Location | None:
    """The headquarters among ``locations`` (failing that, the first one)."""
    return next((loc for loc in locations if loc.is_headquarters), locations[0] if locations else None)


def location_named(locations: Sequence[Location], name: str) -> Location | None:
    """Locations are named, not numbered, in the wizard: the one of that name, whatever its case."""
    key = (name or "").casefold()
    return next((loc for loc in locations if loc.name.casefold() == key), None)


def user_location(locations: Sequence[Location], name: str) -> Location | None:
    """The location a user row names; none named: the headquarters. None when no such location exists."""
    name = (name or "").strip()
    return location_named(locations, name) if name else headquarters_of(locations)


def setup_number_plan(*, actor: User, org: Organization, text: str, country: str = "") -> tuple[str, bool]:
    """(E.164 of a typed number or "", whether it is new to the organisation's inventory); a
    ValidationError when it is no phone number, or a new one not of ``country``."""
    text = (text or "").strip()
    if not text:
        return "", False
    e164 = e164_parse(text)
    if number_by_e164(actor=actor, org=org, e164=e164) is not None:
        return e164, False
    return e164_parse(text, country=country or None), True


def error_lines(exc: Exception) -> list[str]:
    """A refusal as lines to show: "Field: message" for a keyed ValidationError."""
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        return [
            text
            if key == NON_FIELD_ERRORS
            else f"{_KEY_LABELS.get(key, key).replace('_', ' ').capitalize()}: {text}"
            for key, texts in exc.message_dict.items()
            for text in texts
        ]
    if isinstance(exc, ValidationError):
        return list(exc.messages)
    return [str(exc) or _("You may not do this here.")]


# --- the write ---------------------------------------------------------------------------------------------


def _user_create(
    *, actor: User, customer: Customer, locations: list[Location], user: SetupUser
) -> Subscriber:
    """One user in one transaction: a new number joins its location's inventory, then the subscriber is
    added; a refusal of either undoes both."""
    calling = package_has_calling(user.package)
    location = None
    if calling:
        location = user_location(locations, user.location)
        if location is None:
            raise ValidationError(
                {"location": _("The location “%(name)s” was not created.") % {"name": user.location}}
            )
    with transaction.atomic():
        e164, new = ("", False)
        if calling:
            e164, new = setup_number_plan(
                actor=actor, org=customer.org, text=user.phone_number, country=location.country
            )
        if new:
            numbers_add(actor=actor, location=location, phone_numbers=[e164])
        return subscriber_add(
            actor=actor,
            customer=customer,
            email=user.email,
            package=user.package,
            first_name=user.first_name,
            last_name=user.last_name,
            phone_number=e164,
            extension=(user.extension or "").strip() if calling else "",
            location=location.webex_id if location else "",
        )


def customer_setup_apply(
    *,
    actor: User,
    customer: Customer,
    locations: Sequence[Mapping[str, str]],
    users: Sequence[SetupUser],
) -> SetupResult:
    """Create ``locations`` (each a mapping of ``location_create`` values), then every one of ``users``.

    Not atomic as a whole, by design: each location and each user stands alone, so one refusal holds back
    nothing else. A user whose location failed to be created fails with it."""
    require(actor, Action.USERS_PROVISION, customer.org)
    result = SetupResult()
    for index, values in enumerate(locations):
        try:
            location = location_create(actor=actor, org=customer.org, values=dict(values))
        except (ValidationError, PermissionDenied) as exc:
            result.failed_locations.append(
                SetupFailure(index=index, name=str(values.get("name", "")), errors=error_lines(exc))
            )
        else:
            result.locations.append(location)
    existing = list(locations_of(actor=actor, scope=customer.org))
    for index, user in enumerate(users):
        try:
            subscriber = _user_create(actor=actor, customer=customer, locations=existing, user=user)
        except (ValidationError, PermissionDenied) as exc:
            result.failed_users.append(SetupFailure(index=index, name=user.email, errors=error_lines(exc)))
        else:
            result.subscribers.append(subscriber)
    return result
