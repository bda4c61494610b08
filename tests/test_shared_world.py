"""The shared persona world (tests/shared_world.py): built once, lent as a private copy, rolled back after
every test, absent for the tests that do not ask for it, and rebuilt whole after a test that broke it."""

from dataclasses import dataclass, field

import pytest
from django.db import connection

from apps.core.models import Organization
from apps.partners.services import platform_bootstrap
from apps.subscribers.models import Subscriber
from apps.subscribers.services.subscribers import subscriber_add
from tests.shared_world import SharedWorld

SEEN: dict[str, object] = {}  # what the first test of a pair leaves for the second (they run in file order)


def test_a_test_changes_the_world(world):
    SEEN["platform"] = world.platform.pk
    world.acme_admin.first_name = "Changed"
    world.acme_admin.save()
    world.acme.name = "Changed in memory only"
    subscriber_add(
        actor=world.acme_admin,
        customer=world.cedar_pine,
        email="leak@cedarpine.test",
        package="webex_calling",
        extension="3999",
    )
    assert Subscriber.objects.filter(email="leak@cedarpine.test").exists()


def test_the_next_one_sees_none_of_it(world):
    assert world.platform.pk == SEEN["platform"], "the world was rebuilt between two world tests"
    assert world.acme.name == "Acme Telecom"
    assert world.acme_admin.first_name != "Changed"
    world.acme_admin.refresh_from_db()
    assert world.acme_admin.first_name != "Changed"
    assert not Subscriber.objects.filter(email="leak@cedarpine.test").exists()


def test_each_test_gets_its_own_copy_of_the_objects(world, shared_world):
    other = shared_world.lend()
    assert other.acme_admin == world.acme_admin and other.acme_admin is not world.acme_admin
    assert other.blue_harbor.org is not world.blue_harbor.org


def test_a_database_test_without_the_world_has_an_empty_database(db):
    assert not Organization.objects.exists()
    platform_bootstrap(name="Platform", operator_email="operator@platform.test")  # the world's own e-mail


def test_the_world_is_built_once_for_the_world_tests(world, shared_world):
    # pytest_collection_modifyitems runs the world's tests first (this module's database test runs after
    # them); a second build means a world test closed the connection or committed (see shared_world.py).
    assert shared_world.builds == 1, f"the world was built {shared_world.builds} times"


# --- The keeper on its own, on a transactional database (no world of the session around it) ---------------


@dataclass
class _Test:
    """What the keeper reads of a pytest item."""

    fixturenames: list[str] = field(default_factory=lambda: ["shared_world", "db"])

    def get_closest_marker(self, name):
        return None


def _platform():
    return platform_bootstrap(name="Platform", operator_email="operator@platform.test").org


@pytest.fixture
def keeper(transactional_db, django_db_blocker):
    keeper = SharedWorld(_platform, django_db_blocker)
    yield keeper
    keeper.close()


def test_the_keeper_builds_once_and_rolls_back_for_a_test_without_the_world(keeper):
    keeper.prepare(_Test())
    keeper.prepare(_Test())
    assert keeper.builds == 1 and connection.in_atomic_block
    assert Organization.objects.count() == 1
    keeper.prepare(_Test(fixturenames=["db"]))
    assert not connection.in_atomic_block and not Organization.objects.exists()
    keeper.prepare(_Test(fixturenames=["shared_world", "transactional_db"]))
    assert not connection.in_atomic_block
    keeper.prepare(_Test())
    assert keeper.builds == 2 and Organization.objects.count() == 1


def test_a_committed_world_is_flushed_and_built_anew(keeper):
    keeper.prepare(_Test())
    connection.connection.commit()  # a test that commits behind Django's back
    keeper.prepare(_Test())
    assert keeper.builds == 2
    assert Organization.objects.count() == 1, "the committed world was left beside the new one"


def test_a_closed_connection_gets_a_new_world(keeper):
    keeper.prepare(_Test())
    connection.close()
    keeper.prepare(_Test())
    assert keeper.builds == 2 and Organization.objects.count() == 1
