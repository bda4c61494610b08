"""Writes about workspaces: shared spaces (a lobby, a meeting room, a warehouse floor) that hold the Common
Area Calling package, managed beside users (the guide's Packages section: Common Area Calling is "assignable
to workspaces" only).

- ``workspace_precheck`` checks an order and writes nothing;
- ``workspace_create`` adds a workspace with its package, location, phone number and/or extension, and opens
  its interval in the assignment history;
- ``workspace_update`` renames it or gives it another package, location, number or extension (the interval
  changes — closes and opens at one instant — only when the package or the location changes);
- ``workspace_remove`` closes the interval, frees the number and the extension and deletes the workspace.

Every refusal is a ``ValidationError`` keyed by field (``name``, ``package``, ``location``, ``phone_number``,
``extension``, ``customer``), each message with the ``ErrorCode`` the subscriber rules use for the same
problem (4020–4029, 4014) or a workspace's own (4034, 4035), all problems of an order at once. All of it is
``USERS_PROVISION``: restricted-by-partner mode takes it from customer admins, as it does adding users.

The rules: a package the customer holds (provisioned) that workspaces can hold, within the customer's limit
for it (``package_limits``, counting workspaces and subscribers); a name of 1–80 characters unique in the
customer (case-insensitive); a location of the customer; and — Common Area Calling is calling — a phone
number (of the customer's inventory, available, of that location) and/or an extension (unique in the
organisation), at least one of them.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from apps.accounts.models import User
from apps.accounts.permissions import Action, require
from apps.core.services import audit_record
from apps.customers.models import Customer, CustomerPackage, Location, PackageStatus, Subscriber
from apps.customers.numbers_models import Extension, PhoneNumber
from apps.customers.workspaces_models import Workspace
from apps.packages import catalogue
from apps.packages.catalogue import Package
from apps.packages.constants import PackageCode

from .history import workspace_assignment_change, workspace_assignment_close, workspace_assignment_open
from .numbers import e164_parse, extension_clean
from .provisioning import ErrorCode
from .subscribers import READY, location_find

NAME_MAX = 80
DEFAULT_PACKAGE = PackageCode.COMMON_AREA_CALLING
WORKSPACE_PACKAGES = tuple(p.code for p in catalogue.PACKAGES.values() if p.assignable_to_workspaces)


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
    """A checked order: what ``workspace_create`` / ``workspace_update`` will write."""

    customer: Customer
    name: str = ""
    package: Package | None = None
    location: Location | None = None
    number: PhoneNumber | None = None
    extension: str = ""


# --- checks ------------------------------------------------------------------------------------------------


def _check_customer(customer: Customer, errors: _Errors) -> None:
    if customer.status not in READY:
        errors.add(
            "customer",
            ErrorCode.CUSTOMER_BUSY,
            f"{customer.org.name} is {customer.get_status_display().lower()}: it takes workspaces once "
            "provisioned.",
        )


def _check_name(value, customer: Customer, errors: _Errors, plan: _Plan, holder: Workspace | None) -> None:
    name = _text(value)
    if not name or "\x00" in name or len(name) > NAME_MAX:
        errors.add(
            "name",
            ErrorCode.WORKSPACE_NAME_INVALID,
            f"Give the workspace a name of at most {NAME_MAX} characters."
            if len(name) <= NAME_MAX
            else f"Keep the name to {NAME_MAX} characters.",
        )
        return
    plan.name = name
    taken = Workspace.objects.filter(customer=customer, name__iexact=name)
    if holder is not None:
        taken = taken.exclude(pk=holder.pk)
    if taken.exists():
        errors.add(
            "name", ErrorCode.WORKSPACE_NAME_IN_USE, f"{customer.org.name} already has a workspace “{name}”."
        )


def _check_package(code, customer: Customer, errors: _Errors, holder: Workspace | None) -> Package | None:
    code = _text(code) or DEFAULT_PACKAGE
    package = catalogue.package_get(code) if code in WORKSPACE_PACKAGES else None
    if package is None:
        errors.add(
            "package",
            ErrorCode.SUBSCRIBER_PACKAGE_INVALID,
            f"“{code[:40]}” is not a package a workspace can hold.",
        )
        return None
    held = CustomerPackage.objects.filter(
        customer=customer, code=package.code, status=PackageStatus.PROVISIONED
    ).exists()
    if not held:
        errors.add(
            "package",
            ErrorCode.PACKAGE_NOT_HELD,
            f"{customer.org.name} does not hold the {package.name} package.",
        )
        return package
    limit = (customer.package_limits or {}).get(package.code)
    if isinstance(limit, int) and not isinstance(limit, bool):
        workspaces = Workspace.objects.filter(customer=customer, package=package.code)
        if holder is not None:
            workspaces = workspaces.exclude(pk=holder.pk)
        used = workspaces.count() + Subscriber.objects.filter(customer=customer, package=package.code).count()
        if used >= limit:
            errors.add(
                "package",
                ErrorCode.PACKAGE_LIMIT_REACHED,
                f"{customer.org.name} may have at most {limit:,} {package.name} workspaces and users.",
            )
    return package


def _holds(row: PhoneNumber | Extension, holder: Workspace | None) -> bool:
    return holder is not None and row.workspace_id == holder.pk


def _check_calling(
    *, customer: Customer, phone_number, extension, location, errors: _Errors, plan: _Plan, holder
) -> None:
    number_text, extension_text, location_text = _text(phone_number), _text(extension), _text(location)
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
            elif number.is_assigned and not _holds(number, holder):
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
                taken = taken.exclude(workspace=holder)
            if taken.exists():
                errors.add(
                    "extension",
                    ErrorCode.EXTENSION_IN_USE,
                    f"Extension {plan.extension} is already in use in {customer.org.name}.",
                )
    if not number_text and not extension_text:
        errors.add(
            "phone_number",
            ErrorCode.CALLING_NUMBER_REQUIRED,
            "Common Area Calling is calling: give the workspace a phone number, an extension or both.",
        )
    if plan.location is None:
        current = holder.location if holder is not None else None
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


def _plan(*, customer: Customer, order: dict, holder: Workspace | None = None) -> _Plan:
    errors = _Errors()
    _check_customer(customer, errors)
    plan = _Plan(customer=customer)
    _check_name(order.get("name"), customer, errors, plan, holder)
    plan.package = _check_package(order.get("package"), customer, errors, holder)
    _check_calling(
        customer=customer,
        phone_number=order.get("phone_number"),
        extension=order.get("extension"),
        location=order.get("location"),
        errors=errors,
        plan=plan,
        holder=holder,
    )
    errors.raise_if_any()
    return plan


ORDER_KEYS = ("name", "package", "location", "phone_number", "extension")


def _order(**fields) -> dict:
    return {key: fields.get(key, "") for key in ORDER_KEYS}


def workspace_precheck(
    *, actor: User, customer: Customer, name="", package="", location="", phone_number="", extension=""
) -> None:
    """Check an order to add a workspace, writing nothing: raises every problem at once, or returns."""
    require(actor, Action.USERS_PROVISION, customer.org)
    _plan(customer=customer, order=_order(**locals()))


# --- writes ------------------------------------------------------------------------------------------------


def _locked_customer(customer: Customer) -> Customer:
    """The customer row locked (its own table only: PostgreSQL-safe): serialises limits and names."""
    return (
        Customer.objects.select_for_update(of=("self",))
        .select_related("org", "org__parent")
        .get(pk=customer.pk)
    )


def _locked(workspace: Workspace) -> Workspace:
    return (
        Workspace.objects.select_for_update(of=("self",))
        .select_related("customer", "customer__org", "location")
        .get(pk=workspace.pk)
    )


def _calling_of(workspace: Workspace) -> dict:
    return {
        "phone_numbers": sorted(
            PhoneNumber.objects.filter(workspace=workspace).values_list("e164", flat=True)
        ),
        "extensions": sorted(
            Extension.objects.filter(workspace=workspace).values_list("extension", flat=True)
        ),
    }


def _snapshot(workspace: Workspace) -> dict:
    return {
        "name": workspace.name,
        "package": workspace.package,
        "location": str(workspace.location_id),
    } | _calling_of(workspace)


def _assign_calling(workspace: Workspace, plan: _Plan) -> None:
    """Give the workspace exactly the plan's number and extension, freeing the ones it held before."""
    held = PhoneNumber.objects.filter(workspace=workspace)
    if plan.number is not None:
        held = held.exclude(pk=plan.number.pk)
    held.update(workspace=None)
    if plan.number is not None and plan.number.workspace_id != workspace.pk:
        taken = PhoneNumber.objects.filter(
            pk=plan.number.pk, subscriber__isnull=True, workspace__isnull=True
        ).update(workspace=workspace)
        if not taken:
            _refuse("phone_number", ErrorCode.PHONE_NUMBER_IN_USE, f"{plan.number.e164} was just assigned.")
    Extension.objects.filter(workspace=workspace).exclude(extension=plan.extension).delete()
    if plan.extension:
        row, created = Extension.objects.get_or_create(
            org_id=plan.customer.org_id, extension=plan.extension, defaults={"workspace": workspace}
        )
        if not created and row.workspace_id != workspace.pk:
            _refuse("extension", ErrorCode.EXTENSION_IN_USE, f"Extension {plan.extension} was just taken.")


