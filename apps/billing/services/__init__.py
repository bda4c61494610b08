"""Billing's writes: usage days (``usage``), billing reports (``reports``), Setup Assist orders
(``setup_assist``) and transfer prices (``prices``). The ones the Celery tasks call are named here."""

from apps.billing.services.reports import billing_report_build, billing_report_failed, billing_reports_requeue
from apps.billing.services.usage import usage_days_run

__all__ = ["billing_report_build", "billing_report_failed", "billing_reports_requeue", "usage_days_run"]
