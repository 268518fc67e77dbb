"""Production settings refuse to start without secrets and pass Django's deploy checks."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def manage(*args, **env):
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in this process; production must not.
    dropped = ("SECRET_KEY", "CI", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL")
    clean = {key: value for key, value in os.environ.items() if key not in dropped}
    return subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings.production", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", ALLOWED_HOSTS="leren.example.be")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_passes_the_deploy_check():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY="a-long-random-value-for-this-test-only-0123456789-abcdefghijklmnop",
        ALLOWED_HOSTS="leren.example.be",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_never_creates_demo_accounts():
    result = manage(
        "seed_demo",
        "--accounts",
        SECRET_KEY="a-long-random-value-for-this-test-only-0123456789-abcdefghijklmnop",
        ALLOWED_HOSTS="leren.example.be",
    )
    assert result.returncode != 0
    assert "alleen in de ontwikkelinstellingen" in result.stderr
