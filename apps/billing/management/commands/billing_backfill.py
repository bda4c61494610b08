"""Build the usage days of a date range (UTC days), e.g. after an outage longer than the daily job's
catch-up window, or to rebuild history: ``manage.py billing_backfill 2026-01-01 2026-03-31``."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from apps.billing.services.usage import usage_days_backfill


class Command(BaseCommand):
    help = "Build (or rebuild) the usage days of a date range, start and end included (UTC days)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("start", help="first day, YYYY-MM-DD")
        parser.add_argument("end", nargs="?", help="last day, YYYY-MM-DD (default: the first)")

    def handle(self, *args, start: str, end: str | None, **options) -> None:
        try:
            first = date.fromisoformat(start)
            last = date.fromisoformat(end) if end else first
        except ValueError as error:
            raise CommandError(f"Give dates as YYYY-MM-DD: {error}") from error
        if last < first:
            raise CommandError("The end day comes before the start day.")
        result = usage_days_backfill(start=first, end=last)
        self.stdout.write(
            f"{result['days']} day(s) built, {result['rows']} usage rows, {result['failed']} failed"
        )
        if result["failed"]:
            raise CommandError("Some days failed; they are recorded and the next daily run retries them.")
