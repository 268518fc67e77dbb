"""A fixed-window rate limit on the configured cache (shared by all processes with Redis)."""

import time

from django.core.cache import cache


def client_address(request) -> str:
    # Behind a proxy, the proxy must set REMOTE_ADDR (e.g. gunicorn --forwarded-allow-ips).
    return request.META.get("REMOTE_ADDR", "unknown")


def allow(scope: str, key: str, *, limit: int, window: int = 60) -> bool:
    """Count one hit for ``key`` in ``scope``; False once ``limit`` hits fall in one window."""
    bucket = f"ratelimit:{scope}:{key}:{int(time.time() // window)}"
    cache.add(bucket, 0, timeout=window + 5)
    try:
        hits = cache.incr(bucket)
    except ValueError:  # expired between add and incr
        cache.add(bucket, 1, timeout=window + 5)
        hits = 1
    return hits <= limit
