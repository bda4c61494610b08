"""A billing report ordered while the broker is away (DESIGN.md rule 9): the order is answered, its build is
recorded in the outbox with the report and published by the relay once the broker is back. It was published
by a bare ``delay`` once the order committed: the broker's refusal escaped the commit, so the order (already
written, IN_PROGRESS) answered a 500, and a client that asked again got a second report of the period."""

from datetime import timedelta

from django.test import TestCase
from kombu.exceptions import OperationalError as BrokerDown

from apps.billing.models import BillingReport, ReportStatus
from apps.billing.services.reports import billing_report_create, utc_today
from apps.billing.tasks import billing_report_build_task
from apps.core.models import OutboxMessage, OutboxState
from apps.core.services import outbox_relay
from config.celery import app


def test_a_report_ordered_while_the_broker_is_away_is_built_once_it_is_back(world, monkeypatch):
    def refused(*args, **kwargs):
        raise BrokerDown("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    day = str(utc_today() - timedelta(days=1))
    app.conf.task_always_eager = False
    monkeypatch.setattr(billing_report_build_task, "apply_async", refused)
    try:
        with TestCase.captureOnCommitCallbacks(execute=True):
            report = billing_report_create(actor=world.acme_admin, partner=world.acme, start=day, end=day)
    finally:
        app.conf.task_always_eager = True
        monkeypatch.undo()
    report.refresh_from_db()
    assert report.status == ReportStatus.IN_PROGRESS
    message = OutboxMessage.objects.get(subject=str(report.pk))
    assert message.task_name == billing_report_build_task.name and message.state == OutboxState.PENDING

    outbox_relay()  # the beat, with the broker back (the eager worker builds it)
    report.refresh_from_db()
    message.refresh_from_db()
    assert report.status == ReportStatus.COMPLETED and message.state == OutboxState.DONE
    assert BillingReport.objects.filter(partner=world.acme).count() == 1
