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
organisation), at least one of them. Those shared with subscribers live in ``services.holders``; an update
gives the workspace exactly the number and extension it names (one left out is freed).
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.accounts.permissions import Action, require
from apps.core.errors import ErrorCode, Errors, text
from apps.core.services import audit_record
from apps.core.validators import UNSAFE_CHARACTERS_MESSAGE, has_unsafe_characters
from apps.customers.models import Customer
from apps.packages import catalogue
from apps.packages.catalogue import Package
from apps.packages.constants import PackageCode
from apps.subscribers.models import Workspace
from apps.subscribers.services import holders
from apps.subscribers.services.history import (
    workspace_assignment_change,
    workspace_assignment_close,
    workspace_assignment_open,
)

NAME_MAX = 80
DEFAULT_PACKAGE = PackageCode.COMMON_AREA_CALLING
WORKSPACE_PACKAGES = tuple(p.code for p in catalogue.PACKAGES.values() if p.assignable_to_workspaces)


@dataclass
class _Plan(holders.Plan):
    """A checked order: what ``workspace_create`` / ``workspace_update`` will write."""

    name: str = ""


# --- checks ------------------------------------------------------------------------------------------------


def _check_name(value, customer: Customer, errors: Errors, plan: _Plan, holder: Workspace | None) -> None:
    name = text(value)
    if not name or "\x00" in name or len(name) > NAME_MAX:
        errors.add(
            "name",
            ErrorCode.WORKSPACE_NAME_INVALID,
            (
                _("Give the workspace a name of at most %(max)d characters.")
                if len(name) <= NAME_MAX
                else _("Keep the name to %(max)d characters.")
            )
            % {"max": NAME_MAX},
        )
        return
    if has_unsafe_characters(name):
        errors.add("name", ErrorCode.WORKSPACE_NAME_INVALID, UNSAFE_CHARACTERS_MESSAGE)
        return
    plan.name = name
    taken = Workspace.objects.filter(customer=customer, name__iexact=name)
    if holder is not None:
        taken = taken.exclude(pk=holder.pk)
    if taken.exists():
        errors.add(
            "name",
            ErrorCode.WORKSPACE_NAME_IN_USE,
            _("%(org)s already has a workspace “%(name)s”.") % {"org": customer.org.name, "name": name},
        )


def _check_package(code, customer: Customer, errors: Errors, holder: Workspace | None) -> Package | None:
    code = text(code) or DEFAULT_PACKAGE
    package = catalogue.package_get(code) if code in WORKSPACE_PACKAGES else None
    if package is None:
        errors.add(
            "package",
            ErrorCode.SUBSCRIBER_PACKAGE_INVALID,
            _("“%(package)s” is not a package a workspace can hold.") % {"package": code[:40]},
        )
        return None
    holders.check_package(package, customer, errors, holder=holder, noun="workspaces and users")
    return package


def _plan(*, customer: Customer, order: dict, holder: Workspace | None = None) -> _Plan:
    errors = Errors()
    holders.check_customer(customer, errors, noun="workspaces")
    plan = _Plan(customer=customer)
    _check_name(order.get("name"), customer, errors, plan, holder)
    plan.package = _check_package(order.get("package"), customer, errors, holder)
    # Common Area Calling is calling: a workspace always gives a number, an extension or both.
    required = _("Common Area Calling is calling: give the workspace a phone number, an extension or both.")
    holders.check_calling(order=order, errors=errors, plan=plan, holder=holder, required=required)
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


def _snapshot(workspace: Workspace, calling: dict | None = None) -> dict:
    return {"name": workspace.name, "package": workspace.package} | (calling or holders.calling_of(workspace))


@transaction.atomic
def workspace_create(
    *, actor: User, customer: Customer, name="", package="", location="", phone_number="", extension=""
) -> Workspace:
    """Add a workspace with its package, location and number and/or extension; its interval opens now.
    ``location`` is a location's Webex id, uuid or name; empty: the number's location, else the
    headquarters."""
    require(actor, Action.USERS_PROVISION, customer.org)
    customer = holders.locked_customer(customer)
    order = _order(
        name=name, package=package, location=location, phone_number=phone_number, extension=extension
    )
    plan = _plan(customer=customer, order=order)
    workspace = Workspace.objects.create(
        customer=customer, name=plan.name, location=plan.location, package=plan.package.code
    )
    holders.assign_calling(workspace, plan, new=True)
    workspace_assignment_open(
        workspace=workspace, package=workspace.package, location=workspace.location, at=workspace.created
    )
    audit_record(
        actor=actor,
        acting_org=customer.org,
        action="workspace.create",
        target=workspace,
        after=_snapshot(workspace, holders.calling_planned(workspace, plan)),
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
    customer = holders.locked_customer(workspace.customer)
    workspace = holders.locked_holder(workspace)
    order = _order(
        name=name, package=package, location=location, phone_number=phone_number, extension=extension
    )
    plan = _plan(customer=customer, order=order, holder=workspace)
    before = _snapshot(workspace)
    holders.assign_calling(workspace, plan, replace=True)
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
    require(actor, Action.USERS_REMOVE, workspace.customer.org)
    workspace = holders.locked_holder(workspace)
    org = workspace.customer.org
    before = _snapshot(workspace, holders.release_calling(workspace))
    workspace_assignment_close(workspace=workspace)
    audit_record(actor=actor, acting_org=org, action="workspace.remove", target=workspace, before=before)
    workspace.delete()
