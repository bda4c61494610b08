"""The outbox's messages given up (``failed``, kept ``KEEP_FINISHED``) and those open past their due time:
``manage.py outbox_failed [--open]``. What the relay logs as an error, for an operator to read in one place:
the task, the row it stood for, the attempts and why it ended."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from apps.core.models import OutboxMessage, OutboxState
from apps.core.services.outbox import OPEN


class Command(BaseCommand):
    help = "List the outbox messages given up (--open: also those still open past their due time)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--open",
            action="store_true",
            dest="include_open",
            help="also the open messages past their due time",
        )

    def handle(self, *args, include_open: bool, **options) -> None:
        failed = OutboxMessage.objects.filter(state=OutboxState.FAILED).order_by("-finished_at")
        self._write("given up", failed)
        if include_open:
            late = OutboxMessage.objects.filter(state__in=OPEN, due_at__lt=timezone.now()).order_by("due_at")
            self._write("open past their due time", late)

    def _write(self, title: str, messages) -> None:
        messages = list(messages[:500])
        self.stdout.write(
            f"{len(messages)} message(s) {title}" + (" (the first 500)" if len(messages) == 500 else "")
        )
        for m in messages:
            when = m.finished_at or m.due_at
            self.stdout.write(
                f"{m.pk}  {m.state}  {m.task_name}({m.subject})  attempts={m.attempts}  "
                f"{when:%Y-%m-%d %H:%M:%S}  {m.last_error}"
            )
