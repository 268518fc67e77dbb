"""Performance figures for docs/benchmarks.md. Run with `make bench`; add `--fresh` for set-up time.

In order:

1. a throwaway SQLite database, var/bench.sqlite3, migrated and loaded with the demo modules
   and the demo catalogue (`seed_demo`, `seed_catalogue`; dev settings, as `make run` does);
2. certificates, in a process of their own (`--certificates`, dev settings): a learner
   completes a demo module and gets its certificate; the certificate PDF and the skills
   overview PDF are rendered and timed in-process, and the verification page's own cost is
   timed with Django's test Client and the rate limit raised;
3. learning cards, Digipunten and digihelpers, in three processes of their own (dev
   settings): 100 logins with a learning card through the test Client (`--cards`); the
   catalogue filled up to 200 Digipunten and 2,000 upcoming visits, and the queries of
   /hulp/ counted (`--catalogue`); the queries of /helpers/ with 5 and with 500 learners
   under mandate (`--helpers`);
   the partner catalogue, in a process of its own (`--catalogue-import`, dev settings): a
   generated file of 10,000 rows imported for a new organisation (preview, apply, the same
   file previewed again), then the queries, size and time in-process of /verder-leren/
   (without and with filters, with a search word) and /zoeken/; the entries stay;
4. gunicorn with two workers under the production settings, static files collected and served
   by WhiteNoise exactly as in production (only TLS is left out);
5. an anonymous learner made over HTTP the way a browser makes one: by answering an exercise;
6. wrk: requests per second and latency (median, 95th and 99th percentile) for three pages
   (beside a bare Wagtail site made with ``wagtail start`` and served the same way, measured
   before and after them: the lesson step's share of its requests per second is printed)
   and /hulp/ with and without filters, for /verder-leren/ and /zoeken/ with the 10,000
   imported entries (the unfiltered /verder-leren/ also as a share of the lesson step's),
   and for the verification page of the certificate from step 2 as it is: rate limited;
7. the weight of a lesson step page: its HTML plus every stylesheet and script it links;
   then 50 learning-card logins over HTTP, the size of /hulp/, one GET of the visits feed
   and two GETs of each export of /verder-leren/ (JSON-LD, CSV, iCalendar: made, then
   cached);
8. SQL queries per page, counted in a second process (`--queries`) under the dev settings;
9. with `--fresh`: the time from `git clone` to the first page served by `make run`'s steps.

Nothing outside var/bench* and a temporary directory is written; every server this script
starts is stopped again, also when a step fails. The exit code is non-zero if anything failed.
"""

import argparse
import csv
import gzip
import io
import json
import math
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import requests

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"
DB_PATH = VAR / "bench.sqlite3"
STATIC_ROOT = VAR / "bench-static"
SERVER_LOG = VAR / "bench-gunicorn.log"
# A bare Wagtail site from Wagtail's own project template, served the same way in the same
# run: the yardstick for the lesson step (issue 17: at least 60 % of its requests/s).
BARE_DIR = VAR / "bench-bare"
BARE_LOG = VAR / "bench-bare-gunicorn.log"
BARE_TARGET = 0.60
BARE_CONN_MAX_AGE = 60  # seconds, as config/settings/base.py
PYTHON = sys.executable  # `make bench` runs this file with the project's virtualenv

MODULE_PATH = "/modules/je-eid-kaartlezer-en-pincode/"
LESSON_PATH = MODULE_PATH + "wat-heb-je-nodig/"
ANSWER_PATH = "/leren/antwoord/"
# The lesson whose last step is the Oefenbank (courses/demo_content/03_betalen.toml).
SANDBOX_LESSON_PATH = "/modules/betalen-met-je-smartphone/een-betaling-bevestigen/"
SANDBOX_PREFIX = "/leren/oefenapp/"
MY_LEARNING_PATH = "/mijn/"
FORGET_DEVICE_PATH = "/mijn/vergeet-dit-toestel/"  # only on /mijn/ when a learner is known

WRK_LOAD = ["-t2", "-c10", "-d10s", "--latency"]
WRK_WARMUP = ["-t2", "-c10", "-d2s"]  # load templates and open connections before measuring
PAGE_WEIGHT_TARGET = 60 * 1024
QUERIES_MARKER = "BENCH-QUERIES "
CERTIFICATES_MARKER = "BENCH-CERTIFICATES "
VERIFY_PATH = "/certificaten/controle/{code}/"

# Certificates (`--certificates`): the demo module a learner completes, the name printed on
# the certificate, how often each thing is timed, and the target for one warm PDF render.
CERTIFICATE_MODULE = "je-eid-kaartlezer-en-pincode"
CERTIFICATE_NAME = "Marie Peeters"
CERTIFICATE_RENDERS = 20  # after the first render, which is timed on its own
SKILLS_RENDERS = 10
VERIFY_REQUESTS = 200
PDF_TARGET_MS = 100
# "Mijn digitale vaardigheden" with every module of the plan completed: the 13 modules under
# "Modules to cover" in the design's DOMAIN.md, with their DigComp 2.2 competences. Levels
# are those of the demo modules where one exists, otherwise 1 or 2; dates are one week apart.
SKILLS_MODULES = [
    ("Je smartphone: de eerste stappen", ["5.1", "4.1"], 1),
    ("Je eID, kaartlezer en pincode", ["2.6", "5.1"], 1),
    ("itsme installeren en gebruiken", ["2.6", "4.2"], 2),
    ("Inloggen bij de overheid: Mijn Burgerprofiel", ["2.3", "2.6"], 2),
    ("Je belastingaangifte met Tax-on-web", ["2.3", "1.3"], 2),
    ("Post van de overheid: My eBox", ["2.3", "1.3"], 2),
    ("Betalen met je smartphone", ["2.3", "4.2"], 2),
    ("Veilig online: herken oplichting", ["4.2", "4.1"], 1),
    ("Je gezondheid online", ["2.3", "4.2"], 2),
    ("Op stap met trein en bus", ["2.3", "1.1"], 1),
    ("Een afspraak maken bij je gemeente", ["2.3", "1.1"], 1),
    ("Zoeken en checken: is dit echt?", ["1.1", "1.2"], 1),
    ("Verder leren: vind een cursus", ["5.4"], 1),
]

# Learning cards, Digipunten and digihelpers (`--cards`, `--catalogue`, `--helpers`): one
# process each under the dev settings, before gunicorn starts, each printing one JSON line.
CARDS_MARKER = "BENCH-CARDS "
CATALOGUE_MARKER = "BENCH-CATALOGUE "
HELPERS_MARKER = "BENCH-HELPERS "
CARD_LOGIN_PATH = "/leerkaart/"
CARD_LOGINS = 100  # in-process, after one untimed login
CARD_LOGINS_HTTP = 50  # against gunicorn, one after the other
HELP_PATH = "/hulp/"
HELP_FILTERED_PATH = "/hulp/?gemeente=ieper&hulp=eid"  # the GET form's field names
VISITS_FEED_PATH = "/hulp/bezoeken.ics"
DIGIPUNTEN_TARGET = 200  # demo Digipunten plus synthetic ones up to this number
VISITS_TARGET = 2000  # upcoming visits, demo and synthetic
VISITS_SPREAD_DAYS = 59  # synthetic visits fall on the next 59 days: inside the 60-day window
HELPERS_PATH = "/helpers/"
HELPER_LEARNERS = (5, 500)  # learners under mandate when /helpers/ is counted
HELPER_PAGE_REQUESTS = 10
CATALOGUE_PAGE_REQUESTS = 10  # in-process, per page: the page's own cost, without wrk

