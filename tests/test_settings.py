"""Production settings refuse to start without secrets and pass Django's deploy checks."""

import json
import os
import subprocess
import sys
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

ROOT = Path(__file__).resolve().parents[1]
SECRET = "a-long-random-value-for-this-test-only-0123456789-abcdefghijklmnop"


def badge_key_pem() -> str:
    key = Ed25519PrivateKey.generate()
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def badge_rsa_key_pem() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def production_env(**extra):
    return {
        "SECRET_KEY": SECRET,
        "ALLOWED_HOSTS": "leren.example.be",
        "BADGE_SIGNING_KEY": badge_key_pem(),
        "BADGE_RSA_SIGNING_KEY": badge_rsa_key_pem(),
        "SITE_BASE_URL": "https://leren.example.be",
        "SHARED_CACHE": "database",
        **extra,
    }


def manage(*args, **env):
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in this process; production must not.
    dropped = (
        "SECRET_KEY",
        "CI",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
        "DATABASE_URL",
        "BADGE_SIGNING_KEY",
        "BADGE_RSA_SIGNING_KEY",
        "SITE_BASE_URL",
        "REDIS_URL",
        "SHARED_CACHE",
    )
    clean = {
        key: value
        for key, value in os.environ.items()
        if key not in dropped and not key.startswith("S3_")
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings.production", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    env = production_env()
    del env["SECRET_KEY"]
    result = manage("check", **env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_a_badge_signing_key():
    env = production_env()
    del env["BADGE_SIGNING_KEY"]
    result = manage("check", **env)
    assert result.returncode != 0
    assert "BADGE_SIGNING_KEY" in result.stderr


def test_production_refuses_to_start_without_an_rsa_badge_signing_key():
    """OB 3.0 signs with RS256: without the RSA key no badge could be issued."""
    env = production_env()
    del env["BADGE_RSA_SIGNING_KEY"]
    result = manage("check", **env)
    assert result.returncode != 0
    assert "BADGE_RSA_SIGNING_KEY" in result.stderr


def test_the_deploy_check_fails_for_an_rsa_badge_key_under_2048_bits():
    """OB 3.0 signs with RS256; a short key must stop the deploy, not the first download."""
    short = rsa.generate_private_key(public_exponent=65537, key_size=1024)  # noqa: S505
    pem = short.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    result = manage("check", "--deploy", **production_env(BADGE_RSA_SIGNING_KEY=pem))
    assert result.returncode != 0
    assert "platform.E003" in result.stderr
    assert "2048" in result.stderr


def test_production_passes_the_deploy_check():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_never_creates_demo_accounts():
    result = manage("seed_demo", "--accounts", **production_env())
    assert result.returncode != 0
    assert "alleen in de ontwikkelinstellingen" in result.stderr


def test_production_refuses_to_start_without_its_public_address():
    env = production_env()
    del env["SITE_BASE_URL"]
    result = manage("check", **env)
    assert result.returncode != 0
    assert "SITE_BASE_URL" in result.stderr


def test_the_deploy_check_fails_for_an_address_that_is_not_https():
    result = manage("check", "--deploy", **production_env(SITE_BASE_URL="http://leren.example.be"))
    assert result.returncode != 0
    assert "platform.E001" in result.stderr


def test_the_deploy_check_fails_for_a_cache_each_worker_keeps_to_itself():
    """Rate limits count in the cache: a per-process cache multiplies them by the workers."""
    env = production_env()
    del env["SHARED_CACHE"]
    result = manage("check", "--deploy", **env)
    assert result.returncode != 0
    assert "platform.E002" in result.stderr
    assert (
        manage(
            "check", "--deploy", **production_env(REDIS_URL="redis://127.0.0.1:6379/0")
        ).returncode
        == 0
    )


def test_the_web_server_refuses_to_serve_what_the_deploy_check_refuses():
    env = production_env()
    del env["SHARED_CACHE"]
    clean = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "CI")}
    result = subprocess.run(
        [sys.executable, "-c", "import config.wsgi"],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings.production", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "platform.E002" in result.stderr


STORAGE_REPORT = (
    "import json; from django.conf import settings as s; from django.core.files.storage import"
    " storages; print(json.dumps({'default': s.STORAGES['default'], 'certificates':"
    " s.STORAGES['certificates'], 'docs': getattr(s, 'WAGTAILDOCS_SERVE_METHOD', None),"
    " 'sessions': s.SESSION_ENGINE, 'pdf_url': storages['certificates'].url('a.pdf')},"
    " default=str))"
)


def storage_settings(**extra):
    result = manage("shell", "-c", STORAGE_REPORT, **production_env(**extra))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_keeps_files_on_local_disk_without_a_bucket():
    found = storage_settings()
    assert found["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert found["certificates"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert found["sessions"] == "django.contrib.sessions.backends.db"


def test_production_uses_object_storage_when_a_bucket_is_set_and_keeps_certificates_private():
    found = storage_settings(
        S3_BUCKET="digibank-media",
        S3_ENDPOINT_URL="https://s3.example.be",
        S3_ACCESS_KEY_ID="id",
        S3_SECRET_ACCESS_KEY="secret",
        S3_MEDIA_DOMAIN="leren.example.be",
    )
    media = found["default"]
    assert media["BACKEND"] == "storages.backends.s3.S3Storage"
    assert media["OPTIONS"]["location"] == "media"
    assert media["OPTIONS"]["custom_domain"] == "leren.example.be"
    private = found["certificates"]["OPTIONS"]
    assert found["certificates"]["BACKEND"] == "storages.backends.s3.S3Storage"
    assert private["location"] == "private/certificates"
    assert private["default_acl"] == "private"
    assert "custom_domain" not in private
    # Any address of a certificate PDF is a short-lived signed link, never a public one.
    assert "X-Amz-Signature=" in found["pdf_url"]
    assert found["pdf_url"].startswith("https://s3.example.be/digibank-media/private/")
    assert found["docs"] == "serve_view"


def test_production_keeps_sessions_in_redis_and_the_database_when_redis_is_set():
    found = storage_settings(REDIS_URL="redis://127.0.0.1:6379/0")
    assert found["sessions"] == "django.contrib.sessions.backends.cached_db"
