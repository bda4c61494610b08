from celery import shared_task

from apps.accounts import services
from apps.core.context import Channel, request_context


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def invitation_send_task(self, invitation_id: str) -> None:
    with request_context(channel=Channel.TASK):
        services.invitation_send(invitation_id=invitation_id)
