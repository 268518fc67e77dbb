"""Fixed-window rate limits on the configured cache (shared by all processes with Redis)."""

import time

from django.conf import settings
from django.core.cache import cache


def client_address(request) -> str:
    # Behind a proxy, the proxy must set REMOTE_ADDR (e.g. gunicorn --forwarded-allow-ips).
    return request.META.get("REMOTE_ADDR", "unknown")


def _bucket(scope: str, key: str, window: int) -> str:
    return f"ratelimit:{scope}:{key}:{int(time.time() // window)}"


def hit(scope: str, key: str, *, window: int = 60) -> int:
    """Count one event for ``key`` in the current window; returns the count so far."""
    bucket = _bucket(scope, key, window)
    cache.add(bucket, 0, timeout=window + 5)
    try:
        return cache.incr(bucket)
    except ValueError:  # expired between add and incr
        cache.add(bucket, 1, timeout=window + 5)
        return 1


def count(scope: str, key: str, *, window: int = 60) -> int:
    return cache.get(_bucket(scope, key, window), 0)


def allow(scope: str, key: str, *, limit: int, window: int = 60) -> bool:
    """Count one hit; False once ``limit`` hits fall in one window."""
    return hit(scope, key, window=window) <= limit


def failures_blocked(request, scope: str, key: str) -> bool:
    """True once too many wrong log-in attempts came from this address or for this key
    (a card prefix, a user name) within the window. Only failures are counted."""
    window = settings.CARD_LOGIN_WINDOW_SECONDS
    limit = settings.CARD_LOGIN_FAILURES_ALLOWED
    return (
        count(f"{scope}-address", client_address(request), window=window) >= limit
        or count(f"{scope}-key", key, window=window) >= limit
    )


def failure_record(request, scope: str, key: str) -> None:
    window = settings.CARD_LOGIN_WINDOW_SECONDS
    hit(f"{scope}-address", client_address(request), window=window)
    hit(f"{scope}-key", key, window=window)
