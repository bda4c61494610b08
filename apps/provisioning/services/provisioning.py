"""Provisioning wholesale customers: create, change packages, remove, precheck — one service each, used by
the Partner Hub wizard and by ``/v1/wholesale/customers``.

Every request validates synchronously and writes nothing when the order is bad; then a Celery task moves the
customer through its states (DESIGN.md rule 4):

    create   provisioning → provisioned | provisioned_with_errors | error
             (pending_rpl_review while denied-party screening holds it; an attach may wait for approval)
    update   updating → provisioned | provisioned_with_errors | error
    remove   deleting → gone (the organisation stays, its wholesale services and subscribers go)

The task bodies (``customer_provision``, ``customer_update``, ``customer_remove``) lock the customer row,
do nothing unless it is in the state they serve, and run in one transaction: a retried or duplicated task is
harmless.

Errors. A bad order raises Django's ``ValidationError`` keyed by field (what the wizard's forms show), each
message carrying a stable numeric ``code`` from ``ErrorCode`` (what the API puts in ``errors[].errorCode``;
``error_status`` gives its HTTP status). Field keys: ``provisioning_id``, ``packages``, ``external_id``,
``name``, ``primary_email``, ``language``, ``org_id``, ``address_line1``, ``address_line2``, ``city``,
``state_or_province``, ``zip_or_postal_code``, ``country`` (billing address), ``calling_location`` (missing),
``location_<field>`` for the headquarters calling location (``location_name``, ``location_address_line1`` ...
``location_country``, ``location_timezone``, ``location_language``,
``location_emergency_location_identifier``), ``meetings_timezone``, ``package_limits``, ``partner``,
``status``. Attaching to an existing organisation (``order.org_id``) is refused by
``attach.attach_target`` with an ``ApplicationError``/``ConflictError`` of its own codes (41xx).
"""

import base64
import uuid
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from guardian.shortcuts import assign_perm

from apps.accounts.models import User
from apps.accounts.permissions import Action, require
from apps.accounts.roles import Role
from apps.accounts.selectors import MANAGE_CUSTOMER_CODENAME, roles_of
from apps.accounts.services import invitation_queue, person_create
from apps.core.errors import ERROR_DESCRIPTIONS, ErrorCode, Errors, refuse, text
from apps.core.exceptions import ConflictError
from apps.core.models import Organization, OrgKind, OrgStatus
from apps.core.services import audit_record, outbox_enqueue
from apps.core.validators import EMAIL_MAX, UNSAFE_CHARACTERS_MESSAGE, has_unsafe_characters
from apps.customers.models import Customer, CustomerPackage, CustomerStatus, PackageStatus
from apps.customers.selectors import webex_assistant_turned_off
from apps.locations.models import Location
from apps.onboarding.models import OnboardingTemplate
from apps.packages import catalogue, locales
from apps.packages.constants import PackageCode
from apps.provisioning.orders import Address, CallingLocation, CustomerOrder
from apps.provisioning.services import attach
from apps.screening import services as screening
from apps.subscribers.models import Subscriber, Workspace
from apps.subscribers.services.history import assignment_open, assignments_close_for_customer

# Where Cisco can be the PSTN provider of a location (Cisco Calling Plan); elsewhere the add-on fails.
CISCO_CALLING_PLAN_COUNTRIES = frozenset({"US", "CA"})
# The package error it leaves (stored in English, shown translated on the panel: apps.provisioning.stored).
CALLING_PLAN_UNAVAILABLE = gettext_noop(
    "Cisco Calling Plan is not offered in %(country)s. On Change packages, replace it with a calling package "
    "that uses your own PSTN (Webex Calling), then Retry."
)
CALLING_PLAN_UNAVAILABLE_HERE = gettext_noop(
    "Cisco Calling Plan is not offered in this country. On Change packages, replace it with a calling "
    "package that uses your own PSTN (Webex Calling), then Retry."
)
STORED_TEXTS = (CALLING_PLAN_UNAVAILABLE,)
# Sent, inside the writing transaction, when a customer organisation comes under another partner or under none
# (attached to the ordering partner; left unmanaged when its customer is removed): what its people see that
# comes from its partner (the brand, in an app above this one) must follow.
customer_org_parent_changed = Signal()  # kwargs: org

BUSY = frozenset({CustomerStatus.PROVISIONING, CustomerStatus.UPDATING, CustomerStatus.DELETING})
ADDRESS_LINE_MAX = 50
NAME_MAX = 255
EXTERNAL_ID_MAX = 255
PACKAGE_LIMIT_MAX = 1_000_000
_ADDRESS_LIMITS = {"city": 100, "state_or_province": 100, "zip_or_postal_code": 20}


