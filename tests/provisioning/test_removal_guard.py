"""A customer held by denied-party screening cannot be removed: the compliance record must stay."""

import pytest

from apps.core.exceptions import ConflictError
from apps.customers.models import Customer, CustomerStatus
from apps.provisioning.services.provisioning import customer_remove_request
from apps.screening.models import ScreeningHold
from apps.screening.services import screening_entry_add
from tests.conftest import fresh
from tests.factories import CustomerFactory


def test_held_customer_cannot_be_removed(world, django_capture_on_commit_callbacks):
    screening_entry_add(actor=world.operator, name="Shady Holdings", country="US")
    with django_capture_on_commit_callbacks(execute=True):
        customer = CustomerFactory(
            actor=world.acme_admin, partner=world.acme, name="Shady Holdings Ltd", run=True
        )
    customer.refresh_from_db()
    assert customer.status == CustomerStatus.PENDING_RPL_REVIEW
    with pytest.raises(ConflictError):
        customer_remove_request(actor=fresh(world.acme_admin), customer=customer)
    assert Customer.objects.filter(pk=customer.pk).exists()
    assert ScreeningHold.objects.filter(customer=customer).exists()