# The partner catalogue (`--catalogue-import`): one generated file of IMPORT_ROWS rows for
# one organisation made for the bench, imported as the command line does (user=None, so
# published), then /verder-leren/, the search and the exports with those entries.
CATALOGUE_IMPORT_MARKER = "BENCH-CATALOGUE-IMPORT "
IMPORT_ROWS = 10_000
IMPORT_TARGET_S = 30  # preview + apply of IMPORT_ROWS rows
IMPORT_ORGANISATION = "Bench Vormingscentrum Westhoek"
IMPORT_FILENAME = "bench-aanbod.csv"
NEXT_STEPS_PATH = "/verder-leren/"
NEXT_STEPS_PLACE_PATH = "/verder-leren/?gemeente=ieper"
NEXT_STEPS_FREE_PATH = "/verder-leren/?prijs=gratis&soort=workshop"
SEARCH_WORD = "pincode"  # in the summaries of two of the generated topics, in no title
SEARCH_PATH = f"/zoeken/?q={SEARCH_WORD}"
NEXT_STEPS_SEARCH_PATH = f"/verder-leren/?zoek={SEARCH_WORD}"
NEXT_STEPS_PAGES = (NEXT_STEPS_PLACE_PATH, NEXT_STEPS_FREE_PATH)
SEARCH_PAGES = (SEARCH_PATH, NEXT_STEPS_SEARCH_PATH)
SEARCH_REQUESTS = 30  # in-process, per search page
EXPORT_PATHS = (
    "/verder-leren/aanbod.jsonld",
    "/verder-leren/aanbod.csv",
    "/verder-leren/aanbod.ics",
)
EXPORT_TIMEOUT_S = 120
# Issue 17: /verder-leren/ with 10,000 entries, at least half the lesson step's requests/s.
NEXT_STEPS_TARGET = 0.50
# Issue 17: a full export answers in under a second once it has been made (cached).
EXPORT_CACHED_TARGET_S = 1.0
CATALOGUE_WRK_TIMEOUT = "10s"  # wrk's own default, 2 s, would fail the run on a busy machine
# What the generated rows are about: (title, summary, kind as partners write it, DigComp
# codes, level). The summaries are in easy Dutch, like the demo files; SEARCH_WORD is in the
# summaries of the second and the ninth topic only.
IMPORT_TOPICS = [
    (
        "Digitaal Café: vragen over je smartphone",
        "Heb je een vraag over je smartphone of tablet? Kom naar het Digitaal Café. "
        "Een vrijwilliger helpt je. Neem je toestel en je oplader mee.",
        "workshop",
        "5.1, 2.1",
        "1",
    ),
    (
        "Je eID op de computer",
        "Wat doe je met je eID op de computer? Je leert je kaartlezer gebruiken. Je leert "
        "wat je doet als je je pincode kwijt bent.",
        "workshop",
        "2.6",
        "1",
    ),
    (
        "Computer voor beginners",
        "Je leert werken met de muis en het toetsenbord. Je maakt een map en je bewaart je "
        "bestanden. Je hebt geen computer nodig: wij hebben er.",
        "cursus",
        "5.1, 1.3",
        "1",
    ),
    (
        "Veilig online: herken oplichting",
        "Valse berichten, nepwinkels en phishing: je leert ze herkennen. Je leert wat je "
        "doet als je toch op een link hebt geklikt.",
        "workshop",
        "4.2, 4.1",
        "2",
    ),
    (
        "Betalen met je smartphone",
        "Je leert betalen met een app van je bank. Je leert een overschrijving doen en een "
        "QR-code scannen. Veilig, stap voor stap.",
        "workshop",
        "2.3, 4.2",
        "2",
    ),
    (
        "Digimoment",
        "Heb je een vraag over je computer, smartphone of tablet? Kom naar het digimoment. "
        "Een digihelper helpt je. Inschrijven hoeft niet.",
        "digimoment",
        "5.1, 5.2",
        "",
    ),
    (
        "Laptop lenen",
        "Heb je thuis geen computer? Je leent een laptop voor vier weken. Je krijgt uitleg "
        "bij het ophalen. Neem je identiteitskaart mee.",
        "lenen",
        "5.1",
        "",
    ),
    (
        "Foto's op je smartphone",
        "Je neemt veel foto's. Waar staan ze? Je leert foto's bekijken, delen en bewaren. "
        "Je leert ook foto's wissen.",
        "workshop",
        "3.1, 1.3",
        "1",
    ),
    (
        "Inloggen bij de overheid",
        "Je leert inloggen bij Mijn Burgerprofiel met itsme, of met je eID, kaartlezer en "
        "pincode. Je leest je post in My eBox.",
        "cursus",
        "2.3, 2.6",
        "2",
    ),
    (
        "Tax-on-web: je belastingaangifte",
        "Je doet je belastingaangifte samen met een vrijwilliger. Je leert wat er al is "
        "ingevuld en wat je zelf moet nakijken.",
        "workshop",
        "2.3, 1.3",
        "2",
    ),
    (
        "Videobellen met je familie",
        "Je leert videobellen met je kleinkinderen of je familie in het buitenland. Met "
        "WhatsApp of Teams, op je smartphone of tablet.",
        "workshop",
        "2.1",
        "1",
    ),
    (
        "Op stap met trein en bus",
        "Je zoekt een reis op in de app van De Lijn of de NMBS. Je koopt een ticket op je "
        "smartphone en je toont het op de bus.",
        "cursus",
        "2.3, 1.1",
        "1",
    ),
    (
        "Tablet lenen",
        "Je leent een tablet voor twee weken. Er staan al apps op om te leren. Een "
        "digihelper toont je hoe het werkt.",
        "lenen",
        "5.1",
        "",
    ),
]
# Where: (digipunt, address, municipality, online). Digipunten and municipalities as
# seed_catalogue makes them; three places in Ieper, one online.
IMPORT_PLACES = [
    ("Bibliotheek Ieper", "", "", "nee"),
    ("LDC Ieper", "", "", "nee"),
    ("", "Grote Markt 34", "Ieper", "nee"),
    ("Bibliotheek Poperinge", "", "", "nee"),
    ("Sociaal huis Poperinge", "", "", "nee"),
    ("", "Grote Markt 6", "Diksmuide", "nee"),
    ("LDC Veurne", "", "", "nee"),
    ("Bibliotheek Wervik", "", "", "nee"),
    ("Bibliotheek Koksijde", "", "", "nee"),
    ("", "", "", "ja"),
    ("LDC Nieuwpoort", "", "", "nee"),
]
IMPORT_HOURS = [("09:30", "11:30"), ("14:00", "16:00"), ("19:00", "21:00"), ("9u30", "12u")]
IMPORT_PRICES = ["gratis", "gratis", "gratis", "5,00", "12,50", "€ 7,50", "25"]

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
  if status_line then io.write(status_line()) end
