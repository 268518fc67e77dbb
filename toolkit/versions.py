"""Version keys in the shared cache: one key whose value changes makes every entry keyed on
it new at once (catalogue exports, a lesson's ancestors, steps' HTML), without finding and
deleting those entries.
"""

import uuid

from django.core.cache import cache
from django.db import transaction


def version_read(key: str) -> str:
    """The current version under ``key``; a first one is stored when there is none."""
    version = cache.get(key)
    if version is None:
        version = uuid.uuid4().hex
        # add: two processes that both found none agree on the one stored first.
        if not cache.add(key, version, timeout=None):
            version = cache.get(key, version)
    return version


def version_renew(key: str) -> None:
    """A new version now, so the rest of this transaction and this process see the change,
    and again after the commit, so that an entry made by another request from the data
    before the commit (kept under the first new version) is not served."""

    def renew():
        cache.set(key, uuid.uuid4().hex, timeout=None)

    renew()
    transaction.on_commit(renew)
