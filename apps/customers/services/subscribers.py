"""Writes about subscribers: the people of a customer organisation, each holding exactly one package.

One set of rules behind every front door (the Wholesale Subscribers API, the Control Hub Users page, its CSV
import, the Partner Hub set-up wizard):

- ``subscriber_precheck`` checks an order and writes nothing (the API's ``/validate``, a form row, a CSV row);
- ``subscriber_add`` adds a person with one package;
- ``subscriber_change_package`` moves them to another package (asking a number or an extension when the new
  package has calling and they have neither);
- ``subscriber_remove`` takes the package and the person away;
- ``subscriber_consent_send`` / ``subscriber_consent_accept``: someone who already had a free account is
  added ``pending_user_migration`` and holds the package only once they accept the consent e-mail's
  signed link.

Every refusal is a ``ValidationError`` keyed by field (``email``, ``package``, ``first_name``, ``last_name``,
``phone_number``, ``extension``, ``location``, ``customer``, ``subscriber``), each message carrying a stable
``ErrorCode`` as its code, all problems of an order at once. Adding, changing packages and removing are
``USERS_PROVISION`` (restricted-by-partner mode takes it from customer admins).

The rules (the guide's Packages, Add Users Manually, Change User Package and Provision Wholesale Subscribers):
one package per subscriber, a package the customer holds (provisioned) and within its limit, an add-on only
beside one of its bases on the customer, a calling package with a number of the customer's inventory and/or
an extension, an e-mail nobody else has (10022), and a full administrator never below the customer's package.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User, UserRole
from apps.accounts.permissions import Action, require
from apps.accounts.roles import Role
from apps.accounts.services import person_create
from apps.core.ids import IdType, decode_id
from apps.core.services import audit_record
from apps.customers.models import (
    Customer,
    CustomerPackage,
    CustomerStatus,
    Location,
    PackageStatus,
    Subscriber,
    SubscriberStatus,
)
from apps.customers.numbers_models import Extension, PhoneNumber
from apps.packages import catalogue
from apps.packages.catalogue import Package
from apps.packages.constants import SUBSCRIBER_PACKAGES

from .history import assignment_change, assignment_close, assignment_first, assignment_open
from .numbers import e164_parse, extension_clean
from .provisioning import ErrorCode

NAME_MAX = 150
# A customer takes subscribers once provisioned (with errors too: the packages that did provision work).
READY = frozenset(
    {CustomerStatus.PROVISIONED, CustomerStatus.PROVISIONED_WITH_ERRORS, CustomerStatus.UPDATING}
)
CONSENT_SALT = "wholesalehub.subscriber-consent"
CONSENT_MAX_AGE = timedelta(days=30)


@dataclass
class _Errors:
    by_field: dict[str, list[ValidationError]] = field(default_factory=dict)

    def add(self, key: str, code: ErrorCode, message: str) -> None:
        self.by_field.setdefault(key, []).append(ValidationError(message, code=int(code)))

    def raise_if_any(self) -> None:
        if self.by_field:
            raise ValidationError(self.by_field)


def _refuse(key: str, code: ErrorCode, message: str):
    errors = _Errors()
    errors.add(key, code, message)
    errors.raise_if_any()


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ""


@dataclass
class _Plan:
    """A checked order: what ``subscriber_add`` / ``subscriber_change_package`` will write."""

    customer: Customer
    package: Package
    email: str = ""
    first_name: str = ""
    last_name: str = ""
    location: Location | None = None
    number: PhoneNumber | None = None
    extension: str = ""
    person: User | None = None  # an existing person of the organisation (say, an administrator)
    free_account: User | None = None  # an existing free account: consent first


# --- checks ------------------------------------------------------------------------------------------------


def _check_customer(customer: Customer, errors: _Errors) -> None:
    if customer.status not in READY:
        errors.add(
            "customer",
            ErrorCode.CUSTOMER_BUSY,
            f"{customer.org.name} is {customer.get_status_display().lower()}: it takes subscribers once "
            "provisioned.",
        )


def _check_email(email, customer: Customer, errors: _Errors, plan: _Plan) -> None:
    email = _text(email).lower()
    try:
        validate_email(email)
    except ValidationError:
        errors.add("email", ErrorCode.EMAIL_INVALID, "Enter a valid e-mail address.")
        return
    plan.email = email
    if Subscriber.objects.filter(email__iexact=email).exists():
        errors.add("email", ErrorCode.EMAIL_IN_USE, "The email is already associated with an existing user.")
        return
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        return
    if user.org_id == customer.org_id:
        plan.person = user
    elif user.org_id is None and not user.is_staff:
        plan.free_account = user
    else:
        errors.add("email", ErrorCode.EMAIL_IN_USE, "The email is already associated with an existing user.")


def _check_names(first_name, last_name, errors: _Errors, plan: _Plan) -> None:
    for key, value in (("first_name", first_name), ("last_name", last_name)):
        text = _text(value)
        if len(text) > NAME_MAX:
            errors.add(key, ErrorCode.PERSON_NAME_INVALID, f"At most {NAME_MAX} characters.")
        setattr(plan, key, text)


def _held_packages(customer: Customer) -> set[str]:
    return set(
        CustomerPackage.objects.filter(customer=customer, status=PackageStatus.PROVISIONED).values_list(
            "code", flat=True
        )
    )


def _check_package(
    code, customer: Customer, errors: _Errors, *, holder: Subscriber | None = None
) -> Package | None:
    package = catalogue.package_get(code) if code in SUBSCRIBER_PACKAGES else None
    if package is None:
        shown = str(code)[:40] if code else ""
        errors.add(
            "package",
            ErrorCode.SUBSCRIBER_PACKAGE_INVALID,
            f"“{shown}” is not a package a person can hold." if shown else "Choose a package.",
        )
        return None
    held = _held_packages(customer)
    if package.code not in held:
        errors.add(
            "package",
            ErrorCode.PACKAGE_NOT_HELD,
            f"{customer.org.name} does not hold the {package.name} package.",
        )
        return package
    if package.requires_one_of and not held & set(package.requires_one_of):
        errors.add(
            "package",
            ErrorCode.ADDON_WITHOUT_BASE,
            f"{package.name} needs one of {', '.join(package.requires_names)} on the customer.",
        )
    limit = (customer.package_limits or {}).get(package.code)
    if isinstance(limit, int) and not isinstance(limit, bool):
        holders = Subscriber.objects.filter(customer=customer, package=package.code)
        if holder is not None:
            holders = holders.exclude(pk=holder.pk)
        if holders.count() >= limit:
            errors.add(
                "package",
                ErrorCode.PACKAGE_LIMIT_REACHED,
                f"{customer.org.name} may have at most {limit:,} {package.name} subscribers.",
            )
    return package


def location_find(*, customer: Customer, reference: str) -> Location | None:
    """One of the customer's locations by its Webex id, its uuid or its exact name (case-insensitive)."""
    reference = _text(reference)
    if not reference:
        return None
    locations = Location.objects.filter(org_id=customer.org_id)
    uuid = decode_id(reference, IdType.LOCATION)
    if uuid is None:
        try:
            from uuid import UUID

            uuid = UUID(reference)
        except ValueError:
            uuid = None
    if uuid is not None:
        found = locations.filter(pk=uuid).first()
        if found is not None:
            return found
    return locations.filter(name__iexact=reference).first()


