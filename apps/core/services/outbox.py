"""The transactional outbox: accepted work is durable before anyone is told it is accepted (DESIGN.md rule 9).

``outbox_enqueue`` writes the task as a row in the caller's transaction, so the row and the work it carries
out commit (or roll back) together, and publishes it right after the commit (the fast path). A broker that is
down at that moment costs nothing but time: the request still answers, and ``outbox_relay`` (the beat, every
``OUTBOX_RELAY_SECONDS``) publishes whatever is still pending.

The message's id is the Celery task id: the worker's ``task_prerun``/``task_postrun`` signals mark it
started and finished (a retry keeps it open). A message neither finished nor failed ``OUTBOX_LEASE_SECONDS``
after it was last published or started (the worker was killed, Redis lost its queue, the database went away)
is published again — every task takes an id and is idempotent — and after ``OUTBOX_MAX_ATTEMPTS`` given up:
the task's ``give_up`` (``GivesUpTask``; else its ``on_failure``) moves its row to a terminal state, and the
message stays open until that mark is written, so nothing stays busy for ever. A message naming a task this
release does not have (renamed, removed) spends an attempt on each pass and is given up the same way, through
the task that names the old name among its ``former_names`` when one does. ``manage.py outbox_failed`` lists
the messages given up.
"""

import logging
import uuid
from datetime import timedelta

from celery import current_app
from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone

from apps.core.context import Channel, request_context
from apps.core.models import OutboxMessage, OutboxState

logger = logging.getLogger(__name__)

OPEN = (OutboxState.PENDING, OutboxState.PUBLISHED, OutboxState.STARTED)
# How long a finished message is kept (for the operator's questions), then deleted by the relay.
KEEP_FINISHED = timedelta(days=2)


def _lease() -> timedelta:
    return timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)


def outbox_enqueue(*, task_name: str, args: list) -> OutboxMessage:
    """Record ``task_name(*args)`` in the current transaction; published once it commits."""
    message = OutboxMessage.objects.create(
        task_name=task_name, args=list(args), subject=str(args[0])[:64] if args else "", due_at=timezone.now()
    )
    message_id = message.pk
    transaction.on_commit(lambda: outbox_publish(message_id=message_id))
    return message


def outbox_publish(*, message_id) -> bool:
    """Publish one pending message (the fast path after a commit, and the relay). False when the broker
    refused it: the message stays pending for the relay. With eager tasks (tests, the embedded shell) the
    task runs here and its errors propagate."""
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(pk=message_id, state=OutboxState.PENDING)
            .first()
        )
        if message is None:
            return False  # published already (the relay was quicker), finished, or being published now
        message.attempts += 1
        message.state = OutboxState.PUBLISHED
        message.published_at = timezone.now()
        message.due_at = message.published_at + _lease()
        message.save(update_fields=["attempts", "state", "published_at", "due_at"])
    if message.task_name not in current_app.tasks:
        _unknown_task(message)
        return False
    eager = current_app.conf.task_always_eager
    try:
        current_app.tasks[message.task_name].apply_async(
            args=message.args, task_id=str(message.pk), **({} if eager else {"retry": False})
        )
    except Exception as exc:
        if eager:
            raise
        logger.warning("outbox: publishing %s failed, the relay retries: %s", message, exc)
        OutboxMessage.objects.filter(pk=message.pk, state=OutboxState.PUBLISHED).update(
            state=OutboxState.PENDING,
            due_at=timezone.now(),
            attempts=message.attempts - 1,
            last_error=str(exc)[:255],
        )
        return False
    return True


def _message_id(task_id: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(task_id))
    except ValueError:
        return None


def outbox_task_started(*, task_id: str) -> None:
    """The worker took the task (``task_prerun``): its lease starts again from now."""
    task_id = _message_id(task_id)
    if task_id is None:
        return
    now = timezone.now()
    OutboxMessage.objects.filter(pk=task_id, state__in=OPEN).update(
        state=OutboxState.STARTED, due_at=now + _lease()
    )


def outbox_task_finished(*, task_id: str, state: str) -> None:
    """``task_postrun``: a retry keeps the message open; success or failure closes it."""
    task_id = _message_id(task_id)
    if task_id is None or state not in ("SUCCESS", "FAILURE"):
        return
    OutboxMessage.objects.filter(pk=task_id, state__in=OPEN).update(
        state=OutboxState.DONE, finished_at=timezone.now(), last_error="" if state == "SUCCESS" else state
    )


