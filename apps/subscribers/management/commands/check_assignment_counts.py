"""Compare the open-assignment counts the overviews read with a live count of the open package intervals,
customer by customer, and count again those that differ with ``--repair``:
``manage.py check_assignment_counts [--repair]``."""

from django.core.management.base import BaseCommand, CommandError

from apps.subscribers.services.history import open_assignment_counts_check


class Command(BaseCommand):
    help = "Check the open-assignment counts against the open package intervals (--repair: count again)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--repair", action="store_true", help="count the differing customers again")

    def handle(self, *args, repair: bool, **options) -> None:
        wrong = open_assignment_counts_check(repair=repair)
        if not wrong:
            self.stdout.write("The open-assignment counts agree with the open intervals.")
            return
        for customer_id in wrong:
            self.stdout.write(
                f"customer {customer_id}: counts differ" + (", counted again" if repair else "")
            )
        if not repair:
            raise CommandError(f"{len(wrong)} customer(s) with counts that differ: run with --repair.")
