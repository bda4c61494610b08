"""Thin Celery front doors of billing: each calls one service."""

from celery import shared_task
from django.db import OperationalError

from apps.billing.services import (
    billing_report_build,
    billing_report_failed,
    billing_reports_requeue,
    usage_days_run,
)
from apps.core.context import Channel, request_context
from apps.core.tasks import GivesUpTask


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def usage_days_run_task() -> dict[str, int]:
    """Celery beat, hourly: yesterday's usage (UTC) once, and any day a previous run missed or failed."""
    with request_context(channel=Channel.TASK):
        return usage_days_run()


class BillingReportTask(GivesUpTask):
    """When a report's task gives up, the report ends FAILED instead of staying IN_PROGRESS."""

    id_argument = "report_id"

    def give_up(self, object_id) -> None:
        billing_report_failed(report_id=object_id)


@shared_task(
    bind=True,
    base=BillingReportTask,
    autoretry_for=(OperationalError, OSError),
    retry_backoff=True,
    max_retries=3,
)
def billing_report_build_task(self, report_id: str) -> None:
    with request_context(channel=Channel.TASK):
        billing_report_build(report_id=report_id)


@shared_task
def billing_reports_requeue_task() -> int:
    with request_context(channel=Channel.TASK):
        return billing_reports_requeue()