def _holds_calling(holder: Subscriber | None) -> bool:
    if holder is None:
        return False
    return (
        PhoneNumber.objects.filter(subscriber=holder).exists()
        or Extension.objects.filter(subscriber=holder).exists()
    )


def _check_calling(
    *,
    package: Package,
    customer: Customer,
    phone_number,
    extension,
    location,
    errors: _Errors,
    plan: _Plan,
    holder: Subscriber | None = None,
) -> None:
    number_text, extension_text, location_text = _text(phone_number), _text(extension), _text(location)
    if not package.has_calling:
        for key, value in (("phone_number", number_text), ("extension", extension_text)):
            if value:
                errors.add(
                    key,
                    ErrorCode.CALLING_NOT_IN_PACKAGE,
                    f"{package.name} has no calling: leave the phone number and extension empty.",
                )
        return
    if location_text:
        plan.location = location_find(customer=customer, reference=location_text)
        if plan.location is None:
            errors.add("location", ErrorCode.LOCATION_UNKNOWN, f"{customer.org.name} has no such location.")
            return
    if number_text:
        try:
            e164 = e164_parse(number_text)
        except ValidationError as exc:
            errors.add("phone_number", ErrorCode.PHONE_NUMBER_INVALID, exc.messages[0])
        else:
            number = PhoneNumber.objects.filter(org_id=customer.org_id, e164=e164).first()
            if number is None:
                errors.add(
                    "phone_number",
                    ErrorCode.PHONE_NUMBER_INVALID,
                    f"{e164} is not in {customer.org.name}'s number inventory: add it to a location first.",
                )
            elif number.is_assigned and (holder is None or number.subscriber_id != holder.pk):
                errors.add("phone_number", ErrorCode.PHONE_NUMBER_IN_USE, f"{e164} is already assigned.")
            elif plan.location is not None and number.location_id != plan.location.pk:
                errors.add(
                    "phone_number",
                    ErrorCode.PHONE_NUMBER_INVALID,
                    f"{e164} belongs to another location than {plan.location.name}.",
                )
            else:
                plan.number = number
                plan.location = plan.location or number.location
    if extension_text:
        try:
            plan.extension = extension_clean(org=customer.org, extension=extension_text)
        except ValidationError as exc:
            errors.add("extension", ErrorCode.EXTENSION_INVALID, exc.messages[0])
        else:
            taken = Extension.objects.filter(org_id=customer.org_id, extension=plan.extension)
            if holder is not None:
                taken = taken.exclude(subscriber=holder)
            if taken.exists():
                errors.add(
                    "extension",
                    ErrorCode.EXTENSION_IN_USE,
                    f"Extension {plan.extension} is already in use in {customer.org.name}.",
                )
    if not number_text and not extension_text and not _holds_calling(holder):
        errors.add(
            "phone_number",
            ErrorCode.CALLING_NUMBER_REQUIRED,
            f"{package.name} includes calling: give a phone number, an extension or both.",
        )
    if plan.location is None:
        current = holder.location if holder is not None and holder.location_id else None
        plan.location = (
            current
            or Location.objects.filter(org_id=customer.org_id).order_by("-is_headquarters", "name").first()
        )
        if plan.location is None:
            errors.add(
                "location",
                ErrorCode.LOCATION_UNKNOWN,
                f"{customer.org.name} has no location for calling yet.",
            )


