"""Django's Redis cache backend, keeping its redis-py client: Django's builds a new ``redis.Redis`` for every
cache operation, and redis-py's constructor fills its table of response callbacks (some 170 entries) each
time, about 70 µs of CPU here, more than reading a small key costs. One client per connection pool serves
every operation instead; a client takes a connection from its pool for each command, so it may be shared
(and Django's cache objects are per thread anyway). ``CACHES`` names it when REDIS_URL is set."""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class ReusedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients = {}  # id of a pool (Django's, kept as long as this object) → the client on it

    def get_client(self, key=None, *, write: bool = False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ReusedClientRedisCache(RedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient
