"""The persona world, built once and lent to every test that asks for it.

The world is built inside a transaction that is never committed (the *outer* atomic, opened on the first test
that needs it). Each test then runs in pytest-django's own atomic, which nests as a savepoint and is rolled
back at its end, so nothing a test writes reaches the next one; each test gets a deep copy of the in-memory
persona objects, so a test that changes an instance (``user.save()``, a cached role) does not leak either.
This is Django's ``TestCase.setUpTestData`` for the whole session instead of one class.

Tests that must see committed data (``transactional_db``, ``live_server``: the browser and Celery worker
tests) and tests that want a database without the world are given one: the outer atomic is rolled back before
they start (cheap), and the world is rebuilt the next time a test asks for it. The collection hook of
``tests/conftest.py`` puts the world's tests first so that, in a normal run, it is built once.

Before every test the keeper checks that the world is still the one it built (the outer atomic is the
connection's first, it still holds the database transaction, nothing marked it for rollback); a test that
closed the connection or committed the transaction gets a rebuilt world, never a half one.
"""

import pickle
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Generic, TypeVar

import pytest
from django.core.management import call_command
from django.db import connection, transaction

T = TypeVar("T")


def sees_committed_data(item: pytest.Item) -> bool:
    """As pytest-django decides it (``_django_db_helper``): the test runs on committed data, flushed after."""
    marker = item.get_closest_marker("django_db")
    if marker is not None and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
        return True
    names = getattr(item, "fixturenames", ())
    return "transactional_db" in names or "live_server" in names


def uses_shared_world(item: pytest.Item) -> bool:
    """The test runs in a savepoint of the shared world (it asks for it through a fixture)."""
    return "shared_world" in getattr(item, "fixturenames", ()) and not sees_committed_data(item)


class SharedWorld(Generic[T]):
    """Builds the world once in an uncommitted transaction; lends copies of it; rolls it back on demand."""

    def __init__(self, build: Callable[[], T], blocker) -> None:
        self._build = build
        self._blocker = blocker
        self._atomic = None
        self._pickled: bytes | None = None  # the world's persona objects, for lend()
        self._transaction_id = None
        self._layers = 0
        self.builds = 0  # how many times the world was built this session (the suite's report prints it)

    # --- per test -------------------------------------------------------------------------------------------

    def prepare(self, item: pytest.Item) -> None:
        """Before the test's own atomic opens: the world in place for a test that uses it, no world (and no
        open transaction) for one that does not or that must commit."""
        with self._blocker.unblock():
            if uses_shared_world(item):
                self._open()
            elif self._layers:
                pytest.fail(
                    "A module-scoped layer of the persona world is active, but this test does not use it: "
                    "a test in the same module as a `shared_world.layer()` fixture must use that fixture."
                )
            else:
                self._close()

    def lend(self) -> T:
        """A private copy of the persona objects (their rows are shared, inside the test's savepoint):
        unpickled from the bytes taken once at the build, 0.3 ms where ``copy.deepcopy`` took 2.5 ms, for
        each of ~2,500 tests."""
        assert self._pickled is not None, "the persona world is not built: prepare() runs before lend()"
        return pickle.loads(self._pickled)  # noqa: S301 (bytes this process pickled itself)

    @contextmanager
    def layer(self) -> Iterator[T]:
        """For a module-scoped fixture that adds to the world: the world plus a savepoint the fixture builds
        on, rolled back when the module is done. Every test of that module must use the fixture."""
        with self._blocker.unblock():
            self._open()
            self._layers += 1
            savepoint = transaction.atomic()
            savepoint._from_testcase = True
            savepoint.__enter__()
            try:
                yield self.lend()
            finally:
                self._layers -= 1
                transaction.set_rollback(True)
                savepoint.__exit__(None, None, None)

    def set_aside(self) -> None:
        """Roll the world back now (it is rebuilt the next time a test asks for it)."""
        with self._blocker.unblock():
            self._close()

    def close(self) -> None:
        """At the end of the session."""
        with self._blocker.unblock():
            self._close()

    # --- the outer atomic -----------------------------------------------------------------------------------

    def _open(self) -> None:
        if self._atomic is not None:
            if self._intact():
                return
            if self._layers:
                pytest.fail(
                    "The persona world was lost under a module-scoped layer (a test closed or committed it)."
                )
            # Lost: a test closed the connection or committed the world's transaction. Whatever it committed
            # goes, as after a transactional test, and the world is built anew.
            self._close()
            call_command("flush", interactive=False, verbosity=0)
        atomic = transaction.atomic()
        atomic._from_testcase = True  # durable atomics in the code under test nest in it, as in TestCase
        atomic.__enter__()
        self._atomic = atomic
        try:
            self._pickled = pickle.dumps(self._build(), pickle.HIGHEST_PROTOCOL)
        except BaseException:
            self._close()
            raise
        self._transaction_id = self._current_transaction_id()
        self.builds += 1

    def _close(self) -> None:
        atomic, self._atomic, self._pickled = self._atomic, None, None
        if atomic is None or atomic not in connection.atomic_blocks:
            return
        _roll_back(atomic)

    def _intact(self) -> bool:
        return (
            connection.connection is not None
            and bool(connection.atomic_blocks)
            and connection.atomic_blocks[0] is self._atomic
            and len(connection.atomic_blocks) == 1 + self._layers
            and not connection.needs_rollback
            and self._current_transaction_id() == self._transaction_id
        )

    @staticmethod
    def _current_transaction_id():
        """The database transaction holding the world: a commit (or a rollback) anywhere ends it."""
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_current_xact_id_if_assigned()::text")
                return cursor.fetchone()[0]
        if connection.vendor == "sqlite":
            return connection.connection.in_transaction
        return True


@contextmanager
def world_apart(build: Callable[[], T], *, blocker, keeper: SharedWorld | None) -> Iterator[T]:
    """For a module-scoped fixture whose tests need a world built differently (the billing tests' world, built
    in the past): the shared world, if built, is set aside, the module's world is built once in an atomic of
    its own, and each test of the module runs in a savepoint of it (the ``db`` fixture), rolled back at its
    end. The module's tests must not ask for ``world`` (nor the fixture for ``shared_world``: the keeper would
    build the shared world inside this one)."""
    if keeper is not None:
        keeper.set_aside()
    with blocker.unblock():
        atomic = transaction.atomic()
        atomic._from_testcase = True
        atomic.__enter__()
        try:
            yield build()
        finally:
            _roll_back(atomic)


def _roll_back(atomic) -> None:
    """Roll ``atomic`` back, and first any savepoint a test left open above it."""
    while connection.atomic_blocks[-1] is not atomic:
        transaction.set_rollback(True)
        connection.atomic_blocks[-1].__exit__(None, None, None)
    transaction.set_rollback(True)
    atomic.__exit__(None, None, None)
