"""The resolved brands in Django's cache (Redis when REDIS_URL is set, so every web process shares them;
LocMem in the single-process default), each stored with the branding version it was resolved under.

One version for all of branding, replaced by every write that can change any organisation's brand: a brand
row saved or deleted (however: a service, a reset, a cascade), a customer organisation moved under another
partner or none (``signals``). Writes are rare, so invalidating every brand at once costs little, and one key
is obviously complete where per-ancestor keys would have to follow the organisation tree. The version is a
random token, not a counter: if the key is evicted, the new one matches no entry stored before.

An unreachable cache costs the query, never the page: after a failure this process reads the database for
``PAUSE_SECONDS`` without asking the cache again (a cache that hangs rather than refuses would otherwise hold
every page for its socket timeout)."""

import hashlib
import logging
import time
from collections.abc import Callable
from typing import TypeVar
from uuid import uuid4

from django.core.cache import cache
from django.db import transaction

log = logging.getLogger(__name__)

T = TypeVar("T")

VERSION_KEY = "branding:version"
# Raised whenever what is stored changes shape, so that no process reads an entry another release wrote.
_FORMAT = 1
# An entry outlives no write, but if the cache was unreachable when a write replaced the version, an entry
# stored before could be read again once it is back: this bounds how long.
ENTRY_SECONDS = 300
PAUSE_SECONDS = 10

_paused_until = 0.0  # time.monotonic() before which this process leaves the cache alone (reads only)


def org_brand_key(org_id) -> str:
    return f"branding:{_FORMAT}:org:{org_id}"


def override_allowed_key(org_id) -> str:
    return f"branding:{_FORMAT}:override-allowed:{org_id}"


def host_brand_key(host: str) -> str:
    # Hashed: a host name may be longer than the keys every cache backend accepts.
    return f"branding:{_FORMAT}:host:{hashlib.sha256(host.encode()).hexdigest()[:32]}"


def _current_version(found: dict) -> str | None:
    version = found.get(VERSION_KEY)
    if version is None:  # never set, or evicted: a new token, unless another process set one meanwhile
        cache.add(VERSION_KEY, uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def brand_cached(key: str, resolve: Callable[[], T]) -> T:
    """What ``resolve()`` returns, from the cache when it was stored under the current version; else resolved
    and stored (the version is read before the rows, so rows read before a write are never stored under the
    version that write set)."""
    global _paused_until
    if time.monotonic() < _paused_until:
        return resolve()
    try:
        found = cache.get_many([VERSION_KEY, key])
        version = _current_version(found)
    except Exception:  # noqa: BLE001 - any failure of the cache: the brand from the database
        _paused_until = time.monotonic() + PAUSE_SECONDS
        log.warning(
            "branding cache unreachable: brands from the database for %s s", PAUSE_SECONDS, exc_info=True
        )
        return resolve()
    entry = found.get(key)
    if entry is not None and version is not None and entry[0] == version:
        return entry[1]
    value = resolve()
    if version is not None:
        try:
            cache.set(key, (version, value), ENTRY_SECONDS)
        except Exception:  # noqa: BLE001 - the page goes on with the brand it read
            log.warning("branding cache unreachable: the brand is not stored", exc_info=True)
    return value


def brand_cache_version_replace() -> None:
    """Every cached brand stale, now."""
    try:
        cache.set(VERSION_KEY, uuid4().hex, timeout=None)
    except Exception:  # noqa: BLE001 - the write stands; entries expire within ENTRY_SECONDS
        log.error("branding cache unreachable: cached brands may show for %s s", ENTRY_SECONDS, exc_info=True)


def brand_cache_reset() -> None:
    """Every cached brand stale, and the cache asked again at once even if it failed a moment ago (each test
    starts so)."""
    global _paused_until
    _paused_until = 0.0
    brand_cache_version_replace()


def brand_cache_invalidate(*, using: str | None = None) -> None:
    """Every cached brand stale: at once (the writer's own next read, still inside its transaction, resolves
    afresh), and again once the write commits (another process reading between the two may have stored the
    rows from before the commit under the first replacement)."""
    brand_cache_version_replace()
    transaction.on_commit(brand_cache_version_replace, using=using)
