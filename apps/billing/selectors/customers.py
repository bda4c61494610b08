"""The customers the Billing pages offer: a partner's own customers the actor sees, by name or external id
(paginated by the page), and one of them by id."""

from django.db.models import Q, QuerySet

from apps.core.models import Organization
from apps.customers.models import Customer
from apps.customers.selectors import customer_get, customers_visible_to


def billing_customers(*, actor, partner: Organization, search: str = "") -> QuerySet[Customer]:
    customers = customers_visible_to(actor=actor).filter(org__parent=partner).select_related("org")
    if search:
        customers = customers.filter(Q(org__name__icontains=search) | Q(external_id__icontains=search))
    return customers.order_by("org__name", "id")


def billing_customer_get(*, actor, partner: Organization, customer_id: str) -> Customer:
    """A customer of the partner by its id; 404 for any other."""
    return customer_get(actor=actor, customer_id=customer_id, partner=partner)
