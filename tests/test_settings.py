"""Production settings refuse to start without secrets and pass Django's deploy checks."""

import os
import subprocess
import sys
from pathlib import Path

from cryptography.hazmat.primitives import serialization
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


def production_env(**extra):
    return {
        "SECRET_KEY": SECRET,
        "ALLOWED_HOSTS": "leren.example.be",
        "BADGE_SIGNING_KEY": badge_key_pem(),
        **extra,
    }


def manage(*args, **env):
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in this process; production must not.
    dropped = ("SECRET_KEY", "CI", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL", "BADGE_SIGNING_KEY")
    clean = {key: value for key, value in os.environ.items() if key not in dropped}
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


def test_production_passes_the_deploy_check():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_never_creates_demo_accounts():
    result = manage("seed_demo", "--accounts", **production_env())
    assert result.returncode != 0
    assert "alleen in de ontwikkelinstellingen" in result.stderr