def _check_admin_level(user_id, email: str, package: Package, customer: Customer, errors: _Errors) -> None:
    """The guide: no downgrade below the organisation's package for a full administrator."""
    if user_id is None:
        return
    is_full_admin = UserRole.objects.filter(user_id=user_id, role=Role.FULL_ADMIN).exists()
    richest = catalogue.richest_user_package(sorted(_held_packages(customer)))
    if is_full_admin and richest is not None and package.rank < richest.rank:
        errors.add(
            "package",
            ErrorCode.ADMIN_DOWNGRADE,
            f"{email} is a full administrator: they keep at least {richest.name}, the organisation's "
            "package.",
        )


def _plan_add(*, customer: Customer, order: dict) -> _Plan:
    errors = _Errors()
    _check_customer(customer, errors)
    package = _check_package(order.get("package"), customer, errors)
    plan = _Plan(customer=customer, package=package)
    _check_email(order.get("email"), customer, errors, plan)
    _check_names(order.get("first_name"), order.get("last_name"), errors, plan)
    if package is not None and plan.person is not None:
        _check_admin_level(plan.person.pk, plan.email, package, customer, errors)
    if package is not None:
        _check_calling(
            package=package,
            customer=customer,
            phone_number=order.get("phone_number"),
            extension=order.get("extension"),
            location=order.get("location"),
            errors=errors,
            plan=plan,
        )
    errors.raise_if_any()
    return plan


def _plan_change(*, subscriber: Subscriber, order: dict) -> _Plan:
    customer = subscriber.customer
    errors = _Errors()
    _check_customer(customer, errors)
    package = _check_package(order.get("package"), customer, errors, holder=subscriber)
    plan = _Plan(customer=customer, package=package)
    if package is not None:
        _check_admin_level(subscriber.user_id, subscriber.email, package, customer, errors)
        _check_calling(
            package=package,
            customer=customer,
            phone_number=order.get("phone_number"),
            extension=order.get("extension"),
            location=order.get("location"),
            errors=errors,
            plan=plan,
            holder=subscriber,
        )
    errors.raise_if_any()
    return plan


