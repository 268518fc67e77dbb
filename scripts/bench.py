"""Performance figures for docs/benchmarks.md. Run with `make bench`; add `--fresh` for set-up time.

In order:

1. a throwaway SQLite database, var/bench.sqlite3, migrated and loaded with the demo modules
   (dev settings, as `make run` does);
2. gunicorn with two workers under the production settings, static files collected and served
   by WhiteNoise exactly as in production (only TLS is left out);
3. an anonymous learner made over HTTP the way a browser makes one: by answering an exercise;
4. wrk: requests per second and latency (median, 95th and 99th percentile) for three pages;
5. the weight of a lesson step page: its HTML plus every stylesheet and script it links;
6. SQL queries per page, counted in a second process (`--queries`) under the dev settings;
7. with `--fresh`: the time from `git clone` to the first page served by `make run`'s steps.

Nothing outside var/bench* and a temporary directory is written; every server this script
starts is stopped again, also when a step fails. The exit code is non-zero if anything failed.
"""

import argparse
import gzip
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import requests

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"
DB_PATH = VAR / "bench.sqlite3"
STATIC_ROOT = VAR / "bench-static"
SERVER_LOG = VAR / "bench-gunicorn.log"
PYTHON = sys.executable  # `make bench` runs this file with the project's virtualenv

MODULE_PATH = "/modules/je-eid-kaartlezer-en-pincode/"
LESSON_PATH = MODULE_PATH + "wat-heb-je-nodig/"
ANSWER_PATH = "/leren/antwoord/"
MY_LEARNING_PATH = "/mijn/"
FORGET_DEVICE_PATH = "/mijn/vergeet-dit-toestel/"  # only on /mijn/ when a learner is known

WRK_LOAD = ["-t2", "-c10", "-d10s", "--latency"]
WRK_WARMUP = ["-t2", "-c10", "-d2s"]  # load templates and open connections before measuring
PAGE_WEIGHT_TARGET = 60 * 1024
QUERIES_MARKER = "BENCH-QUERIES "

# wrk prints only the 50/75/90/99th percentiles; this hook adds the 95th and the error counts
# on one line that is easy to parse. Latencies are in microseconds. "%.0f": wrk's LuaJIT
# returns percentiles as numbers that are not always integers.
WRK_SCRIPT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH p50=%.0f p95=%.0f p99=%.0f connect=%d read=%d write=%d status=%d timeout=%d\\n",
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    e.connect, e.read, e.write, e.status, e.timeout))
end
"""


class BenchError(Exception):
    """A step failed; the message says which and why."""


# --- processes -----------------------------------------------------------------------------


def executable(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BenchError(f"`{name}` is not installed (wrk: apt-get install wrk).")
    return path


def run(command: list, *, env: dict, cwd: Path = ROOT, timeout: float = 900) -> str:
    """Run a command to completion; its output goes into the error if it fails."""
    result = subprocess.run(  # noqa: S603 - argument lists are built in this file
        [str(part) for part in command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        tail = "\n".join((result.stdout + result.stderr).strip().splitlines()[-20:])
        raise BenchError(f"{' '.join(map(str, command))} exited {result.returncode}:\n{tail}")
    return result.stdout


def start(command: list, *, env: dict, cwd: Path, log: Path) -> subprocess.Popen:
    """Start a server in its own process group, so that it and its children can be stopped."""
    with log.open("wb") as handle:
        return subprocess.Popen(  # noqa: S603 - argument lists are built in this file
            [str(part) for part in command],
            cwd=cwd,
            env=env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def stop(process: subprocess.Popen) -> None:
    """SIGTERM lets gunicorn stop its workers; the group kill catches anything left."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BenchError(f"the server exited with {process.returncode}; see {log}")
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise BenchError(f"{url} did not answer 200 within {timeout:.0f} s; see {log}")


def throwaway_badge_key() -> str | None:
    """A new Ed25519 key in PEM: production settings require BADGE_SIGNING_KEY to start.

    None where cryptography is not installed; production settings then say what is missing.
    """
    try:
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    except ImportError:
        return None
    return (
        Ed25519PrivateKey.generate()
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        .decode()
    )


