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


def test_a_retry_after_an_update_that_stopped_does_not_bring_back_a_removed_package(world):
    """An update removing a package stops (its task gave up: the customer is in error, the package still
    ``deleting``); the partner retries. The retry provisioned every package not provisioned, the one being
    removed too: the customer ended ``provisioned`` holding the package the partner had removed."""
    from django.test import TestCase

    from apps.customers.models import PackageStatus
    from apps.provisioning.services.provisioning import customer_provision_retry, customer_update_request
    from tests.factories import provision_customer

    customer = provision_customer(
        actor=world.acme_admin,
        partner=world.acme,
        name="Two Packages Co",
        admin_email="it@twopackages.test",
        packages=("webex_calling", "webex_meetings"),
    )
    customer = customer_update_request(actor=world.acme_admin, customer=customer, packages=["webex_calling"])
    provisioning.customer_work_failed(customer_id=customer.pk)  # the update's task gave up
    customer.refresh_from_db()
    assert customer.status == CustomerStatus.ERROR
    with TestCase.captureOnCommitCallbacks(execute=True):
        customer_provision_retry(actor=world.acme_admin, customer=customer)
    customer.refresh_from_db()
    assert customer.status == CustomerStatus.PROVISIONED
    assert {p.code: p.status for p in customer.packages.all()} == {"webex_calling": PackageStatus.PROVISIONED}
