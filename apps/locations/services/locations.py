"""Writes about a customer's locations: create, change and delete, each checked, validated and audited.

The headquarters location is created at provisioning and is never deleted here; a location holding an
assigned number is not deleted either (release the number first). Validation errors name the service's
field keys (``name``, ``address_line1`` ... ``country``, ``timezone``, ``language``,
``emergency_location_identifier``) so that a form and the API can place them.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.models import User
from apps.accounts.permissions import Action, may, require
from apps.core.models import Organization
from apps.core.services import audit_record
from apps.core.validators import has_unsafe_characters
from apps.customers.models import Customer
from apps.locations.models import Location, PhoneNumber
from apps.packages import locales

NAME_MAX = 80
ADDRESS_LINE_MAX = 50
# Field → its longest value; every other text field of a location is bounded here too.
TEXT_LIMITS = {
    "name": NAME_MAX,
    "address_line1": ADDRESS_LINE_MAX,
    "address_line2": ADDRESS_LINE_MAX,
    "city": 100,
    "state_or_province": 100,
    "zip_or_postal_code": 20,
    "country": 2,
    "timezone": 64,
    "language": 5,
    "emergency_location_identifier": 64,
}
FIELDS = tuple(TEXT_LIMITS)
REQUIRED = ("name", "address_line1", "city", "country", "timezone", "language")
_MISSING = {
    "name": gettext_lazy("Enter the name."),
    "address_line1": gettext_lazy("Enter the first address line."),
    "city": gettext_lazy("Enter the city."),
    "country": gettext_lazy("Enter the country."),
    "timezone": gettext_lazy("Enter the time zone."),
    "language": gettext_lazy("Enter the language."),
}


def _snapshot(location: Location) -> dict:
    return {field: getattr(location, field) for field in FIELDS}


def location_clean(values: dict) -> dict:
    """Every location field as stored; all problems at once as a ValidationError keyed by field."""
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, str] = {}
    for field in FIELDS:
        raw = values.get(field, "")
        if raw is None:
            raw = ""
        if not isinstance(raw, str):
            errors.setdefault(field, []).append(_("Enter text."))
            continue
        value = raw.strip()
        if "\x00" in value:
            errors.setdefault(field, []).append(_("Remove the null character."))
            continue
        if has_unsafe_characters(value):
            errors.setdefault(field, []).append(_("Remove the control or text-direction characters."))
            continue
        if len(value) > TEXT_LIMITS[field]:
            errors.setdefault(field, []).append(
                _("Keep this to %(limit)s characters.") % {"limit": TEXT_LIMITS[field]}
            )
            continue
        if not value and field in REQUIRED:
            errors.setdefault(field, []).append(str(_MISSING[field]))
            continue
        cleaned[field] = value
    if cleaned.get("country"):
        cleaned["country"] = cleaned["country"].upper()
        if not locales.is_country(cleaned["country"]):
            errors.setdefault("country", []).append(
                _("“%(code)s” is not a country code.") % {"code": cleaned["country"]}
            )
    if cleaned.get("timezone") and not locales.is_time_zone(cleaned["timezone"]):
        errors.setdefault("timezone", []).append(
            _("“%(zone)s” is not a time zone (such as America/New_York).") % {"zone": cleaned["timezone"]}
        )
    if cleaned.get("language"):
        language = locales.normalise_locale(cleaned["language"])
        if language not in locales.SUPPORTED_LOCALES:
            errors.setdefault("language", []).append(
                _("“%(locale)s” is not a supported locale (such as en_US).") % {"locale": cleaned["language"]}
            )
        cleaned["language"] = language
    if errors:
        raise ValidationError(errors)
    return cleaned


def _name_taken(*, org: Organization, name: str, exclude: Location | None = None) -> bool:
    qs = Location.objects.filter(org=org, name__iexact=name)
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return qs.exists()


def _name_taken_message(*, org: Organization, name: str) -> str:
    return _("%(org)s already has a location named “%(name)s”.") % {"org": org.name, "name": name}


def _check_customer_org(org: Organization) -> None:
    if not org.is_customer:
        raise ValidationError({"org": _("Locations belong to customer organisations.")})


@transaction.atomic
def location_create(*, actor: User, org: Organization, values: dict) -> Location:
    require(actor, Action.ORG_MANAGE, org)
    _check_customer_org(org)
    cleaned = location_clean(values)
    if _name_taken(org=org, name=cleaned["name"]):
        raise ValidationError({"name": _name_taken_message(org=org, name=cleaned["name"])})
    try:
        with transaction.atomic():
            location = Location.objects.create(org=org, is_headquarters=False, **cleaned)
    except IntegrityError:  # a concurrent create of the same name
        raise ValidationError({"name": _("A location of that name was just created.")}) from None
    audit_record(actor=actor, acting_org=org, action="location.create", target=location, after=cleaned)
    return location


@transaction.atomic
def location_update(*, actor: User, location: Location, values: dict) -> Location:
    org = location.org
    require(actor, Action.ORG_MANAGE, org)
    location = Location.objects.select_for_update().get(pk=location.pk)
    before = _snapshot(location)
    cleaned = location_clean({**before, **values})
    if _name_taken(org=org, name=cleaned["name"], exclude=location):
        raise ValidationError({"name": _name_taken_message(org=org, name=cleaned["name"])})
    if cleaned["country"] != location.country and PhoneNumber.objects.filter(location=location).exists():
        raise ValidationError(
            {"country": _("The location holds phone numbers of its country: delete them before moving it.")}
        )
    for field, value in cleaned.items():
        setattr(location, field, value)
    try:
        with transaction.atomic():
            location.save()
    except IntegrityError:
        raise ValidationError({"name": _("A location of that name was just created.")}) from None
    after = _snapshot(location)
    if after != before:
        audit_record(
            actor=actor,
            acting_org=org,
            action="location.update",
            target=location,
            before={k: v for k, v in before.items() if after[k] != v},
            after={k: v for k, v in after.items() if before[k] != v},
        )
    return location


def location_delete_problem(*, location: Location) -> str | None:
    """Why the location cannot be deleted, or None."""
    if location.is_headquarters:
        return _("The headquarters location cannot be deleted.")
    assigned = Q(subscriber__isnull=False) | Q(workspace__isnull=False)
    if PhoneNumber.objects.filter(assigned, location=location).exists():
        return _("Numbers of this location are assigned: release them before deleting it.")
    # Holders point at their location (subscribers and workspaces, in the app above): asked through the
    # reverse relations, which need no import of theirs.
    if location.workspaces.exists():
        return _("Workspaces are at this location: move or remove them before deleting it.")
    if location.subscribers.exists():
        return _("People make calls from this location: move them to another one before deleting it.")
    return None


@transaction.atomic
def location_delete(*, actor: User, location: Location) -> None:
    org = location.org
    require(actor, Action.ORG_MANAGE, org)
    # The customer's row first, as every write of its subscribers and workspaces takes it (an add shares it):
    # an add that chose this location has committed before the check below looks for the people at it, or
    # waits for this deletion and chooses another. (Holders point at their location through a deferred
    # foreign key: without this, the add's COMMIT failed once the location was gone.)
    list(Customer.objects.select_for_update(of=("self",)).filter(org_id=org.pk).values_list("pk", flat=True))
    location = Location.objects.select_for_update().get(pk=location.pk)
    problem = location_delete_problem(location=location)
    if problem:
        raise ValidationError(problem)
    numbers = PhoneNumber.objects.filter(location=location)
    released = list(numbers.values_list("e164", flat=True))
    if released and not may(actor, Action.NUMBERS_MANAGE, org):
        raise ValidationError(
            _("The location holds phone numbers: your partner removes them before it goes.")
        )
    numbers.delete()
    audit_record(
        actor=actor,
        acting_org=org,
        action="location.delete",
        target=location,
        before={**_snapshot(location), "numbers": len(released)},
    )
    location.delete()
