"""Production: PostgreSQL, Redis, object storage, several web processes.

Security values have no defaults here: a missing SECRET_KEY or ALLOWED_HOSTS stops start-up.
`manage.py check --deploy` passes with no warnings under these settings.
"""

from config import env

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = env.secret_key(required=True)
ALLOWED_HOSTS = env.allowed_hosts(required=True)
BADGE_SIGNING_KEY = env.badge_signing_key(required=True)
BADGE_RSA_SIGNING_KEY = env.badge_rsa_signing_key(required=True)
# Printed on paper (QR codes) and the issuer of every badge: never a default here.
SITE_BASE_URL = env.site_base_url(required=True)
WAGTAILADMIN_BASE_URL = SITE_BASE_URL
# Rate limits count in the cache, so it must be one that every worker shares. Without
# REDIS_URL, SHARED_CACHE=database uses Django's database cache; with neither, the
# deploy check platform.E002 fails and config/wsgi.py refuses to serve.
if not env.redis_url() and env.shared_cache() == "database":
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "platform_cache",
        }
    }
CSRF_TRUSTED_ORIGINS = [f"https://{host}" for host in ALLOWED_HOSTS if host != "*"]

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env.env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LEARNER_COOKIE_SECURE = True

STORAGES = {
    **STORAGES,  # noqa: F405 - keeps the private "certificates" storage from base
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
