"""Personas shared by every test, built through the services.

The world: the platform (operator); partner Acme Telecom (full admin, read-only admin, a partner admin
assigned to Blue Harbor only, a wholesale admin) with customers Blue Harbor Dental (full, read-only, user
and device, support admins) and Cedar & Pine Legal, and sub-partner Northwind Reseller with customer
Riverside Bakery; partner Globex Communications with customer Initech Ltd. Each partner has one onboarding
template ("Acme Standard", "Northwind Standard", "Globex Standard"); every customer is ordered through the
provisioning request and its task has run (status ``provisioned``); each first administrator holds the
customer's richest package.
"""

import os
from dataclasses import dataclass

import pytest
from django.utils import translation
from rest_framework.test import APIClient

from apps.accounts.models import User
from apps.accounts.roles import Role
from apps.accounts.selectors import user_get_by_email
from apps.accounts.services import person_assign_customers, person_invite, person_set_password
from apps.branding.cache import brand_cache_reset
from apps.core.models import Organization
from apps.customers.models import Customer
from apps.onboarding.services import template_create
from apps.partners.services import partner_create, platform_bootstrap
from apps.subscribers.services.subscribers import subscriber_add
from tests.contract.openapi_contract import contract, openapi  # noqa: F401  (fixtures for every test)
from tests.factories import api_secret_for, provision_customer
from tests.shared_world import SharedWorld, sees_committed_data, uses_shared_world

PASSWORD = "Persona-Password-2026"


@dataclass
class World:
    platform: Organization
    acme: Organization
    northwind: Organization
    globex: Organization
    blue_harbor: Customer
    cedar_pine: Customer
    riverside: Customer
    initech: Customer
    operator: User
    acme_admin: User
    acme_readonly: User
    acme_partner_admin: User
    acme_wholesale: User
    northwind_admin: User
    globex_admin: User
    blue_admin: User
    blue_readonly: User
    blue_user_admin: User
    blue_support: User
    cedar_admin: User
    riverside_admin: User
    initech_admin: User


def build_world() -> World:
    operator = platform_bootstrap(name="Platform", operator_email="operator@platform.test")
    acme = partner_create(actor=operator, name="Acme Telecom", admin_email="admin@acme.test")
    northwind = partner_create(
        actor=operator, name="Northwind Reseller", admin_email="admin@northwind.test", parent=acme
    )
    globex = partner_create(actor=operator, name="Globex Communications", admin_email="admin@globex.test")
    acme_admin = user_get_by_email(email="admin@acme.test")
    northwind_admin = user_get_by_email(email="admin@northwind.test")
    globex_admin = user_get_by_email(email="admin@globex.test")

    # Every partner onboards from its own template (the first administrators are not e-mailed here).
    for admin, partner, country, language in (
        (acme_admin, acme, "US", "en_US"),
        (northwind_admin, northwind, "GB", "en_GB"),
        (globex_admin, globex, "DE", "de_DE"),
    ):
        template_create(
            actor=admin,
            partner=partner,
            name=f"{partner.name.split()[0]} Standard",
            country=country,
            language=language,
            send_admin_invite_email=False,
        )

    def customer(actor, partner, name, admin, country, packages):
        return provision_customer(
            actor=actor,
            partner=partner,
            name=name,
            admin_email=admin,
            external_id=name[:4].upper(),
            country=country,
            packages=packages,
        )

    blue = customer(
        acme_admin,
        acme,
        "Blue Harbor Dental",
        "admin@blueharbor.test",
        "US",
        ["webex_suite", "webex_calling"],
    )
    cedar = customer(acme_admin, acme, "Cedar & Pine Legal", "admin@cedarpine.test", "US", ["webex_calling"])
    riverside = customer(
        northwind_admin, northwind, "Riverside Bakery", "admin@riverside.test", "GB", ["webex_calling"]
    )
    initech = customer(globex_admin, globex, "Initech Ltd", "admin@initech.test", "DE", ["webex_suite"])
    blue_admin = user_get_by_email(email="admin@blueharbor.test")
    subscriber_add(
        actor=acme_admin,
        customer=blue,
        email="maria@blueharbor.test",
        package="webex_suite",
        extension="2001",
    )
    subscriber_add(
        actor=acme_admin,
        customer=blue,
        email="tom@blueharbor.test",
        package="webex_calling",
        extension="2002",
    )

    def invite(actor, org, email, *roles):
        return person_invite(actor=actor, org=org, email=email, roles=list(roles))

    acme_readonly = invite(
        acme_admin, acme, "readonly@acme.test", Role.READ_ONLY_ADMIN, Role.PARTNER_READ_ONLY_ADMIN
    )
    acme_partner_admin = invite(acme_admin, acme, "partneradmin@acme.test", Role.PARTNER_ADMIN)
    acme_wholesale = invite(
        acme_admin, acme, "wholesale@acme.test", Role.PARTNER_FULL_ADMIN, Role.WHOLESALE_ADMIN
    )
    person_assign_customers(actor=acme_admin, org=acme, person=acme_partner_admin, customers=[blue.org])
    world = World(
        platform=operator.org,
        acme=acme,
        northwind=northwind,
        globex=globex,
        blue_harbor=blue,
        cedar_pine=cedar,
        riverside=riverside,
        initech=initech,
        operator=operator,
        acme_admin=acme_admin,
        acme_readonly=acme_readonly,
        acme_partner_admin=acme_partner_admin,
        acme_wholesale=acme_wholesale,
        northwind_admin=northwind_admin,
        globex_admin=globex_admin,
        blue_admin=blue_admin,
        blue_readonly=invite(blue_admin, blue.org, "readonly@blueharbor.test", Role.READ_ONLY_ADMIN),
        blue_user_admin=invite(blue_admin, blue.org, "users@blueharbor.test", Role.USER_DEVICE_ADMIN),
        blue_support=invite(blue_admin, blue.org, "support@blueharbor.test", Role.SUPPORT_ADMIN),
        cedar_admin=user_get_by_email(email="admin@cedarpine.test"),
        riverside_admin=user_get_by_email(email="admin@riverside.test"),
        initech_admin=user_get_by_email(email="admin@initech.test"),
    )
    for value in vars(world).values():
        if isinstance(value, User):
            person_set_password(user=value, password=PASSWORD)
    return world


