"""The outbox relay, run by the beat: publishes pending work, re-publishes or gives up stuck work."""

import logging

from celery import shared_task

from apps.core.context import Channel, request_context
from apps.core.services import outbox_relay

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def outbox_relay_task() -> dict[str, int]:
    with request_context(channel=Channel.TASK):
        counts = outbox_relay()
    if any(counts.values()):
        logger.warning("outbox relay: %s", counts)
    return counts
