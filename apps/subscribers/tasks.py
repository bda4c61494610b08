"""Thin Celery front doors of subscribers: each takes an id and calls one service."""

from celery import shared_task
from django.db import OperationalError

from apps.core.context import Channel, request_context
from apps.core.tasks import GivesUpTask
from apps.subscribers import services


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def subscriber_consent_email_task(subscriber_id: str) -> None:
    with request_context(channel=Channel.TASK):
        services.subscriber_consent_email_send(subscriber_id=subscriber_id)


class SubscriberImportTask(GivesUpTask):
    """When a CSV import's task gives up, the import ends ``failed`` instead of staying queued or running."""

    id_argument = "import_id"

    def give_up(self, object_id) -> None:
        services.subscriber_import_failed(import_id=object_id)


@shared_task(
    bind=True,
    base=SubscriberImportTask,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
)
def subscriber_import_task(self, import_id: str) -> None:
    with request_context(channel=Channel.TASK):
        services.subscriber_import_run(import_id=import_id)


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def open_assignment_counts_fold_task() -> int:
    with request_context(channel=Channel.TASK):
        return services.open_assignment_counts_fold()
