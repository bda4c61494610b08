"""The migration adding the provisioning fields marks customers made by the old synchronous service as
provisioned (the API shows their ``orgId``; they can be updated)."""

import pytest

from tests.migrations import migrate_to, migrate_to_latest

BEFORE = [("customers", "0003_screening_and_attach")]
AFTER = [("customers", "0004_customer_provisioning_order")]


@pytest.mark.django_db(transaction=True)
def test_customers_that_were_provisioned_get_their_provisioned_time():
    try:
        apps = migrate_to(BEFORE)
        Organization = apps.get_model("core", "Organization")
        Customer = apps.get_model("customers", "Customer")
        partner = Organization.objects.create(name="Partner", kind="partner")
        old = Customer.objects.create(
            org=Organization.objects.create(name="Old", kind="customer", parent=partner), status="provisioned"
        )
        failed = Customer.objects.create(
            org=Organization.objects.create(name="Failed", kind="customer", parent=partner), status="error"
        )

        apps = migrate_to(AFTER)
        Customer = apps.get_model("customers", "Customer")
        assert Customer.objects.get(pk=old.pk).provisioned_at == Customer.objects.get(pk=old.pk).created
        assert Customer.objects.get(pk=failed.pk).provisioned_at is None
    finally:
        migrate_to_latest()
