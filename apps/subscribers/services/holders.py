"""The rules and writes every holder of a package shares — subscribers and workspaces: keyed errors,
readiness of the customer, package limits (counting subscribers AND workspaces of the package, excluding the
holder itself), calling details (number / extension / location) and assigning and releasing them.

``services.subscribers`` and ``services.workspaces`` build their plans on ``Plan`` and keep only what is
theirs (a person's e-mail and consent, a workspace's name, when calling details are required, and whether a
change keeps the held number or replaces the calling details exactly). A holder's number and extension are
held through the foreign key ``apps.locations.services.numbers.HOLDER_FIELDS`` names for its model.

Every refusal is a ``ValidationError`` keyed by field, each message carrying an ``ErrorCode`` as its code.
"""

import copy
from dataclasses import dataclass
from typing import NoReturn, TypeVar
from uuid import UUID, uuid4

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.errors import ErrorCode, Errors, refuse, text
from apps.core.ids import IdType, decode_id
from apps.core.inserts import Inserts
from apps.customers.models import Customer, CustomerStatus
from apps.customers.selectors import packages_held
from apps.locations.models import Extension, Location, PhoneNumber
from apps.locations.services.numbers import (
    HOLDER_FIELDS,
    e164_parse,
    extension_length_in,
    extension_validate,
    holder_locked,
)
from apps.packages.catalogue import Package
from apps.subscribers.models import Subscriber, Workspace

# A customer takes holders once provisioned (with errors too: the packages that did provision work).
READY = frozenset(
    {CustomerStatus.PROVISIONED, CustomerStatus.PROVISIONED_WITH_ERRORS, CustomerStatus.UPDATING}
)
Holder = Subscriber | Workspace
# Whole sentences per kind of holder (``noun``), never a noun spliced into one sentence: a translation needs
# the sentence.
_NOT_READY = {
    "subscribers": gettext_lazy("%(org)s is %(status)s: it takes subscribers once provisioned."),
    "workspaces": gettext_lazy("%(org)s is %(status)s: it takes workspaces once provisioned."),
}
_LIMIT_REACHED = {
    "subscribers": gettext_lazy("%(org)s may have at most %(limit)s %(package)s subscribers."),
    "workspaces and users": gettext_lazy(
        "%(org)s may have at most %(limit)s %(package)s workspaces and users."
    ),
}
H = TypeVar("H", Subscriber, Workspace)
# Where a holder is by default: the headquarters, else the first location by name.
DEFAULT_LOCATION_ORDER = ("-is_headquarters", "name")


@dataclass
class Plan:
    """A checked order of a holder: what its service will write."""

    customer: Customer
    package: Package | None = None
    location: Location | None = None
    number: PhoneNumber | None = None
    extension: str = ""


def _field(holder: Holder) -> str:
    return HOLDER_FIELDS[holder._meta.label_lower]


def _held_by(row: PhoneNumber | Extension, holder: Holder | None) -> bool:
    return holder is not None and getattr(row, f"{_field(holder)}_id") == holder.pk


# --- what the checks read --------------------------------------------------------------------------------


class Lookups:
    """What the checks read from the database about one customer, one query per question. A CSV import's
    chunk uses ``PrefetchedLookups`` instead: the same answers from a few set queries."""

    def __init__(self, customer: Customer):
        self.customer = customer

    def held_packages(self) -> set[str]:
        return held_packages(self.customer)

    def held_among(self, codes: set[str]) -> set[str]:
        """Which of these packages the customer holds (what a package check asks)."""
        return self.held_packages() & codes

    def holders_count(self, code: str, *, but: Holder | None) -> int:
        return _holders_count(self.customer, code, but=but)

    def location(self, reference: str) -> Location | None:
        return location_find(customer=self.customer, reference=reference)

    def default_location(self) -> Location | None:
        """The headquarters (or the first location by name)."""
        return Location.objects.filter(org_id=self.customer.org_id).order_by(*DEFAULT_LOCATION_ORDER).first()

    def number(self, e164: str) -> PhoneNumber | None:
        return PhoneNumber.objects.filter(org_id=self.customer.org_id, e164=e164).first()

    def extension_clean(self, extension: str) -> str:
        # The extension length of the customer's template snapshot: read with the customer, not again.
        length = extension_length_in(self.customer.template_settings)
        return extension_validate(extension=extension, length=length, org_name=self.customer.org.name)

    def extension_taken(self, extension: str, *, holder: Holder | None) -> bool:
        taken = Extension.objects.filter(org_id=self.customer.org_id, extension=extension)
        if holder is not None:
            taken = taken.exclude(**{_field(holder): holder})
        return taken.exists()