end
"""
# Added in front of WRK_SCRIPT where the answers are not all 2xx (the rate-limited verification
# page): counts the responses per HTTP status in each thread and adds them up at the end, as
# "BENCH-STATUS 200=59 429=1234". Only used there: the response() callback costs wrk a little.
WRK_STATUS_SCRIPT = """
local threads = {}
setup = function(thread) table.insert(threads, thread) end
init = function(args) statuses = {} end
response = function(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end
status_line = function()
  local total, parts = {}, {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do total[status] = (total[status] or 0) + n end
  end
  for status, n in pairs(total) do table.insert(parts, string.format("%d=%d", status, n)) end
  return "BENCH-STATUS " .. table.concat(parts, " ") .. "\\n"
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


def redis_start(production: dict) -> tuple[subprocess.Popen | None, dict]:
    """A throwaway Redis (no persistence) for the app server's cache and sessions, when
    ``redis-server`` is installed; returns the process and the app server's environment."""
    binary = shutil.which("redis-server") or (
        "/usr/bin/redis-server" if Path("/usr/bin/redis-server").exists() else None
    )
    if binary is None:
        return None, production
    port = free_port()
    process = start(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        env=production,
        cwd=VAR,
        log=VAR / "bench-redis.log",
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.1)
    else:
        stop(process)
        raise BenchError("redis-server did not start; see var/bench-redis.log")
    served = {key: value for key, value in production.items() if key != "SHARED_CACHE"}
    return process, {**served, "REDIS_URL": f"redis://127.0.0.1:{port}/0"}


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


def bare_wagtail_start(env: dict) -> tuple[subprocess.Popen, str]:
    """``wagtail start`` (no network: the template ships with Wagtail), its own SQLite
    database, its production settings with a secret and hosts in ``local.py``, static
    files collected, and gunicorn with two workers: the same server as ours."""
    shutil.rmtree(BARE_DIR, ignore_errors=True)
    BARE_DIR.mkdir(parents=True)
    run([str(Path(PYTHON).with_name("wagtail")), "start", "bare", str(BARE_DIR)], env=env)
    # Like for like: ours keeps its database connection between requests (CONN_MAX_AGE, on
    # SQLite as on PostgreSQL), so the bare site does too. As `wagtail start` makes it, it
    # opens SQLite again for every request, which cost it about a quarter of its throughput.
    (BARE_DIR / "bare" / "settings" / "local.py").write_text(
        f"SECRET_KEY = {secrets.token_urlsafe(50)!r}\nALLOWED_HOSTS = ['127.0.0.1', 'localhost']\n"
        "from .base import DATABASES\n"
        f"DATABASES['default']['CONN_MAX_AGE'] = {BARE_CONN_MAX_AGE}\n"
    )
    bare_env = {
        key: value for key, value in env.items() if key not in ("DATABASE_URL", "REDIS_URL")
    }
    bare_env["DJANGO_SETTINGS_MODULE"] = "bare.settings.production"
    run([PYTHON, "manage.py", "migrate", "--noinput"], env=bare_env, cwd=BARE_DIR)
    run([PYTHON, "manage.py", "collectstatic", "--noinput"], env=bare_env, cwd=BARE_DIR)
    port = free_port()
    command = [PYTHON, "-m", "gunicorn", "bare.wsgi", "-w", "2", "-b", f"127.0.0.1:{port}"]
    server = start(command, env=bare_env, cwd=BARE_DIR, log=BARE_LOG)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + "/", server, BARE_LOG)
    except BenchError:
        stop(server)
        raise
    return server, base


def throwaway_badge_keys() -> dict[str, str]:
    """New badge keys in PEM: production settings require BADGE_SIGNING_KEY (Ed25519) and
    BADGE_RSA_SIGNING_KEY (RSA, signs RS256) to start.

    Empty where cryptography is not installed; production settings then say what is missing.
    """
    try:
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import rsa
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    except ImportError:
        return {}
    keys = {
        "BADGE_SIGNING_KEY": Ed25519PrivateKey.generate(),
        "BADGE_RSA_SIGNING_KEY": rsa.generate_private_key(public_exponent=65537, key_size=2048),
    }
    return {
        name: key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode()
        for name, key in keys.items()
    }


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
    env.update(throwaway_badge_keys())
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


def wrk(
    url: str,
    cookie: str | None,
    script: Path,
    *,
    rate_limited: bool = False,
    timeout: str | None = None,
) -> dict:
    """requests/s and latency percentiles (ms) under 10 concurrent connections.

    ``rate_limited``: the page answers 429 once a client has asked too often. There is no
    warm-up (it would use up the allowance before the measurement), answers that are not 2xx
    are counted per status instead of failing the run (``script`` must then count them, see
    WRK_STATUS_SCRIPT), and ``requests`` and ``statuses`` are returned as well.

    ``timeout``: wrk's --timeout (its default is 2 s; a slower answer counts as an error and
    is left out of the latencies). Given for the slowest pages, so that a busy machine makes
    them slower in the figures instead of failing the run.
    """
    options = [
        "-s",
        script,
        *(["--timeout", timeout] if timeout else []),
        *(["-H", f"Cookie: {cookie}"] if cookie else []),
        url,
    ]
    if not rate_limited:
        run([executable("wrk"), *WRK_WARMUP, *options], env=dict(os.environ), timeout=60)
    output = run([executable("wrk"), *WRK_LOAD, *options], env=dict(os.environ), timeout=60)
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.MULTILINE)
    line = re.search(r"^BENCH (.*)$", output, re.MULTILINE)
    total = re.search(r"^\s*(\d+) requests in ", output, re.MULTILINE)
    if not rps or not line or not total:
        raise BenchError(f"could not read wrk's output:\n{output}")
    figures = {key: int(value) for key, value in re.findall(r"(\w+)=(\d+)", line.group(1))}
    failed = ["connect", "read", "write", "timeout", *([] if rate_limited else ["status"])]
    errors = sum(figures[key] for key in failed)
    if errors:
        raise BenchError(f"wrk {url}: {errors} failed requests (non-2xx/3xx or socket errors)")
    result = {
        "rps": float(rps.group(1)),
        "requests": int(total.group(1)),
        **{key: figures[key] / 1000 for key in ("p50", "p95", "p99")},
    }
    if rate_limited:
        counts = re.search(r"^BENCH-STATUS (.*)$", output, re.MULTILINE)
        if not counts:
            raise BenchError(f"wrk printed no counts per status (script?):\n{output}")
        result["statuses"] = {
            int(status): int(n) for status, n in re.findall(r"(\d+)=(\d+)", counts.group(1))
        }
    return result


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


class FormsParser(HTMLParser):
    """Every form of a page: its action and its inputs (name -> value)."""

    def __init__(self):
        super().__init__()
        self.forms: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.forms.append((attributes.get("action", ""), {}))
        elif tag == "input" and self.forms and attributes.get("type") == "hidden":
            self.forms[-1][1][attributes.get("name", "")] = attributes.get("value", "")


def sandbox_form(html: str, action: str) -> tuple[str, dict[str, str]]:
    """(address, hidden fields) of the sandbox form whose "actie" is ``action``."""
    parser = FormsParser()
    parser.feed(html)
    for url, fields in parser.forms:
        if url.startswith(SANDBOX_PREFIX) and fields.get("actie") == action:
            return url, fields
    raise BenchError(f"no sandbox form with actie={action!r} on the page")


def sandbox_weight(base: str, cookie: str) -> list[tuple[str, str]]:
    """Weight of the Oefenbank's screens (issue 18): the learner starts it from the lesson
    and goes the right way (the scenario's ``right_walk``) to the login, the transfer and
    the confirm screen, where oefen-itsme is a second phone frame beside the bank."""
    for number in range(1, 30):
        path = SANDBOX_LESSON_PATH if number == 1 else f"{SANDBOX_LESSON_PATH}stap-{number}/"
        page = get(base + path, cookie)
        if SANDBOX_PREFIX in page.text:
            break
    else:
        raise BenchError(f"no Oefenbank in {SANDBOX_LESSON_PATH}")
    csrf = re.search(r"csrftoken=([^;]+)", cookie).group(1)

    def post(html: str, action: str, values: dict) -> str:
        url, fields = sandbox_form(html, action)
        response = requests.post(
            base + url,
            data={**fields, **values},
            headers={"Cookie": cookie, "X-CSRFToken": csrf, "Referer": base + url},
            timeout=10,
            allow_redirects=False,
        )
        if response.status_code != 302:
            raise BenchError(f"POST {url} ({action}) answered {response.status_code}")
        return get(base + url.split("#")[0], cookie).text

    # A learner who started before goes in by the link, and starts over.
    started = re.search(rf'href="({SANDBOX_PREFIX}[^"#]+)', page.text)
    html = get(base + started.group(1), cookie).text if started else post(page.text, "start", {})
    if 'value="reset"' in html:
        html = post(html, "reset", {})
    rows = []
    walk = {  # the forms of oefenbank.right_walk, by the screen each one leaves
        "login": ("login", {"code": "2468 1357"}),
        "account": ("new_transfer", {}),
        "transfer": (
            "check_transfer",
            {
                "name": "Energie Westhoek",
                "iban": "BE74 9990 0000 3407",
                "amount": "48,75",
                "message_kind": "structured",
                "message": "+++202/6120/40118+++",
            },
        ),
    }
    url = sandbox_form(html, "login")[0].split("#")[0]
    for screen in ("login", "account", "transfer", "confirm"):
        weight = page_weight(base, url, cookie)
        total = dict(weight)
        rows.append(
            (
                f"page weight: Oefenbank, {screen} screen",
                f"{total['  total HTML+CSS+JS, raw'].split(' - ')[0]}, "
                f"gzip -6 {total['  total HTML+CSS+JS, gzip -6']}",
            )
        )
        if screen in walk:
            action, values = walk[screen]
            html = post(html, action, values)
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
    lessons = list(LessonPage.objects.live_dutch().order_by("path"))
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


