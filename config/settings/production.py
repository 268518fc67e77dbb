"""Production: PostgreSQL, Redis, object storage (S3_BUCKET), several web processes.

Security values have no defaults here: a missing SECRET_KEY or ALLOWED_HOSTS stops start-up.
`manage.py check --deploy` passes with no warnings under these settings.
"""

from botocore.config import Config

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

# With Redis, sessions are read from it (every app server shares it) and still written to
# the database: a Redis restart or eviction must not log learners out or end kiosk state.
if env.redis_url():
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Object storage (S3-compatible): media, H5P packages and certificate PDFs are then shared by
# every app server, so nothing one server writes to its own disk is needed by another.
if env.s3_bucket():
    _S3_CONNECTION = {
        "endpoint_url": env.s3_endpoint_url(),
        "region_name": env.s3_region(),
        "access_key": env.s3_access_key_id(),
        "secret_key": env.s3_secret_access_key(),
        "client_config": Config(
            # Path-style addresses work with every provider and with MinIO/Ceph on one host.
            s3={"addressing_style": "path"},
            signature_version="s3v4",
            # botocore waits 60 s to connect and 60 s per read by default, with retries: an
            # unreachable provider would hold every worker past gunicorn's 60 s time-out and
            # nginx would answer 502 for all pages. Short waits fail the one request that
            # needs the bucket (a friendly 503) and keep the workers for everybody else.
            connect_timeout=3,
            read_timeout=20,
            retries={"max_attempts": 2, "mode": "standard"},
        ),
    }
    _MEDIA = {
        **_S3_CONNECTION,
        "bucket_name": env.s3_bucket(),
        "location": "media",
        # Wagtail and H5P write each name once; overwriting keeps H5P's fixed names
        # (the package files and the ".digibank-compleet" marker) instead of renaming.
        "file_overwrite": True,
        "default_acl": None,  # the bucket's policy decides what is public
    }
    if env.s3_media_domain():
        _MEDIA.update(
            custom_domain=env.s3_media_domain(),
            url_protocol=env.s3_media_protocol(),
            querystring_auth=False,
        )
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": _MEDIA}
    # Certificate PDFs carry a learner's name: never a public address. Downloads go through
    # the app (certificates.views), which reads the file; querystring_auth keeps any url()
    # a short-lived signed link rather than a public one, and the prefix is never published.
    STORAGES["certificates"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **_S3_CONNECTION,
            "bucket_name": env.s3_private_bucket() or env.s3_bucket(),
            "location": "private/certificates",
            "file_overwrite": True,
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": 60,
        },
    }
    # Documents go through Wagtail's view (privacy per collection), never a redirect to the
    # bucket, which is what Wagtail does by default for storage without local paths.
    WAGTAILDOCS_SERVE_METHOD = "serve_view"
