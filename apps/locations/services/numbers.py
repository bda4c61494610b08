"""Writes about phone numbers and extensions.

The inventory: numbers are added to a location one at a time or as a range (``start`` + ``count`` or
``start``–``end``, at most ``RANGE_MAX`` per request). A range is all or nothing: one invalid number, one
already in the inventory anywhere on the platform, or one of another country than the location's refuses
the whole request and nothing is written. Only an unassigned number is deleted.

Customer admins never manage the inventory themselves: the guide's always-restricted control "phone number
management" (``calling.phone_numbers`` in ``apps.restrictions``) leaves it to partner admins.

Assignment: a number or an extension is held by a *holder* — a ``Subscriber`` or a ``Workspace``
(``HOLDER_FIELDS`` maps a holder's model to the foreign key that holds it). Assigning or releasing is user
management (``users.manage``); the inventory is organisation management (``org.manage``).
"""

import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.accounts.permissions import Action, require
from apps.core.exceptions import ApplicationError
from apps.core.models import Organization
from apps.core.services import audit_record
from apps.customers.models import Customer
from apps.locations.models import Extension, Location, PhoneNumber
from apps.packages import catalogue

RANGE_MAX = 1000
EXTENSION_MIN_DIGITS = 2
EXTENSION_MAX_DIGITS = 10
_EXTENSION = re.compile(r"[0-9]+")
_E164_DIGITS = re.compile(r"\+[0-9]{2,15}")
# A holder's model label → the foreign key of PhoneNumber / Extension that holds it.
HOLDER_FIELDS: dict[str, str] = {"subscribers.subscriber": "subscriber", "subscribers.workspace": "workspace"}


def _count(n: int) -> str:
    """A count as the reader's language groups its digits (1,000 in English, 1 000 in French)."""
    return number_format(n, force_grouping=True)


def _require_inventory(actor: User, org: Organization) -> None:
    """The inventory is partner people's: restrictions always take ``numbers.manage`` from customer admins."""
    require(actor, Action.NUMBERS_MANAGE, org)


# --- numbers -----------------------------------------------------------------------------------------------


def e164_parse(value, *, country: str | None = None) -> str:
    """One number as E.164 ("+14155550100"), or a ValidationError saying what is wrong with it."""
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(_("Enter a phone number in E.164 form, such as +14155550100."))
    text = value.strip()
    shown = text[:24]
    if len(text) > 32 or not text.startswith("+"):
        raise ValidationError(
            _("“%(number)s” is not in E.164 form: start with + and the country code.") % {"number": shown}
        )
    try:
        parsed = phonenumbers.parse(text, None)
    except phonenumbers.NumberParseException:
        raise ValidationError(_("“%(number)s” is not a phone number.") % {"number": shown}) from None
    if not phonenumbers.is_valid_number(parsed):
        raise ValidationError(_("“%(number)s” is not a valid phone number.") % {"number": shown})
    e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    if country:
        region = phonenumbers.region_code_for_number(parsed)
        if region != country:
            message = (
                _("%(number)s is a number of %(region)s, not of %(country)s.")
                if region
                else _("%(number)s is a number of no country, not of %(country)s.")
            )
            raise ValidationError(message % {"number": e164, "region": region, "country": country})
    return e164


def number_range(*, start, count=None, end=None) -> list[str]:
    """The E.164 strings of a range; each is validated later: ``start`` + ``count`` or ``start``–``end``."""
    first = e164_parse(start)
    if (count is None) == (end in (None, "")):
        raise ValidationError({"count": _("Give either how many numbers or the last number of the range.")})
    if count is not None:
        if isinstance(count, bool) or not isinstance(count, int):
            raise ValidationError({"count": _("Give how many numbers as a whole number.")})
        if not 1 <= count <= RANGE_MAX:
            raise ValidationError(
                {"count": _("A range holds 1 to %(max)s numbers.") % {"max": _count(RANGE_MAX)}}
            )
    else:
        try:
            last = e164_parse(end)
        except ValidationError as exc:
            raise ValidationError({"end": exc.messages}) from None
        if len(last) != len(first) or last < first:
            raise ValidationError({"end": _("The last number must follow the first, with as many digits.")})
        count = int(last[1:]) - int(first[1:]) + 1
        if count > RANGE_MAX:
            raise ValidationError(
                {
                    "end": _("A range holds at most %(max)s numbers; this one %(count)s.")
                    % {"max": _count(RANGE_MAX), "count": _count(count)}
                }
            )
    base = int(first[1:])
    numbers = [f"+{base + i}" for i in range(count)]
    if not _E164_DIGITS.fullmatch(numbers[-1]) or len(numbers[-1]) != len(first):
        raise ValidationError({"count": _("The range runs past the numbering plan.")})
    return numbers