def _task_for(task_name: str):
    """The task of that name, else the one that names it among its ``former_names`` (a task renamed in a
    release says what it was called, so that its old messages' objects can be given up), else None."""
    task = current_app.tasks.get(task_name)
    if task is not None:
        return task
    return next((t for t in current_app.tasks.values() if task_name in getattr(t, "former_names", ())), None)


def _unknown_task(message: OutboxMessage) -> None:
    """No task of that name in this release (renamed or removed). Unlike a broker's refusal, the try counts:
    the message is published again by the next passes (a worker of the other release may still know it),
    then given up after ``OUTBOX_MAX_ATTEMPTS``, closed failed and its object given up when that can be known,
    instead of going back to pending for ever with its object busy."""
    error = f"unknown task {message.task_name}: no task of that name in this release (renamed or removed?)"
    if message.attempts < settings.OUTBOX_MAX_ATTEMPTS:
        logger.warning("outbox: %s names an unknown task, attempt %s", message, message.attempts)
        OutboxMessage.objects.filter(pk=message.pk, state=OutboxState.PUBLISHED).update(
            state=OutboxState.PENDING, due_at=timezone.now(), last_error=error[:255]
        )
        return
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update()
            .filter(pk=message.pk, state=OutboxState.PUBLISHED)
            .first()
        )
        if message is not None and not _give_up(message, reason=LookupError(error)):
            # The object's mark was refused: pending again, the next pass gives it up again.
            message.state = OutboxState.PENDING
            message.due_at = timezone.now()
            message.save(update_fields=["state", "due_at"])


def _give_up(message: OutboxMessage, *, reason: Exception | None = None) -> bool:
    """The task's own failure hook ends its row (customer ``error``, import ``failed``). False when the
    database refused that mark (a lock wait cut short, a deadlock): the message stays open, and the next
    pass gives it up again, since once it is closed nothing would ever end the row it leaves busy."""
    task = _task_for(message.task_name)
    reason = reason or TimeoutError(f"no worker finished it after {message.attempts} deliveries")
    give_up = getattr(task, "give_up", None)  # a GivesUpTask's mark, called here to learn if it was written
    try:
        with transaction.atomic():  # a savepoint: a refused mark leaves the relay's transaction usable
            if give_up is not None:
                with request_context(channel=Channel.TASK):
                    give_up(message.args[0] if message.args else None)
            elif task is not None:
                task.on_failure(reason, str(message.pk), message.args, {}, None)
    except DatabaseError as error:
        logger.warning("outbox: %s not given up yet, its mark was refused (%s)", message, error)
        message.last_error = f"give-up refused: {error}"[:255]
        message.save(update_fields=["last_error"])
        return False
    except Exception:  # one broken hook must not stop the relay for every other message
        logger.exception("outbox: the failure hook of %s raised", message)
    message.state = OutboxState.FAILED
    message.finished_at = timezone.now()
    message.last_error = str(reason)[:255]
    message.save(update_fields=["state", "finished_at", "last_error"])
    # Operators see it in the logs and with ``manage.py outbox_failed`` (kept ``KEEP_FINISHED``).
    logger.error("outbox: gave up %s: %s", message, message.last_error)
    return True


def outbox_relay(*, now=None) -> dict[str, int]:
    """The beat's pass: messages whose lease ran out are published again (or given up), pending ones are
    published, finished ones past ``KEEP_FINISHED`` deleted. Returns what it did, for logs and tests."""
    now = now or timezone.now()
    counts = {"republished": 0, "given_up": 0, "published": 0, "deleted": 0}
    with transaction.atomic():
        expired = list(
            OutboxMessage.objects.select_for_update(skip_locked=True).filter(
                state__in=(OutboxState.PUBLISHED, OutboxState.STARTED), due_at__lte=now
            )[:500]
        )
        for message in expired:
            if message.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
                counts["given_up"] += _give_up(message)
            else:
                message.state = OutboxState.PENDING
                message.due_at = now
                message.last_error = "lease expired"
                message.save(update_fields=["state", "due_at", "last_error"])
                counts["republished"] += 1
    due = OutboxMessage.objects.filter(state=OutboxState.PENDING, due_at__lte=now).values_list(
        "pk", flat=True
    )
    for message_id in list(due[:500]):
        if outbox_publish(message_id=message_id):
            counts["published"] += 1
    counts["deleted"], _ = OutboxMessage.objects.filter(
        state__in=(OutboxState.DONE, OutboxState.FAILED), finished_at__lt=now - KEEP_FINISHED
    ).delete()
    return counts
