"""While a shared service is away, learners and trainers get a plain message, never a 500.

Object storage (certificate PDFs, H5P uploads) raises botocore's errors when the provider
cannot be reached; Redis (the cache) raises redis' errors. scripts/drills.py does the same
against the real stack (docs/operations.md, "Fault drills"); these tests pin the messages.
"""

import io

import pytest
from botocore.exceptions import EndpointConnectionError
from django.contrib.auth import get_user_model
from django.core.cache import cache, caches
from django.core.files.storage import default_storage, storages
from django.core.files.uploadedfile import SimpleUploadedFile

from certificates.models import Certificate
from courses.h5p import fixtures, services
from courses.h5p.models import H5PPackage
from tests.certificates.test_views import finish_over_http
from toolkit.cache import FailSoftRedisCache

pytestmark = pytest.mark.django_db

CERTIFICATE_MESSAGE = (
    "Het certificaat kan nu niet worden geladen. Probeer het over een paar minuten opnieuw."
)
H5P_MESSAGE = "Het pakket kan nu niet worden bewaard. De opslag werkt even niet."


def unreachable(*args, **kwargs):
    raise EndpointConnectionError(endpoint_url="http://s3.example.invalid")


def test_certificate_download_says_try_again_while_storage_is_away(
    client, module, lesson, second_lesson, monkeypatch
):
    cache.clear()
    finish_over_http(client, module)
    response = client.post(f"/mijn/certificaten/module/{module.pk}/", {"name": "Marie Peeters"})
    storage = storages["certificates"]
    with monkeypatch.context() as patch:
        patch.setattr(storage, "exists", unreachable)
        patch.setattr(storage, "save", unreachable)
        away = client.get(response.url)
    assert away.status_code == 503
    assert away["Content-Type"].startswith("text/html")
    page = away.content.decode()
    assert CERTIFICATE_MESSAGE in page
    assert "Je certificaat is niet weg." in page
    assert Certificate.objects.get().code in page  # the retry link
    back = client.get(response.url)  # the storage is back: the PDF, rendered once
    assert back.status_code == 200
    assert back["Content-Type"] == "application/pdf"


def test_certificate_download_survives_a_failing_write_too(
    client, module, lesson, second_lesson, monkeypatch
):
    cache.clear()
    finish_over_http(client, module)
    response = client.post(f"/mijn/certificaten/module/{module.pk}/", {"name": "Marie Peeters"})
    monkeypatch.setattr(storages["certificates"], "save", unreachable)
    away = client.get(response.url)
    assert away.status_code == 503
    assert CERTIFICATE_MESSAGE in away.content.decode()


class UnreachableStorage:
    exists = save = delete = open = listdir = staticmethod(unreachable)


def test_h5p_upload_says_try_again_while_storage_is_away(client, site_tree, monkeypatch):
    user = get_user_model().objects.create_superuser("beheer", password="geheim-genoeg")
    client.force_login(user)
    monkeypatch.setattr(services, "_storage", UnreachableStorage)
    upload = SimpleUploadedFile("pincode.h5p", fixtures.build_package())
    response = client.post("/admin/snippets/courses/h5ppackage/add/", {"file": upload})
    assert response.status_code == 200  # the form again, with the message above it
    assert H5P_MESSAGE in response.content.decode()
    assert not H5PPackage.objects.exists()


def test_h5p_store_cleans_up_what_it_can_and_reports_the_storage(monkeypatch):
    class FailsHalfway(UnreachableStorage):
        exists = staticmethod(lambda name: False)

    monkeypatch.setattr(services, "_storage", FailsHalfway)
    with pytest.raises(services.StorageUnavailable):
        services.package_store(file=io.BytesIO(fixtures.build_package()))
    assert not H5PPackage.objects.exists()


# Port 9 (discard) has no Redis on the test machine: every call is refused at once.
DEAD_REDIS = {
    "default": {
        "BACKEND": "toolkit.cache.FailSoftRedisCache",
        "LOCATION": "redis://127.0.0.1:9/0",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
}


def test_fail_soft_cache_acts_empty_while_redis_is_down(settings):
    settings.CACHES = DEAD_REDIS
    down = caches["default"]
    assert isinstance(down, FailSoftRedisCache)
    assert down.get("a", "default") == "default"
    assert down.set("a", 1) is None
    assert down.add("a", 1) is False
    assert down.get_many(["a", "b"]) == {}
    assert down.incr("counter") == 1  # a rate limit lets the request through
    assert down.delete("a") is False
    assert down.get_or_set("b", 2) == 2


def test_pages_sessions_and_rate_limits_work_while_redis_is_down(client, settings, lesson):
    settings.CACHES = DEAD_REDIS
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    assert client.get(lesson.url).status_code == 200
    assert client.get("/leerkaart/").status_code == 200
    # A wrong card code is counted in the cache (toolkit.ratelimit): no 500 without it.
    assert client.post("/leerkaart/", {"code": "ABCD-EFGH-JKLM"}).status_code in (200, 400)
    assert client.get("/gezond/klaar/").status_code == 503  # the operator still sees it


def test_h5p_package_files_answer_503_while_storage_is_away(client, monkeypatch):
    package = services.package_store(file=io.BytesIO(fixtures.build_package()))
    url = f"/h5p/inhoud/{package.sha256}/h5p.json"
    assert client.get(url).status_code == 200
    monkeypatch.setattr(default_storage, "exists", unreachable)
    away = client.get(url)
    assert away.status_code == 503
    assert away["Retry-After"] == "60"


def test_one_redis_client_serves_every_command(settings):
    """Django's client made a new redis.Redis (and its 80 callbacks) for every command."""
    settings.CACHES = DEAD_REDIS
    backend = caches["default"]._cache
    assert backend.get_client() is backend.get_client("key", write=True)
    assert caches["default"].get("a", "default") == "default"  # still fails soft
    assert backend.get_client() is backend.get_client()
