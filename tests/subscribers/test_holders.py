"""The rules every holder of a package shares (``services.holders``), seen through both services: one
package limit counting subscribers and workspaces, the subscriber's "keep the held number" against the
workspace's "replace exactly", and a new holder's calling details written without reading them again."""

import pytest
from django.core.exceptions import ValidationError

from apps.core.errors import ErrorCode
from apps.customers.models import Customer
from apps.locations.models import Extension, Location, PhoneNumber
from apps.locations.services.numbers import numbers_add
from apps.subscribers.models import Subscriber, Workspace
from apps.subscribers.services.subscribers import subscriber_add, subscriber_change_package
from apps.subscribers.services.workspaces import workspace_create, workspace_update
from tests.factories import provision_customer

CAC = "common_area_calling"


@pytest.fixture
def shop(world) -> Customer:
    customer = provision_customer(
        actor=world.acme_admin,
        partner=world.acme,
        name="Corner Shop",
        admin_email="admin@cornershop.test",
        packages=["webex_calling", CAC],
    )
    hq = Location.objects.get(org=customer.org, is_headquarters=True)
    numbers_add(actor=world.acme_admin, location=hq, phone_numbers=["+14155553001", "+14155553002"])
    return customer


def held(holder) -> tuple[list[str], list[str]]:
    key = holder._meta.model_name
    return (
        sorted(PhoneNumber.objects.filter(**{key: holder}).values_list("e164", flat=True)),
        sorted(Extension.objects.filter(**{key: holder}).values_list("extension", flat=True)),
    )


def test_one_limit_counts_subscribers_and_workspaces_of_the_package_but_not_the_holder(world, shop):
    ana = subscriber_add(
        actor=world.acme_admin,
        customer=shop,
        email="ana@cornershop.test",
        package="webex_calling",
        extension="5001",
    )
    door = workspace_create(actor=world.acme_admin, customer=shop, name="Door", extension="5002")
    # A person holding the workspaces' package (say, from data migrated in) counts against its limit too.
    Subscriber.objects.filter(pk=ana.pk).update(package=CAC)
    shop.package_limits = {CAC: 2, "webex_calling": 1}
    shop.save(update_fields=["package_limits"])
    with pytest.raises(ValidationError) as refused:
        workspace_create(actor=world.acme_admin, customer=shop, name="Back", extension="5003")
    assert [e.code for e in refused.value.error_dict["package"]] == [ErrorCode.PACKAGE_LIMIT_REACHED]
    assert "at most 2 Webex Common Area Calling workspaces and users" in str(refused.value)
    workspace_update(actor=world.acme_admin, workspace=door, name="Door", extension="5002")  # itself
    # ... and the workspaces count against a person's package: a workspace moved to Webex Calling fills it.
    Subscriber.objects.filter(pk=ana.pk).update(package="webex_calling")
    Workspace.objects.filter(pk=door.pk).update(package="webex_calling")
    with pytest.raises(ValidationError) as refused:
        subscriber_change_package(actor=world.acme_admin, subscriber=ana, package="webex_calling")
    assert [e.code for e in refused.value.error_dict["package"]] == [ErrorCode.PACKAGE_LIMIT_REACHED]
    assert "at most 1 Webex Calling subscribers" in str(refused.value)


def test_a_subscriber_keeps_what_it_holds_a_workspace_is_given_exactly_what_is_asked(world, shop):
    ana = subscriber_add(
        actor=world.acme_admin,
        customer=shop,
        email="ana@cornershop.test",
        package="webex_calling",
        phone_number="+14155553001",
        extension="5001",
    )
    subscriber_change_package(
        actor=world.acme_admin, subscriber=ana, package="webex_calling", extension="5101"
    )
    assert held(ana) == (["+14155553001"], ["5101"])  # the number is kept, the extension replaced
    door = workspace_create(
        actor=world.acme_admin, customer=shop, name="Door", phone_number="+14155553002", extension="5002"
    )
    assert held(door) == (["+14155553002"], ["5002"])
    workspace_update(actor=world.acme_admin, workspace=door, name="Door", extension="5102")
    assert held(door) == ([], ["5102"])  # the number left out is freed
    assert PhoneNumber.objects.get(e164="+14155553002").is_assigned is False


def test_a_new_workspace_is_written_without_reading_its_calling_again(
    world, shop, django_assert_max_num_queries
):
    workspace_create(actor=world.acme_admin, customer=shop, name="Warm", extension="5000")
    with django_assert_max_num_queries(23):
        door = workspace_create(
            actor=world.acme_admin, customer=shop, name="Door", phone_number="+14155553001", extension="5001"
        )
    assert held(door) == (["+14155553001"], ["5001"])
