"""The beat task on a real Celery worker: a customer held by screening is provisioned by the worker, held,
and released by ``screening_recheck_task`` once the party left the list; provisioning then resumes."""

import time

import pytest

from apps.customers.models import Customer, CustomerStatus
from apps.partners.services import partner_create, platform_bootstrap
from apps.screening.services import screening_entry_add, screening_entry_remove
from apps.screening.tasks import screening_recheck_task
from tests.factories import provision_customer


def wait_for(customer_id, status, seen):
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        current = Customer.objects.get(pk=customer_id).status
        if not seen or seen[-1] != current:
            seen.append(current)
        if current == status:
            return
        time.sleep(0.2)
    raise AssertionError(f"the worker never reached {status} (states seen: {seen})")


@pytest.mark.worker
def test_the_worker_holds_and_the_beat_task_releases(celery_worker_live):
    operator = platform_bootstrap(name="Platform", operator_email="operator@platform.test")
    acme = partner_create(actor=operator, name="Acme", admin_email="admin@acme.test")
    admin = acme.people.get()
    entry = screening_entry_add(actor=operator, name="Sanctioned Widgets")
    customer = provision_customer(
        actor=admin, partner=acme, name="Sanctioned Widgets GmbH", admin_email="it@widgets.test", run=False
    )
    seen: list[str] = []
    wait_for(customer.pk, CustomerStatus.PENDING_RPL_REVIEW, seen)
    screening_entry_remove(actor=operator, entry=entry)
    screening_recheck_task.delay()
    wait_for(customer.pk, CustomerStatus.PROVISIONED, seen)
    assert Customer.objects.get(pk=customer.pk).screening_hold.state == "cleared"
