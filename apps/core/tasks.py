"""The outbox relay, run by the beat: publishes pending work, re-publishes or gives up stuck work."""

import logging

from celery import Task, shared_task
from django.db import DatabaseError, InterfaceError

from apps.core.context import Channel, request_context
from apps.core.services import outbox_relay

logger = logging.getLogger(__name__)


class GivesUpTask(Task):
    """A task whose object leaves its busy state when the task gives up: ``give_up(object_id)`` marks it
    failed (the object's id is the task's first argument, or its ``id_argument`` keyword). When the database
    is away, often the very reason the task gave up, the mark cannot be written: the object stays busy and
    the outbox relay (beat) runs or gives up its work again once the database is back. The failure handler
    never raises: an exception there stops a worker running the solo pool (the fault suite saw it)."""

    id_argument = ""
    # The names this task had in earlier releases: the outbox gives up their messages' objects through this
    # task's give_up (a message naming a task that no longer exists is never run, but must not leave its
    # object busy for ever).
    former_names: tuple[str, ...] = ()

    def give_up(self, object_id) -> None:
        raise NotImplementedError

    def on_failure(self, exc, task_id, args, kwargs, einfo) -> None:
        object_id = args[0] if args else kwargs.get(self.id_argument)
        try:
            with request_context(channel=Channel.TASK):
                self.give_up(object_id)
        except (DatabaseError, InterfaceError) as error:
            logger.warning("%s gave up on %s; not marked failed yet (%s)", self.name, object_id, error)


@shared_task(ignore_result=True)
def outbox_relay_task() -> dict[str, int]:
    with request_context(channel=Channel.TASK):
        counts = outbox_relay()
    if any(counts.values()):
        logger.warning("outbox relay: %s", counts)
    return counts
