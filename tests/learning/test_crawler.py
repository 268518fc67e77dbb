"""Crawl the site as learners in a few states: follow every internal link, submit every form
with junk and with empty values, and never get a server error (5xx).

The demo content is seeded once; each learner state is built and crawled inside a savepoint
that is rolled back afterwards. See docs/architecture.md, "Stateful tests and the crawler".
"""

from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from tests.answers import post_answer, right_answer, walk_sandbox, wrong_answer
from tests.learning.devices import demo_world, freeze_rate_limit_windows

# slow: the quick loop (-m "not slow and not browser") leaves it out; make test runs it.
pytestmark = [pytest.mark.django_db, pytest.mark.slow]

PAGES_PER_STATE = 150
SKIPPED_PREFIXES = ("/admin/", "/documenten/", "/static/", "/media/")
# Forms that end the state being crawled are sent last.
ENDING = ("afmelden", "vergeet", "verwijderen", "inactief")
JUNK = ["<script>alert(1)</script>", "9" * 30, "-1", "ß'\"%00", "x" * 300, "0"]


@dataclass
class Crawl:
    client: Client
    seen: set = field(default_factory=set)
    forms: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)

    def fetch(self, method, address, data=None):
        send = self.client.post if method == "post" else self.client.get
        response = send(address, data or {})
        if response.status_code >= 500:
            self.errors.append((method.upper(), address, data, response.status_code))
        return response

    def walk(self, start="/"):
        queue = [start]
        while queue and len(self.seen) < PAGES_PER_STATE:
            address = queue.pop(0)
            # Link-heavy pages (filters, pages of results) count once per path.
            key = urlsplit(address).path
            if key in self.seen:
                continue
            self.seen.add(key)
            response = self.fetch("get", address)
            if response.status_code in (301, 302) and response.get("Location"):
                queue.append(urljoin(address, response["Location"]))
                continue
            if "text/html" not in response.get("Content-Type", ""):
                continue
            page = BeautifulSoup(response.content, "html.parser")
            for link in page.find_all("a", href=True):
                target = internal(address, link["href"])
                if target:
                    queue.append(target)
            for form in page.find_all("form"):
                self.remember(address, form)

    def remember(self, address, form):
        method = (form.get("method") or "get").lower()
        action = internal(address, form.get("action") or address)
        if not action:
            return
        fields = []
        for element in form.find_all(["input", "select", "textarea"]):
            name = element.get("name")
            if not name or element.get("type") in ("submit", "button", "file"):
                continue
            fields.append((name, element.get("value", "")))
        signature = (method, urlsplit(action).path, tuple(sorted({name for name, _ in fields})))
        self.forms.setdefault(signature, (method, action, fields))

    def submit_forms(self):
        last = sorted(self.forms.values(), key=lambda form: any(word in form[1] for word in ENDING))
        for method, action, fields in last:
            for variant in ("junk", "empty"):
                data = {}
                for number, (name, value) in enumerate(fields):
                    if name == "csrfmiddlewaretoken":
                        data[name] = value
                    elif variant == "junk":
                        data[name] = JUNK[number % len(JUNK)]
                    else:
                        data[name] = ""
                self.fetch(method, action, data)


def internal(base, href):
    """The same-site address of a link, or None for other sites, anchors and skipped parts."""
    href = href.strip()
    if not href or href.startswith(("#", "mailto:", "tel:", "javascript:", "data:")):
        return None
    parts = urlsplit(urljoin("http://testserver" + base, href))
    if parts.netloc != "testserver" or parts.path.startswith(SKIPPED_PREFIXES):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


# --- learner states ----------------------------------------------------------------------


def answer_all(client, lesson):
    for block_id, (_step, exercise) in lesson.exercises.items():
        if exercise.block_type == "h5p":
            continue  # played in its frame, not by a form: see tests/h5p
        if exercise.block_type == "sandbox":
            walk_sandbox(client, lesson, block_id)  # its own screens, plain forms
            continue
        post_answer(client, lesson, right_answer(exercise), block_id=block_id)


def new_learner(world):
    return Client(raise_request_exception=False)


def mid_lesson(world):
    client = Client(raise_request_exception=False)
    lesson = world.lessons[1]
    block_id, (_step, exercise) = next(iter(lesson.exercises.items()))
    post_answer(client, lesson, wrong_answer(exercise), block_id=block_id)
    client.get(lesson.step_url(2))
    return client


def lesson_done(world):
    client = Client(raise_request_exception=False)
    answer_all(client, world.lessons[0])
    return client


def module_done(world):
    client = Client(raise_request_exception=False)
    module = next(
        m
        for m in world.modules
        if all(
            x.block_type != "h5p"
            for lesson in world.lessons_of[m.pk]
            for _s, x in lesson.exercises.values()
        )
    )
    for lesson in world.lessons_of[module.pk]:
        answer_all(client, lesson)
    client.post(f"/mijn/certificaten/module/{module.pk}/", {"name": "Marie Peeters"})
    return client


def card_login(world):
    phone = mid_lesson(world)
    phone.post("/mijn/leerkaart/")
    code = phone.get("/mijn/leerkaart/").context["code"]
    client = Client(raise_request_exception=False)
    client.post("/leerkaart/", {"code": code})
    return client


def arabic_extra_large(world):
    client = mid_lesson(world)
    client.post("/taal/", {"taal": "ar"})
    client.post("/weergave/", {"tekst": "extra-groot", "contrast": "hoog"})
    return client


def kiosk(world):
    client = Client(raise_request_exception=False)
    client.cookies["kiosk"] = world.kiosk_cookie
    lesson = world.lessons[1]
    post_answer(client, lesson, "0", block_id=next(iter(lesson.exercises)))
    return client


STATES = [new_learner, mid_lesson, lesson_done, module_done, card_login, arabic_extra_large, kiosk]


def test_no_page_or_form_gives_a_server_error_in_any_learner_state(monkeypatch):
    world = demo_world()
    call_command("seed_catalogue", verbosity=0)  # Digipunten, visits and partner courses
    freeze_rate_limit_windows(monkeypatch)
    errors = []
    for state in STATES:
        with transaction.atomic():
            cache.clear()
            crawl = Crawl(state(world))
            crawl.walk("/")
            assert len(crawl.seen) > 20, state.__name__
            crawl.submit_forms()
            print(state.__name__, len(crawl.seen), "pages", len(crawl.forms), "forms")
            errors += [(state.__name__, *error) for error in crawl.errors]
            transaction.set_rollback(True)
    assert errors == []