# --- certificates (second process, dev settings) --------------------------------------------


def percentile(values: list[float], share: int) -> float:
    """Nearest rank: the smallest value with at least ``share`` percent of values at or below."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(len(ordered) * share / 100) - 1)]


def timings_ms(function, times: int) -> list[float]:
    result = []
    for _ in range(times):
        began = time.perf_counter()
        function()
        result.append((time.perf_counter() - began) * 1000)
    return result


def measure_certificates() -> None:
    """Runs inside `bench.py --certificates`: print the certificate figures as one JSON line.

    Writes to the bench database only: a learner who completed CERTIFICATE_MODULE through
    the services, as the answer form would, and that learner's certificate, whose code the
    parent then verifies under wrk. The badge keys come from BADGE_SIGNING_KEY and
    BADGE_RSA_SIGNING_KEY (base_env); the key file settings point into a temporary directory
    all the same, so nothing is ever written to var/.
    """
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.http import QueryDict
    from django.test import Client, override_settings

    from certificates import pdf, services
    from courses.models import ModulePage
    from learning.services import attempt_record, learner_create

    with tempfile.TemporaryDirectory(prefix="bench-badge-") as temp:
        settings.BADGE_SIGNING_KEY_FILE = Path(temp) / "badge-signing-key.pem"
        settings.BADGE_RSA_SIGNING_KEY_FILE = Path(temp) / "badge-rsa-signing-key.pem"

        learner = learner_create()
        module = ModulePage.objects.live_dutch().get(slug=CERTIFICATE_MODULE)
        for lesson in module.lessons():
            for block_id, (_step, exercise) in lesson.exercises.items():
                form = QueryDict(mutable=True)
                form.setlist("antwoord", exercise.block.right_answer(exercise.value))
                attempt_record(
                    learner=learner,
                    lesson=lesson,
                    block_id=block_id,
                    answer=exercise.block.parse_answer(exercise.value, form),
                    attempt_id=uuid.uuid4(),
                )
        certificate = services.certificate_issue(
            learner=learner, module=module, name_printed=CERTIFICATE_NAME
        )

        # The first render in this process also imports WeasyPrint (Pango, HarfBuzz) and
        # loads the fonts: what the first certificate after a deploy costs.
        began = time.perf_counter()
        content = pdf.certificate_pdf_render(certificate)
        first = (time.perf_counter() - began) * 1000
        renders = timings_ms(lambda: pdf.certificate_pdf_render(certificate), CERTIFICATE_RENDERS)

        start_date = datetime(2026, 9, 1, 10, 0, tzinfo=UTC)
        completed = [
            {
                "title": title,
                "competences": competences,
                "level": level,
                "completed_at": start_date + timedelta(weeks=number),
            }
            for number, (title, competences, level) in enumerate(SKILLS_MODULES)
        ]
        overview = pdf.skills_overview_pdf(completed=completed, name=CERTIFICATE_NAME)
        skills = timings_ms(
            lambda: pdf.skills_overview_pdf(completed=completed, name=CERTIFICATE_NAME),
            SKILLS_RENDERS,
        )

        # The cost of the verification page itself: the limit of VERIFY_RATE_LIMIT_PER_MINUTE
        # lookups per client address would otherwise answer 429 after the first few.
        path = VERIFY_PATH.format(code=certificate.display_code)
        client = Client()
        with override_settings(VERIFY_RATE_LIMIT_PER_MINUTE=10**9):

            def verify():
                response = client.get(path)
                if response.status_code != 200:
                    raise BenchError(f"GET {path} answered {response.status_code}")

            verify()  # warm-up: templates, URL resolver
            began = time.perf_counter()
            pages = timings_ms(verify, VERIFY_REQUESTS)
            elapsed = time.perf_counter() - began

    figures = {
        "display_code": certificate.display_code,
        "rate_limit": settings.VERIFY_RATE_LIMIT_PER_MINUTE,
        "pdf_first_ms": first,
        "pdf_median_ms": statistics.median(renders),
        "pdf_p95_ms": percentile(renders, 95),
        "pdf_bytes": len(content),
        "skills_median_ms": statistics.median(skills),
        "skills_max_ms": max(skills),
        "skills_bytes": len(overview),
        "verify_median_ms": statistics.median(pages),
        "verify_p95_ms": percentile(pages, 95),
        "verify_rps": VERIFY_REQUESTS / elapsed,
    }
    print(CERTIFICATES_MARKER + json.dumps(figures))


def certificate_rows(figures: dict) -> list[tuple[str, str]]:
    verdict = "under" if figures["pdf_median_ms"] <= PDF_TARGET_MS else "OVER"
    return [
        ("certificates (in-process, dev settings, `--certificates`)", ""),
        (
            "  certificate PDF, first render in the process",
            f"{figures['pdf_first_ms']:.0f} ms (includes importing WeasyPrint)",
        ),
        (
            f"  certificate PDF, next {CERTIFICATE_RENDERS} renders",
            f"median {figures['pdf_median_ms']:.1f} ms, p95 {figures['pdf_p95_ms']:.1f} ms"
            f" - {verdict} the {PDF_TARGET_MS} ms target",
        ),
        ("  certificate PDF, size", size(figures["pdf_bytes"])),
        (
            f"  skills overview PDF, {len(SKILLS_MODULES)} modules, {SKILLS_RENDERS} renders",
            f"median {figures['skills_median_ms']:.1f} ms, "
            f"slowest {figures['skills_max_ms']:.1f} ms",
        ),
        ("  skills overview PDF, size", size(figures["skills_bytes"])),
        (
            f"  verification page, page cost only: test Client, {VERIFY_REQUESTS} requests, "
            "limit raised",
            f"{figures['verify_rps']:.0f} req/s (1 thread), "
            f"median {figures['verify_median_ms']:.1f} ms, p95 {figures['verify_p95_ms']:.1f} ms",
        ),
    ]


# --- learning cards, Digipunten, digihelpers (second processes, dev settings) ---------------


def django_setup() -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def counted_get(client, path: str) -> tuple[int, bytes]:
    """Queries of the second of two GETs (the first fills per-process caches), and the body."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    if response.status_code != 200:
        raise BenchError(f"GET {path} answered {response.status_code}")
    return len(captured.captured_queries), response.content


def measure_cards() -> None:
    """Runs inside `bench.py --cards`: log in with a learning card, in-process, many times.

    Each login is what a browser without cookies does: GET the form (the CSRF cookie),
    POST the code as printed on the card, expect a redirect to /mijn/. Only the POST is
    timed. CSRF checks are on, as in a browser. Then a second card is issued, for the
    parent's logins over HTTP, and its code goes into the JSON line.
    """
    django_setup()
    from django.test import Client

    from learning.models import Learner
    from learning.services.cards import learning_card_issue
    from toolkit import codes

    def login(code: str) -> float:
        client = Client(enforce_csrf_checks=True)  # a fresh session each time
        page = client.get(CARD_LOGIN_PATH)
        token = client.cookies.get("csrftoken")
        if page.status_code != 200 or token is None:
            raise BenchError(f"GET {CARD_LOGIN_PATH}: {page.status_code}, no csrftoken cookie")
        began = time.perf_counter()
        response = client.post(
            CARD_LOGIN_PATH, {"code": codes.display(code), "csrfmiddlewaretoken": token.value}
        )
        elapsed = (time.perf_counter() - began) * 1000
        if response.status_code != 302 or response["Location"] != MY_LEARNING_PATH:
            raise BenchError(
                f"POST {CARD_LOGIN_PATH} answered {response.status_code} "
                f"{response.get('Location', '')}, expected 302 to {MY_LEARNING_PATH}"
            )
        return elapsed

    _card, code = learning_card_issue(learner=Learner.objects.create())
    login(code)  # warm-up: templates, URL resolver
    timings = [login(code) for _ in range(CARD_LOGINS)]
    _card, http_code = learning_card_issue(learner=Learner.objects.create())
    figures = {
        "median_ms": statistics.median(timings),
        "p95_ms": percentile(timings, 95),
        "http_code": http_code,
    }
    print(CARDS_MARKER + json.dumps(figures))


