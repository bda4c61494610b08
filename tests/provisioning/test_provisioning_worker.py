"""A real Celery worker takes a customer from ``provisioning`` to ``provisioned``."""

import time

import pytest

from apps.core.models import AuditEvent
from apps.customers.models import Customer, CustomerStatus, PackageStatus
from apps.onboarding.services import template_create
from apps.partners.services import partner_create, platform_bootstrap
from apps.provisioning.services.provisioning import customer_provision_request
from tests.factories import customer_order


@pytest.mark.worker
def test_the_worker_provisions_a_customer(celery_worker_live):
    operator = platform_bootstrap(name="Platform", operator_email="operator@platform.test")
    acme = partner_create(actor=operator, name="Acme", admin_email="admin@acme.test")
    admin = acme.people.get()
    template = template_create(
        actor=admin,
        partner=acme,
        name="Standard",
        country="GB",
        language="en_GB",
        send_admin_invite_email=False,
    )
    order = customer_order(
        template=template,
        name="Worker Bakery",
        admin_email="admin@workerbakery.test",
        country="GB",
        packages=["webex_calling", "webex_meetings"],
    )
    customer = customer_provision_request(actor=admin, partner=acme, order=order)

    seen = [customer.status]
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        status = Customer.objects.get(pk=customer.pk).status
        if seen[-1] != status:
            seen.append(status)
        if status == CustomerStatus.PROVISIONED:
            break
        time.sleep(0.2)
    assert seen[0] == CustomerStatus.PROVISIONING
    assert seen[-1] == CustomerStatus.PROVISIONED, f"the worker never provisioned it (states seen: {seen})"
    customer.refresh_from_db()
    assert {p.status for p in customer.packages.all()} == {PackageStatus.PROVISIONED}
    assert (customer.org_locale, customer.call_in_region, customer.call_in_country_code) == (
        "en_GB",
        "EMEA",
        "+44",
    )
    event = AuditEvent.objects.get(action="customer.provisioned", target_id=str(customer.pk))
    assert event.channel == "task"
