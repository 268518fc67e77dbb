"""The shared cache as a saving, never a dependency.

Pages keep what is the same for everyone in the cache (the site, a lesson step's text). While
the cache cannot be reached (Redis restarting, docs/operations.md) these helpers answer "not
cached" and the page is built from the database, as without a cache, instead of failing.
"""

import logging

from django.core.cache import cache

logger = logging.getLogger(__name__)


def soft_get(key: str, default=None):
    try:
        return cache.get(key, default)
    except Exception:  # noqa: BLE001 - any backend's connection error
        logger.warning("cache unreachable: %s read from the database", key, exc_info=True)
        return default


def soft_set(key: str, value, timeout: int) -> None:
    try:
        cache.set(key, value, timeout)
    except Exception:  # noqa: BLE001 - any backend's connection error
        logger.warning("cache unreachable: %s not kept", key, exc_info=True)


def soft_delete(key: str) -> None:
    try:
        cache.delete(key)
    except Exception:  # noqa: BLE001 - any backend's connection error
        logger.warning("cache unreachable: %s not forgotten", key, exc_info=True)
