"""Version keys in the shared cache: one key whose value changes makes every entry keyed on
it new at once (catalogue exports, a lesson's ancestors, steps' HTML), without finding and
deleting those entries.

Inside ``request_memo`` (a middleware wraps every request in it) a version is read from the
cache once per request, and ``prefetch`` reads several of them, with other keys, in one
round trip: a lesson step needs three and a Redis round trip is the cost that counts.
``remember``/``recall`` keep other values read that way for the rest of the request.

``versioned_get``/``versioned_set`` are for entries whose key holds the versions they were
made under: such an entry never changes, because a change makes a new version and so a new
key. Each process keeps a bounded copy of those it read, and a lesson step then costs one
round trip to the shared cache (the versions) instead of three. The copy is kept pickled,
so every request still unpickles its own objects.
"""

import pickle
import threading
import time
import uuid
from collections import OrderedDict
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


# --- a per-process copy of entries keyed on versions ----------------------------------------

LOCAL_ENTRIES = 512  # least recently used beyond this are dropped; a step's HTML is ~5 KB
# A copy lives at most a minute, so an entry that expired in the shared cache is gone from
# every process a minute later at most.
LOCAL_SECONDS = 60
_local: OrderedDict[str, tuple[float, bytes]] = OrderedDict()
_local_lock = threading.Lock()  # gunicorn's sync workers have one thread, runserver many


def versioned_get(key: str):
    """The value under ``key`` (which must hold every version it depends on): from this
    process's copy, else from the shared cache; None when neither has it."""
    now = time.monotonic()
    with _local_lock:
        found = _local.get(key)
        if found is not None and found[0] > now:
            _local.move_to_end(key)
        else:
            _local.pop(key, None)  # expired, or not there
            found = None
    if found is not None:
        return pickle.loads(found[1])  # noqa: S301 - pickled by this process
    value = cache.get(key)
    if value is not None:
        _local_keep(key, value, now + LOCAL_SECONDS)
    return value


def versioned_set(key: str, value, timeout: int) -> None:
    cache.set(key, value, timeout)
    _local_keep(key, value, time.monotonic() + min(timeout, LOCAL_SECONDS))


def _local_keep(key: str, value, until: float) -> None:
    data = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
    with _local_lock:
        _local[key] = (until, data)
        _local.move_to_end(key)
        while len(_local) > LOCAL_ENTRIES:
            _local.popitem(last=False)


def local_clear() -> None:
    """Forget this process's copies (tests, between cases)."""
    with _local_lock:
        _local.clear()