def base_env(secret_key: str) -> dict:
    """The environment of every subprocess: the bench database and one shared secret key.

    The same secret key everywhere lets the query counter (dev settings) read the learner cookie
    that gunicorn (production settings) signed. REDIS_URL is dropped so the figures do not
    depend on whatever the caller's shell points at.
    """
    env = dict(os.environ)
    env.pop("REDIS_URL", None)
    env.update(
        DATABASE_URL=f"sqlite:///{DB_PATH}",
        SECRET_KEY=secret_key,
        PYTHONUNBUFFERED="1",
    )
    badge_key = throwaway_badge_key()
    if badge_key:
        env["BADGE_SIGNING_KEY"] = badge_key
    return env


# --- HTTP ----------------------------------------------------------------------------------
# Production settings mark the CSRF and learner cookies Secure, and a cookie jar does not send
# Secure cookies over plain http. So cookies are read from the responses and sent by hand.


class PageParser(HTMLParser):
    """What the benchmark needs from one page: the answer form, stylesheets, scripts, media."""

    def __init__(self):
        super().__init__()
        self.has_answer_form = False
        self._in_answer_form = False
        self.form_fields: list[tuple[str, str, str]] = []  # (name, type, value)
        self.stylesheets: list[str] = []
        self.scripts: list[str] = []
        self.media = 0

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        if tag == "form" and attributes.get("action") == ANSWER_PATH:
            self.has_answer_form = self._in_answer_form = True
        elif tag == "input" and self._in_answer_form and attributes.get("name"):
            self.form_fields.append(
                (attributes["name"], attributes.get("type", "text"), attributes.get("value", ""))
            )
        elif tag == "link" and "stylesheet" in attributes.get("rel", "").split():
            self.stylesheets.append(attributes["href"])
        elif tag == "script" and attributes.get("src"):
            self.scripts.append(attributes["src"])
        elif tag in ("img", "video", "audio", "iframe"):
            self.media += 1

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_answer_form = False


def parse(html: str) -> PageParser:
    parser = PageParser()
    parser.feed(html)
    return parser


def get(url: str, cookie: str | None = None, **headers) -> requests.Response:
    if cookie:
        headers["Cookie"] = cookie
    response = requests.get(url, headers=headers, timeout=10, allow_redirects=False)
    if response.status_code != 200:
        raise BenchError(f"GET {url} answered {response.status_code}, expected 200")
    return response


def answer_fields(fields: list[tuple[str, str, str]]) -> list[tuple[str, str]]:
    """The hidden fields as given, plus the first choice: right or wrong, it makes progress."""
    data = [(name, value) for name, _kind, value in fields if name != "antwoord"]
    choices = [value for name, kind, value in fields if name == "antwoord" and kind != "hidden"]
    if not choices:
        raise BenchError("the exercise has no choice inputs named 'antwoord' to answer with")
    return [*data, ("antwoord", choices[0])]


def learner_create(base: str) -> tuple[str, str, str]:
    """Answer the lesson's first exercise as a new visitor; the server then sets the cookie.

    Returns (Cookie header for wrk, signed learner cookie value, path of the exercise step).
    """
    for number in range(1, 100):
        path = LESSON_PATH if number == 1 else f"{LESSON_PATH}stap-{number}/"
        try:
            page = get(base + path)
        except BenchError as error:
            raise BenchError(f"no step with an exercise in {LESSON_PATH}: {error}") from error
        form = parse(page.text)
        if form.has_answer_form:
            break
    csrf = page.cookies.get("csrftoken")
    if not csrf:
        raise BenchError(f"{path} set no csrftoken cookie")
    response = requests.post(
        base + ANSWER_PATH,
        data=answer_fields(form.form_fields),
        headers={"Cookie": f"csrftoken={csrf}"},
        timeout=10,
        allow_redirects=False,
    )
    learner = response.cookies.get("leerder")
    if response.status_code != 302 or not learner:
        raise BenchError(f"POST {ANSWER_PATH} answered {response.status_code} without a learner")
    cookie = f"leerder={learner}; csrftoken={csrf}"
    # The server must know this learner now: /mijn/ offers to forget the device only then.
    if FORGET_DEVICE_PATH not in get(base + MY_LEARNING_PATH, cookie).text:
        raise BenchError("the learner cookie was set but the server does not recognise it")
    return cookie, learner, path