def _clean_address(address: Address | None, errors: Errors, *, prefix: str = "") -> dict:
    """The address as stored (stripped, country upper-case), its problems added to ``errors``."""
    if address is None:
        errors.add(f"{prefix}address_line1", ErrorCode.ADDRESS_INVALID, _("Enter the address."))
        return {}
    values = {
        "address_line1": text(address.address_line1),
        "address_line2": text(address.address_line2),
        "city": text(address.city),
        "state_or_province": text(address.state_or_province),
        "zip_or_postal_code": text(address.zip_or_postal_code),
        "country": text(address.country).upper(),
    }
    if not values["address_line1"]:
        errors.add(f"{prefix}address_line1", ErrorCode.ADDRESS_INVALID, _("Enter the first address line."))
    for line in ("address_line1", "address_line2"):
        if len(values[line]) > ADDRESS_LINE_MAX:
            errors.add(
                f"{prefix}{line}",
                ErrorCode.ADDRESS_INVALID,
                _("An address line can hold at most %(max)s characters.") % {"max": ADDRESS_LINE_MAX},
            )
    if not values["city"]:
        errors.add(f"{prefix}city", ErrorCode.ADDRESS_INVALID, _("Enter the city."))
    for key, limit in _ADDRESS_LIMITS.items():
        if len(values[key]) > limit:
            errors.add(
                f"{prefix}{key}",
                ErrorCode.ADDRESS_INVALID,
                _("Keep this to %(max)s characters.") % {"max": limit},
            )
    if not values["country"]:
        errors.add(f"{prefix}country", ErrorCode.COUNTRY_UNKNOWN, _("Choose the country."))
    elif len(values["country"]) != 2 or not locales.is_country(values["country"]):
        errors.add(
            f"{prefix}country",
            ErrorCode.COUNTRY_UNKNOWN,
            _("“%(country)s” is not an ISO 3166 two-letter country code.")
            % {"country": values["country"][:10]},
        )
    return values


def _clean_packages(codes, errors: Errors, *, required: bool) -> list[str]:
    cleaned: list[str] = []
    for code in codes or ():
        code = text(code)
        if code not in cleaned:
            cleaned.append(code)
    if not cleaned:
        if required:
            errors.add("packages", ErrorCode.PACKAGES_INVALID, _("Choose at least one package."))
        return cleaned
    problems = catalogue.package_problems(cleaned)
    for code in problems.unknown:
        errors.add(
            "packages",
            ErrorCode.PACKAGES_INVALID,
            _("“%(code)s” is not a Wholesale package.") % {"code": code[:40]},
        )
    for code, bases in problems.missing_base.items():
        errors.add(
            "packages",
            ErrorCode.ADDON_WITHOUT_BASE,
            _("The add-on %(code)s needs one of these packages as well: %(packages)s.")
            % {"code": code, "packages": ", ".join(bases)},
        )
    return cleaned


def _clean_language(value: str, template_country: str, errors: Errors, *, key: str) -> str:
    """A requested language as stored: a locale ("en_US") or a two-letter language ("en")."""
    value = text(value)
    if not value:
        return ""
    if len(value) > 5 or locales.resolve_locale(value, template_country) is None:
        errors.add(
            key,
            ErrorCode.LANGUAGE_UNSUPPORTED,
            _("“%(value)s” is not a supported language or locale (such as en or en_US).")
            % {"value": value[:10]},
        )
        return ""
    return locales.normalise_locale(value)


def _clean_time_zone(value: str, errors: Errors, *, key: str, required: bool) -> str:
    value = text(value)
    if not value:
        if required:
            errors.add(key, ErrorCode.TIME_ZONE_UNKNOWN, _("Choose the time zone."))
        return ""
    if not locales.is_time_zone(value):
        errors.add(
            key,
            ErrorCode.TIME_ZONE_UNKNOWN,
            _("“%(value)s” is not a time zone (such as Europe/Berlin).") % {"value": value[:64]},
        )
        return ""
    return value


def _clean_calling_location(location: CallingLocation, template_country: str, errors: Errors) -> dict:
    name = text(location.name)
    if not name:
        errors.add("location_name", ErrorCode.LOCATION_INVALID, _("Name the headquarters location."))
    elif len(name) > 80:
        errors.add("location_name", ErrorCode.LOCATION_INVALID, _("Keep the location name to 80 characters."))
    address = _clean_address(location.address, errors, prefix="location_")
    tz = _clean_time_zone(location.timezone, errors, key="location_timezone", required=True)
    language = text(location.language)
    if not language:
        errors.add("location_language", ErrorCode.LANGUAGE_UNSUPPORTED, _("Choose the location's language."))
    else:
        language = _clean_language(language, template_country, errors, key="location_language")
    emergency = text(location.emergency_location_identifier)
    if len(emergency) > 64:
        errors.add(
            "location_emergency_location_identifier",
            ErrorCode.LOCATION_INVALID,
            _("Keep the emergency location id to 64 characters."),
        )
    return {
        "name": name,
        "address": address,
        "timezone": tz,
        # Voice prompts and e-mails need a full locale: "en" becomes the template country's or the default.
        "language": locales.resolve_locale(language, template_country) or "" if language else "",
        "emergency_location_identifier": emergency,
    }


