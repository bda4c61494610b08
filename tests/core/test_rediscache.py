"""The Redis cache backend keeps its redis-py client (apps.core.rediscache): every operation of one cache
object uses the same client, and the cache still reads and writes what Django's does."""

import os

import pytest

from apps.core.rediscache import ReusedClientRedisCache


def redis_cache(location: str) -> ReusedClientRedisCache:
    return ReusedClientRedisCache(location, {"KEY_PREFIX": "rediscache-test"})


def test_every_operation_uses_the_same_client():
    cache = redis_cache("redis://127.0.0.1:6379/0")  # no connection is opened to build a client
    client = cache._cache.get_client("a")
    assert cache._cache.get_client("b") is client
    assert cache._cache.get_client(None, write=True) is client  # one server: reads and writes share its pool


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL names no Redis")
def test_it_reads_and_writes_as_djangos_does():
    cache = redis_cache(os.environ["REDIS_URL"])
    cache.set("k", {"v": 1}, 30)
    cache.set_many({"a": 1, "b": (2, None)}, 30)
    assert cache.get("k") == {"v": 1} and cache.get_many(["a", "b", "missing"]) == {"a": 1, "b": (2, None)}
    assert cache.add("k", 2) is False and cache.incr("a") == 2
    cache.delete_many(["k", "a", "b"])
    assert cache.get_many(["k", "a", "b"]) == {}
