"""Test overrides: fast hashing, in-memory e-mail, eager tasks unless a test asks for the worker.

With CI=true the suite must run against the real PostgreSQL and Redis: an unreachable one fails the run.
"""

import os
import socket
from urllib.parse import urlparse

# The settings derived from DEBUG (plain static storage, no HTTPS redirect or secure-only cookies) as in the
# embedded default; Django runs the tests themselves with DEBUG off whatever this says.
os.environ.setdefault("DJANGO_DEBUG", "true")
os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-secret-key-not-for-any-deployment-0123456789")

from config.settings import *  # noqa: E402, F403
from config.settings import DATABASES, REDIS_URL, RUN_DIR, env  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Every test client builds the middleware chain anew, and WhiteNoise, finding static files through the finders
# (DEBUG's WHITENOISE_USE_FINDERS), would list all of them each time: over a third of the isolation matrix's
# time. Looking a file up when it is asked for (as in development) serves the same files.
WHITENOISE_AUTOREFRESH = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
# In-process broker unless the environment names a real one (CI: Redis, with the worker .ci/run starts).
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="memory://localhost/")  # a host: kombu warns without
CELERY_TASK_EAGER_PROPAGATES = True
DATABASES["default"]["TEST"] = {"NAME": env.str("TEST_DATABASE_NAME", default="test_wholesalehub")}
# A connection per request, as before persistent connections became production's default: the threads tests
# start (the live server, the in-process worker, concurrent writers) must not keep connections to the test
# database open past their work, or the run could not drop it. The benchmarks and the fault suite serve the
# production settings, persistent connections included.
DATABASES["default"]["CONN_MAX_AGE"] = 0
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not shared-cache memory: the in-process worker and the live server write from other threads,
    # and only a file database gives them WAL and the busy timeout instead of "table is locked".
    # One file per run, so two runs side by side never share it.
    DATABASES["default"]["TEST"] = {"NAME": str(RUN_DIR / f"test-db-{os.getpid()}.sqlite3")}
ACCOUNT_RATE_LIMITS = {**ACCOUNT_RATE_LIMITS, "login_failed": "5/5m/key"}  # noqa: F405
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}  # noqa: F405


def _reachable(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection(
            (parsed.hostname or "127.0.0.1", parsed.port or default_port), timeout=3
        ):
            return True
    except OSError:
        return False


if os.environ.get("CI") == "true":
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise RuntimeError("CI=true: DATABASE_URL must point at PostgreSQL")
    if not _reachable(os.environ["DATABASE_URL"], 5432):
        raise RuntimeError("CI=true: PostgreSQL is unreachable")
    if not REDIS_URL or not _reachable(REDIS_URL, 6379):
        raise RuntimeError("CI=true: REDIS_URL must be set and Redis reachable")

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's own backend, but a flush (after each test that commits) deletes rows instead of TRUNCATE.
    DATABASES["default"]["ENGINE"] = "config.test_postgresql"
    # A test database need not survive a crash: a commit does not wait for its WAL to reach the disk (the
    # browser and worker tests commit, and flush, after every test). The server's own setting is untouched.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"