def _clean_limits(limits, errors: Errors) -> dict[str, int]:
    cleaned: dict[str, int] = {}
    for code, value in (limits or {}).items():
        if code not in catalogue.PACKAGES:
            errors.add(
                "package_limits",
                ErrorCode.PACKAGE_LIMIT_INVALID,
                _("“%(code)s” is not a package: a limit needs a package name.") % {"code": str(code)[:40]},
            )
            continue
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= PACKAGE_LIMIT_MAX:
            errors.add(
                "package_limits",
                ErrorCode.PACKAGE_LIMIT_INVALID,
                _("The limit of %(code)s must be a whole number from 0 to %(max)s.")
                % {"code": code, "max": PACKAGE_LIMIT_MAX},
            )
            continue
        cleaned[code] = value
    return cleaned


def _clean_external_id(value: str, partner: Organization, errors: Errors, *, exclude=None) -> str:
    value = text(value)
    if len(value) > EXTERNAL_ID_MAX:
        errors.add(
            "external_id",
            ErrorCode.EXTERNAL_ID_INVALID,
            _("Keep the external id to %(max)s characters.") % {"max": EXTERNAL_ID_MAX},
        )
        return value
    if value:
        taken = Customer.objects.filter(org__parent=partner, external_id=value)
        if exclude is not None:
            taken = taken.exclude(pk=exclude.pk)
        if taken.exists():
            errors.add(
                "external_id",
                ErrorCode.EXTERNAL_ID_IN_USE,
                _("This external id is already used by another customer of this partner."),
            )
    return value


def _has_headquarters(org: Organization | None) -> bool:
    return org is not None and Location.objects.filter(org=org).exists()


def _check_partner(partner: Organization) -> None:
    if partner.status == OrgStatus.SUSPENDED:
        refuse(
            "partner",
            ErrorCode.PARTNER_SUSPENDED,
            _("This partner is suspended: it can only remove customers."),
        )


@dataclass
class _Plan:
    """A valid order, as the request writes it."""

    template: OnboardingTemplate | None
    org: Organization | None  # the existing organisation to attach to
    name: str
    primary_email: str
    external_id: str
    packages: list[str]
    address: dict
    language: str
    calling_location: dict
    meetings_timezone: str
    package_limits: dict[str, int] = field(default_factory=dict)


def _plan(*, actor: User, partner: Organization, order: CustomerOrder, partial: bool) -> _Plan:
    require(actor, Action.CUSTOMER_CREATE, partner)
    _check_partner(partner)
    errors = Errors()
    attaching = bool(text(order.org_id))

    template = None
    provisioning_id = text(order.provisioning_id)
    if provisioning_id:
        template = (
            OnboardingTemplate.objects.filter(partner=partner, provisioning_id=provisioning_id).first()
            if len(provisioning_id) <= 64
            else None
        )
        if template is None:
            errors.add(
                "provisioning_id",
                ErrorCode.PROVISIONING_ID_UNKNOWN,
                _("No onboarding template of this partner has this provisioning id."),
            )
    elif not partial:
        errors.add("provisioning_id", ErrorCode.PROVISIONING_ID_UNKNOWN, _("Choose an onboarding template."))
    template_country = template.country if template else ""

    packages = _clean_packages(order.packages, errors, required=not partial)

    name = text(order.name)
    if not attaching:
        if not name:
            if not partial:
                errors.add("name", ErrorCode.NAME_INVALID, _("Enter the customer's name."))
        elif "%" in name:
            errors.add("name", ErrorCode.NAME_INVALID, _("The name must not contain “%”."))
        elif has_unsafe_characters(name):
            errors.add("name", ErrorCode.NAME_INVALID, UNSAFE_CHARACTERS_MESSAGE)
        elif len(name) > NAME_MAX:
            errors.add(
                "name", ErrorCode.NAME_INVALID, _("Keep the name to %(max)s characters.") % {"max": NAME_MAX}
            )

    email = text(order.primary_email).lower()
    if len(email) > EMAIL_MAX:  # refused here, at the precheck, not by the task that creates the person
        errors.add(
            "primary_email",
            ErrorCode.EMAIL_INVALID,
            _("An e-mail address has at most %(max)s characters.") % {"max": EMAIL_MAX},
        )
        email = ""
    elif email:
        try:
            validate_email(email)
        except ValidationError:
            errors.add("primary_email", ErrorCode.EMAIL_INVALID, _("Enter a valid e-mail address."))
            email = ""
    elif not attaching and not partial:
        errors.add("primary_email", ErrorCode.EMAIL_INVALID, _("Enter the administrator's e-mail address."))

    external_id = _clean_external_id(order.external_id, partner, errors)
    address = _clean_address(order.address, errors)
    language = _clean_language(order.language, template_country, errors, key="language")
    calling_location = (
        _clean_calling_location(order.calling_location, template_country, errors)
        if order.calling_location is not None
        else {}
    )
    meetings_timezone = _clean_time_zone(
        order.meetings_timezone, errors, key="meetings_timezone", required=False
    )
    limits = _clean_limits(order.package_limits, errors)
    errors.raise_if_any()

    # The existing organisation: attach's own rules (exists, not managed elsewhere, not BroadWorks, ...).
    org = attach.attach_target(actor=actor, partner=partner, org_id=text(order.org_id)) if attaching else None

    if (
        packages
        and catalogue.needs_calling_location(packages)
        and not calling_location
        and not _has_headquarters(org)
    ):
        errors.add(
            "calling_location",
            ErrorCode.CALLING_LOCATION_REQUIRED,
            _(
                "A calling package needs the headquarters calling location "
                "(name, address, time zone, language)."
            ),
        )
    if email:
        owner = User.objects.filter(email=email.lower()).only("id", "org_id").first()
        if owner is not None and (org is None or owner.org_id != org.id):
            errors.add(
                "primary_email",
                ErrorCode.EMAIL_IN_USE,
                _("The email is already associated with an existing user of another organisation."),
            )
    errors.raise_if_any()
    return _Plan(
        template=template,
        org=org,
        name=name,
        primary_email=email,
        external_id=external_id,
        packages=packages,
        address=address,
        language=language,
        calling_location=calling_location,
        meetings_timezone=meetings_timezone,
        package_limits=limits,
    )


