"""Blue Harbor ready for directory synchronisation: a licence new people can be given automatically."""

import pytest
from django.test import TestCase

from apps.directory.services import auto_assign_set
from apps.provisioning.services.provisioning import customer_update_request


@pytest.fixture
def blue(world):
    """Blue Harbor, also ordering Webex Meetings (no calling: a licence that can be given automatically)."""
    customer = world.blue_harbor
    codes = sorted(set(customer.packages.values_list("code", flat=True)) | {"webex_meetings"})
    with TestCase.captureOnCommitCallbacks(execute=True):
        customer_update_request(actor=world.acme_admin, customer=customer, packages=codes)
    auto_assign_set(actor=world.acme_admin, org=customer.org, package="webex_meetings")
    return customer.org
