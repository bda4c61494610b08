"""Writes of restricted-by-partner mode: a partner admin turns it on or off for one customer."""

from django.db import transaction

from apps.accounts.permissions import Action, require
from apps.core.services import audit_record


@transaction.atomic
def restricted_mode_set(*, actor, customer, enabled: bool) -> bool:
    """Turn restricted-by-partner mode on or off for ``customer`` (a ``Customer``); returns the new state.
    Only who manages the customer's wholesale services may (partner people); setting the current value
    again writes nothing."""
    require(actor, Action.WHOLESALE_MANAGE, customer.org)
    if not isinstance(enabled, bool):
        raise TypeError("enabled must be a bool")
    from apps.customers.models import Customer

    current = (
        Customer.objects.select_for_update()
        .filter(pk=customer.pk)
        .values_list("restricted_by_partner", flat=True)[0]
    )
    if current == enabled:
        customer.restricted_by_partner = enabled
        return enabled
    Customer.objects.filter(pk=customer.pk).update(restricted_by_partner=enabled)
    customer.restricted_by_partner = enabled
    audit_record(
        actor=actor,
        acting_org=customer.org,
        action="customer.restricted_mode",
        target=customer,
        before={"restricted_by_partner": current},
        after={"restricted_by_partner": enabled},
    )
    return enabled