def customer_precheck(
    *, actor: User, partner: Organization, order: CustomerOrder, partial: bool = False
) -> None:
    """Would ``customer_provision_request`` accept this order? Raises what it would raise; writes nothing.

    ``partial``: check only what the order carries (``POST /v1/wholesale/customers/validate`` may send just
    an address and an e-mail); otherwise every value a new customer needs is required."""
    _plan(actor=actor, partner=partner, order=order, partial=partial)


def _enqueue(task, customer: Customer) -> None:
    """The task is recorded with the customer's row (the outbox) and published once both commit."""
    outbox_enqueue(task_name=task.name, args=[str(customer.id)])


def _set_status(customer: Customer, status: str) -> None:
    customer.status = status
    customer.status_changed = timezone.now()


@transaction.atomic
def customer_provision_request(*, actor: User, partner: Organization, order: CustomerOrder) -> Customer:
    """Accept an order: the organisation (or the existing one), the customer in ``provisioning`` with one
    row per package, audited; the provisioning task runs once this commits. Nothing is written when the
    order is refused."""
    require(actor, Action.CUSTOMER_CREATE, partner)
    # One order of a partner at a time: two concurrent orders cannot both take the same externalId.
    list(Organization.objects.select_for_update().filter(id=partner.id).values_list("id", flat=True))
    plan = _plan(actor=actor, partner=partner, order=order, partial=False)
    if plan.org is None:
        org = Organization.objects.create(name=plan.name, kind=OrgKind.CUSTOMER, parent=partner)
    else:
        org = plan.org
        if org.parent_id != partner.id:  # the partner manages it from now on (attach)
            org.parent = partner
            org.save(update_fields=["parent", "modified"])
            customer_org_parent_changed.send(sender=Organization, org=org)
    customer = Customer(
        org=org,
        partner_uuid=partner.id,
        external_id=plan.external_id,
        template=plan.template,
        template_settings=plan.template.settings_snapshot(),
        primary_email=plan.primary_email,
        language=plan.language,
        meetings_timezone=plan.meetings_timezone,
        package_limits=plan.package_limits,
        existing_org=plan.org is not None,
        calling_location=plan.calling_location,
        requested_by=actor,
        **plan.address,
    )
    _set_status(customer, CustomerStatus.PROVISIONING)
    customer.save()
    CustomerPackage.objects.bulk_create(
        [
            CustomerPackage(customer=customer, code=code, status=PackageStatus.PROVISIONING)
            for code in plan.packages
        ]
    )
    roles = roles_of(actor)
    if Role.PARTNER_ADMIN in roles and Role.PARTNER_FULL_ADMIN not in roles and org.parent_id == actor.org_id:
        # A partner admin keeps managing the customers it provisions.
        assign_perm(MANAGE_CUSTOMER_CODENAME, actor, org)
    audit_record(
        actor=actor,
        acting_org=partner,
        action="customer.provision_request",
        target=customer,
        after={
            "name": org.name,
            "external_id": customer.external_id,
            "packages": plan.packages,
            "provisioning_id": plan.template.provisioning_id,
            "primary_email": customer.primary_email,
            "existing_org": customer.existing_org,
        },
    )
    from apps.provisioning.tasks import customer_provision_task

    _enqueue(customer_provision_task, customer)
    return customer


@transaction.atomic
def customer_provision_enqueue(*, customer: Customer) -> Customer:
    """Provisioning resumes (screening released a hold, the customer admin approved an attach): the customer
    goes back to ``provisioning`` and the task runs again once this commits."""
    customer = Customer.objects.select_for_update(of=("self",)).select_related("org").get(pk=customer.pk)
    if customer.status in (CustomerStatus.DELETING, CustomerStatus.UPDATING):
        return customer
    if customer_removal_stopped(customer=customer):
        # Provisioning would bring back what the partner removed: the removal goes on instead.
        return _removal_start(customer, actor=None, action="customer.remove_resume")
    if customer.status != CustomerStatus.PROVISIONING:
        before = customer.status
        _set_status(customer, CustomerStatus.PROVISIONING)
        customer.save(update_fields=["status", "status_changed", "modified"])
        audit_record(
            actor=None,
            acting_org=customer.org,
            action="customer.provision_resume",
            target=customer,
            before={"status": before},
            after={"status": customer.status},
        )
    from apps.provisioning.tasks import customer_provision_task

    _enqueue(customer_provision_task, customer)
    return customer


