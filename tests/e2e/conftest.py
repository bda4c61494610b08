"""Browser tests: Playwright's sync API drives Debian's Chromium against pytest-django's ``live_server``.

Every test gets a fresh world (the personas of ``tests/conftest.py``, built through the services on a
transactional database the live server can see), its own browser context, and a folder of screenshots under
``test-artifacts/e2e/<test>/`` so a human can look at what the browser saw. Without ``/usr/bin/chromium``
the tests skip, except in CI (``CI=true``), where a missing browser is a failure.
"""

import copy
import os
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

# Playwright's sync API keeps an event loop in the main thread; Django's ORM, used by the fixtures and the
# assertions in the same thread, would otherwise refuse to run ("SynchronousOnlyOperation").
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "e2e"
VIEWPORT = {"width": 1280, "height": 800}
TIMEOUT_MS = 10_000


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true but the browser tests cannot run: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser(request):
    """One headless Chromium for the whole run; each test opens its own context.

    Once Playwright has started, the tests of this thread get other Django connections than the tests before
    it had (Django keys them by context, and Playwright's event loop runs in this thread). The persona world,
    still open in the old connection, would keep its rows locked for ever, and the first browser test's own
    world would wait on them: a browser test right after a test of the shared world hung. So the world is
    rolled back and the connections closed first; a later test of the world builds it anew."""
    from django.db import connections

    from tests.conftest import shared_world_keeper

    if (keeper := shared_world_keeper(request)) is not None:
        keeper.set_aside()
    connections.close_all()
    if not os.path.exists(CHROMIUM):
        _unavailable(f"{CHROMIUM} is missing (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - the dev extra installs it
        _unavailable("the playwright package is not installed")
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


class CommittedWorld:
    """The persona world committed once per process, then put back as it was before each browser test.

    PostgreSQL: after the first build every table's rows are copied out (``COPY ... TO STDOUT``, binary);
    before each later test, in one transaction, every table is emptied and the copies are written back
    (``COPY ... FROM STDIN``): milliseconds, where building the world through the services takes about a
    second. Foreign keys are deferred to the commit (tests/test_test_database.py), so the order of the tables
    does not matter; sequences only move on, so rows a test adds never collide with the copy's. The content
    types come back with their ids, so Django's cache of them is cleared. Elsewhere (SQLite) the world is
    built for every test."""

    def __init__(self) -> None:
        self.world = None
        self.rows: dict[str, bytes] = {}

    def lend(self):
        from django.contrib.contenttypes.models import ContentType
        from django.db import connection

        from tests.conftest import build_world

        if connection.vendor != "postgresql":
            return build_world()
        if self.world is None:
            self.world = build_world()
            self.rows = self._copy_out(connection)
        else:
            self._copy_in(connection)
            ContentType.objects.clear_cache()
        return copy.deepcopy(self.world)

    @staticmethod
    def _tables(connection) -> list[str]:
        return sorted(connection.introspection.django_table_names(only_existing=True, include_views=False))

    def _copy_out(self, connection) -> dict[str, bytes]:
        rows = {}
        with connection.cursor() as cursor:
            for table in self._tables(connection):
                name = connection.ops.quote_name(table)
                cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {name})")  # noqa: S608 (a table name)
                if cursor.fetchone()[0]:
                    with cursor.cursor.copy(f"COPY {name} TO STDOUT (FORMAT BINARY)") as out:
                        rows[table] = b"".join(bytes(block) for block in out)
        return rows

    def _copy_in(self, connection) -> None:
        from django.db import transaction

        with transaction.atomic(), connection.cursor() as cursor:
            for table in self._tables(connection):
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for table, data in self.rows.items():
                name = connection.ops.quote_name(table)
                with cursor.cursor.copy(f"COPY {name} FROM STDIN (FORMAT BINARY)") as into:
                    into.write(data)


_COMMITTED_WORLD = CommittedWorld()


@pytest.fixture
def e2e_world(transactional_db):
    """The shared personas, committed so that the live server's thread sees them (``CommittedWorld``)."""
    return _COMMITTED_WORLD.lend()


@pytest.fixture
def page(browser, live_server) -> Iterator:
    """A fresh browser context (no cookies) on the live server; JavaScript errors fail the test. The cache
    starts empty: the sign-ins of earlier browser tests, all from 127.0.0.1, count against allauth's
    per-address login rate limit (30 a minute), which a quick run of the suite reaches."""
    from django.core.cache import cache

    cache.clear()
    context = browser.new_context(viewport=VIEWPORT, base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    yield tab
    context.close()
    assert not errors, f"JavaScript errors in the page: {errors}"


@pytest.fixture
def shot(page, request) -> Callable[[str], Path]:
    """``shot("step")`` saves a full-page screenshot as test-artifacts/e2e/<test>/<NN>-<step>.jpg (JPEG: a
    third cheaper to encode than PNG, for a person to look at); ``shot("step", png=True)`` for a test that
    reads exact pixel colours from it."""
    folder = ARTIFACTS / re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    counter = iter(range(1, 100))

    def take(step: str, *, png: bool = False) -> Path:
        path = folder / f"{next(counter):02d}-{step}.{'png' if png else 'jpg'}"
        if png:
            page.screenshot(path=str(path), full_page=True)
        else:
            page.screenshot(path=str(path), full_page=True, type="jpeg", quality=80)
        return path

    return take


@pytest.fixture
def sign_in_through_form(page):
    """``sign_in_through_form(email)``: through the real allauth form, as a person would (from the sign-in
    page, the one already shown if the browser is on it); returns the landed page. For the tests whose subject
    is signing in, or what allauth does and keeps in the session at login; the others use
    ``sign_in_by_cookie``, which costs Chromium about a core-second less."""
    from django.urls import reverse

    from tests.conftest import PASSWORD

    def submit(email: str, password: str = PASSWORD):
        login = reverse("account_login")
        if urlsplit(page.url).path != login:
            page.goto(login)
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password", exact=True).fill(password)
        with page.expect_navigation():
            page.get_by_role("button", name="Sign in").click()
        return page

    return submit


@pytest.fixture
def sign_in_by_cookie(page, live_server):
    """``sign_in_by_cookie(email, to=...)``: a Django session for that person, made in the test's thread the
    way the test client's ``force_login`` does, handed to the browser as its session cookie; then the page
    at ``to`` (by default where the form lands, LOGIN_REDIRECT_URL), which must answer, signed in (a sweep of
    links from the sign-in page would otherwise pass on the anonymous pages). The browser sees no
    sign-in form: the form is proven by the tests that use ``sign_in_through_form``. What differs from a form
    sign-in: no "Successfully signed in" message and none of allauth's authentication records in the
    session (used only by its reauthentication and login-by-code flows); ``last_login`` is set by both."""
    from django.conf import settings
    from django.shortcuts import resolve_url
    from django.urls import reverse

    from apps.accounts.selectors import user_get_by_email
    from tests.conftest import session_key_of

    def plant(email: str, *, to: str | None = None):
        user = user_get_by_email(email=email)
        assert user is not None, f"no person {email}"
        session = session_key_of(user)
        page.context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": session,
                    "url": live_server.url,
                    "httpOnly": True,
                    "sameSite": "Lax",
                }
            ]
        )
        response = page.goto(to or resolve_url(settings.LOGIN_REDIRECT_URL))
        assert response is not None and response.ok, f"{email} landed on {response and response.status}"
        assert urlsplit(page.url).path != reverse("account_login"), f"{email} is not signed in"
        return page

    return plant