# --- The shared world (tests/shared_world.py) ---------------------------------------------------------------


_SHARED_WORLD = pytest.StashKey[SharedWorld]()


@pytest.fixture(scope="session")
def shared_world(request, django_db_setup, django_db_blocker) -> SharedWorld[World]:
    """The persona world of the session; a test asks for ``world``, a module-scoped fixture for
    ``shared_world.layer()``."""
    keeper = SharedWorld(build_world, django_db_blocker)
    request.config.stash[_SHARED_WORLD] = keeper
    yield keeper
    keeper.close()
    del request.config.stash[_SHARED_WORLD]
    # More than one build: a world test closed the connection or committed (the keeper rebuilt the world).
    request.config.stash[_WORLD_BUILDS] = keeper.builds


_WORLD_BUILDS = pytest.StashKey[int]()


def pytest_terminal_summary(terminalreporter, config) -> None:
    builds = config.stash.get(_WORLD_BUILDS, None)
    if builds is not None:
        terminalreporter.write_line(f"persona world built {builds} time(s) (tests/shared_world.py)")


def shared_world_keeper(request) -> SharedWorld | None:
    """The session's keeper of the persona world, if a test asked for it already (without asking for it)."""
    return request.config.stash.get(_SHARED_WORLD, None)


@pytest.fixture
def _shared_world_turn(request) -> None:
    """Before the test's atomic opens: the world for a test that (through any fixture) uses it, none for the
    others. The keeper is looked up, not requested: only the world's users have it in their closure."""
    if "shared_world" in request.node.fixturenames:
        request.getfixturevalue("shared_world").prepare(request.node)
    elif (keeper := shared_world_keeper(request)) is not None:
        keeper.prepare(request.node)


@pytest.fixture
def _django_db_helper(_shared_world_turn, _django_db_helper):
    """pytest-django's database fixture (behind ``db``, ``transactional_db`` and the ``django_db`` mark),
    entered only once the shared world is in place below it, so the test's atomic is a savepoint of it."""
    return _django_db_helper