# Errors whose cause a partner admin can remove, then retry; the others (the organisation's administrator
# declined, a screening decision) are not the partner's to fix.
RETRY_BLOCKED_BY = frozenset(
    {ErrorCode.ATTACH_DECLINED, screening.ERROR_SCREENING_ESCALATED, screening.ERROR_SCREENING_REJECTED}
)
RETRYABLE_STATUSES = (CustomerStatus.ERROR, CustomerStatus.PROVISIONED_WITH_ERRORS)


def customer_removal_stopped(*, customer: Customer) -> bool:
    """A removal whose task gave up: the customer left ``deleting`` (for ``error``) with every package still
    ``deleting``. Whatever runs it again (a retry, a resumed provisioning) goes on with the removal."""
    if customer.status == CustomerStatus.DELETING:
        return False
    # Through the related manager, so that a page which prefetched the packages asks nothing more.
    return {row.status for row in customer.packages.all()} == {PackageStatus.DELETING}


def customer_retry_action(*, customer: Customer) -> Action:
    """What a retry of ``customer`` asks of its actor: the removal's permission when it goes on with a removal
    (running, or stopped: a suspended partner may still remove, issue 9), else the manager's. The service and
    the customer page's Retry button ask the same."""
    removal = customer.status == CustomerStatus.DELETING or customer_removal_stopped(customer=customer)
    return Action.CUSTOMER_REMOVE if removal else Action.WHOLESALE_MANAGE


def customer_retry_problem(*, customer: Customer) -> str | None:
    """Why provisioning (or a removal that stopped) of ``customer`` cannot be retried now, or None when it
    can."""
    if customer.status not in RETRYABLE_STATUSES:
        return _("Only a customer whose provisioning ended with errors can be retried.")
    codes = {e.get("errorCode") for e in customer.errors or []}
    if codes & RETRY_BLOCKED_BY:
        return _(
            "The organisation's administrator or the screening review decided this: a retry changes nothing."
        )
    return None


def customer_provision_retry(*, actor: User, customer: Customer) -> Customer:
    """Run provisioning again after its cause was fixed (packages changed, a task that stopped): only the
    packages not yet provisioned are done again, as the task is idempotent. The retry of a removal that
    stopped runs the removal again (the partner's removal is not undone by provisioning its packages)."""
    with transaction.atomic():
        locked = _locked(customer.pk)
        if locked is None:
            require(actor, Action.WHOLESALE_MANAGE, customer.org)
            raise ConflictError(_("Not found."), error_code=ErrorCode.CUSTOMER_BUSY)
        customer = locked
        action = customer_retry_action(customer=customer)
        require(actor, action, customer.org)
        if customer.status == CustomerStatus.DELETING:
            return customer  # asked again while the removal runs: nothing changes, as for a removal request
        problem = customer_retry_problem(customer=customer)
        if problem:
            raise ConflictError(problem, error_code=ErrorCode.CUSTOMER_BUSY)
        if action == Action.CUSTOMER_REMOVE:
            _check_removable(customer)
            return _removal_start(customer, actor=actor, action="customer.remove_retry")
        audit_record(
            actor=actor,
            acting_org=customer.org,
            action="customer.provision_retry",
            target=customer,
            before={"status": customer.status},
            after={"status": CustomerStatus.PROVISIONING},
        )
        return customer_provision_enqueue(customer=customer)


# --- the task bodies -------------------------------------------------------------------------------------


class _Failed(Exception):
    def __init__(self, code: ErrorCode, description: str):
        super().__init__(description)
        self.code = code
        self.description = description


def _locked(customer_id) -> Customer | None:
    return (
        Customer.objects.select_for_update(of=("self",))
        .select_related("org", "org__parent")
        .filter(id=customer_id)
        .first()
    )


def license_id(package: CustomerPackage) -> str:
    raw = f"ciscospark://us/LICENSE/{uuid.uuid4()}:{catalogue.PACKAGES[package.code].sku}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _apply_locale(customer: Customer) -> None:
    snapshot = customer.template_settings or {}
    customer.org_locale, customer.meeting_site_locale = locales.derived_locales(
        language=customer.language,
        template_language=snapshot.get("language", ""),
        template_country=snapshot.get("country", ""),
    )


def _apply_call_in(customer: Customer, location: Location | None) -> None:
    customer.call_in_region, customer.call_in_country_code = locales.derived_call_in(
        billing_country=customer.country, location_country=location.country if location is not None else ""
    )


