"""A Redis cache that fails soft: while Redis is down, the site works as if the cache were empty.

Everything the cache holds can be rebuilt: Wagtail's site root paths come from the
database again, sessions are ``cached_db`` (read from the database when the cache has
nothing), and a rate-limit counter that cannot be counted lets the request through for
the seconds Redis is away. Without this, Django's RedisCache raises on every page while
Redis restarts, and every learner sees an error page for something that only makes pages
faster. ``/gezond/klaar/`` still reports the cache as "fout" (it stores and reads back a
value and sees nothing), so an operator sees the outage.
"""

import functools
import logging

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


def _soft(fallback):
    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except RedisError as error:
                logger.warning("cache unavailable (%s): %s", method.__name__, error)
                return fallback(*args, **kwargs)

        return wrapper

    return decorate


def _default(key, default=None, *args, **kwargs):
    return default


def _nothing(*args, **kwargs):
    return None


def _false(*args, **kwargs):
    return False


def _empty(*args, **kwargs):
    return {}


def _delta(key, delta=1, *args, **kwargs):
    # As if the counter started in this window: a rate limit lets the request through.
    return delta


class ReusingRedisCacheClient(RedisCacheClient):
    """Django's client makes a new ``redis.Redis`` for every command, and each one builds
    its table of about 80 response callbacks: a fifth of a millisecond, nine times for a
    lesson step. One ``redis.Redis`` per connection pool does that once per process; it is
    safe to share, as the pool hands every command its own connection."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            if index not in self._pools:
                self._pools[index] = self._pool_class.from_url(
                    self._servers[index], **self._pool_options
                )
            client = self._clients[index] = self._client(connection_pool=self._pools[index])
        return client


class FailSoftRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient

    get = _soft(_default)(RedisCache.get)
    get_many = _soft(_empty)(RedisCache.get_many)
    has_key = _soft(_false)(RedisCache.has_key)
    set = _soft(_nothing)(RedisCache.set)
    set_many = _soft(lambda data, *args, **kwargs: list(data))(RedisCache.set_many)
    add = _soft(_false)(RedisCache.add)
    touch = _soft(_false)(RedisCache.touch)
    delete = _soft(_false)(RedisCache.delete)
    delete_many = _soft(_nothing)(RedisCache.delete_many)
    incr = _soft(_delta)(RedisCache.incr)
    clear = _soft(_false)(RedisCache.clear)
