"""A report's file goes with its row, however the row goes: deleted through the API or the page, or with its
partner or sub-partner (a cascade from an app below, which knows nothing of report files)."""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from apps.billing.models import BillingReport
from apps.billing.services.reports import report_storage


@receiver(post_delete, sender=BillingReport, dispatch_uid="billing-report-file")
def report_file_delete(sender, instance: BillingReport, using: str, **kwargs) -> None:
    name = instance.file_name
    if name:  # once the deletion commits: a rolled-back deletion keeps its file
        transaction.on_commit(lambda: report_storage().delete(name), using=using)
