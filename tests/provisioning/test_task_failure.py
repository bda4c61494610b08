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


def _removal_that_stopped(world, name="Leaving Co"):
    """A provisioned customer whose removal's task gave up: the customer in error, its packages all still
    ``deleting`` (the removal task never ran: its message is not delivered in a test transaction)."""
    from apps.customers.models import PackageStatus
    from apps.provisioning.services.provisioning import customer_remove_request
    from tests.factories import provision_customer

    customer = provision_customer(
        actor=world.acme_admin,
        partner=world.acme,
        name=name,
        admin_email=f"it@{name.split()[0].lower()}.test",
        packages=("webex_calling", "webex_meetings"),
    )
    customer_remove_request(actor=world.acme_admin, customer=customer)
    provisioning.customer_work_failed(customer_id=customer.pk)  # the removal's task gave up
    customer.refresh_from_db()
    assert customer.status == CustomerStatus.ERROR
    assert set(customer.packages.values_list("status", flat=True)) == {PackageStatus.DELETING}
    return customer


def test_a_retry_after_a_removal_that_stopped_goes_on_with_the_removal(world, page_client):
    """The retry ran provisioning, which provisioned every package again: the customer came back
    ``provisioned`` and the partner's removal was lost. The retry runs the removal again instead (page)."""
    from django.test import TestCase
    from django.urls import reverse

    from apps.core.models import AuditEvent
    from apps.customers.models import Customer
    from apps.provisioning.tasks import customer_remove_task

    customer = _removal_that_stopped(world)
    ids = {"org_id": world.acme.webex_id, "customer_id": customer.webex_id}
    client = page_client(world.acme_admin)
    panel = client.get(reverse("partner:customer_detail", kwargs=ids)).content.decode()
    assert 'data-testid="retry"' in panel and "stopped before it finished" in panel
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("partner:customer_retry", kwargs=ids))
    assert response.status_code == 302
    assert not Customer.objects.filter(pk=customer.pk).exists()  # removed, as a removal that succeeded
    assert customer.org.__class__.objects.filter(pk=customer.org_id).exists()  # the organisation stays
    retry = AuditEvent.objects.get(action="customer.remove_retry", target_id=str(customer.pk))
    assert retry.actor == world.acme_admin and retry.after == {"status": CustomerStatus.DELETING}
    removed = AuditEvent.objects.get(action="customer.removed", target_id=str(customer.pk))
    assert removed.before["packages"] == ["webex_calling", "webex_meetings"]
    assert (
        not AuditEvent.objects.filter(action="customer.provisioned", target_id=str(customer.pk)).count() > 1
    )
    # The removal's message delivered twice: the second finds nothing to do.
    customer_remove_task.apply(args=[str(customer.pk)]).get()
    assert AuditEvent.objects.filter(action="customer.removed", target_id=str(customer.pk)).count() == 1


def test_provisioning_that_meets_a_removal_that_stopped_hands_it_back_to_the_removal(world):
    """Whatever runs provisioning of such a customer (an approval or a release resuming it, a provisioning
    message still in flight) never provisions the packages being removed: the removal goes on."""
    from django.test import TestCase

    from apps.customers.models import Customer
    from apps.provisioning.services.provisioning import customer_provision_enqueue

    customer = _removal_that_stopped(world)
    with TestCase.captureOnCommitCallbacks(execute=True):
        customer_provision_enqueue(customer=customer)
    assert not Customer.objects.filter(pk=customer.pk).exists()

    customer = _removal_that_stopped(world, name="Inflight Co")
    Customer.objects.filter(pk=customer.pk).update(status=CustomerStatus.PROVISIONING)  # a message in flight
    with TestCase.captureOnCommitCallbacks(execute=True):
        provisioning.customer_provision(customer_id=customer.pk)
        provisioning.customer_provision(customer_id=customer.pk)  # delivered twice
    assert not Customer.objects.filter(pk=customer.pk).exists()


def test_a_retry_of_a_removal_asked_twice_removes_once(world):
    """Two clicks on Retry before the removal's task ran: the second changes nothing (no second message, no
    second audit entry), as a second removal request; the removal then runs once."""
    from django.test import TestCase

    from apps.core.models import AuditEvent, OutboxMessage
    from apps.customers.models import Customer
    from apps.provisioning.services.provisioning import customer_provision_retry

    customer = _removal_that_stopped(world, name="Twice Co")
    messages = OutboxMessage.objects.filter(subject=str(customer.pk)).count()
    customer_provision_retry(actor=world.acme_admin, customer=customer)
    again = customer_provision_retry(actor=world.acme_admin, customer=customer)
    assert again.status == CustomerStatus.DELETING
    assert OutboxMessage.objects.filter(subject=str(customer.pk)).count() == messages + 1
    assert AuditEvent.objects.filter(action="customer.remove_retry", target_id=str(customer.pk)).count() == 1
    with TestCase.captureOnCommitCallbacks(execute=True):
        provisioning.customer_remove(customer_id=customer.pk)
    assert not Customer.objects.filter(pk=customer.pk).exists()


def test_on_the_api_a_removal_that_stopped_is_retried_by_asking_the_removal_again(world, api_client):
    """The Wholesale API has no retry: a client sees ``error`` and sends its DELETE again, which runs the
    removal (not provisioning) to its end."""
    from django.test import TestCase

    from apps.customers.models import Customer

    customer = _removal_that_stopped(world, name="Api Co")
    client = api_client(world.acme_admin)
    url = f"/v1/wholesale/customers/{customer.webex_id}"
    assert client.get(url).json()["status"] == "error"
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert client.delete(url).status_code == 202
    assert not Customer.objects.filter(pk=customer.pk).exists()
    assert client.get(url).status_code == 404
