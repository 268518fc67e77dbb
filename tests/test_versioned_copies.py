"""Each process's copy of version-keyed entries (toolkit/versions.py, ``versioned_get``).

A copy is only ever read under a key that holds the current versions, and the versions come
from the shared cache on every request: what another app server changed shows at once.
"""

import uuid

import pytest
from django.core.cache import cache

from courses.routing import TREE_VERSION_KEY
from courses.step_cache import VERSION_KEY as STEP_VERSION_KEY
from toolkit import versions


class CountingCache:
    """The shared cache, counting its reads."""

    def __init__(self):
        self.reads = 0

    def get(self, key, default=None):
        self.reads += 1
        return cache.get(key, default)

    def set(self, *args, **kwargs):
        return cache.set(*args, **kwargs)


@pytest.fixture
def shared(monkeypatch):
    counting = CountingCache()
    monkeypatch.setattr(versions, "cache", counting)
    return counting


def test_a_value_set_is_read_back_without_the_shared_cache(shared):
    versions.versioned_set("v1:les", {"titel": "Je pincode"}, 300)
    assert versions.versioned_get("v1:les") == {"titel": "Je pincode"}
    assert shared.reads == 0


def test_what_another_process_stored_is_read_once_then_kept(shared):
    cache.set("v1:les", ["stap 1", "stap 2"], 300)  # another app server made it
    assert versions.versioned_get("v1:les") == ["stap 1", "stap 2"]
    assert versions.versioned_get("v1:les") == ["stap 1", "stap 2"]
    assert shared.reads == 1
    assert versions.versioned_get("v1:niets") is None
    assert shared.reads == 2


def test_every_read_is_a_copy_of_its_own(shared):
    versions.versioned_set("v1:les", {"stappen": [1, 2]}, 300)
    first = versions.versioned_get("v1:les")
    first["stappen"].append("veranderd in één verzoek")
    assert versions.versioned_get("v1:les") == {"stappen": [1, 2]}


def test_the_copies_are_bounded_least_recently_used_first(shared, monkeypatch):
    monkeypatch.setattr(versions, "LOCAL_ENTRIES", 3)
    for name in "abc":
        versions.versioned_set(f"v1:{name}", name, 300)
    assert versions.versioned_get("v1:a") == "a"  # a is now the most recent
    versions.versioned_set("v1:d", "d", 300)  # b goes
    reads = shared.reads
    assert [versions.versioned_get(f"v1:{name}") for name in "acd"] == ["a", "c", "d"]
    assert shared.reads == reads
    assert versions.versioned_get("v1:b") == "b"  # from the shared cache again
    assert shared.reads == reads + 1


def test_a_copy_expires_and_is_read_again(shared, monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(versions.time, "monotonic", lambda: now[0])
    versions.versioned_set("v1:les", "oud", 300)
    now[0] += versions.LOCAL_SECONDS - 1
    assert versions.versioned_get("v1:les") == "oud"
    assert shared.reads == 0
    cache.delete("v1:les")  # expired in the shared cache too
    now[0] += 2
    assert versions.versioned_get("v1:les") is None
    assert shared.reads == 1


@pytest.mark.django_db
def test_a_change_made_by_another_app_server_shows_at_once(client, module, lesson):
    """This process keeps the lesson and its step; another server renames the lesson and
    renews the versions in the shared cache (its signal handlers run there, not here)."""
    assert "Je pincode" in client.get(lesson.step_url(2)).content.decode()
    type(lesson).objects.filter(pk=lesson.pk).update(title="Je geheime code")
    assert "Je pincode" in client.get(lesson.step_url(2)).content.decode()  # kept
    cache.set(TREE_VERSION_KEY, uuid.uuid4().hex, timeout=None)
    assert "Je geheime code" in client.get(lesson.step_url(2)).content.decode()


@pytest.mark.django_db
def test_a_step_changed_on_another_app_server_shows_at_once(client, module, lesson):
    from wagtail.blocks import StreamValue

    html = client.get(lesson.step_url(1)).content.decode()
    assert "Je eID heeft een chip." in html
    raw = lesson.steps.raw_data
    raw[0]["value"]["body"][0]["value"] = "<p>Je eID heeft een chip en een pincode.</p>"
    type(lesson).objects.filter(pk=lesson.pk).update(
        steps=StreamValue(lesson.steps.stream_block, list(raw), is_lazy=True)
    )
    cache.set(TREE_VERSION_KEY, uuid.uuid4().hex, timeout=None)
    cache.set(STEP_VERSION_KEY, uuid.uuid4().hex, timeout=None)
    assert "een chip en een pincode" in client.get(lesson.step_url(1)).content.decode()