def _headquarters(customer: Customer) -> Location | None:
    """The location the order asked for (created once), else the organisation's headquarters."""
    data = customer.calling_location or {}
    existing_hq = Location.objects.filter(org=customer.org, is_headquarters=True).first()
    if not data:
        return existing_hq or Location.objects.filter(org=customer.org).first()
    address = data.get("address", {})
    location, _created = Location.objects.get_or_create(
        org=customer.org,
        name=data["name"],
        defaults={
            "address_line1": address.get("address_line1", ""),
            "address_line2": address.get("address_line2", ""),
            "city": address.get("city", ""),
            "state_or_province": address.get("state_or_province", ""),
            "zip_or_postal_code": address.get("zip_or_postal_code", ""),
            "country": address.get("country", ""),
            "timezone": data.get("timezone", ""),
            "language": data.get("language", ""),
            "emergency_location_identifier": data.get("emergency_location_identifier", ""),
            "is_headquarters": existing_hq is None,
        },
    )
    customer.calling_location = {}
    return location


def _first_admin(customer: Customer, codes: list[str], location: Location | None) -> User | None:
    """The first administrator from ``primaryEmail``: full admin holding the customer's richest package,
    invited by e-mail unless the template says not to. On an attached organisation the person is not made
    administrator and is invited only if the template allows admin-invite e-mails on attach."""
    email = customer.primary_email
    if not email:
        return None
    snapshot = customer.template_settings or {}
    user = User.objects.filter(email=email.lower()).first()  # e-mails are stored lower-case
    if user is None:
        roles = [] if customer.existing_org else [Role.FULL_ADMIN]
        try:
            user = person_create(org=customer.org, email=email, roles=roles)
        except ValidationError as exc:
            raise _Failed(ErrorCode.EMAIL_INVALID, "; ".join(exc.messages)) from None
        invite = (
            snapshot.get("allow_admin_invite_on_attach", False)
            if customer.existing_org
            else snapshot.get("send_admin_invite_email", True)
        )
        if invite:
            invitation_queue(user=user, invited_by=customer.requested_by)
    elif user.org_id != customer.org_id:
        raise _Failed(ErrorCode.EMAIL_IN_USE, ERROR_DESCRIPTIONS[ErrorCode.EMAIL_IN_USE])
    package = catalogue.richest_user_package(codes)
    if package is not None and not Subscriber.objects.filter(email=user.email).exists():
        subscriber = Subscriber.objects.create(
            customer=customer,
            user=user,
            email=user.email,
            first_name=user.first_name,
            last_name=user.last_name,
            package=package.code,
        )
        assignment_open(
            subscriber=subscriber,
            package=package.code,
            location=location if package.has_calling else None,
            at=subscriber.created,
        )
    return user


def _provision_package(customer: Customer, row: CustomerPackage, location: Location | None) -> None:
    row.warnings, row.errors = [], []
    if row.code == PackageCode.CISCO_CALLING_PLAN:
        country = (location.country if location is not None else customer.country).upper()
        if country not in CISCO_CALLING_PLAN_COUNTRIES:
            row.status = PackageStatus.ERROR
            row.errors = [
                {
                    "errorCode": int(ErrorCode.CALLING_PLAN_UNAVAILABLE),
                    "description": CALLING_PLAN_UNAVAILABLE % {"country": country}
                    if country
                    else CALLING_PLAN_UNAVAILABLE_HERE,
                }
            ]
            return
    row.status = PackageStatus.PROVISIONED
    if not row.license_ids:
        row.license_ids = [license_id(row)]


def _overall(rows: list[CustomerPackage]) -> str:
    statuses = {row.status for row in rows}
    if statuses <= {PackageStatus.PROVISIONED}:
        return CustomerStatus.PROVISIONED
    if PackageStatus.PROVISIONED in statuses:
        return CustomerStatus.PROVISIONED_WITH_ERRORS
    return CustomerStatus.ERROR


def _finish(customer: Customer, rows: list[CustomerPackage], *, action: str, before: dict) -> Customer:
    CustomerPackage.objects.bulk_update(rows, ["status", "warnings", "errors", "license_ids", "modified"])
    provisioned = [row.code for row in rows if row.status == PackageStatus.PROVISIONED]
    # On by default for Meetings and Suite; an administrator who turned it off keeps it off (issue 13).
    customer.webex_assistant_enabled = catalogue.enables_webex_assistant(
        provisioned
    ) and not webex_assistant_turned_off(org=customer.org)
    _set_status(customer, _overall(rows))
    customer.errors = []
    if customer.status != CustomerStatus.ERROR and customer.provisioned_at is None:
        customer.provisioned_at = customer.status_changed
    customer.save()
    audit_record(
        actor=None,
        acting_org=customer.org,
        action=action,
        target=customer,
        before=before,
        after={"status": customer.status, "packages": {row.code: row.status for row in rows}},
    )
    return customer


