"""Accepted means durable (DESIGN.md rule 9): the customer's task is recorded with its row, published after
the commit, published again by the relay when the broker was away or lost it, and given up into a terminal
state when no worker ever finishes it."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerDown

from apps.core.models import OutboxMessage, OutboxState
from apps.core.services import outbox_relay
from apps.customers.models import Customer, CustomerStatus
from apps.provisioning.tasks import customer_provision_task
from config.celery import app
from tests.provisioning.test_api_customers import LIST, body  # noqa: F401  (the order fixture)


@pytest.fixture
def acme(world, api_client):
    return api_client(world.acme_admin)


@pytest.fixture
def broker(monkeypatch):
    """The real publish path (not eager) with a broker that refuses, or accepts and then loses, messages."""

    class Broker:
        state = "down"
        published: list[str] = []

        def apply_async(self, args=None, task_id=None, **options):
            if self.state == "down":
                raise BrokerDown("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
            self.published.append(task_id)  # accepted, then lost with the broker's memory

        def back(self):
            """The broker works again: the real task runs (eagerly, as in every test) when published."""
            monkeypatch.undo()
            app.conf.task_always_eager = True

    fake = Broker()
    app.conf.task_always_eager = False
    monkeypatch.setattr(customer_provision_task, "apply_async", fake.apply_async)
    try:
        yield fake
    finally:
        app.conf.task_always_eager = True


def _post(acme, body, django_capture_on_commit_callbacks):  # noqa: F811
    with django_capture_on_commit_callbacks(execute=True):
        response = acme.post(LIST, body(), format="json")
    assert response.status_code == 202, response.content
    return Customer.objects.get(external_id=body()["externalId"])


def test_a_broker_that_is_down_still_gets_a_202_and_the_relay_publishes_later(
    acme,
    body,  # noqa: F811
    broker,
    django_capture_on_commit_callbacks,
):
    customer = _post(acme, body, django_capture_on_commit_callbacks)
    message = OutboxMessage.objects.get(subject=str(customer.pk))
    assert message.state == OutboxState.PENDING and message.attempts == 0
    assert "Connection refused" in message.last_error
    assert customer.status == CustomerStatus.PROVISIONING

    broker.back()
    outbox_relay()
    customer.refresh_from_db()
    assert customer.status == CustomerStatus.PROVISIONED
    message.refresh_from_db()
    assert message.state == OutboxState.DONE and message.attempts == 1


def test_a_message_the_broker_lost_is_published_again_after_its_lease(
    acme,
    body,  # noqa: F811
    broker,
    django_capture_on_commit_callbacks,
):
    broker.state = "up"
    customer = _post(acme, body, django_capture_on_commit_callbacks)
    message = OutboxMessage.objects.get(subject=str(customer.pk))
    assert message.state == OutboxState.PUBLISHED and broker.published == [str(message.pk)]

    assert outbox_relay()["republished"] == 0  # within its lease
    message.refresh_from_db()
    assert message.state == OutboxState.PUBLISHED
    broker.back()
    later = timezone.now() + timedelta(seconds=settings.OUTBOX_LEASE_SECONDS + 1)
    assert outbox_relay(now=later)["republished"] >= 1
    customer.refresh_from_db()
    assert customer.status == CustomerStatus.PROVISIONED
    message.refresh_from_db()
    assert message.state == OutboxState.DONE and message.attempts == 2
    assert Customer.objects.filter(external_id=customer.external_id).count() == 1


def test_work_no_worker_ever_finishes_ends_in_error_not_busy(
    acme,
    body,  # noqa: F811
    broker,
    django_capture_on_commit_callbacks,
):
    broker.state = "up"
    customer = _post(acme, body, django_capture_on_commit_callbacks)
    message = OutboxMessage.objects.get(subject=str(customer.pk))
    now = timezone.now()
    for _ in range(settings.OUTBOX_MAX_ATTEMPTS):
        now += timedelta(seconds=settings.OUTBOX_LEASE_SECONDS + 1)
        outbox_relay(now=now)
    message.refresh_from_db()
    assert message.attempts == settings.OUTBOX_MAX_ATTEMPTS
    assert outbox_relay(now=now + timedelta(seconds=settings.OUTBOX_LEASE_SECONDS + 1))["given_up"] >= 1
    message.refresh_from_db()
    customer.refresh_from_db()
    assert message.state == OutboxState.FAILED
    assert customer.status == CustomerStatus.ERROR
    assert customer.errors and customer.errors[0]["description"]


def test_work_whose_give_up_could_not_be_written_is_given_up_again(
    acme,
    body,  # noqa: F811
    broker,
    django_capture_on_commit_callbacks,
):
    """The relay gives up a message, and the database refuses the mark of its object (a lock wait cut
    short, a deadlock: the hook's savepoint rolls back): the message stays open, and the next pass gives it
    up again. It was closed ``failed`` all the same, and the customer stayed ``provisioning``, with no
    message left for any beat to end it."""
    from unittest import mock

    from django.db import OperationalError

    broker.state = "up"
    customer = _post(acme, body, django_capture_on_commit_callbacks)
    message = OutboxMessage.objects.get(subject=str(customer.pk))
    now = timezone.now()
    for _ in range(settings.OUTBOX_MAX_ATTEMPTS - 1):  # published again after each lease: the last attempt
        now += timedelta(seconds=settings.OUTBOX_LEASE_SECONDS + 1)
        outbox_relay(now=now)
    message.refresh_from_db()
    assert message.attempts == settings.OUTBOX_MAX_ATTEMPTS and message.state == OutboxState.PUBLISHED
    now += timedelta(seconds=settings.OUTBOX_LEASE_SECONDS + 1)
    refused = OperationalError("deadlock detected")
    with mock.patch("apps.provisioning.services.customer_work_failed", side_effect=refused):
        outbox_relay(now=now)
    message.refresh_from_db()
    customer.refresh_from_db()
    assert message.state in (OutboxState.PUBLISHED, OutboxState.STARTED)
    assert customer.status == CustomerStatus.PROVISIONING
    assert outbox_relay(now=now + timedelta(seconds=settings.OUTBOX_RELAY_SECONDS))["given_up"] >= 1
    message.refresh_from_db()
    customer.refresh_from_db()
    assert message.state == OutboxState.FAILED and customer.status == CustomerStatus.ERROR


def test_the_customer_and_its_message_commit_together(world, acme, body):  # noqa: F811
    response = acme.post(LIST, body(), format="json")
    assert response.status_code == 202
    customer = Customer.objects.get(external_id=body()["externalId"])
    message = OutboxMessage.objects.get(subject=str(customer.pk))
    assert message.task_name == customer_provision_task.name and message.args == [str(customer.pk)]
    before = OutboxMessage.objects.count()
    refused = acme.post(LIST, body(externalId="another", packages=["nonsense"]), format="json")
    assert refused.status_code == 400
    assert OutboxMessage.objects.count() == before


def test_work_accepted_before_the_outbox_gets_a_message_and_finishes(world):
    """The data migration: a customer left busy by the old enqueue-on-commit (its message never existed)."""
    import importlib

    from django.apps import apps

    from tests.factories import provision_customer

    customer = provision_customer(
        actor=world.acme_admin, partner=world.acme, run=False, name="Stuck Ltd", admin_email="it@stuck.test"
    )
    OutboxMessage.objects.all().delete()  # as before the outbox: nothing remembers the task
    migration = importlib.import_module("apps.provisioning.migrations.0001_outbox_for_busy_work")
    migration.queue_busy_work(apps, None)
    message = OutboxMessage.objects.get(subject=str(customer.pk))
    assert message.task_name == customer_provision_task.name
    outbox_relay()
    customer.refresh_from_db()
    assert customer.status == CustomerStatus.PROVISIONED


RENAMED = "apps.provisioning.tasks.customer_provision_task_before_the_rename"


@pytest.fixture
def not_eager():
    """The worker's publish path (the broker is never reached: the task name is unknown)."""
    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = True


def _stuck_customer(world, name: str):
    """A customer in ``provisioning`` whose only message names a task this release does not have."""
    from django.test import TestCase

    from apps.core.services import outbox_enqueue
    from tests.factories import provision_customer

    customer = provision_customer(
        actor=world.acme_admin, partner=world.acme, run=False, name=name, admin_email=f"it@{name[:5]}.test"
    )
    OutboxMessage.objects.all().delete()
    with TestCase.captureOnCommitCallbacks(execute=True):  # the fast path publishes it once
        message = outbox_enqueue(task_name=RENAMED, args=[str(customer.pk)])
    return customer, message


def _relay_until_closed(message) -> int:
    passes = 0
    message.refresh_from_db()
    while (
        message.state not in (OutboxState.DONE, OutboxState.FAILED)
        and passes < 3 * settings.OUTBOX_MAX_ATTEMPTS
    ):
        outbox_relay(now=timezone.now() + timedelta(seconds=settings.OUTBOX_RELAY_SECONDS))
        message.refresh_from_db()
        passes += 1
    return passes


def test_a_message_naming_an_unknown_task_is_given_up_after_its_attempts(world, not_eager, caplog):
    """A task renamed in a release: its message went back to pending on every relay pass with its attempt
    rolled back (as for a broker that is down), open for ever. Each try now costs an attempt; after the last
    it is closed failed with a clear error, logged, and listed for the operators."""
    from io import StringIO

    from django.core.management import call_command

    customer, message = _stuck_customer(world, "Renamed Ltd")
    message.refresh_from_db()
    assert message.attempts == 1 and message.state == OutboxState.PENDING
    assert "unknown task" in message.last_error
    assert _relay_until_closed(message) < settings.OUTBOX_MAX_ATTEMPTS
    assert message.state == OutboxState.FAILED and message.attempts == settings.OUTBOX_MAX_ATTEMPTS
    assert message.last_error.startswith(f"unknown task {RENAMED}")
    assert any(RENAMED in r.getMessage() and r.levelname == "ERROR" for r in caplog.records)
    out = StringIO()
    call_command("outbox_failed", stdout=out)
    assert RENAMED in out.getvalue() and str(customer.pk) in out.getvalue()


def test_an_unknown_task_a_task_names_as_its_former_name_gives_its_object_up(world, not_eager, monkeypatch):
    """When the release says which task the old name became (``former_names``), the object the message stood
    for is given up as that task gives up: the customer ends in ``error``, not ``provisioning`` for ever."""
    monkeypatch.setattr(customer_provision_task, "former_names", (RENAMED,), raising=False)
    customer, message = _stuck_customer(world, "Former Ltd")
    _relay_until_closed(message)
    customer.refresh_from_db()
    assert message.state == OutboxState.FAILED
    assert customer.status == CustomerStatus.ERROR and customer.errors
