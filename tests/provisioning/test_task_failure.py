"""A provisioning task that crashes leaves the customer in ``error``, never busy for ever."""

import pytest

from apps.customers.models import CustomerStatus
from apps.provisioning.services import provisioning
from config.celery import app
from tests.factories import CustomerFactory


@pytest.fixture
def eager_without_propagation():
    """As a worker does: the task's failure handler runs instead of the error reaching the caller."""
    app.conf.task_eager_propagates = False
    yield
    app.conf.task_eager_propagates = True


def test_crashing_task_fails_the_customer(
    world, monkeypatch, django_capture_on_commit_callbacks, eager_without_propagation
):
    def explode(customer_id):
        raise RuntimeError("boom")

    monkeypatch.setattr(provisioning, "_provision", explode)
    with django_capture_on_commit_callbacks(execute=True):
        CustomerFactory(actor=world.acme_admin, partner=world.acme, name="Crashy Co")
    customer = world.acme.children.get(name="Crashy Co").customer
    assert customer.status == CustomerStatus.ERROR
    assert customer.errors[0]["errorCode"] == provisioning.ErrorCode.PROVISIONING_FAILED
