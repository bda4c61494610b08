"""A world with history: the personas' world built 40 days ago (UTC midnight + 9h), then a user added on
day 10 at 12:00, changed on day 20 at 18:00 and removed on day 30 at 06:00, and every day up to yesterday
built into usage days. Built once per module (``world_apart``); each test runs in a savepoint of it and
gets its own copy of the persona objects."""

import copy
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from apps.billing.clock import shifted_clock
from apps.billing.services.usage import usage_days_backfill
from apps.subscribers.services.subscribers import subscriber_add, subscriber_change_package, subscriber_remove
from tests.conftest import build_world, shared_world_keeper
from tests.shared_world import world_apart

HISTORY_DAYS = 40


@pytest.fixture(scope="module")
def history_start():
    today = timezone.now().astimezone(UTC).date()
    return datetime.combine(today - timedelta(days=HISTORY_DAYS), datetime.min.time(), tzinfo=UTC)


@pytest.fixture(scope="module")
def _past_world(request, django_db_setup, django_db_blocker, history_start):
    with world_apart(
        lambda: _build_past_world(history_start),
        blocker=django_db_blocker,
        keeper=shared_world_keeper(request),
    ) as world:
        yield world


@pytest.fixture
def past_world(_past_world, db):
    return copy.deepcopy(_past_world)


def _build_past_world(history_start):
    with shifted_clock(history_start + timedelta(hours=9)) as clock:
        world = build_world()
        clock.set(history_start + timedelta(days=10, hours=12))
        kim = subscriber_add(
            actor=world.acme_admin,
            customer=world.blue_harbor,
            email="kim@blueharbor.test",
            package="webex_calling",
            extension="2003",
        )
        clock.set(history_start + timedelta(days=20, hours=18))
        kim = subscriber_change_package(actor=world.acme_admin, subscriber=kim, package="webex_suite")
        clock.set(history_start + timedelta(days=30, hours=6))
        subscriber_remove(actor=world.acme_admin, subscriber=kim)
    world.kim_id = kim.webex_id
    today = timezone.now().astimezone(UTC).date()
    usage_days_backfill(start=history_start.date(), end=today - timedelta(days=1))
    return world
