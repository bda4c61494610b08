"""Thin Celery front doors of customer provisioning: each takes the customer's id and calls one service,
which is idempotent (a retried or duplicated task does nothing twice)."""

from celery import shared_task
from django.db import OperationalError

from apps.core.context import Channel, request_context
from apps.core.tasks import GivesUpTask
from apps.provisioning import services


class CustomerWorkTask(GivesUpTask):
    """When a customer's task gives up, the customer leaves its busy state instead of staying in it."""

    id_argument = "customer_id"

    def give_up(self, object_id) -> None:
        services.customer_work_failed(customer_id=object_id)


_RETRY = {
    "base": CustomerWorkTask,
    "autoretry_for": (OperationalError,),
    "retry_backoff": True,
    "max_retries": 5,
}


@shared_task(bind=True, **_RETRY)
def customer_provision_task(self, customer_id: str) -> None:
    with request_context(channel=Channel.TASK):
        services.customer_provision(customer_id=customer_id)


@shared_task(bind=True, **_RETRY)
def customer_update_task(self, customer_id: str) -> None:
    with request_context(channel=Channel.TASK):
        services.customer_update(customer_id=customer_id)


@shared_task(bind=True, **_RETRY)
def customer_remove_task(self, customer_id: str) -> None:
    with request_context(channel=Channel.TASK):
        services.customer_remove(customer_id=customer_id)