ORDER_KEYS = ("email", "package", "first_name", "last_name", "phone_number", "extension", "location")


def _order(**fields) -> dict:
    return {key: fields.get(key, "") for key in ORDER_KEYS}


def subscriber_precheck(
    *,
    actor: User,
    customer: Customer,
    email="",
    package="",
    first_name="",
    last_name="",
    phone_number="",
    extension="",
    location="",
) -> None:
    """Check an order to add a subscriber, writing nothing: raises every problem at once, or returns."""
    require(actor, Action.USERS_PROVISION, customer.org)
    _plan_add(customer=customer, order=_order(**locals()))


# --- writes ------------------------------------------------------------------------------------------------


def _locked_customer(customer: Customer) -> Customer:
    """The customer row locked (its own table only: PostgreSQL-safe): serialises package limits."""
    return (
        Customer.objects.select_for_update(of=("self",))
        .select_related("org", "org__parent")
        .get(pk=customer.pk)
    )


def _assign_calling(subscriber: Subscriber, plan: _Plan, *, new: bool = False) -> None:
    """Give the subscriber the plan's number and extension (replacing ones they held, unless ``new``: a
    subscriber created in this transaction holds nothing yet)."""
    if plan.number is not None and plan.number.subscriber_id != subscriber.pk:
        if not new:
            PhoneNumber.objects.filter(subscriber=subscriber).update(subscriber=None)
        taken = PhoneNumber.objects.filter(
            pk=plan.number.pk, subscriber__isnull=True, workspace__isnull=True
        ).update(subscriber=subscriber)
        if not taken:
            _refuse("phone_number", ErrorCode.PHONE_NUMBER_IN_USE, f"{plan.number.e164} was just assigned.")
    if not plan.extension:
        return
    if not new:
        Extension.objects.filter(subscriber=subscriber).exclude(extension=plan.extension).delete()
        if Extension.objects.filter(subscriber=subscriber, extension=plan.extension).exists():
            return
    try:
        with transaction.atomic():
            Extension.objects.create(
                org_id=plan.customer.org_id, extension=plan.extension, subscriber=subscriber
            )
    except IntegrityError:  # taken by a concurrent request since the check
        _refuse("extension", ErrorCode.EXTENSION_IN_USE, f"Extension {plan.extension} was just taken.")


def _release_calling(subscriber: Subscriber) -> dict:
    """Free the subscriber's numbers and extensions; returns what they held (for the audit entry)."""
    held = _calling_of(subscriber)
    PhoneNumber.objects.filter(subscriber=subscriber).update(subscriber=None)
    Extension.objects.filter(subscriber=subscriber).delete()
    return held


def _calling_of(subscriber: Subscriber) -> dict:
    return {
        "phone_numbers": sorted(
            PhoneNumber.objects.filter(subscriber=subscriber).values_list("e164", flat=True)
        ),
        "extensions": sorted(
            Extension.objects.filter(subscriber=subscriber).values_list("extension", flat=True)
        ),
        "location": str(subscriber.location_id) if subscriber.location_id else None,
    }


@transaction.atomic
def subscriber_add(
    *,
    actor: User,
    customer: Customer,
    email="",
    package="",
    first_name="",
    last_name="",
    phone_number="",
    extension="",
    location="",
) -> Subscriber:
    """Add a person with one package. Someone with a free account is added ``pending_user_migration`` and
    sent the consent e-mail; they hold the package (and its interval opens) when they accept."""
    require(actor, Action.USERS_PROVISION, customer.org)
    customer = _locked_customer(customer)
    order = _order(
        email=email,
        package=package,
        first_name=first_name,
        last_name=last_name,
        phone_number=phone_number,
        extension=extension,
        location=location,
    )
    plan = _plan_add(customer=customer, order=order)
    now = timezone.now()
    pending = plan.free_account is not None
    user = plan.free_account or plan.person
    if user is None:
        user = person_create(
            org=customer.org, email=plan.email, first_name=plan.first_name, last_name=plan.last_name
        )
    subscriber = Subscriber.objects.create(
        customer=customer,
        user=user,
        email=user.email,
        first_name=plan.first_name or user.first_name,
        last_name=plan.last_name or user.last_name,
        package=plan.package.code,
        status=SubscriberStatus.PENDING_USER_MIGRATION if pending else SubscriberStatus.PROVISIONED,
        status_changed=now,
        location=plan.location if plan.package.has_calling else None,
        consent_sent=now if pending else None,
        from_free_account=pending,
    )
    _assign_calling(subscriber, plan, new=True)
    if pending:
        _queue_consent_email(subscriber)
    else:
        assignment_first(
            subscriber=subscriber,
            package=subscriber.package,
            location=subscriber.location,
            at=subscriber.created,
        )
    calling = {
        "phone_numbers": [plan.number.e164] if plan.number is not None else [],
        "extensions": [plan.extension] if plan.extension else [],
        "location": str(subscriber.location_id) if subscriber.location_id else None,
    }
    audit_record(
        actor=actor,
        acting_org=customer.org,
        action="subscriber.create",
        target=subscriber,
        after={"email": subscriber.email, "package": subscriber.package, "status": subscriber.status}
        | calling,
    )
    return subscriber


