"""Adds of subscribers to one customer, side by side on PostgreSQL (issue 11: a subscriber POST is a fraction
of a trivial insert's cost at concurrency 4 only if the adds do not queue on the customer's row).

An add shares the customer's row lock: another add goes on beside it; a package limit is counted by one add
at a time; a write of the customer itself (its packages) waits for the add and sees what it wrote. Each test
holds one add's transaction open in the test's thread and runs the other write in a thread of its own, with
its own connection (so the world is committed: ``transaction=True``)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction

from apps.core.errors import ErrorCode
from apps.locations.models import Location
from apps.locations.services.locations import location_delete
from apps.provisioning.services.provisioning import customer_update_request
from apps.subscribers.fixes import error_codes
from apps.subscribers.models import Subscriber
from apps.subscribers.services.holders import DEFAULT_LOCATION_ORDER
from apps.subscribers.services.subscribers import subscriber_add

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="row locks are PostgreSQL's"),
]


class Beside(threading.Thread):
    """``write()`` in a thread of its own, in a transaction of its own that gives up on a lock after a few
    seconds instead of waiting for ever: its answer, or what it raised."""

    def __init__(self, write):
        super().__init__(daemon=True)
        self.write = write
        self.answer = self.raised = None

    def run(self):
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '5s'")
                self.answer = self.write()
        except Exception as raised:  # noqa: BLE001 (handed to the test, which asserts on it)
            self.raised = raised
        finally:
            connections.close_all()

    def waiting(self, seconds: float = 0.5) -> bool:
        self.join(seconds)
        return self.is_alive()


def _add(world, n: int, package: str = "webex_suite"):
    return subscriber_add(
        actor=world.acme_admin,
        customer=world.blue_harbor,
        email=f"beside-{n}@blueharbor.test",
        package=package,
        extension=str(3700 + n),
    )


def test_an_add_does_not_wait_for_another_add_to_the_same_customer(world):
    with transaction.atomic():
        _add(world, 1)
        other = Beside(lambda: _add(world, 2))
        other.start()
        assert not other.waiting(10), "the second add waited for the first one's transaction"
        assert other.raised is None, other.raised
    assert Subscriber.objects.filter(email__startswith="beside-").count() == 2


def test_a_package_limit_is_counted_by_one_add_at_a_time(world):
    blue = world.blue_harbor
    held = Subscriber.objects.filter(customer=blue, package="webex_suite").count()
    blue.package_limits = {"webex_suite": held + 1}  # room for one more
    blue.save(update_fields=["package_limits"])
    with transaction.atomic():
        _add(world, 1)
        other = Beside(lambda: _add(world, 2))
        other.start()
        assert other.waiting(), "the second add counted before the first one's was committed"
    other.join(10)
    assert isinstance(other.raised, ValidationError), other.raised
    assert ErrorCode.PACKAGE_LIMIT_REACHED in error_codes(other.raised)
    assert Subscriber.objects.filter(customer=blue, package="webex_suite").count() == held + 1


def test_removing_a_package_waits_for_an_add_of_it_and_sees_the_new_holder(world):
    blue = world.blue_harbor
    # Nobody else holds webex_calling once Tom has moved: only the add below does.
    Subscriber.objects.filter(customer=blue, package="webex_calling").update(package="webex_suite")
    with transaction.atomic():
        _add(world, 1, package="webex_calling")
        removal = Beside(
            lambda: customer_update_request(actor=world.acme_admin, customer=blue, packages=["webex_suite"])
        )
        removal.start()
        assert removal.waiting(), "the package was removed while an add of it was not committed"
    removal.join(10)
    assert isinstance(removal.raised, ValidationError), removal.raised
    assert ErrorCode.PACKAGE_IN_USE in error_codes(removal.raised)


def test_deleting_a_location_waits_for_an_add_at_it_and_sees_the_new_person(world):
    """The add's subscriber points at the location through a deferred foreign key: a deletion that did not
    wait made the add's COMMIT fail (a 500) once the location was gone."""
    headquarters = Location.objects.filter(org=world.blue_harbor.org).order_by(*DEFAULT_LOCATION_ORDER)
    location = headquarters.first()
    with transaction.atomic():
        added = _add(world, 1)
        assert added.location_id == location.pk
        deletion = Beside(lambda: location_delete(actor=world.acme_admin, location=location))
        deletion.start()
        assert deletion.waiting(), "the location was deleted while an add at it was not committed"
    deletion.join(10)
    assert isinstance(deletion.raised, ValidationError), deletion.raised
    assert Location.objects.filter(pk=location.pk).exists()