def _validate_for(*, location: Location, values: list) -> list[str]:
    """All of ``values`` as E.164 for ``location``, or one ValidationError listing every problem."""
    problems: list[str] = []
    numbers: list[str] = []
    for value in values:
        try:
            numbers.append(e164_parse(value, country=location.country))
        except ValidationError as exc:
            problems += exc.messages
    seen: set[str] = set()
    for number in numbers:
        if number in seen:
            problems.append(_("%(number)s is listed twice.") % {"number": number})
        seen.add(number)
    taken = sorted(PhoneNumber.objects.filter(e164__in=numbers).values_list("e164", flat=True))
    problems += [_("%(number)s is already in the inventory.") % {"number": number} for number in taken]
    if problems:
        shown = problems[:20]
        if len(problems) > 20:
            shown.append(_("… and %(count)s more problems.") % {"count": _count(len(problems) - 20)})
        raise ValidationError({"phone_numbers": shown})
    return numbers


@transaction.atomic
def numbers_add(*, actor: User, location: Location, phone_numbers: list) -> list[PhoneNumber]:
    """Add numbers to a location: all of them, or none."""
    org = location.org
    _require_inventory(actor, org)
    if not isinstance(phone_numbers, list) or not phone_numbers:
        raise ValidationError({"phone_numbers": _("Give at least one phone number.")})
    if len(phone_numbers) > RANGE_MAX:
        raise ValidationError(
            {"phone_numbers": _("Add at most %(max)s numbers at once.") % {"max": _count(RANGE_MAX)}}
        )
    numbers = _validate_for(location=location, values=phone_numbers)
    rows = [PhoneNumber(org=org, location=location, e164=number) for number in numbers]
    try:
        with transaction.atomic():
            PhoneNumber.objects.bulk_create(rows)
    except IntegrityError:  # a concurrent request added one of them first
        raise ValidationError(
            {"phone_numbers": _("Some of these numbers were just added elsewhere.")}
        ) from None
    audit_record(
        actor=actor,
        acting_org=org,
        action="numbers.add",
        target=location,
        after={"count": len(numbers), "first": numbers[0], "last": numbers[-1]},
    )
    return rows


def numbers_add_range(*, actor: User, location: Location, start, count=None, end=None) -> list[PhoneNumber]:
    _require_inventory(actor, location.org)
    return numbers_add(
        actor=actor, location=location, phone_numbers=number_range(start=start, count=count, end=end)
    )


@transaction.atomic
def number_delete(*, actor: User, number: PhoneNumber) -> None:
    _require_inventory(actor, number.org)
    number = PhoneNumber.objects.select_for_update().get(pk=number.pk)
    if number.is_assigned:
        raise ValidationError(_("The number is assigned: release it before deleting it."))
    audit_record(
        actor=actor,
        acting_org=number.org,
        action="number.delete",
        target=number,
        before={"number": number.e164, "location": str(number.location_id)},
    )
    number.delete()


# --- holders -----------------------------------------------------------------------------------------------


def _holder_field(holder: models.Model) -> str:
    field = HOLDER_FIELDS.get(holder._meta.label_lower)
    if field is None:
        raise TypeError(f"{holder._meta.label} cannot hold numbers or extensions")
    return field


def _holder_org_id(holder: models.Model):
    """Holders (subscribers, workspaces) belong to a customer; the organisation is the customer's."""
    return Customer.objects.filter(pk=holder.customer_id).values_list("org_id", flat=True).first()


def holder_locked(holder: models.Model) -> models.Model:
    """The holder's row locked (its own table only), with its customer, organisation and location: the first
    lock of every write of a holder's calling details (then the number or extension). A holder removed by a
    concurrent request since the caller read it is a 404, not a crash."""
    locked = (
        type(holder)
        ._default_manager.select_for_update(of=("self",))
        .select_related("customer", "customer__org", "location")
        .filter(pk=holder.pk)
        .first()
    )
    if locked is None:
        raise ApplicationError(_("%(holder)s was removed meanwhile.") % {"holder": holder}, status=404)
    return locked


def _check_holder(*, org: Organization, holder: models.Model) -> str:
    field = _holder_field(holder)
    if _holder_org_id(holder) != org.id:
        raise ValidationError(_("The holder belongs to another organisation."))
    return field


def _holder_of(row: PhoneNumber | Extension) -> models.Model | None:
    for field in HOLDER_FIELDS.values():
        if getattr(row, f"{field}_id") is not None:
            return getattr(row, field)
    return None


@transaction.atomic
def number_assign(*, actor: User, number: PhoneNumber, holder: models.Model) -> PhoneNumber:
    org = number.org
    require(actor, Action.USERS_MANAGE, org)
    field = _check_holder(org=org, holder=holder)
    number = PhoneNumber.objects.select_for_update().get(pk=number.pk)
    current = _holder_of(number)
    if current is not None:
        if current.pk == holder.pk and current._meta.label_lower == holder._meta.label_lower:
            return number
        raise ValidationError(
            {"phone_number": _("%(number)s is already assigned.") % {"number": number.e164}}
        )
    setattr(number, field, holder)
    number.save(update_fields=[field, "modified"])
    audit_record(
        actor=actor,
        acting_org=org,
        action="number.assign",
        target=number,
        after={"number": number.e164, "holder": holder._meta.label_lower, "holder_id": str(holder.pk)},
    )
    return number


