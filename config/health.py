"""Health checks for a load balancer or nginx: cheap, without personal data, never cached.

``/gezond/`` says the process answers (nothing else is touched, so a slow database never
makes a balancer kill a healthy app server). ``/gezond/klaar/`` says this server can do
its work: the database answers, the shared cache stores and returns a value, the file
storage can be asked about a file. Each part is named in the JSON, "ok" or "fout"; the
status is 503 when one fails, so the balancer sends learners elsewhere.
"""

import logging
import uuid

from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


@never_cache
@require_safe
def alive(request):
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache():
    key = f"gezond:{uuid.uuid4().hex}"
    cache.set(key, "ok", timeout=10)
    found = cache.get(key)
    cache.delete(key)
    if found != "ok":
        raise RuntimeError("the cache did not return what was stored")


def _storage():
    # A question, not a write: object storage bills writes, and a read-only mount is fine.
    default_storage.exists("gezond/bestaat-niet.txt")


CHECKS = {"database": _database, "cache": _cache, "storage": _storage}


@never_cache
@require_safe
def ready(request):
    parts = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception:  # noqa: BLE001 - any failure means "not ready"; logged for the operator
            logger.exception("health check %s failed", name)
            parts[name] = "fout"
        else:
            parts[name] = "ok"
    healthy = all(state == "ok" for state in parts.values())
    return JsonResponse(parts, status=200 if healthy else 503)
