"""Every environment variable the platform reads, in one place, with its type and default.

Settings modules import from here; nothing else calls ``os.environ``. Values that keep the
platform secure (the secret key, allowed hosts) have no default in production: a missing one
stops start-up instead of running with something guessable.
"""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"


class MissingSetting(RuntimeError):
    pass


def _raw(name: str) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else None


def env_str(name: str, default: str | None = None, *, required: bool = False) -> str | None:
    value = _raw(name)
    if value is None:
        if required:
            raise MissingSetting(f"Set the environment variable {name}.")
        return default
    return value


def env_bool(name: str, default: bool = False) -> bool:
    value = _raw(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = _raw(name)
    return default if value is None else int(value)


def env_list(name: str, default: list[str] | None = None, *, required: bool = False) -> list[str]:
    value = env_str(name, required=required)
    if value is None:
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


# --- the variables -------------------------------------------------------------------------
# Documented in docs/architecture.md ("Configuration").

DEFAULT_DATABASE_URL = f"sqlite:///{VAR_DIR / 'db.sqlite3'}"


def database_url() -> str:
    return env_str("DATABASE_URL", DEFAULT_DATABASE_URL)


def secret_key(*, required: bool) -> str | None:
    return env_str("SECRET_KEY", required=required)


def allowed_hosts(*, required: bool) -> list[str]:
    return env_list("ALLOWED_HOSTS", required=required)


def redis_url() -> str | None:
    return env_str("REDIS_URL")


def media_root() -> Path:
    return Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))


def static_root() -> Path:
    return Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))


def site_base_url(*, required: bool = False) -> str | None:
    """The site's public address, printed in QR codes: required (and https) in production."""
    if required:
        return env_str("SITE_BASE_URL", required=True).rstrip("/")
    return env_str("SITE_BASE_URL", "http://127.0.0.1:8000").rstrip("/")


def shared_cache() -> str | None:
    """``database`` selects Django's database cache: shared by every web process without
    Redis (run ``manage.py createcachetable`` once). Redis (``REDIS_URL``) wins when set."""
    return env_str("SHARED_CACHE")


# Read by the test suite (tests/journeys): in CI a missing browser fails instead of skipping.
def ci() -> bool:
    return env_bool("CI")


def chromium_path() -> str:
    return env_str("CHROMIUM_PATH", "/usr/bin/chromium")


def issuer_name() -> str:
    return env_str("ISSUER_NAME", "Digibank Westhoek")


def badge_signing_key(*, required: bool) -> str | None:
    """PEM text of the Ed25519 key that signed Open Badges credentials before RS256; it stays
    published so those keep verifying."""
    return env_str("BADGE_SIGNING_KEY", required=required)


def badge_rsa_signing_key(*, required: bool) -> str | None:
    """PEM text of the RSA key (2048 bits or more) that signs Open Badges credentials (RS256)."""
    return env_str("BADGE_RSA_SIGNING_KEY", required=required)


def accessibility_contact() -> str:
    """An e-mail address or phone number for accessibility feedback; empty shows the
    Digipunten instead (every Digibank sets its own)."""
    return env_str("ACCESSIBILITY_CONTACT", "")


# --- object storage (S3-compatible) ---------------------------------------------------------
# Production only (config/settings/production.py); unset keeps files on the local disk.


def s3_bucket() -> str | None:
    """The bucket for media, H5P packages and (under ``private/``) certificate PDFs. Setting
    it switches production to object storage; every app server then shares the same files."""
    return env_str("S3_BUCKET")


def s3_private_bucket() -> str | None:
    """A separate bucket for certificate PDFs; unset: ``private/certificates/`` in S3_BUCKET."""
    return env_str("S3_PRIVATE_BUCKET")


def s3_endpoint_url() -> str | None:
    """The provider's S3 address; unset means Amazon S3 itself."""
    return env_str("S3_ENDPOINT_URL")


def s3_region() -> str | None:
    return env_str("S3_REGION")


def s3_access_key_id() -> str | None:
    """Unset: boto3 looks further (AWS_* variables, an instance role)."""
    return env_str("S3_ACCESS_KEY_ID")


def s3_secret_access_key() -> str | None:
    return env_str("S3_SECRET_ACCESS_KEY")


def s3_media_domain() -> str | None:
    """Host that serves the bucket's public ``media/`` prefix at ``/media/``: the site's own
    host when its proxy passes /media/ to the bucket (``leren.example.be``), or a CDN host.
    Unset: media addresses are signed, time-limited links to the bucket itself."""
    return env_str("S3_MEDIA_DOMAIN")


def s3_media_protocol() -> str:
    """``https:`` for S3_MEDIA_DOMAIN; ``http:`` only on loopback (``make stack``)."""
    return env_str("S3_MEDIA_PROTOCOL", "https:")