@transaction.atomic
def workspace_create(
    *, actor: User, customer: Customer, name="", package="", location="", phone_number="", extension=""
) -> Workspace:
    """Add a workspace with its package, location and number and/or extension; its interval opens now.
    ``location`` is a location's Webex id, uuid or name; empty: the number's location, else the
    headquarters."""
    require(actor, Action.USERS_PROVISION, customer.org)
    customer = _locked_customer(customer)
    order = _order(
        name=name, package=package, location=location, phone_number=phone_number, extension=extension
    )
    plan = _plan(customer=customer, order=order)
    workspace = Workspace.objects.create(
        customer=customer, name=plan.name, location=plan.location, package=plan.package.code
    )
    _assign_calling(workspace, plan)
    workspace_assignment_open(
        workspace=workspace, package=workspace.package, location=workspace.location, at=workspace.created
    )
    audit_record(
        actor=actor,
        acting_org=customer.org,
        action="workspace.create",
        target=workspace,
        after=_snapshot(workspace),
    )
    return workspace


@transaction.atomic
def workspace_update(
    *, actor: User, workspace: Workspace, name="", package="", location="", phone_number="", extension=""
) -> Workspace:
    """Replace the workspace's name, package, location, number and extension with the ones given (a number
    or an extension left out is freed; at least one stays). A new package or location changes the interval
    at this instant; a new name, number or extension does not."""
    require(actor, Action.USERS_PROVISION, workspace.customer.org)
    customer = _locked_customer(workspace.customer)
    workspace = _locked(workspace)
    order = _order(
        name=name, package=package, location=location, phone_number=phone_number, extension=extension
    )
    plan = _plan(customer=customer, order=order, holder=workspace)
    before = _snapshot(workspace)
    _assign_calling(workspace, plan)
    workspace.name, workspace.package, workspace.location = plan.name, plan.package.code, plan.location
    workspace.save(update_fields=["name", "package", "location", "modified"])
    after = _snapshot(workspace)
    if after == before:
        return workspace
    if (before["package"], before["location"]) != (after["package"], after["location"]):
        workspace_assignment_change(
            workspace=workspace, package=workspace.package, location=workspace.location
        )
    audit_record(
        actor=actor,
        acting_org=customer.org,
        action="workspace.update",
        target=workspace,
        before={k: v for k, v in before.items() if after[k] != v},
        after={k: v for k, v in after.items() if before[k] != v},
    )
    return workspace


@transaction.atomic
def workspace_remove(*, actor: User, workspace: Workspace) -> None:
    """Remove the workspace: its interval closes now, its number and extension are freed."""
    require(actor, Action.USERS_PROVISION, workspace.customer.org)
    workspace = _locked(workspace)
    org = workspace.customer.org
    before = _snapshot(workspace)
    PhoneNumber.objects.filter(workspace=workspace).update(workspace=None)
    Extension.objects.filter(workspace=workspace).delete()
    workspace_assignment_close(workspace=workspace)
    audit_record(actor=actor, acting_org=org, action="workspace.remove", target=workspace, before=before)
    workspace.delete()
