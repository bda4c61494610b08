"""Reads of Setup Assist orders: a partner's own, every order (the platform's Setup Assist team), one by
id within either."""

import uuid

from django.db.models import QuerySet
from django.http import Http404

from apps.billing.models import SetupAssistOrder
from apps.core.models import Organization


def setup_assist_orders_of(*, partner: Organization) -> QuerySet[SetupAssistOrder]:
    return SetupAssistOrder.objects.filter(partner=partner).select_related("partner", "customer__org")


def setup_assist_orders_all() -> QuerySet[SetupAssistOrder]:
    return SetupAssistOrder.objects.select_related("partner", "customer__org")


def setup_assist_order_get(*, orders: QuerySet[SetupAssistOrder], order_id: str) -> SetupAssistOrder:
    try:
        found = uuid.UUID(str(order_id))
    except ValueError:
        found = None
    order = orders.filter(pk=found).first() if found else None
    if order is None:
        raise Http404
    return order