def measure_catalogue() -> None:
    """Runs inside `bench.py --catalogue`: fill the catalogue up, then count queries per page.

    After `seed_catalogue`, synthetic Digipunten (spread over the municipalities and the
    demo partners, services in a fixed pattern) and synthetic upcoming visits (spread over
    the municipalities and the next VISITS_SPREAD_DAYS days) are added with bulk_create up
    to DIGIPUNTEN_TARGET and VISITS_TARGET. Everything is deterministic: no random numbers.
    """
    django_setup()
    from django.test import Client
    from django.utils import timezone

    from catalogue import selectors, views
    from catalogue.models import (
        SERVICE_CHOICES,
        Digipunt,
        MobileVisit,
        Municipality,
        Organisation,
    )

    municipalities = list(Municipality.objects.order_by("name"))
    organisations = list(Organisation.objects.order_by("name"))
    if not municipalities or not organisations:
        raise BenchError("no municipalities or partners: did seed_catalogue run?")
    service_codes = [code for code, _label in SERVICE_CHOICES]
    demo_digipunten = Digipunt.objects.count()
    Digipunt.objects.bulk_create(
        Digipunt(
            organisation=organisations[number % len(organisations)],
            name=f"Digipunt bench {number:03d}",
            street=f"Kerkstraat {number}",
            postcode="8900",
            municipality=municipalities[number % len(municipalities)],
            opening_hours="maandag 9 tot 12 uur\nwoensdag 13 tot 16 uur\nvrijdag 9 tot 12 uur",
            services=[
                code
                for index, code in enumerate(service_codes)
                if (number + index) % 3 != 0 or (code == "eid" and number % 2 == 0)
            ],
            accessibility="Toegankelijk met een rolstoel.\nParking aan de deur.",
            is_demo=True,
        )
        for number in range(demo_digipunten, DIGIPUNTEN_TARGET)
    )
    today = timezone.localdate()
    demo_visits = MobileVisit.objects.filter(date__gte=today).count()
    MobileVisit.objects.bulk_create(
        MobileVisit(
            organisation=organisations[number % len(organisations)],
            municipality=municipalities[number % len(municipalities)],
            village=f"{municipalities[number % len(municipalities)].name}-dorp {number % 7}",
            place="aan de kerk",
            date=today + timedelta(days=1 + number % VISITS_SPREAD_DAYS),
            start=datetime(2000, 1, 1, 9 + number % 6, 30 * (number % 2)).time(),
            end=datetime(2000, 1, 1, 11 + number % 6, 30 * (number % 2)).time(),
        )
        for number in range(demo_visits, VISITS_TARGET)
    )
    ieper = selectors.municipality_by_slug("ieper")
    if ieper is None:
        raise BenchError("no municipality with the slug 'ieper'")

    client = Client()
    pages = {path: counted_get(client, path) for path in (HELP_PATH, HELP_FILTERED_PATH)}
    feed_queries, feed = counted_get(client, VISITS_FEED_PATH)
    medians = {
        path: statistics.median(timings_ms(lambda p=path: client.get(p), CATALOGUE_PAGE_REQUESTS))
        for path in (HELP_PATH, HELP_FILTERED_PATH, VISITS_FEED_PATH)
    }
    figures = {
        "municipalities": len(municipalities),
        "digipunten": Digipunt.objects.count(),
        "digipunten_demo": demo_digipunten,
        "visits": MobileVisit.objects.filter(date__gte=today).count(),
        "visits_demo": demo_visits,
        "visits_in_window": len(selectors.upcoming_visits(days=views.VISIT_DAYS)),
        "visits_shown": views.VISITS_SHOWN,
        "visit_days": views.VISIT_DAYS,
        "digipunten_filtered": len(selectors.digipunten_for(municipality=ieper, service="eid")),
        "queries": {path: count for path, (count, _body) in pages.items()},
        "median_ms": medians,
        "feed_queries": feed_queries,
        "feed_events": feed.count(b"BEGIN:VEVENT"),
    }
    print(CATALOGUE_MARKER + json.dumps(figures))


def measure_helpers() -> None:
    """Runs inside `bench.py --helpers`: /helpers/ with 5 and with 500 learners under mandate.

    A digihelper (its own user, the first Digipunt) is logged in with force_login. The
    learners grant their mandate to the whole Digipunt through `mandate_grant`; every second
    one gives a name (learner_label), the others show as their pseudonym.
    """
    django_setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    from catalogue.models import Digipunt
    from learning import selectors
    from learning.models import Digihelper, Learner
    from learning.services.mandates import mandate_grant

    digipunt = Digipunt.objects.order_by("pk").first()
    if digipunt is None:
        raise BenchError("no Digipunt: did seed_catalogue run?")
    user = get_user_model().objects.create_user(username="bench-digihelper")
    helper = Digihelper.objects.create(user=user, digipunt=digipunt)
    learners = Learner.objects.bulk_create(Learner() for _ in range(max(HELPER_LEARNERS)))
    client = Client()
    client.force_login(user)

    counts, granted = {}, 0
    for wanted in HELPER_LEARNERS:
        for number in range(granted, wanted):
            label = f"Leerder {number:03d}" if number % 2 == 0 else ""
            mandate_grant(learner=learners[number], digipunt=digipunt, label=label)
        granted = wanted
        shown = selectors.mandates_covering(helper).count()
        if shown != wanted:
            raise BenchError(f"{HELPERS_PATH}: {shown} learners under mandate, not {wanted}")
        queries, body = counted_get(client, HELPERS_PATH)
        counts[wanted] = queries
    # The page with the most learners: its time in-process and its size.
    timings = timings_ms(lambda: client.get(HELPERS_PATH), HELPER_PAGE_REQUESTS)
    figures = {
        "queries": counts,
        "median_ms": statistics.median(timings),
        "html_bytes": len(body),
    }
    print(HELPERS_MARKER + json.dumps(figures))


def catalogue_file(columns: tuple[str, ...], today) -> tuple[bytes, dict]:
    """IMPORT_ROWS rows as a partner sends them: `;`, UTF-8 with BOM, CRLF, Dutch dates.

    Row n is topic n % 13 at place n % 11, so every topic is at every place. Sessions start
    1 to 120 days after ``today`` (a course: 6 weekly sessions, a workshop 1 or 2 a fortnight
    apart, a digimoment 4 a fortnight apart, lending none). Prices as partners write them:
    "gratis", "12,50", "€ 7,50", "25"; digimomenten and lending are free. Nothing is random,
    so every run has the same rows, moved along with the date. Also returns what the import
    must then hold: the number of sessions, and of rows with SEARCH_WORD in their summary.
    """
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(columns)
    sessions = search_rows = 0
    for number in range(IMPORT_ROWS):
        title, summary, kind, competences, level = IMPORT_TOPICS[number % len(IMPORT_TOPICS)]
        digipunt, address, municipality, online = IMPORT_PLACES[number % len(IMPORT_PLACES)]
        if kind == "lenen" and online == "ja":  # a device is fetched somewhere
            digipunt, address, municipality, online = IMPORT_PLACES[0]
        start, end = IMPORT_HOURS[number % len(IMPORT_HOURS)]
        first = today + timedelta(days=1 + number % 120)
        count, step = {"cursus": (6, 7), "workshop": (1 + number % 2, 14)}.get(
            kind, (4, 14) if kind == "digimoment" else (0, 0)
        )
        days = [first + timedelta(days=step * index) for index in range(count)]
        code = f"BVW-{number:05d}"
        if number % 17 == 0:
            language = "frans"
        elif number % 23 == 0:
            language = "engels"
        else:
            language = "eenvoudig nederlands" if number % 3 == 0 else "nederlands"
        price = IMPORT_PRICES[number % len(IMPORT_PRICES)]
        signup = {
            "cursus": "Schrijf je in aan de balie of via de website. Er zijn 10 plaatsen.",
            "workshop": "Schrijf je in aan de balie. Er zijn 12 plaatsen.",
            "digimoment": "Kom gewoon langs.",
        }.get(kind, "Vraag het aan de balie.")
        writer.writerow(
            [
                code,
                f"{title}, {digipunt or municipality or 'online'}",
                summary,
                kind,
                competences,
                level,
                language,
                "gratis" if kind in ("digimoment", "lenen") else price,
                digipunt,
                address,
                municipality,
                online,
                signup,
                f"www.example.org/aanbod/{code.lower()}" if number % 3 == 0 else "",
                "Toegankelijk met rolstoel. Er is een lift." if number % 2 == 0 else "",
                " | ".join(f"{day:%d/%m/%Y} {start}-{end}" for day in days),
            ]
        )
        sessions += len(days)
        search_rows += SEARCH_WORD in summary
    content = out.getvalue().encode("utf-8-sig")
    return content, {"sessions": sessions, "search_rows": search_rows}