class PrefetchedLookups(Lookups):
    """``Lookups`` for a batch of new holders of one customer, checked in order: the customer's packages,
    locations and extension length read once, the numbers and extensions the batch names read in one query
    each; ``take`` records what a checked holder will hold, so that the next ones see it as taken."""

    def __init__(self, customer: Customer, *, numbers: set[str], extensions: set[str]):
        super().__init__(customer)
        org_id = customer.org_id
        self._held = held_packages(customer)
        self._counts: dict[str, int] = {}
        limits = customer.package_limits or {}
        counted = [code for code, limit in limits.items() if isinstance(limit, int) and code in self._held]
        if counted:
            for model in (Subscriber, Workspace):
                rows = model.objects.filter(customer=customer, package__in=counted).order_by()
                for code, n in rows.values_list("package").annotate(n=Count("pk")):
                    self._counts[code] = self._counts.get(code, 0) + n
        self._locations = list(Location.objects.filter(org_id=org_id).order_by(*DEFAULT_LOCATION_ORDER))
        self._length = extension_length_in(customer.template_settings)
        self._numbers = {
            n.e164: n
            for n in PhoneNumber.objects.filter(org_id=org_id, e164__in=numbers).select_related("location")
        }
        self._extensions = set(
            Extension.objects.filter(org_id=org_id, extension__in=extensions).values_list(
                "extension", flat=True
            )
        )

    def held_packages(self) -> set[str]:
        return set(self._held)

    def holders_count(self, code: str, *, but: Holder | None) -> int:
        assert but is None, "prefetched lookups check new holders only"
        return self._counts.get(code, 0)

    def location(self, reference: str) -> Location | None:
        reference = text(reference)
        if not reference:
            return None
        uuid = _uuid_of(reference)
        by_id = next((loc for loc in self._locations if loc.pk == uuid), None) if uuid else None
        if by_id is not None:
            return by_id
        wanted = reference.upper()  # PostgreSQL's iexact: UPPER() on both sides
        return next((loc for loc in self._locations if loc.name.upper() == wanted), None)

    def default_location(self) -> Location | None:
        return self._locations[0] if self._locations else None

    def number(self, e164: str) -> PhoneNumber | None:
        return self._numbers.get(e164)

    def extension_clean(self, extension: str) -> str:
        return extension_validate(extension=extension, length=self._length, org_name=self.customer.org.name)

    def extension_taken(self, extension: str, *, holder: Holder | None) -> bool:
        assert holder is None, "prefetched lookups check new holders only"
        return extension in self._extensions

    def take(self, plan: "Plan") -> None:
        """A checked new holder of the batch will hold what its plan names."""
        code = plan.package.code
        self._counts[code] = self._counts.get(code, 0) + 1
        if plan.extension:
            self._extensions.add(plan.extension)
        if plan.number is not None:
            # Held from now on by a holder of this batch (not written yet): a later one naming the number
            # is refused as the database would refuse it, "already assigned".
            taken = copy.copy(plan.number)
            taken.subscriber_id = uuid4()
            self._numbers[taken.e164] = taken


# --- checks ------------------------------------------------------------------------------------------------


def check_customer(customer: Customer, errors: Errors, *, noun: str) -> None:
    """The customer takes ``noun`` (subscribers, workspaces) only once provisioned."""
    if customer.status not in READY:
        errors.add(
            "customer",
            ErrorCode.CUSTOMER_BUSY,
            _NOT_READY[noun] % {"org": customer.org.name, "status": customer.get_status_display().lower()},
        )


