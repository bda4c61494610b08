"""Thin Celery front door of exports."""

from celery import Task, shared_task
from django.db import OperationalError

from apps.core.context import Channel, request_context
from apps.exports import services


class ExportTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo) -> None:
        export_id = args[0] if args else kwargs.get("export_id")
        with request_context(channel=Channel.TASK):
            services.export_failed(export_id=export_id)


@shared_task(bind=True, base=ExportTask, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def export_run_task(self, export_id: str) -> None:
    with request_context(channel=Channel.TASK):
        services.export_run(export_id=export_id)
