"""Celery's worker signals tell the outbox when one of its messages starts and finishes."""

from apps.core.services import outbox_task_finished, outbox_task_started


def task_started(sender=None, task_id=None, **kwargs) -> None:
    outbox_task_started(task_id=task_id)


def task_finished(sender=None, task_id=None, state=None, **kwargs) -> None:
    outbox_task_finished(task_id=task_id, state=state)
