"""Writes about subscribers: ``subscriber_add`` gives a person of a customer exactly one package.

Customers themselves are created, changed and removed by ``provisioning`` (the old synchronous
``customer_create`` is gone: every customer goes through the provisioning request and its task).
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from apps.accounts.models import User
from apps.accounts.permissions import Action, require
from apps.accounts.services import person_create
from apps.core.services import audit_record
from apps.customers.models import Customer, Subscriber
from apps.packages.constants import SUBSCRIBER_PACKAGES

from .history import assignment_open


@transaction.atomic
def subscriber_add(
    *, actor: User, customer: Customer, email: str, package: str, first_name: str = "", last_name: str = ""
) -> Subscriber:
    require(actor, Action.USERS_PROVISION, customer.org)
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
    assignment_open(subscriber=subscriber, package=package, at=subscriber.created)
    audit_record(
        actor=actor,
        acting_org=customer.org,
        action="subscriber.create",
        target=subscriber,
        after={"email": subscriber.email, "package": package},
    )
    return subscriber