# --- load: wrk -----------------------------------------------------------------------------


def wrk(url: str, cookie: str | None, script: Path) -> dict:
    """requests/s and latency percentiles (ms) under 10 concurrent connections."""
    options = ["-s", script, *(["-H", f"Cookie: {cookie}"] if cookie else []), url]
    run([executable("wrk"), *WRK_WARMUP, *options], env=dict(os.environ), timeout=60)
    output = run([executable("wrk"), *WRK_LOAD, *options], env=dict(os.environ), timeout=60)
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.MULTILINE)
    line = re.search(r"^BENCH (.*)$", output, re.MULTILINE)
    if not rps or not line:
        raise BenchError(f"could not read wrk's output:\n{output}")
    figures = {key: int(value) for key, value in re.findall(r"(\w+)=(\d+)", line.group(1))}
    errors = sum(figures[key] for key in ("connect", "read", "write", "status", "timeout"))
    if errors:
        raise BenchError(f"wrk {url}: {errors} failed requests (non-2xx/3xx or socket errors)")
    return {
        "rps": float(rps.group(1)),
        **{key: figures[key] / 1000 for key in ("p50", "p95", "p99")},
    }


# --- page weight ---------------------------------------------------------------------------


def size(count: int) -> str:
    return f"{count:,} B ({count / 1024:.1f} KB)"


def page_weight(base: str, path: str, cookie: str) -> list[tuple[str, str]]:
    """HTML + linked CSS + JS of one page: raw, gzip -6 (what a proxy would send), as served.

    Uncompressed bytes are asked with Accept-Encoding: identity. "As served" asks for gzip,
    as a browser does: WhiteNoise sends its precompressed static files, Django sends the HTML
    as is (the app has no GZipMiddleware; a reverse proxy would compress it).
    """
    html = get(base + path, cookie, **{"Accept-Encoding": "identity"})
    page = parse(html.text)
    groups = {"HTML": [html.content], "CSS": [], "JS": []}
    served = len(html.content)
    for kind, links in (("CSS", page.stylesheets), ("JS", page.scripts)):
        for link in links:
            url = urljoin(base + path, link)
            groups[kind].append(get(url, **{"Accept-Encoding": "identity"}).content)
            response = requests.get(
                url, headers={"Accept-Encoding": "gzip"}, timeout=10, stream=True
            )
            served += len(response.raw.read(decode_content=False))
    rows = []
    total_raw = total_gzip = 0
    for kind, bodies in groups.items():
        raw = sum(len(body) for body in bodies)
        packed = sum(len(gzip.compress(body, compresslevel=6)) for body in bodies)
        total_raw, total_gzip = total_raw + raw, total_gzip + packed
        files = "" if kind == "HTML" else f", {len(bodies)} file{'s' * (len(bodies) != 1)}"
        label = f"  {kind}{files}"
        rows.append((label, f"{size(raw)}, gzip {size(packed)}"))
    verdict = "under" if total_raw < PAGE_WEIGHT_TARGET else "OVER"
    rows.append(("  total HTML+CSS+JS, raw", f"{size(total_raw)} - {verdict} the 60 KB target"))
    rows.append(("  total HTML+CSS+JS, gzip -6", size(total_gzip)))
    rows.append(("  total as served (gzip accepted)", size(served)))
    rows.append(("  media elements (not counted)", str(page.media)))
    return rows


# --- SQL queries (second process, dev settings) ---------------------------------------------