def held_packages(customer: Customer) -> set[str]:
    """The codes of the packages the customer holds (provisioned)."""
    return packages_held(customer=customer)


def _holders_count(customer: Customer, code: str, *, but: Holder | None) -> int:
    """How many subscribers and workspaces of the customer hold the package, ``but`` itself left out."""
    counted = []
    for model in (Subscriber, Workspace):
        rows = model.objects.filter(customer=customer, package=code)
        if isinstance(but, model):
            rows = rows.exclude(pk=but.pk)
        counted.append(rows.order_by().values("pk"))
    return counted[0].union(counted[1], all=True).count()


def check_package(
    package: Package,
    customer: Customer,
    errors: Errors,
    *,
    holder: Holder | None = None,
    noun: str,
    lookups: Lookups | None = None,
) -> None:
    """The customer holds the package (an add-on beside one of its bases) and its limit leaves room for
    ``holder`` (None: a new one); ``noun`` names who the limit counts in its message."""
    lookups = lookups or Lookups(customer)
    held = lookups.held_among({package.code, *package.requires_one_of})
    if package.code not in held:
        errors.add(
            "package",
            ErrorCode.PACKAGE_NOT_HELD,
            _("%(org)s does not hold the %(package)s package.")
            % {"org": customer.org.name, "package": package.name},
        )
        return
    if package.requires_one_of and not held & set(package.requires_one_of):
        errors.add(
            "package",
            ErrorCode.ADDON_WITHOUT_BASE,
            _("%(package)s needs one of %(bases)s on the customer.")
            % {"package": package.name, "bases": ", ".join(package.requires_names)},
        )
    limit = (customer.package_limits or {}).get(package.code)
    countable = isinstance(limit, int) and not isinstance(limit, bool)
    if countable and lookups.holders_count(package.code, but=holder) >= limit:
        errors.add(
            "package",
            ErrorCode.PACKAGE_LIMIT_REACHED,
            _LIMIT_REACHED[noun] % {"org": customer.org.name, "limit": f"{limit:,}", "package": package.name},
        )


def _uuid_of(reference: str) -> UUID | None:
    """A location's Webex id or bare uuid, decoded; None for anything else (a name)."""
    uuid = decode_id(reference, IdType.LOCATION)
    if uuid is None:
        try:
            uuid = UUID(reference)
        except ValueError:
            uuid = None
    return uuid


def location_find(*, customer: Customer, reference: str) -> Location | None:
    """One of the customer's locations by its Webex id, its uuid or its exact name (case-insensitive)."""
    reference = text(reference)
    if not reference:
        return None
    locations = Location.objects.filter(org_id=customer.org_id)
    uuid = _uuid_of(reference)
    if uuid is not None:
        found = locations.filter(pk=uuid).first()
        if found is not None:
            return found
    return locations.filter(name__iexact=reference).first()


def holds_calling(holder: Holder | None) -> bool:
    """Whether the holder already holds a number or an extension."""
    if holder is None:
        return False
    held = {_field(holder): holder}
    return PhoneNumber.objects.filter(**held).exists() or Extension.objects.filter(**held).exists()