def measure_catalogue_import() -> None:
    """Runs inside `bench.py --catalogue-import`: import IMPORT_ROWS rows, then the pages.

    A new organisation imports the generated file as the command line does (user=None: the
    entries are published): preview, apply, and a second preview of the same file, which
    must find every row unchanged. The entries stay in the bench database for gunicorn.
    The apply must have indexed them for search: SEARCH_WORD must find exactly the rows
    with it in their summary. Then the queries, the HTML size and the time in-process of
    /verder-leren/ (unfiltered, two filters, a search word) and of /zoeken/.
    """
    django_setup()
    from django.test import Client
    from django.utils import timezone

    from catalogue import importing, next_steps, selectors, services
    from catalogue.columns import COLUMNS
    from catalogue.models import CatalogueEntry, CatalogueSession, Organisation

    def timed(function):
        began = time.perf_counter()
        result = function()
        return result, time.perf_counter() - began

    organisation = Organisation.objects.create(
        name=IMPORT_ORGANISATION, kind="other", website="https://www.example.org"
    )
    content, expected = catalogue_file(COLUMNS, timezone.localdate())

    def preview():
        return services.catalogue_import_preview(
            organisation=organisation, filename=IMPORT_FILENAME, content=content
        )

    run, preview_s = timed(preview)
    if run.errors:
        first = importing.error_text(run.errors[0], run.file_format)
        raise BenchError(f"the generated file has {len(run.errors)} errors; the first: {first}")
    if run.created != IMPORT_ROWS:
        raise BenchError(f"the preview finds {run.created} new rows, not {IMPORT_ROWS}")
    run, apply_s = timed(lambda: services.catalogue_import_apply(run=run))
    again, again_s = timed(preview)
    counts = (again.created, again.changed, again.unchanged, again.withdrawn)
    if counts != (0, 0, IMPORT_ROWS, 0) or again.errors:
        raise BenchError(f"the second preview is not all unchanged: {counts}")

    entries = CatalogueEntry.objects.filter(organisation=organisation)
    published = entries.filter(status=CatalogueEntry.PUBLISHED).count()
    sessions = CatalogueSession.objects.filter(entry__organisation=organisation).count()
    if (published, sessions) != (IMPORT_ROWS, expected["sessions"]):
        raise BenchError(
            f"after the apply: {published} published entries and {sessions} sessions, "
            f"expected {IMPORT_ROWS} and {expected['sessions']}"
        )
    indexed = entries.filter(pk__in=next_steps.search_entries(SEARCH_WORD)).count()
    if indexed != expected["search_rows"]:
        raise BenchError(
            f"the search for '{SEARCH_WORD}' finds {indexed} imported entries, "
            f"expected {expected['search_rows']}: not (all) indexed?"
        )

    now = timezone.now()
    ieper = selectors.municipality_by_slug("ieper")
    filters = {
        NEXT_STEPS_PATH: next_steps.Filters(),
        NEXT_STEPS_PLACE_PATH: next_steps.Filters(municipality=ieper),
        NEXT_STEPS_FREE_PATH: next_steps.Filters(price="gratis", kind="workshop"),
        NEXT_STEPS_SEARCH_PATH: next_steps.Filters(query=SEARCH_WORD),
        SEARCH_PATH: next_steps.Filters(query=SEARCH_WORD),  # the page shows 20 of them
    }
    client = Client()
    pages = {}
    for path, page_filters in filters.items():
        queries, body = counted_get(client, path)
        times = SEARCH_REQUESTS if path in SEARCH_PAGES else CATALOGUE_PAGE_REQUESTS
        timings = timings_ms(lambda p=path: client.get(p), times)
        pages[path] = {
            "entries": next_steps.filtered_entries(page_filters, now=now).count(),
            "queries": queries,
            "requests": times,
            "median_ms": statistics.median(timings),
            "html_bytes": len(body),
            "html_gzip_bytes": len(gzip.compress(body, compresslevel=6)),
        }
    figures = {
        "rows": IMPORT_ROWS,
        "file_bytes": len(content),
        "sessions": sessions,
        "preview_s": preview_s,
        "apply_s": apply_s,
        "again_s": again_s,
        "search_rows": indexed,
        "available": pages[NEXT_STEPS_PATH]["entries"],
        "pages": pages,
    }
    print(CATALOGUE_IMPORT_MARKER + json.dumps(figures))


def submode(flag: str, marker: str, env: dict) -> dict:
    """Run `bench.py <flag>` and return the JSON line it printed after ``marker``."""
    output = run([PYTHON, __file__, flag], env=env)
    lines = [line for line in output.splitlines() if line.startswith(marker)]
    if not lines:
        raise BenchError(f"bench.py {flag} printed no result:\n{output}")
    return json.loads(lines[-1].removeprefix(marker))


def in_process_rows(cards: dict, catalogue: dict, helpers: dict) -> list[tuple[str, str]]:
    """The in-process figures of learning cards, /hulp/ and /helpers/."""
    few, many = (str(number) for number in HELPER_LEARNERS)
    queries = helpers["queries"]
    verdict = "equal" if queries[few] == queries[many] else "NOT EQUAL"
    return [
        (
            "learning cards, Digipunten, digihelpers (in-process, dev settings, "
            "`--cards` `--catalogue` `--helpers`)",
            "",
        ),
        (
            f"  card login: POST {CARD_LOGIN_PATH} valid code -> 302 {MY_LEARNING_PATH}, "
            f"test Client, {CARD_LOGINS} logins",
            f"median {cards['median_ms']:.1f} ms, p95 {cards['p95_ms']:.1f} ms "
            "(POST only, fresh session and GET for the CSRF token each time)",
        ),
        (
            "  catalogue filled up to",
            f"{catalogue['digipunten']} Digipunten ({catalogue['digipunten_demo']} demo), "
            f"{catalogue['visits']:,} upcoming visits ({catalogue['visits_demo']} demo), "
            f"{catalogue['municipalities']} municipalities; "
            f"{catalogue['visits_in_window']:,} visits within {catalogue['visit_days']} days",
        ),
        *(
            (
                f"  {path}: SQL queries; test Client, {CATALOGUE_PAGE_REQUESTS} requests",
                f"{count} quer{'y' if count == 1 else 'ies'}; "
                f"median {catalogue['median_ms'][path]:.1f} ms",
            )
            for path, count in [
                *catalogue["queries"].items(),
                (VISITS_FEED_PATH, catalogue["feed_queries"]),
            ]
        ),
        (
            f"  SQL queries {HELPERS_PATH}, {few} / {many} learners under mandate",
            f"{queries[few]} / {queries[many]} - {verdict}",
        ),
        (
            f"  {HELPERS_PATH} with {many} learners: {HELPER_PAGE_REQUESTS} requests",
            f"median {helpers['median_ms']:.1f} ms, HTML {size(helpers['html_bytes'])}",
        ),
    ]