def _locked(subscriber: Subscriber) -> Subscriber:
    return (
        Subscriber.objects.select_for_update(of=("self",))
        .select_related("customer", "customer__org", "location")
        .get(pk=subscriber.pk)
    )


@transaction.atomic
def subscriber_change_package(
    *, actor: User, subscriber: Subscriber, package="", phone_number="", extension="", location=""
) -> Subscriber:
    """Move a subscriber to another package (or give a calling one a new number, extension or location).
    Leaving calling releases their numbers and extensions; the history interval changes at this instant."""
    require(actor, Action.USERS_PROVISION, subscriber.customer.org)
    _locked_customer(subscriber.customer)
    subscriber = _locked(subscriber)
    order = _order(package=package, phone_number=phone_number, extension=extension, location=location)
    plan = _plan_change(subscriber=subscriber, order=order)
    before = {"package": subscriber.package} | _calling_of(subscriber)
    if plan.package.has_calling:
        _assign_calling(subscriber, plan)
        subscriber.location = plan.location
    else:
        _release_calling(subscriber)
        subscriber.location = None
    subscriber.package = plan.package.code
    subscriber.save(update_fields=["package", "location", "modified"])
    after = {"package": subscriber.package} | _calling_of(subscriber)
    if after == before:
        return subscriber
    if subscriber.status == SubscriberStatus.PROVISIONED:
        assignment_change(subscriber=subscriber, package=subscriber.package, location=subscriber.location)
    audit_record(
        actor=actor,
        acting_org=subscriber.customer.org,
        action="subscriber.package_change",
        target=subscriber,
        before=before,
        after=after,
    )
    return subscriber


def subscriber_remove_problem(*, subscriber: Subscriber) -> str | None:
    """Why the subscriber cannot be removed, or None: administrators keep their package while they are."""
    if subscriber.user_id and UserRole.objects.filter(user_id=subscriber.user_id).exists():
        return f"{subscriber.email} is an administrator: remove their administrator roles first."
    return None


@transaction.atomic
def subscriber_remove(*, actor: User, subscriber: Subscriber) -> None:
    """Take the package and the person away: the interval closes, numbers and extensions are freed. A
    person who came with a free account keeps it (back outside the organisation)."""
    require(actor, Action.USERS_PROVISION, subscriber.customer.org)
    subscriber = _locked(subscriber)
    problem = subscriber_remove_problem(subscriber=subscriber)
    if problem:
        _refuse("subscriber", ErrorCode.SUBSCRIBER_IS_ADMIN, problem)
    org = subscriber.customer.org
    before = {"email": subscriber.email, "package": subscriber.package, "status": subscriber.status}
    before |= _release_calling(subscriber)
    assignment_close(subscriber=subscriber)
    audit_record(actor=actor, acting_org=org, action="subscriber.remove", target=subscriber, before=before)
    user = subscriber.user
    from_free_account = subscriber.from_free_account
    subscriber.delete()
    if user is None or user.org_id not in (org.id, None):
        return
    if from_free_account:
        user.org = None
        user.save(update_fields=["org"])
    else:
        user.delete()


# --- consent (an existing free account joins the organisation) ---------------------------------------------