@transaction.atomic
def number_release(*, actor: User, number: PhoneNumber) -> PhoneNumber:
    """Unassign a number (a no-op when it is not assigned)."""
    org = number.org
    require(actor, Action.USERS_MANAGE, org)
    holder = _holder_of(PhoneNumber.objects.get(pk=number.pk))
    if holder is None:
        return number
    # The holder first, then the number: the order every write of a holder's calling details locks in.
    holder = holder_locked(holder)
    number = PhoneNumber.objects.select_for_update().get(pk=number.pk)
    current = _holder_of(number)
    if current is None:
        return number
    if (current._meta.label_lower, current.pk) != (holder._meta.label_lower, holder.pk):
        raise ValidationError(_("%(number)s changed hands just now: try again.") % {"number": number.e164})
    field = _holder_field(holder)
    package = catalogue.package_get(holder.package)
    keeps_calling = (
        PhoneNumber.objects.filter(**{field: holder}).exclude(pk=number.pk).exists()
        or Extension.objects.filter(**{field: holder}).exists()
    )
    if package is not None and package.has_calling and not keeps_calling:
        raise ValidationError(
            _(
                "%(holder)s holds %(package)s, which needs a number or an extension: give them an extension "
                "or another package before releasing their only number."
            )
            % {"holder": holder, "package": package.name}
        )
    for field in HOLDER_FIELDS.values():
        setattr(number, field, None)
    number.save(update_fields=[*HOLDER_FIELDS.values(), "modified"])
    audit_record(
        actor=actor,
        acting_org=org,
        action="number.release",
        target=number,
        before={"number": number.e164, "holder": holder._meta.label_lower, "holder_id": str(holder.pk)},
    )
    return number


# --- extensions --------------------------------------------------------------------------------------------


def extension_length_of(*, org: Organization) -> int | None:
    """The organisation's extension length from its onboarding template snapshot, if it has one."""
    settings = Customer.objects.filter(org=org).values_list("template_settings", flat=True).first()
    return extension_length_in(settings)


def extension_length_in(settings) -> int | None:
    """``extension_length_of`` from a customer's template snapshot already read (``template_settings``)."""
    length = settings.get("extension_length") if isinstance(settings, dict) else None
    valid = isinstance(length, int) and not isinstance(length, bool)
    return length if valid and EXTENSION_MIN_DIGITS <= length <= EXTENSION_MAX_DIGITS else None


def extension_clean(*, org: Organization, extension) -> str:
    """An extension as stored: 2–10 digits, exactly the organisation's extension length when it has one."""
    return extension_validate(extension=extension, length=extension_length_of(org=org), org_name=org.name)


def extension_validate(*, extension, length: int | None, org_name: str) -> str:
    """``extension_clean`` with the organisation's extension length already read (a batch reads it once)."""
    if not isinstance(extension, str) or not _EXTENSION.fullmatch(extension.strip()):
        raise ValidationError({"extension": _("An extension is digits only.")})
    value = extension.strip()
    if not EXTENSION_MIN_DIGITS <= len(value) <= EXTENSION_MAX_DIGITS:
        raise ValidationError(
            {
                "extension": _("An extension has %(min)s to %(max)s digits.")
                % {"min": EXTENSION_MIN_DIGITS, "max": EXTENSION_MAX_DIGITS}
            }
        )
    if length is not None and len(value) != length:
        raise ValidationError(
            {
                "extension": _("Extensions of %(org)s have %(count)s digits.")
                % {"org": org_name, "count": length}
            }
        )
    return value


@transaction.atomic
def extension_reserve(*, actor: User, org: Organization, extension, holder: models.Model) -> Extension:
    require(actor, Action.USERS_MANAGE, org)
    field = _check_holder(org=org, holder=holder)
    value = extension_clean(org=org, extension=extension)
    existing = Extension.objects.select_for_update().filter(org=org, extension=value).first()
    if existing is not None:
        current = _holder_of(existing)
        if current is not None and current.pk == holder.pk:
            return existing
        raise ValidationError(
            {
                "extension": _("Extension %(extension)s is already in use in %(org)s.")
                % {"extension": value, "org": org.name}
            }
        )
    try:
        with transaction.atomic():
            row = Extension.objects.create(org=org, extension=value, **{field: holder})
    except IntegrityError:
        raise ValidationError(
            {"extension": _("Extension %(extension)s was just taken.") % {"extension": value}}
        ) from None
    audit_record(
        actor=actor,
        acting_org=org,
        action="extension.reserve",
        target=row,
        after={"extension": value, "holder": holder._meta.label_lower, "holder_id": str(holder.pk)},
    )
    return row


@transaction.atomic
def extension_release(*, actor: User, org: Organization, extension: str) -> None:
    """Free an extension of the organisation (a no-op when it is not reserved)."""
    require(actor, Action.USERS_MANAGE, org)
    row = Extension.objects.select_for_update().filter(org=org, extension=str(extension).strip()).first()
    if row is None:
        return
    holder = _holder_of(row)
    audit_record(
        actor=actor,
        acting_org=org,
        action="extension.release",
        target=row,
        before={
            "extension": row.extension,
            "holder": holder._meta.label_lower if holder else None,
            "holder_id": str(holder.pk) if holder else None,
        },
    )
    row.delete()
