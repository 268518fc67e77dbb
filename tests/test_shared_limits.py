"""Rate limits hold across web processes: gunicorn with two workers, production settings.

With a per-process cache, two workers allowed twice the wrong learning-card codes (20
instead of 10) before the 429. Production now refuses a per-process cache; this runs the
documented shared fallback without Redis (``SHARED_CACHE=database``) for real.
"""

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from tests.test_settings import production_env

ROOT = Path(__file__).resolve().parents[1]
# slow: starts gunicorn with two workers under the production settings.
pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def two_workers(tmp_path):
    port = free_port()
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "VIRTUAL_ENV")
    env = {
        **{key: os.environ[key] for key in keep if key in os.environ},
        **production_env(),
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "STATIC_ROOT": str(tmp_path / "static"),
        # A fixed window starts afresh on the minute: attempts that straddle it (a busy
        # machine) would count twice. An hour's window keeps the test on one side of it.
        "CARD_LOGIN_WINDOW_SECONDS": "3600",
    }
    # Production serves hashed static files from a manifest: collect them as a deploy would.
    commands = (
        ["migrate", "--noinput", "-v0"],
        ["createcachetable"],
        ["collectstatic", "--noinput", "-v0"],
    )
    for command in commands:
        subprocess.run(
            [sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, timeout=300
        )
    log = (tmp_path / "gunicorn.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "-w", "2", "-b", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            assert server.poll() is None, (tmp_path / "gunicorn.log").read_text()
            time.sleep(0.2)
    yield port
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)
    log.close()


def request(port, method, path, *, body=None, cookies=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Host": "127.0.0.1", "Connection": "close"}
    if cookies:
        headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    content = response.read().decode()
    set_cookies = response.msg.get_all("Set-Cookie") or []
    connection.close()
    return response.status, content, set_cookies


def test_two_workers_share_one_limit_for_learning_card_codes(two_workers):
    port = two_workers
    status, html, set_cookies = request(port, "GET", "/leerkaart/")
    assert status == 200
    csrf_cookie = next(
        re.match(r"csrftoken=([^;]+)", cookie).group(1)
        for cookie in set_cookies
        if cookie.startswith("csrftoken=")
    )
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    allowed = settings.CARD_LOGIN_FAILURES_ALLOWED
    statuses = []
    for attempt in range(allowed * 2):
        wrong = f"K7QM-2WXD-9TP4-{attempt:04d}"
        status, _html, _cookies = request(
            port,
            "POST",
            "/leerkaart/",
            body=f"csrfmiddlewaretoken={token}&code={wrong}",
            cookies={"csrftoken": csrf_cookie},
        )
        statuses.append(status)
    # Each worker kept its own count before: 429 only after 2 × the limit.
    assert statuses[:allowed] == [200] * allowed
    assert set(statuses[allowed:]) == {429}
