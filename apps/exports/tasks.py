"""Thin Celery front door of exports: the run of one export, and the retention's hourly sweep (registered in
CELERY_BEAT_SCHEDULE)."""

from celery import shared_task
from django.db import OperationalError

from apps.core.context import Channel, request_context
from apps.core.tasks import GivesUpTask
from apps.exports import services


class ExportTask(GivesUpTask):
    id_argument = "export_id"

    def give_up(self, object_id) -> None:
        services.export_failed(export_id=object_id)


@shared_task(bind=True, base=ExportTask, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def export_run_task(self, export_id: str) -> None:
    with request_context(channel=Channel.TASK):
        services.export_run(export_id=export_id)


@shared_task(bind=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def exports_expire_task(self) -> dict[str, int]:
    with request_context(channel=Channel.TASK):
        return services.exports_expire()