def card_logins_http(base: str, code: str) -> list[float]:
    """Log in with a learning card over HTTP, CARD_LOGINS_HTTP times one after the other.

    Each time without cookies: GET the form for the csrftoken cookie, POST the code with the
    token, expect 302 to /mijn/ and a learner cookie. Only the POST is timed. Production's
    cookies are Secure, so the CSRF cookie is sent by hand.
    """
    timings = []
    for _ in range(CARD_LOGINS_HTTP):
        csrf = get(base + CARD_LOGIN_PATH).cookies.get("csrftoken")
        if not csrf:
            raise BenchError(f"{CARD_LOGIN_PATH} set no csrftoken cookie")
        began = time.perf_counter()
        response = requests.post(
            base + CARD_LOGIN_PATH,
            data={"code": code, "csrfmiddlewaretoken": csrf},
            headers={"Cookie": f"csrftoken={csrf}"},
            timeout=10,
            allow_redirects=False,
        )
        timings.append((time.perf_counter() - began) * 1000)
        location = response.headers.get("Location", "")
        if response.status_code != 302 or location != MY_LEARNING_PATH:
            raise BenchError(
                f"POST {CARD_LOGIN_PATH} answered {response.status_code} {location}, "
                f"expected 302 to {MY_LEARNING_PATH}"
            )
        if not response.cookies.get("leerder"):
            raise BenchError(f"POST {CARD_LOGIN_PATH} logged in but set no learner cookie")
    return timings


def http_rows(base: str, code: str) -> list[tuple[str, str]]:
    """Learning-card logins, /hulp/'s HTML and the visits feed, against gunicorn."""
    timings = card_logins_http(base, code)
    rows = [
        ("learning cards and Digipunten over HTTP (gunicorn -w 2, production settings)", ""),
        (
            f"  card login: POST {CARD_LOGIN_PATH} valid code -> 302, requests, "
            f"{CARD_LOGINS_HTTP} logins one after the other",
            f"median {statistics.median(timings):.1f} ms, p95 {percentile(timings, 95):.1f} ms "
            "(POST only, after a GET for the CSRF cookie each time)",
        ),
    ]
    for path in (HELP_PATH, HELP_FILTERED_PATH):
        html = get(base + path, **{"Accept-Encoding": "identity"}).content
        packed = len(gzip.compress(html, compresslevel=6))
        rows.append((f"  HTML {path}", f"{size(len(html))}, gzip {size(packed)}"))
    began = time.perf_counter()
    feed = get(base + VISITS_FEED_PATH, **{"Accept-Encoding": "identity"})
    elapsed = (time.perf_counter() - began) * 1000
    rows.append(
        (
            f"  {VISITS_FEED_PATH}, one GET",
            f"{elapsed:.0f} ms, {size(len(feed.content))}, "
            f"{feed.content.count(b'BEGIN:VEVENT'):,} events",
        )
    )
    return rows


def megabytes(count: int) -> str:
    return f"{count:,} B ({count / 1024 / 1024:.1f} MB)"


def catalogue_import_rows(figures: dict) -> list[tuple[str, str]]:
    """The import of IMPORT_ROWS rows, and /verder-leren/ and /zoeken/ in-process."""
    rows = figures["rows"]
    preview_s, apply_s, again_s = figures["preview_s"], figures["apply_s"], figures["again_s"]
    total = preview_s + apply_s
    verdict = "under" if total < IMPORT_TARGET_S else "OVER"
    result = [
        ("partner catalogue (in-process, dev settings, `--catalogue-import`)", ""),
        (
            f"  import file: {rows:,} rows for one new organisation, CSV `;`, UTF-8 with BOM",
            f"{megabytes(figures['file_bytes'])}, {figures['sessions']:,} sessions",
        ),
        (
            f"  preview: read, check, compare ({rows:,} new)",
            f"{preview_s:.1f} s, {rows / preview_s:,.0f} rows/s",
        ),
        (
            f"  apply: {rows:,} entries published, {figures['sessions']:,} sessions, search index",
            f"{apply_s:.1f} s, {rows / apply_s:,.0f} rows/s",
        ),
        (
            "  preview + apply",
            f"{total:.1f} s - {verdict} the {IMPORT_TARGET_S} s target",
        ),
        (
            f"  second preview of the same file ({rows:,} unchanged)",
            f"{again_s:.1f} s, {rows / again_s:,.0f} rows/s",
        ),
        (
            f"  search index: imported entries found by '{SEARCH_WORD}'",
            f"{figures['search_rows']:,}, all those with it in their summary",
        ),
    ]
    for path, page in figures["pages"].items():
        result.append(
            (
                f"  {path}: SQL queries; test Client, {page['requests']} requests; HTML",
                f"{page['entries']:,} of {figures['available']:,} entries; "
                f"{page['queries']} queries; median {page['median_ms']:.1f} ms; "
                f"{size(page['html_bytes'])}, gzip {size(page['html_gzip_bytes'])}",
            )
        )
    return result


