"""The periodic re-check of customers held by denied-party screening (run by Celery beat every 15 minutes;
registered in CELERY_BEAT_SCHEDULE and loaded through CELERY_IMPORTS)."""

from celery import shared_task

from apps.core.context import Channel, request_context
from apps.screening.services import screening_recheck_all


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def screening_recheck_task(self) -> dict[str, int]:
    with request_context(channel=Channel.TASK):
        return screening_recheck_all()