@pytest.fixture
def world(request, db, shared_world) -> World:
    """The personas: a private copy of the session's world (rolled back after the test); a test that sees
    committed data (``transactional_db``) gets a world of its own, built for it."""
    if sees_committed_data(request.node):
        return build_world()
    return shared_world.lend()


@pytest.fixture(autouse=True)
def _language_reset():
    """Each test starts in the default language: a test (or code under it) that activates French and does not
    restore it would otherwise change the messages of whichever test runs next in the same process, which
    depends on how `make test` shares the suite between its processes."""
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _settings_put_back():
    """Each test leaves Django's settings as it found them. A change through the ``settings`` fixture made
    inside ``@override_settings`` is put back to the decorator's values after the decorator has ended, so it
    outlives the test: an export threshold of 1 row once turned every later CSV download of its process into
    a background export (and which tests those are depends on how `make test` shares the suite)."""
    from django.conf import settings

    before = settings._wrapped
    yield
    assert settings._wrapped is before, "this test's settings outlived it: change them through one means"


@pytest.fixture(autouse=True)
def _brands_uncached():
    """Each test starts with no cached brand (apps.branding.cache): one an earlier test stored may come from
    rows its rollback undid, the version it was stored under having been set inside that test; nor a pause
    after a cache failure an earlier test caused."""
    brand_cache_reset()


FUZZ_PLUGIN = "schemathesis-for-fuzz-modules"


def pytest_pycollect_makemodule(module_path, parent) -> None:
    """A fuzz module brings schemathesis's pytest plugin (``-p no:schemathesis`` in the addopts keeps it,
    and its seconds of imports, out of every other run) before its tests are collected."""
    if module_path.name.endswith("_fuzz.py"):
        manager = parent.config.pluginmanager
        if not manager.has_plugin(FUZZ_PLUGIN):
            from schemathesis.pytest import plugin

            manager.register(plugin, FUZZ_PLUGIN)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """After pytest-django's order (database tests, then transactional ones, then the rest): the tests of the
    shared world first, so that it is built once; a stable sort keeps every other order."""
    items.sort(key=lambda item: 0 if uses_shared_world(item) else 1)
    # `make test` splits the suite by file name (the fuzz modules run in a process of their own).
    misplaced = [
        item.nodeid
        for item in items
        if bool(item.get_closest_marker("fuzz")) != item.path.name.endswith("_fuzz.py")
    ]
    if misplaced:
        raise pytest.UsageError(
            "A schemathesis test lives in a test_*_fuzz.py module marked `pytestmark = pytest.mark.fuzz`, "
            "and only those: " + ", ".join(misplaced[:5])
        )


def fresh(user: User) -> User:
    """The same person re-read, without cached roles."""
    return User.objects.select_related("org").get(pk=user.pk)


def session_key_of(user: User) -> str:
    """The key of a new session signed in as that person, made as the test client's ``force_login`` makes it,
    for a client or a browser to carry as its session cookie."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


@pytest.fixture
def page_client(client):
    """``page_client(user)``: Django's test client signed in as that person."""

    def sign_in(user: User):
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def api_client():
    """``api_client(user, scopes=None)``: a DRF client carrying a bearer token of that person."""

    def make(user: User, scopes=None) -> APIClient:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {api_secret_for(fresh(user), scopes)}")
        return client

    return make


@pytest.fixture
def keep_test_connection():
    """Django as WSGI (the fuzz tests call it so) closes the database connection after each request; the test
    client does not, and neither may a test whose transaction holds the world."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def acme_token(world, keep_test_connection) -> str:
    """A bearer token of Acme's full administrator (every scope)."""
    return api_secret_for(fresh(world.acme_admin))


@pytest.fixture
def celery_worker_live(transactional_db):
    """A real Celery worker consumes this test's tasks: in CI the one `.ci/run` started (it must answer a
    ping), elsewhere one started in this process on the in-memory broker."""
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    app.conf.task_always_eager = False
    try:
        if os.environ.get("CI") == "true":
            # limit=1: back at the first answer (without it, ping always waits the whole timeout).
            assert app.control.ping(timeout=5.0, limit=1), "CI=true but no Celery worker answered the ping"
            yield app
        else:
            with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
                yield app
    finally:
        app.conf.task_always_eager = True