def catalogue_export_rows(base: str, available: int) -> list[tuple[str, str]]:
    """The three exports of /verder-leren/ without filters: two GETs each, timed.

    The first makes the export, the second is served from the cache (issue 17: under 1 s
    after the first); both bodies must be the same.
    """
    rows = [
        (
            f"partner catalogue exports, {available:,} entries: two GETs each, made / cached "
            "(gunicorn -w 2, production settings)",
            "",
        )
    ]
    counters = {".jsonld": b'"@type":"Course"', ".ics": b"BEGIN:VEVENT"}
    for path in EXPORT_PATHS:
        elapsed, bodies = [], []
        for _attempt in range(2):
            began = time.perf_counter()
            response = requests.get(
                base + path,
                headers={"Accept-Encoding": "identity"},
                timeout=EXPORT_TIMEOUT_S,
                allow_redirects=False,
            )
            elapsed.append(time.perf_counter() - began)
            if response.status_code != 200:
                raise BenchError(f"GET {path} answered {response.status_code}, expected 200")
            bodies.append(response.content)
        body = bodies[0]
        if bodies[1] != body:
            raise BenchError(f"GET {path}: the second body differs from the first")
        suffix = Path(path).suffix
        if suffix in counters:
            items = f"{body.count(counters[suffix]):,} " + (
                "courses" if suffix == ".jsonld" else "events"
            )
        else:  # the import format: a header, then one row per entry
            lines = csv.reader(io.StringIO(body.decode("utf-8-sig"), newline=""), delimiter=";")
            items = f"{sum(1 for _row in lines) - 1:,} rows"
        packed = len(gzip.compress(body, compresslevel=6))
        verdict = "under" if elapsed[1] < EXPORT_CACHED_TARGET_S else "OVER"
        rows.append(
            (
                f"  {path}",
                f"{elapsed[0]:.1f} s, then {elapsed[1]:.2f} s ({verdict} "
                f"{EXPORT_CACHED_TARGET_S} s), {megabytes(len(body))}, gzip {size(packed)}, "
                f"{items}",
            )
        )
    return rows


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
            # The same steps as `make run`, in its order.
            (
                "seed_catalogue --accounts",
                [python, "manage.py", "seed_catalogue", "--accounts"],
                clone,
            ),
            ("seed_helpers", [python, "manage.py", "seed_helpers"], clone),
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
        # Production requires its public https address and a cache every worker shares
        # (rate limits): the database cache, so the bench needs no Redis server.
        "SITE_BASE_URL": "https://leren.example.be",
        "SHARED_CACHE": "database",
    }

    # A fresh database each run, so figures never depend on earlier runs.
    VAR.mkdir(exist_ok=True)
    for leftover in (DB_PATH, Path(f"{DB_PATH}-wal"), Path(f"{DB_PATH}-shm")):
        leftover.unlink(missing_ok=True)
    shutil.rmtree(STATIC_ROOT, ignore_errors=True)
    run([PYTHON, "manage.py", "migrate", "--noinput"], env=dev)
    run([PYTHON, "manage.py", "createcachetable"], env=production)
    run([PYTHON, "manage.py", "seed_demo"], env=dev)
    run([PYTHON, "manage.py", "seed_catalogue"], env=dev)
    # Before gunicorn starts, so its workers see the certificate and SQLite has one writer.
    output = run([PYTHON, __file__, "--certificates"], env=dev)
    lines = [line for line in output.splitlines() if line.startswith(CERTIFICATES_MARKER)]
    if not lines:
        raise BenchError(f"the certificate measurement printed no result:\n{output}")
    certificates = json.loads(lines[-1].removeprefix(CERTIFICATES_MARKER))
    rows += certificate_rows(certificates)
    # Also before gunicorn: these write to the database (cards, synthetic catalogue rows,
    # learners under mandate) and gunicorn then serves the filled-up catalogue.
    cards = submode("--cards", CARDS_MARKER, dev)
    catalogue = submode("--catalogue", CATALOGUE_MARKER, dev)
    helpers = submode("--helpers", HELPERS_MARKER, dev)
    rows += in_process_rows(cards, catalogue, helpers)
    # The partner catalogue: the imported entries stay, for gunicorn's pages and exports.
    imported = submode("--catalogue-import", CATALOGUE_IMPORT_MARKER, dev)
    rows += catalogue_import_rows(imported)
    # Production storage serves hashed, precompressed files from a manifest: collect them.
    run([PYTHON, "manage.py", "collectstatic", "--noinput"], env=production)

    # The shared cache production uses: Redis when this machine has it (docs/operations.md),
    # else the database cache, which turns every cached read into an SQL query.
    redis, served = redis_start(production)
    rows.append(("shared cache of the app server", "Redis" if redis else "database (no Redis)"))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start(
        [PYTHON, "-m", "gunicorn", "config.wsgi", "-w", "2", "-b", f"127.0.0.1:{port}"],
        env=served,
        cwd=ROOT,
        log=SERVER_LOG,
    )
    bare, bare_base = bare_wagtail_start(env)
    with (
        tempfile.NamedTemporaryFile("w", suffix=".lua", prefix="bench-") as script,
        tempfile.NamedTemporaryFile("w", suffix=".lua", prefix="bench-status-") as status_script,
    ):
        script.write(WRK_SCRIPT)
        script.flush()
        status_script.write(WRK_STATUS_SCRIPT + WRK_SCRIPT)
        status_script.flush()
        try:
            wait_until_up(base + "/", server, SERVER_LOG)
            cookie, learner, lesson_path = learner_create(base)
            rows.append(("load: wrk -t2 -c10 -d10s, gunicorn -w 2, production settings", ""))
            targets = [
                ("home page /, anonymous", "/", None),
                ("home page /, learner", "/", cookie),
                ("lesson step (exercise), learner", lesson_path, cookie),
                (
                    f"{HELP_PATH}, {catalogue['digipunten']} Digipunten, "
                    f"{catalogue['visits']:,} visits, anonymous",
                    HELP_PATH,
                    None,
                ),
                (
                    f"{HELP_FILTERED_PATH} ({catalogue['digipunten_filtered']} Digipunten)",
                    HELP_FILTERED_PATH,
                    None,
                ),
            ]

            def load(
                label: str,
                path: str,
                cookie: str | None,
                timeout: str | None = None,
                server: str = base,
            ) -> float:
                get(server + path, cookie)  # must be a 200, not a redirect or an error
                figures = wrk(server + path, cookie, Path(script.name), timeout=timeout)
                rows.append(
                    (
                        f"  {label}",
                        f"{figures['rps']:.0f} req/s, median {figures['p50']:.1f} ms, "
                        f"p95 {figures['p95']:.1f} ms, p99 {figures['p99']:.1f} ms",
                    )
                )
                return figures["rps"]

            # The bare Wagtail site before and after ours, so drift on a busy machine shows.
            welcome = "bare Wagtail site (wagtail start), welcome page /"
            bare_rps = [load(f"{welcome}, before", "/", None, server=bare_base)]
            measured = {}
            for label, path, target_cookie in targets:
                measured[label] = load(label, path, target_cookie)
            bare_rps.append(load(f"{welcome}, after", "/", None, server=bare_base))
            share = measured["lesson step (exercise), learner"] / statistics.mean(bare_rps)
            verdict = "meets" if share >= BARE_TARGET else "BELOW"
            rows.append(
                (
                    "  lesson step (exercise), learner, as a share of bare Wagtail",
                    f"{share:.0%} - {verdict} the {BARE_TARGET:.0%} target",
                )
            )
            pages, available = imported["pages"], imported["available"]
            rows.append(
                (
                    f"load, partner catalogue with {available:,} entries: wrk -t2 -c10 -d10s "
                    f"--timeout {CATALOGUE_WRK_TIMEOUT}, anonymous",
                    "",
                )
            )
            catalogue_rps = {}
            for path in (NEXT_STEPS_PATH, *NEXT_STEPS_PAGES, *SEARCH_PAGES):
                found = "found" if path in SEARCH_PAGES else "listed"
                label = f"{path} ({pages[path]['entries']:,} entries {found})"
                catalogue_rps[path] = load(label, path, None, CATALOGUE_WRK_TIMEOUT)
            share = catalogue_rps[NEXT_STEPS_PATH] / measured["lesson step (exercise), learner"]
            verdict = "meets" if share >= NEXT_STEPS_TARGET else "BELOW"
            rows.append(
                (
                    f"  {NEXT_STEPS_PATH} as a share of the lesson step",
                    f"{share:.0%} - {verdict} the {NEXT_STEPS_TARGET:.0%} target",
                )
            )
            rows += verify_under_load(base, certificates, Path(status_script.name))
            rows.append(("page weight: lesson step (exercise), learner", lesson_path))
            rows += page_weight(base, lesson_path, cookie)
            rows += sandbox_weight(base, cookie)
            rows += http_rows(base, cards["http_code"])
            rows += catalogue_export_rows(base, available)
        finally:
            stop(server)
            stop(bare)
            if redis is not None:
                stop(redis)

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

    rows.append(("load average after the measurements (1 min)", f"{os.getloadavg()[0]:.2f}"))

    if fresh:
        rows += fresh_setup()
    else:
        rows.append(("fresh clone to first answered request", "not measured (use --fresh)"))


def verify_under_load(base: str, certificates: dict, script: Path) -> list[tuple[str, str]]:
    """The verification page under wrk as it is: rate limited per client address.

    All of wrk's connections come from 127.0.0.1, so after the allowance the page answers
    429. The two workers count in the shared cache (Redis, or the database cache without it),
    so together they allow VERIFY_RATE_LIMIT_PER_MINUTE per clock minute. The run starts
    early enough in a minute to end in the same one.
    """
    path = VERIFY_PATH.format(code=certificates["display_code"])
    seconds_left = 60 - time.time() % 60
    if seconds_left < 14:  # the 10 s run, the check below and some slack
        time.sleep(seconds_left + 0.5)
    get(base + path)  # must be a 200: the certificate exists (this uses one of the allowance)
    figures = wrk(base + path, None, script, rate_limited=True)
    statuses = figures["statuses"]
    unexpected = {status: n for status, n in statuses.items() if status not in (200, 429)}
    if unexpected:
        raise BenchError(f"wrk {path}: unexpected answers {unexpected}")
    limit = certificates["rate_limit"]
    return [
        (
            f"  verification page, rate limited ({limit}/min per address)",
            f"{figures['rps']:.0f} req/s: {statuses.get(200, 0)} x 200 and "
            f"{statuses.get(429, 0)} x 429 of {figures['requests']}; "
            f"median {figures['p50']:.1f} ms, p95 {figures['p95']:.1f} ms, "
            f"p99 {figures['p99']:.1f} ms",
        )
    ]


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
    parser.add_argument("--certificates", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--cards", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--catalogue", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--helpers", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--catalogue-import", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.queries:
        count_queries(args.learner, args.lesson_path)
        return 0
    if args.certificates:
        measure_certificates()
        return 0
    for flag, measure in (
        (args.cards, measure_cards),
        (args.catalogue, measure_catalogue),
        (args.helpers, measure_helpers),
        (args.catalogue_import, measure_catalogue_import),
    ):
        if flag:
            measure()
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