def check_calling(
    *,
    order: dict,
    errors: Errors,
    plan: Plan,
    holder: Holder | None,
    required: str | None,
    keeps_held: bool = False,
    lookups: Lookups | None = None,
) -> None:
    """The order's ``location``, ``phone_number`` and ``extension`` for a calling package, into the plan: a
    location of the customer; a number of its inventory, free (or the holder's own) and of that location;
    an extension free in the organisation (or the holder's own); without a location, the number's, the
    holder's or the headquarters. ``required``: the message when neither a number nor an extension is
    given, None when that is fine. ``keeps_held``: the holder keeps the number it holds unless a new one is
    given (a subscriber's package change), so that number must be of the location asked for too."""
    customer = plan.customer
    lookups = lookups or Lookups(customer)
    number_text, extension_text = text(order.get("phone_number")), text(order.get("extension"))
    location_text = text(order.get("location"))
    if location_text:
        plan.location = lookups.location(location_text)
        if plan.location is None:
            errors.add(
                "location",
                ErrorCode.LOCATION_UNKNOWN,
                _("%(org)s has no such location.") % {"org": customer.org.name},
            )
            return
    if number_text:
        try:
            e164 = e164_parse(number_text)
        except ValidationError as exc:
            errors.add("phone_number", ErrorCode.PHONE_NUMBER_INVALID, exc.messages[0])
        else:
            number = lookups.number(e164)
            if number is None:
                errors.add(
                    "phone_number",
                    ErrorCode.PHONE_NUMBER_INVALID,
                    _("%(number)s is not in %(org)s's number inventory: add it to a location first.")
                    % {"number": e164, "org": customer.org.name},
                )
            elif number.is_assigned and not _held_by(number, holder):
                errors.add(
                    "phone_number",
                    ErrorCode.PHONE_NUMBER_IN_USE,
                    _("%(number)s is already assigned.") % {"number": e164},
                )
            elif plan.location is not None and number.location_id != plan.location.pk:
                errors.add(
                    "phone_number",
                    ErrorCode.PHONE_NUMBER_INVALID,
                    _("%(number)s belongs to another location than %(location)s.")
                    % {"number": e164, "location": plan.location.name},
                )
            else:
                plan.number = number
                plan.location = plan.location or number.location
    if extension_text:
        try:
            plan.extension = lookups.extension_clean(extension_text)
        except ValidationError as exc:
            errors.add("extension", ErrorCode.EXTENSION_INVALID, exc.messages[0])
        else:
            if lookups.extension_taken(plan.extension, holder=holder):
                errors.add(
                    "extension",
                    ErrorCode.EXTENSION_IN_USE,
                    _("Extension %(extension)s is already in use in %(org)s.")
                    % {"extension": plan.extension, "org": customer.org.name},
                )
    if keeps_held and holder is not None and location_text and plan.location is not None and not number_text:
        elsewhere = PhoneNumber.objects.filter(**{_field(holder): holder}).exclude(location=plan.location)
        for e164 in elsewhere.values_list("e164", flat=True):
            errors.add(
                "phone_number",
                ErrorCode.PHONE_NUMBER_INVALID,
                _("%(number)s belongs to another location than %(location)s: give a number of %(location)s.")
                % {"number": e164, "location": plan.location.name},
            )
    if required and not number_text and not extension_text:
        errors.add("phone_number", ErrorCode.CALLING_NUMBER_REQUIRED, required)
    if plan.location is None:
        current = holder.location if holder is not None and holder.location_id else None
        plan.location = current or lookups.default_location()
        if plan.location is None:
            errors.add(
                "location",
                ErrorCode.LOCATION_UNKNOWN,
                _("%(org)s has no location for calling yet.") % {"org": customer.org.name},
            )


# --- writes ------------------------------------------------------------------------------------------------


def locked_customer(customer: Customer) -> Customer:
    """The customer row locked for update (its own table only: PostgreSQL-safe): this write and every other
    write of the customer's holders take turns (a single subscriber's add shares the lock, see
    ``subscribers.OrderLookups``), so package limits and names are checked against what the others wrote."""
    return (
        Customer.objects.select_for_update(of=("self",))
        .select_related("org", "org__parent")
        .get(pk=customer.pk)
    )


def locked_holder(holder: H) -> H:
    """The holder's row locked, with its customer, organisation and location (``numbers.holder_locked``)."""
    return holder_locked(holder)