def count_queries(learner: str, lesson_path: str) -> None:
    """Runs inside `bench.py --queries`: print query counts per page as one JSON line.

    Each page is requested twice and the second request counted: the first fills per-process
    caches (Wagtail's site root paths), which a long-running server has filled long ago.
    """
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from courses.models import LessonPage

    def queries(path: str, with_learner: bool) -> int:
        client = Client()
        if with_learner:
            client.cookies["leerder"] = learner
        client.get(path)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        if response.status_code != 200:
            raise BenchError(f"GET {path} answered {response.status_code}")
        return len(captured.captured_queries)

    results = [
        ("home page /, anonymous", queries("/", False)),
        ("home page /, learner", queries("/", True)),
        ("module page, anonymous", queries(MODULE_PATH, False)),
        ("module page, learner", queries(MODULE_PATH, True)),
        ("lesson step (exercise), anonymous", queries(lesson_path, False)),
        ("lesson step (exercise), learner with progress", queries(lesson_path, True)),
        (f"{MY_LEARNING_PATH}, learner with 1 lesson started", queries(MY_LEARNING_PATH, True)),
    ]
    # Every step of every lesson, as the learner: the count must not grow with the content,
    # and afterwards /mijn/ has many lessons started (a query per lesson would show here).
    lessons = list(LessonPage.objects.live().order_by("path"))
    counts = [
        queries(lesson.step_url(number), True)
        for lesson in lessons
        for number in range(1, lesson.step_count + 1)
    ]
    results += [
        (
            f"all {len(counts)} lesson steps of {len(lessons)} lessons, learner (min-max)",
            f"{min(counts)}-{max(counts)}",
        ),
        (
            f"{MY_LEARNING_PATH}, learner with {len(lessons)} lessons started",
            queries(MY_LEARNING_PATH, True),
        ),
    ]
    print(QUERIES_MARKER + json.dumps(results))


# --- fresh set-up (--fresh) ----------------------------------------------------------------


def fresh_setup() -> list[tuple[str, str]]:
    """`make run` in a new clone: install, migrate, seed, serve; timed to the first 200.

    The steps are those of the Makefile's `run` target, with runserver on a free port
    instead of 8000. pip's and npm's download caches on this machine are not cleared.
    """
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "DATABASE_URL",
            "DJANGO_SETTINGS_MODULE",
            "STATIC_ROOT",
            "MEDIA_ROOT",
            "SECRET_KEY",
            "REDIS_URL",
            "VIRTUAL_ENV",
        }
    }
    # A fresh shell has no virtualenv on PATH; `make install` must build its own.
    env["PATH"] = os.pathsep.join(
        entry
        for entry in env.get("PATH", "").split(os.pathsep)
        if not (Path(entry) / "activate").exists()
    )
    port = free_port()
    timings = []
    with tempfile.TemporaryDirectory(prefix="bench-fresh-") as temp:
        clone = Path(temp) / "clone"
        python = clone / ".venv" / "bin" / "python"
        began = lap = time.monotonic()
        steps = [
            ("git clone", [executable("git"), "clone", "--quiet", ROOT, clone], ROOT),
            ("make install", [executable("make"), "install"], clone),
            ("migrate", [python, "manage.py", "migrate", "--noinput"], clone),
            ("seed_demo --accounts", [python, "manage.py", "seed_demo", "--accounts"], clone),
        ]
        for label, command, cwd in steps:
            run(command, env=env, cwd=cwd, timeout=1800)
            now = time.monotonic()
            timings.append((f"  {label}", f"{now - lap:.1f} s"))
            lap = now
        log = Path(temp) / "runserver.log"
        server = start(
            [python, "manage.py", "runserver", f"127.0.0.1:{port}"], env=env, cwd=clone, log=log
        )
        try:
            wait_until_up(f"http://127.0.0.1:{port}/", server, log)
            now = time.monotonic()  # before stopping: shutting down is not part of set-up
        finally:
            stop(server)
        timings.append(("  runserver until / answers 200", f"{now - lap:.1f} s"))
    return [("fresh clone to first answered request", f"{now - began:.1f} s"), *timings]


# --- the run -------------------------------------------------------------------------------


def git_commit() -> str:
    env = dict(os.environ)
    commit = run([executable("git"), "rev-parse", "--short", "HEAD"], env=env).strip()
    dirty = run([executable("git"), "status", "--porcelain", "--untracked-files=no"], env=env)
    return commit + (" (with uncommitted changes)" if dirty.strip() else "")


