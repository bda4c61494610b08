"""The outbox's messages given up (``failed``, kept ``KEEP_FINISHED``) and those open past their due time:
``manage.py outbox_failed [--open]``. What the relay logs as an error, for an operator to read in one place:
the task, the row it stood for, the attempts and why it ended."""

from django.core.management.base import BaseCommand

from apps.core.selectors import outbox_messages_given_up, outbox_messages_overdue
from apps.core.services.outbox import OPEN

SHOWN = 500  # the most of each kind listed


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
        self._write("given up", outbox_messages_given_up(limit=SHOWN + 1))
        if include_open:
            self._write(
                "open past their due time", outbox_messages_overdue(open_states=OPEN, limit=SHOWN + 1)
            )

    def _write(self, title: str, messages: list) -> None:
        more = len(messages) > SHOWN
        messages = messages[:SHOWN]
        self.stdout.write(f"{len(messages)} message(s) {title}" + (f" (the first {SHOWN})" if more else ""))
        for m in messages:
            when = m.finished_at or m.due_at
            self.stdout.write(
                f"{m.pk}  {m.state}  {m.task_name}({m.subject})  attempts={m.attempts}  "
                f"{when:%Y-%m-%d %H:%M:%S}  {m.last_error}"
            )