def consent_token(*, subscriber: Subscriber) -> str:
    return signing.dumps({"subscriber": str(subscriber.pk)}, salt=CONSENT_SALT)


def consent_url(*, subscriber: Subscriber) -> str:
    path = reverse("subscriber_consent", kwargs={"token": consent_token(subscriber=subscriber)})
    return settings.SITE_URL.rstrip("/") + path


def _queue_consent_email(subscriber: Subscriber) -> None:
    from apps.customers.tasks import subscriber_consent_email_task

    subscriber_id = str(subscriber.pk)
    transaction.on_commit(lambda: subscriber_consent_email_task.delay(subscriber_id))


@transaction.atomic
def subscriber_consent_send(*, actor: User, subscriber: Subscriber) -> Subscriber:
    """Send the consent e-mail again (the API's ``consentMove``)."""
    require(actor, Action.USERS_PROVISION, subscriber.customer.org)
    subscriber = _locked(subscriber)
    if subscriber.status != SubscriberStatus.PENDING_USER_MIGRATION:
        _refuse(
            "subscriber",
            ErrorCode.CONSENT_NOT_PENDING,
            f"{subscriber.email} is {subscriber.get_status_display().lower()}: no consent is awaited.",
        )
    subscriber.consent_sent = timezone.now()
    subscriber.save(update_fields=["consent_sent", "modified"])
    _queue_consent_email(subscriber)
    audit_record(
        actor=actor,
        acting_org=subscriber.customer.org,
        action="subscriber.consent_send",
        target=subscriber,
        after={"email": subscriber.email},
    )
    return subscriber


def subscriber_consent_email_send(*, subscriber_id) -> bool:
    """Send the consent e-mail of a pending subscriber (the task's body); False when none is awaited."""
    subscriber = (
        Subscriber.objects.select_related("customer__org", "customer__org__parent")
        .filter(pk=subscriber_id, status=SubscriberStatus.PENDING_USER_MIGRATION)
        .first()
    )
    if subscriber is None:
        return False
    context = {
        "subscriber": subscriber,
        "org": subscriber.customer.org,
        "partner": subscriber.customer.org.parent,
        "url": consent_url(subscriber=subscriber),
        "days": CONSENT_MAX_AGE.days,
    }
    send_mail(
        subject=f"{subscriber.customer.org.name} invites you to move your Webex account",
        message=render_to_string("customers/email/subscriber_consent.txt", context),
        from_email=None,
        recipient_list=[subscriber.email],
    )
    return True


def consent_subscriber(*, token: str) -> Subscriber | None:
    """The pending subscriber a consent link names, or None when the link is invalid, expired or used."""
    try:
        data = signing.loads(token, salt=CONSENT_SALT, max_age=CONSENT_MAX_AGE)
    except signing.BadSignature:
        return None
    subscriber_id = data.get("subscriber") if isinstance(data, dict) else None
    return (
        Subscriber.objects.select_related("customer__org")
        .filter(pk=subscriber_id, status=SubscriberStatus.PENDING_USER_MIGRATION)
        .first()
    )


@transaction.atomic
def subscriber_consent_accept(*, token: str) -> Subscriber:
    """The person accepts: their account moves into the organisation and the subscriber is provisioned."""
    found = consent_subscriber(token=token)
    if found is None:
        _refuse("subscriber", ErrorCode.CONSENT_NOT_PENDING, "This link is invalid, expired or already used.")
    subscriber = _locked(found)
    if subscriber.status != SubscriberStatus.PENDING_USER_MIGRATION:
        _refuse("subscriber", ErrorCode.CONSENT_NOT_PENDING, "This link was already used.")
    now = timezone.now()
    user = subscriber.user
    if user is not None and user.org_id is None:
        user.org = subscriber.customer.org
        user.save(update_fields=["org"])
    subscriber.status = SubscriberStatus.PROVISIONED
    subscriber.status_changed = now
    subscriber.save(update_fields=["status", "status_changed", "modified"])
    assignment_open(subscriber=subscriber, package=subscriber.package, location=subscriber.location, at=now)
    audit_record(
        actor=user,
        acting_org=subscriber.customer.org,
        action="subscriber.consent_accept",
        target=subscriber,
        after={"email": subscriber.email, "status": subscriber.status},
    )
    return subscriber
