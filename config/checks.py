"""System checks for what production needs beyond Django's own ``--deploy`` checks.

``manage.py check --deploy`` fails (and ``config/wsgi.py`` refuses to serve) when:

- ``SITE_BASE_URL`` is not an https address: it is printed in QR codes on certificates and
  learning cards, and is the issuer of every Open Badge, so it must be the real, permanent
  address, never ``http://127.0.0.1:8000``;
- the cache is private to one process: rate limits (learning cards, log-ins, certificate
  look-ups) count in the cache, so with a per-process cache N workers allow N times as many
  guesses. Redis (``REDIS_URL``) or Django's database cache (``SHARED_CACHE=database``) are
  shared by every worker;
- a badge signing key that is set cannot be used (not an unencrypted PEM, the wrong kind,
  or an RSA key under 2048 bits): every badge download would fail, so it must not wait for
  the first learner to find out.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, register

SHARED_CACHE_BACKENDS = {
    "django.core.cache.backends.redis.RedisCache",
    "toolkit.cache.FailSoftRedisCache",  # RedisCache that acts empty while Redis is away
    "django.core.cache.backends.db.DatabaseCache",
    "django.core.cache.backends.memcached.PyMemcacheCache",
    "django.core.cache.backends.memcached.PyLibMCCache",
}


@register(Tags.security, deploy=True)
def site_base_url_check(app_configs, **kwargs):
    url = getattr(settings, "SITE_BASE_URL", "") or ""
    parts = urlsplit(url)
    if (
        parts.scheme == "https"
        and parts.netloc
        and parts.hostname not in ("127.0.0.1", "localhost")
    ):
        return []
    return [
        Error(
            f"SITE_BASE_URL must be the site's public https address, not {url!r}.",
            hint="It is printed in certificate and learning-card QR codes and signs badges. "
            "Set SITE_BASE_URL=https://leren.example.be",
            id="platform.E001",
        )
    ]


@register(Tags.caches, deploy=True)
def shared_cache_check(app_configs, **kwargs):
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend in SHARED_CACHE_BACKENDS:
        return []
    return [
        Error(
            f"The cache ({backend}) is not shared between web processes: rate limits on "
            "learning cards, log-ins and certificate look-ups would multiply with the workers.",
            hint="Set REDIS_URL, or SHARED_CACHE=database and run `manage.py createcachetable`.",
            id="platform.E002",
        )
    ]


@register(Tags.security, deploy=True)
def badge_keys_check(app_configs, **kwargs):
    from django.core.exceptions import ImproperlyConfigured

    from certificates import badges

    errors = []
    for setting, load in (
        ("BADGE_RSA_SIGNING_KEY", badges.rsa_key),
        ("BADGE_SIGNING_KEY", badges.ed25519_key),
    ):
        # An unset key is refused by the production settings already; dev generates its own.
        if not getattr(settings, setting, None):
            continue
        try:
            load()
        except ImproperlyConfigured as exc:
            errors.append(
                Error(
                    str(exc),
                    hint=f"Set {setting} to the PEM of the key (docs/architecture.md, "
                    "Configuration).",
                    id="platform.E003",
                )
            )
    return errors


def production_ready() -> None:
    """Raise at start-up when a deploy check fails (gunicorn runs no system checks)."""
    from django.core import checks
    from django.core.exceptions import ImproperlyConfigured

    errors = [
        message
        for message in checks.run_checks(include_deployment_checks=True)
        if message.is_serious() and not message.is_silenced()
    ]
    if errors:
        raise ImproperlyConfigured("\n".join(str(error) for error in errors))
