"""Version keys in the shared cache: one key whose value changes makes every entry keyed on
it new at once (catalogue exports, a lesson's ancestors, steps' HTML), without finding and
deleting those entries.

Inside ``request_memo`` (a middleware wraps every request in it) a version is read from the
cache once per request, and ``prefetch`` reads several of them, with other keys, in one
round trip: a lesson step needs three and a Redis round trip is the cost that counts.
``remember``/``recall`` keep other values read that way for the rest of the request.
"""

import uuid
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.cache import cache
from django.db import transaction

# The versions this request has read, or None outside a request.
_memo: ContextVar[dict | None] = ContextVar("toolkit_versions_memo", default=None)


@contextmanager
def request_memo():
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def remember(key: str, value) -> None:
    """Keep ``value`` for the rest of this request (nothing outside a request)."""
    memo = _memo.get()
    if memo is not None:
        memo[key] = value


def recall(key: str, default=None):
    """What ``remember`` kept under ``key`` in this request, or ``default``."""
    memo = _memo.get()
    return default if memo is None else memo.get(key, default)


def prefetch(version_keys, other_keys=()) -> dict:
    """Read ``version_keys`` and ``other_keys`` in one ``get_many``; the versions found are
    remembered for the rest of the request, the other values are returned."""
    found = cache.get_many([*version_keys, *other_keys])
    memo = _memo.get()
    if memo is not None:
        memo.update({key: found[key] for key in version_keys if key in found})
    return {key: found[key] for key in other_keys if key in found}


def version_read(key: str) -> str:
    """The current version under ``key``; a first one is stored when there is none."""
    memo = _memo.get()
    if memo is not None and key in memo:
        return memo[key]
    version = cache.get(key)
    if version is None:
        version = uuid.uuid4().hex
        # add: two processes that both found none agree on the one stored first.
        if not cache.add(key, version, timeout=None):
            version = cache.get(key, version)
    if memo is not None:
        memo[key] = version
    return version


def version_renew(key: str) -> None:
    """A new version now, so the rest of this transaction and this process see the change,
    and again after the commit, so that an entry made by another request from the data
    before the commit (kept under the first new version) is not served."""

    def renew():
        version = uuid.uuid4().hex
        cache.set(key, version, timeout=None)
        memo = _memo.get()
        if memo is not None:
            memo[key] = version

    renew()
    transaction.on_commit(renew)