def assign_calling(
    holder: Holder, plan: Plan, *, new: bool = False, replace: bool = False, inserts: Inserts | None = None
) -> None:
    """Give the holder the plan's number and extension. ``replace``: exactly those, freeing the others it
    held (a number or an extension left out of the plan is freed); otherwise a held number or extension is
    kept unless the plan gives a new one. ``new``: the holder was created in this transaction and holds
    nothing yet (nothing is freed or looked up again). ``inserts``: the caller's rows to write (a new
    holder's, not written yet): the extension joins them, and the caller refuses it with
    ``refuse_extension_taken`` when the database does."""
    key = _field(holder)
    number = plan.number
    takes_number = number is not None and not _held_by(number, holder)
    if not new and (replace or takes_number):
        held = PhoneNumber.objects.filter(**{key: holder})
        if number is not None:
            held = held.exclude(pk=number.pk)
        held.update(**{key: None})
    if takes_number:
        free = {f"{name}__isnull": True for name in HOLDER_FIELDS.values()}
        if not PhoneNumber.objects.filter(pk=number.pk, **free).update(**{key: holder}):
            refuse(
                "phone_number",
                ErrorCode.PHONE_NUMBER_IN_USE,
                _("%(number)s was just assigned.") % {"number": number.e164},
            )
    if not new and (replace or plan.extension):
        Extension.objects.filter(**{key: holder}).exclude(extension=plan.extension).delete()
    if not plan.extension:
        return
    if not new and Extension.objects.filter(**{key: holder}, extension=plan.extension).exists():
        return
    extension = Extension(org_id=plan.customer.org_id, extension=plan.extension, **{key: holder})
    if inserts is not None:
        inserts.add(extension)
        return
    try:
        # No savepoint of its own: a refusal leaves the service's atomic block, which rolls back to its own
        # savepoint (or the transaction), so one round trip to the database fewer each way.
        with transaction.atomic(savepoint=False):
            extension.save(force_insert=True)
    except IntegrityError:  # taken by a concurrent request since the check
        refuse_extension_taken(plan)


def refuse_extension_taken(plan: Plan) -> NoReturn:
    """The plan's extension, checked free, was taken by a concurrent request before it was written."""
    refuse(
        "extension",
        ErrorCode.EXTENSION_IN_USE,
        _("Extension %(extension)s was just taken.") % {"extension": plan.extension},
    )


def assign_calling_batch(assignments: list[tuple[Holder, Plan]]) -> None:
    """``assign_calling(holder, plan, new=True)`` for many holders created in the caller's transaction: a
    conditional update per number, one insert for every extension. A number or an extension taken meanwhile
    by a concurrent write raises IntegrityError (the caller's savepoint rolls the batch back)."""
    free = {f"{name}__isnull": True for name in HOLDER_FIELDS.values()}
    extensions = []
    for holder, plan in assignments:
        key = _field(holder)
        taken = plan.number is not None and PhoneNumber.objects.filter(pk=plan.number.pk, **free).update(
            **{key: holder}
        )
        if plan.number is not None and not taken:
            raise IntegrityError(f"{plan.number.e164} was just assigned.")
        if plan.extension:
            # The holder by its id (``<key>_id``): it was saved just now, and nothing reads these rows back.
            extensions.append(
                Extension(org_id=plan.customer.org_id, extension=plan.extension, **{f"{key}_id": holder.pk})
            )
    Extension.objects.bulk_create(extensions)


def calling_of(holder: Holder) -> dict:
    """The holder's numbers, extensions and location (for audit entries)."""
    held = {_field(holder): holder}
    return {
        "phone_numbers": sorted(PhoneNumber.objects.filter(**held).values_list("e164", flat=True)),
        "extensions": sorted(Extension.objects.filter(**held).values_list("extension", flat=True)),
        "location": str(holder.location_id) if holder.location_id else None,
    }


def calling_planned(holder: Holder, plan: Plan) -> dict:
    """What a new holder holds once ``assign_calling(..., new=True)`` ran: ``calling_of`` without reading it
    again."""
    return {
        "phone_numbers": [plan.number.e164] if plan.number is not None else [],
        "extensions": [plan.extension] if plan.extension else [],
        "location": str(holder.location_id) if holder.location_id else None,
    }


def release_calling(holder: Holder) -> dict:
    """Free the holder's numbers and extensions; returns what they held (for the audit entry)."""
    held = calling_of(holder)
    key = _field(holder)
    PhoneNumber.objects.filter(**{key: holder}).update(**{key: None})
    Extension.objects.filter(**{key: holder}).delete()
    return held