def benchmark(rows: list[tuple[str, str]], fresh: bool) -> None:
    """Fill ``rows`` as it goes, so that a failure still shows what was measured."""
    rows += [
        ("date (UTC)", datetime.now(UTC).strftime("%Y-%m-%d %H:%M")),
        ("git commit", git_commit()),
        ("CPUs / Python", f"{os.cpu_count()} / {sys.version.split()[0]}"),
        # Other work on the machine takes CPU from gunicorn and wrk: say how busy it was.
        ("load average before the run (1 min)", f"{os.getloadavg()[0]:.2f}"),
    ]
    env = base_env(secret_key=secrets.token_urlsafe(50))
    dev = {**env, "DJANGO_SETTINGS_MODULE": "config.settings.dev"}
    production = {
        **env,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",  # no TLS in front of gunicorn here
        "STATIC_ROOT": str(STATIC_ROOT),
    }

    # A fresh database each run, so figures never depend on earlier runs.
    VAR.mkdir(exist_ok=True)
    for leftover in (DB_PATH, Path(f"{DB_PATH}-wal"), Path(f"{DB_PATH}-shm")):
        leftover.unlink(missing_ok=True)
    shutil.rmtree(STATIC_ROOT, ignore_errors=True)
    run([PYTHON, "manage.py", "migrate", "--noinput"], env=dev)
    run([PYTHON, "manage.py", "seed_demo"], env=dev)
    # Production storage serves hashed, precompressed files from a manifest: collect them.
    run([PYTHON, "manage.py", "collectstatic", "--noinput"], env=production)

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start(
        [PYTHON, "-m", "gunicorn", "config.wsgi", "-w", "2", "-b", f"127.0.0.1:{port}"],
        env=production,
        cwd=ROOT,
        log=SERVER_LOG,
    )
    with tempfile.NamedTemporaryFile("w", suffix=".lua", prefix="bench-") as script:
        script.write(WRK_SCRIPT)
        script.flush()
        try:
            wait_until_up(base + "/", server, SERVER_LOG)
            cookie, learner, lesson_path = learner_create(base)
            rows.append(("load: wrk -t2 -c10 -d10s, gunicorn -w 2, production settings", ""))
            targets = [
                ("home page /, anonymous", "/", None),
                ("home page /, learner", "/", cookie),
                ("lesson step (exercise), learner", lesson_path, cookie),
            ]
            for label, path, target_cookie in targets:
                get(base + path, target_cookie)  # must be a 200, not a redirect or an error
                figures = wrk(base + path, target_cookie, Path(script.name))
                rows.append(
                    (
                        f"  {label}",
                        f"{figures['rps']:.0f} req/s, median {figures['p50']:.1f} ms, "
                        f"p95 {figures['p95']:.1f} ms, p99 {figures['p99']:.1f} ms",
                    )
                )
            rows.append(("page weight: lesson step (exercise), learner", lesson_path))
            rows += page_weight(base, lesson_path, cookie)
        finally:
            stop(server)

    output = run(
        [PYTHON, __file__, "--queries", "--learner", learner, "--lesson-path", lesson_path],
        env=dev,
    )
    lines = [line for line in output.splitlines() if line.startswith(QUERIES_MARKER)]
    if not lines:
        raise BenchError(f"the query counter printed no result:\n{output}")
    rows.append(("SQL queries per request (dev settings, warm)", ""))
    rows += [
        (f"  {label}", str(count))
        for label, count in json.loads(lines[-1].removeprefix(QUERIES_MARKER))
    ]

    if fresh:
        rows += fresh_setup()
    else:
        rows.append(("fresh clone to first answered request", "not measured (use --fresh)"))


def table(rows: list[tuple[str, str]]) -> str:
    width = max(len(label) for label, _value in rows)
    lines = [f"{'metric':<{width}} | value", f"{'-' * width}-|-{'-' * 40}"]
    lines += [f"{label:<{width}} | {value}" for label, value in rows]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fresh", action="store_true", help="also time a fresh clone's set-up")
    parser.add_argument("--queries", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--learner", help=argparse.SUPPRESS)
    parser.add_argument("--lesson-path", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.queries:
        count_queries(args.learner, args.lesson_path)
        return 0

    rows: list[tuple[str, str]] = []
    failure = None
    try:
        benchmark(rows, fresh=args.fresh)
    except (BenchError, requests.RequestException, subprocess.TimeoutExpired) as error:
        failure = error
    print(table(rows or [("nothing measured", "")]))
    if failure is not None:
        print(f"\nFAILED: {failure}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