@transaction.atomic
def _provision(customer_id) -> Customer | None:
    customer = _locked(customer_id)
    if customer is None or customer.status != CustomerStatus.PROVISIONING:
        return customer  # done already, removed, or held: nothing to do
    if customer_removal_stopped(customer=customer):
        # A removal that stopped, met by a provisioning message still in flight: the removal goes on.
        return _removal_start(customer, actor=None, action="customer.remove_resume")
    if not screening.screening_gate(customer=customer):
        return customer  # held for the denied-party review; the hold's release re-enqueues
    if customer.existing_org and not attach.attach_gate(customer=customer):
        return customer  # waiting for the organisation's administrator
    customer.refresh_from_db()  # the gates may have written to it
    rows = list(customer.packages.all())
    removed = [row for row in rows if row.status == PackageStatus.DELETING]
    if removed:
        # A retry after an update that stopped: the packages it was removing go, as the update would have
        # done, instead of being provisioned again.
        CustomerPackage.objects.filter(id__in=[row.id for row in removed]).delete()
        rows = [row for row in rows if row.status != PackageStatus.DELETING]
    codes = [row.code for row in rows]
    _apply_locale(customer)
    location = _headquarters(customer)
    _apply_call_in(customer, location)
    if not customer.meetings_timezone and location is not None:
        customer.meetings_timezone = location.timezone
    _first_admin(customer, codes, location)
    for row in rows:
        if row.status != PackageStatus.PROVISIONED:
            _provision_package(customer, row, location)
    return _finish(
        customer, rows, action="customer.provisioned", before={"status": CustomerStatus.PROVISIONING}
    )


def customer_work_failed(*, customer_id) -> Customer | None:
    """A task gave up (an unexpected error, or its retries ran out): the customer must not stay busy for
    ever, polled by pages and clients; it ends in ``error`` with a clear entry."""
    code = ErrorCode.PROVISIONING_FAILED
    return _fail(customer_id, _Failed(code, ERROR_DESCRIPTIONS[code]))


@transaction.atomic
def _fail(customer_id, failure: _Failed) -> Customer | None:
    customer = _locked(customer_id)
    if customer is None or customer.status not in BUSY:
        return customer
    before = customer.status
    CustomerPackage.objects.filter(customer=customer, status=PackageStatus.PROVISIONING).update(
        status=PackageStatus.ERROR
    )
    _set_status(customer, CustomerStatus.ERROR)
    customer.errors = [{"errorCode": int(failure.code), "description": failure.description}]
    customer.save()
    audit_record(
        actor=None,
        acting_org=customer.org,
        action="customer.provision_failed",
        target=customer,
        before={"status": before},
        after={"status": customer.status, "errors": customer.errors},
    )
    return customer


def customer_provision(*, customer_id) -> Customer | None:
    """The provisioning task's body: screening, attach approval, then the organisation's settings, its
    headquarters location, its first administrator and each package. Idempotent."""
    try:
        return _provision(customer_id)
    except _Failed as failure:
        return _fail(customer_id, failure)


# --- update ----------------------------------------------------------------------------------------------


@transaction.atomic
def customer_update_request(
    *,
    actor: User,
    customer: Customer,
    packages,
    calling_location: CallingLocation | None = None,
    package_limits: dict[str, int] | None = None,
    external_id: str | None = None,
    address: Address | None = None,
) -> Customer:
    """Change a customer's packages: ``packages`` is the complete list, a package left out is removed.
    ``package_limits``, ``external_id`` and ``address`` replace the stored ones when given. Status
    ``updating`` until the update task is done."""
    require(actor, Action.WHOLESALE_MANAGE, customer.org)
    customer = _locked(customer.pk)
    partner = customer.org.parent
    _check_partner(partner)
    if customer.status in BUSY or customer.status == CustomerStatus.PENDING_RPL_REVIEW:
        refuse(
            "status",
            ErrorCode.CUSTOMER_BUSY,
            _("The customer is %(status)s: wait until that is finished.")
            % {"status": customer.get_status_display().lower()},
        )
    if customer.provisioned_at is None:
        refuse(
            "status",
            ErrorCode.CUSTOMER_BUSY,
            _("The customer was never provisioned: remove it and create it again."),
        )
    errors = Errors()
    codes = _clean_packages(packages, errors, required=True)
    current = {row.code: row for row in customer.packages.all()}
    for code in sorted(set(current) - set(codes)):
        held = Subscriber.objects.filter(customer=customer, package=code).count()
        held += Workspace.objects.filter(customer=customer, package=code).count()
        if held:
            errors.add(
                "packages",
                ErrorCode.PACKAGE_IN_USE,
                _(
                    "%(count)s subscriber(s) or workspace(s) still hold %(package)s: give them another "
                    "package or remove them before removing it."
                )
                % {"count": held, "package": code},
            )
    template_country = (customer.template_settings or {}).get("country", "")
    location = (
        _clean_calling_location(calling_location, template_country, errors)
        if calling_location is not None
        else {}
    )
    limits = _clean_limits(package_limits, errors) if package_limits is not None else None
    new_external_id = (
        _clean_external_id(external_id, partner, errors, exclude=customer)
        if external_id is not None
        else None
    )
    new_address = _clean_address(address, errors) if address is not None else None
    if (
        codes
        and catalogue.needs_calling_location(codes)
        and not location
        and not customer.calling_location
        and not _has_headquarters(customer.org)
    ):
        errors.add(
            "calling_location",
            ErrorCode.CALLING_LOCATION_REQUIRED,
            _(
                "A calling package needs the headquarters calling location "
                "(name, address, time zone, language)."
            ),
        )
    errors.raise_if_any()

    before = {
        "packages": sorted(current),
        "package_limits": customer.package_limits,
        "external_id": customer.external_id,
    }
    for code in codes:
        row = current.get(code)
        if row is None:
            CustomerPackage.objects.create(customer=customer, code=code, status=PackageStatus.PROVISIONING)
        elif row.status != PackageStatus.PROVISIONED:
            row.status = PackageStatus.PROVISIONING
            row.save(update_fields=["status", "modified"])
    CustomerPackage.objects.filter(customer=customer).exclude(code__in=codes).update(
        status=PackageStatus.DELETING, modified=timezone.now()
    )
    if location:
        customer.calling_location = location
    if limits is not None:
        customer.package_limits = limits
    if new_external_id is not None:
        customer.external_id = new_external_id
    if new_address is not None:
        for key, value in new_address.items():
            setattr(customer, key, value)
    _set_status(customer, CustomerStatus.UPDATING)
    customer.save()
    audit_record(
        actor=actor,
        acting_org=partner,
        action="customer.update_request",
        target=customer,
        before=before,
        after={
            "packages": codes,
            "package_limits": customer.package_limits,
            "external_id": customer.external_id,
        },
    )
    from apps.provisioning.tasks import customer_update_task

    _enqueue(customer_update_task, customer)
    return customer


