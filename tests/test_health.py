"""Health checks: /gezond/ (alive) and /gezond/klaar/ (database, cache, storage)."""

import pytest
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext

from config import health

pytestmark = pytest.mark.django_db


def test_alive_touches_nothing_and_sets_no_cookie(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/gezond/")
    assert response.status_code == 200 and response.content == b"ok\n"
    assert len(queries) == 0
    assert not response.cookies
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_ready_names_each_part(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/gezond/klaar/")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok", "storage": "ok"}
    assert len(queries) <= 2  # SELECT 1 (and a cache table query with the database cache)
    assert not response.cookies


@pytest.mark.parametrize(
    ("part", "target", "attribute"),
    [
        ("database", connection, "cursor"),
        ("cache", cache, "get"),
        ("storage", default_storage, "exists"),
    ],
)
def test_ready_is_503_and_says_which_part_failed(client, monkeypatch, part, target, attribute):
    def broken(*args, **kwargs):
        raise OSError("down")

    monkeypatch.setattr(target, attribute, broken)
    response = client.get("/gezond/klaar/")
    assert response.status_code == 503
    assert response.json()[part] == "fout"
    assert [name for name, state in response.json().items() if state == "fout"] == [part]


def test_only_reading_methods(client):
    assert client.post("/gezond/").status_code == 405
    assert client.post("/gezond/klaar/").status_code == 405
    assert set(health.CHECKS) == {"database", "cache", "storage"}
