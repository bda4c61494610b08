"""Writes about customers and subscribers.

``customer_create`` is the synchronous core that the onboarding wizard and the Wholesale Customers API build
on; ``subscriber_add`` gives a person of a customer exactly one package.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from guardian.shortcuts import assign_perm

from apps.accounts.models import User
from apps.accounts.permissions import Action, require
from apps.accounts.roles import Role
from apps.accounts.selectors import MANAGE_CUSTOMER_CODENAME, roles_of
from apps.accounts.services import invitation_queue, person_create
from apps.core.models import Organization, OrgKind
from apps.core.services import audit_record
from apps.customers.models import Customer, CustomerStatus, Subscriber
from apps.packages.constants import SUBSCRIBER_PACKAGES


@transaction.atomic
def customer_create(
    *,
    actor: User,
    partner: Organization,
    name: str,
    admin_email: str,
    admin_first_name: str = "",
    admin_last_name: str = "",
    external_id: str = "",
    invite_admin: bool = True,
) -> Customer:
    require(actor, Action.CUSTOMER_CREATE, partner)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Enter the customer's name."})
    if "%" in name:
        raise ValidationError({"name": "The name must not contain “%”."})
    if external_id and Customer.objects.filter(org__parent=partner, external_id=external_id).exists():
        raise ValidationError({"external_id": "This external id is already used by another customer."})
    org = Organization.objects.create(name=name[:255], kind=OrgKind.CUSTOMER, parent=partner)
    customer = Customer.objects.create(org=org, external_id=external_id, status=CustomerStatus.PROVISIONED)
    admin = person_create(
        org=org,
        email=admin_email,
        first_name=admin_first_name,
        last_name=admin_last_name,
        roles=[Role.FULL_ADMIN],
    )
    if invite_admin:
        invitation_queue(user=admin, invited_by=actor)
    if Role.PARTNER_ADMIN in roles_of(actor) and not roles_of(actor) & {Role.PARTNER_FULL_ADMIN}:
        # A partner admin keeps managing the customers it provisions.
        assign_perm(MANAGE_CUSTOMER_CODENAME, actor, org)
    audit_record(
        actor=actor,
        acting_org=partner,
        action="customer.create",
        target=customer,
        after={"name": org.name, "external_id": external_id, "admin": admin.email},
    )
    return customer


@transaction.atomic
def subscriber_add(
    *, actor: User, customer: Customer, email: str, package: str, first_name: str = "", last_name: str = ""
) -> Subscriber:
    require(actor, Action.USERS_MANAGE, customer.org)
    if package not in SUBSCRIBER_PACKAGES:
        raise ValidationError({"package": f"“{package}” is not a subscriber package."})
    user = person_create(org=customer.org, email=email, first_name=first_name, last_name=last_name)
    subscriber = Subscriber.objects.create(
        customer=customer,
        user=user,
        email=user.email,
        first_name=user.first_name,
        last_name=user.last_name,
        package=package,
    )
    audit_record(
        actor=actor,
        acting_org=customer.org,
        action="subscriber.create",
        target=subscriber,
        after={"email": subscriber.email, "package": package},
    )
    return subscriber