@transaction.atomic
def _update(customer_id) -> Customer | None:
    customer = _locked(customer_id)
    if customer is None or customer.status != CustomerStatus.UPDATING:
        return customer
    rows = list(customer.packages.all())
    removed = [row for row in rows if row.status == PackageStatus.DELETING]
    kept = [row for row in rows if row.status != PackageStatus.DELETING]
    location = _headquarters(customer)
    for row in kept:
        if row.status != PackageStatus.PROVISIONED:
            _provision_package(customer, row, location)
    CustomerPackage.objects.filter(id__in=[row.id for row in removed]).delete()
    return _finish(
        customer,
        kept,
        action="customer.updated",
        before={"status": CustomerStatus.UPDATING, "removed": sorted(row.code for row in removed)},
    )


def customer_update(*, customer_id) -> Customer | None:
    """The update task's body: provision the added packages, drop the removed ones. Idempotent."""
    try:
        return _update(customer_id)
    except _Failed as failure:
        return _fail(customer_id, failure)


# --- remove ----------------------------------------------------------------------------------------------


@transaction.atomic
def customer_remove_request(*, actor: User, customer: Customer) -> Customer:
    """Remove the customer's wholesale services (the API's DELETE): ``deleting``, then gone from the list.
    The organisation, its people and its locations stay. Allowed in any state, also to a suspended
    partner; asking again while it is being removed changes nothing."""
    require(actor, Action.CUSTOMER_REMOVE, customer.org)
    customer = _locked(customer.pk)
    if customer.status == CustomerStatus.DELETING:
        return customer
    _check_removable(customer)
    return _removal_start(customer, actor=actor, action="customer.remove_request")


def _check_removable(customer: Customer) -> None:
    if screening.screening_blocks_removal(customer=customer):
        raise ConflictError(
            _("The customer is held by denied-party screening: it stays until the operator decides."),
            error_code=ErrorCode.SCREENING_HOLD,
        )


def _removal_start(customer: Customer, *, actor: User | None, action: str) -> Customer:
    """The locked ``customer`` goes (back) to ``deleting``, every package with it, audited as ``action``;
    the removal task runs once this commits. A request, its retry and a resumed provisioning share it."""
    before = customer.status
    CustomerPackage.objects.filter(customer=customer).update(
        status=PackageStatus.DELETING, modified=timezone.now()
    )
    _set_status(customer, CustomerStatus.DELETING)
    customer.save(update_fields=["status", "status_changed", "modified"])
    audit_record(
        actor=actor,
        acting_org=customer.org.parent,
        action=action,
        target=customer,
        before={"status": before},
        after={"status": customer.status},
    )
    from apps.provisioning.tasks import customer_remove_task

    _enqueue(customer_remove_task, customer)
    return customer


@transaction.atomic
def customer_remove(*, customer_id) -> None:
    """The removal task's body: the customer record, its packages and subscribers go; the organisation
    stays (still under its partner, which may provision it again with ``orgId``). Idempotent."""
    customer = _locked(customer_id)
    if customer is None or customer.status != CustomerStatus.DELETING:
        return
    snapshot_attached = customer.existing_org
    snapshot = {
        "name": customer.org.name,
        "external_id": customer.external_id,
        "packages": sorted(customer.packages.values_list("code", flat=True)),
        "subscribers": customer.subscribers.count(),
    }
    # Billing's history outlives the customer: every open interval ends now, before the rows go.
    closed = assignments_close_for_customer(customer=customer)
    audit_record(
        actor=None,
        acting_org=customer.org,
        action="customer.removed",
        target=customer,
        before=snapshot,
        after={"assignments_closed": closed},
    )
    org = customer.org
    customer.delete()
    if snapshot_attached:
        # It was an existing organisation the partner attached to: it is unmanaged again.
        Organization.objects.filter(id=org.id).update(parent=None)
        customer_org_parent_changed.send(sender=Organization, org=org)
