"""Simulated learners for `make load` (scripts/loadtest/run.py starts Locust with this file).

Each simulated learner, without an account, as on a phone without JavaScript-free quirks:
takes the lessons of one module step by step, answers every exercise (sometimes wrong first,
sometimes with a double click: the same attempt id posted twice at once, as the page's script
would if it did not guard), skips an H5P step the way a learner without the player does,
downloads the module's certificate when the module is done, makes a learning card and logs in
with it on a "new device" (no cookies), and browses /verder-leren/ and /hulp/.

Every answer it posts is logged (attempt id, and whether the server said it was saved); the
runner compares that log with the database afterwards. The plan (step addresses, right and
wrong answers) comes from scripts/loadtest/db.py, read from LOAD_PLAN.
"""

import json
import os
import random
import re
import time
import uuid
from datetime import UTC, datetime
from http.cookiejar import DefaultCookiePolicy
from pathlib import Path

import gevent
from locust import HttpUser, between, events, task

PLAN = json.loads(Path(os.environ["LOAD_PLAN"]).read_text())
OUTPUT = Path(os.environ["LOAD_OUTPUT"])
WRONG_FIRST = 0.3  # share of exercises answered wrong before right
DOUBLE_CLICK = 0.1  # share of answers posted twice with the same attempt id

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
FORM = re.compile(r"<form[^>]*>(.*?)</form>", re.S)
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')
CARD_CODE = re.compile(r'<p class="card-code">\s*([^<]+?)\s*</p>')

ATTEMPTS: list[dict] = []
STATUS_5XX: list[dict] = []
# Every failed request with its time (epoch seconds): the fault drills (scripts/drills.py)
# decide per request whether it fell inside the window where that part was down.
FAILURES: list[dict] = []
STARTED_AT = datetime.now(UTC).isoformat()


def _secure_cookies_on_loopback(policy, cookie, request):
    return True


# Production marks every cookie Secure; a browser still sends them to http://127.0.0.1 (a
# secure context), Python's cookie jar does not. requests copies the session's jar into a
# new one with the default policy for every request, so the policy itself is changed, in
# this load-test process only.
DefaultCookiePolicy.return_ok_secure = _secure_cookies_on_loopback


@events.request.add_listener
def _count_5xx(request_type, name, response, exception, response_time, **kwargs):
    status = getattr(response, "status_code", 0) or 0
    # When the request started and ended: a fault drill compares both with its window.
    ended = time.time()
    times = {"at": ended - (response_time or 0) / 1000, "ended": ended}
    if status >= 500:
        STATUS_5XX.append({"name": name, "method": request_type, "status": status} | times)
    if exception is not None:
        FAILURES.append(
            {"name": name, "method": request_type, "status": status, "error": str(exception)[:200]}
            | times
        )


@events.test_stop.add_listener
def _write_log(environment, **kwargs):
    OUTPUT.write_text(
        json.dumps(
            {
                "started_at": STARTED_AT,
                "attempts": ATTEMPTS,
                "status_5xx": STATUS_5XX,
                "failures": FAILURES,
            },
            default=repr,  # never lose the whole log over one odd value
        )
    )


def sandbox_forms(html: str) -> dict[str, dict]:
    """{action: its hidden fields (CSRF token, event id, action, screen)} on a sandbox page."""
    found = {}
    for form in FORM.findall(html or ""):
        fields = dict(HIDDEN.findall(form))
        if "actie" in fields:
            found[fields["actie"]] = fields
    return found


def csrf_token(response) -> str | None:
    found = CSRF_FIELD.search(response.text or "")
    return found[1] if found else None


class Learner(HttpUser):
    wait_time = between(1, 4)  # reading a short step in easy Dutch

    def on_start(self):
        self.module = random.choice(PLAN["modules"])  # noqa: S311 - not security
        self.lesson_index = 0
        self.has_answered = False
        self.client.get("/", name="home")

    # --- lessons ----------------------------------------------------------------------------

    @task(8)
    def take_lesson(self):
        lesson = self.module["lessons"][self.lesson_index]
        by_step = {}
        for exercise in lesson["exercises"]:
            by_step.setdefault(exercise["step"], []).append(exercise)
        token = None
        for number, url in enumerate(lesson["steps"], start=1):
            page = self.client.get(url, name="lesson step")
            token = csrf_token(page) or token
            for exercise in by_step.get(number, []):
                if token is None:
                    break
                self.exercise_do(lesson, exercise, token)
            self.wait()
        self.client.get(lesson["finish"], name="lesson finished")
        self.lesson_index += 1
        if self.lesson_index == len(self.module["lessons"]):
            self.certificate_download()
            self.module = random.choice(PLAN["modules"])  # noqa: S311
            self.lesson_index = 0

    def exercise_do(self, lesson, exercise, token):
        if exercise["kind"] == "sandbox":
            self.sandbox_do(exercise)
            return
        if exercise["kind"] == "skip":
            self.client.post(
                "/leren/overslaan/",
                data={"les": lesson["id"], "oefening": exercise["block_id"]}
                | {"csrfmiddlewaretoken": token},
                name="exercise skip",
            )
            self.has_answered = True
            return
        if exercise["wrong"] and random.random() < WRONG_FIRST:  # noqa: S311
            self.answer(lesson, exercise, exercise["wrong"], token)
        self.answer(lesson, exercise, exercise["right"], token)

    def sandbox_do(self, exercise):
        """The Oefenbank with its plain forms, as a learner without JavaScript: each form
        posts and is redirected back to the next screen (requests follows it)."""
        page = self.client.get(exercise["url"], name="sandbox screen")
        steps = [("start", {})] + [tuple(step) for step in exercise["walk"]]
        if "reset" in sandbox_forms(page.text):
            steps[0] = ("reset", {})  # a run from before: start it over
        for action, values in steps:
            form = sandbox_forms(page.text).get(action)
            if form is None:
                return  # the page did not offer it (an error page): counted by Locust
            page = self.client.post(
                exercise["url"], data={**form, **values}, name=f"sandbox {action}"
            )
        self.has_answered = True

    def answer(self, lesson, exercise, values, token):
        attempt_id = str(uuid.uuid4())
        data = {
            "les": lesson["id"],
            "oefening": exercise["block_id"],
            "poging": attempt_id,
            "antwoord": values,
            "csrfmiddlewaretoken": token,
        }
        double = random.random() < DOUBLE_CLICK  # noqa: S311
        # Logged before it is sent: a learner stopped mid-request at the end of the run still
        # has its attempt in the log (outcome unknown), never as a row nobody sent.
        entry = {
            "attempt_id": attempt_id,
            "statuses": [],
            "saved": False,
            "double": double,
            "first": not self.has_answered,  # no learner yet: this answer makes one
        }
        ATTEMPTS.append(entry)
        if double:
            # Both at once, as two taps before the first answer came back.
            first = gevent.spawn(self.answer_post, data, "answer (double click)")
            second = gevent.spawn(self.answer_post, data, "answer (double click)")
            gevent.joinall([first, second])
            # A greenlet stopped with the test (Locust ends users mid-request) has no status.
            entry["statuses"] = [
                g.value if isinstance(g.value, int) else 0 for g in (first, second)
            ]
        else:
            entry["statuses"] = [self.answer_post(data, "answer")]
        entry["saved"] = 200 in entry["statuses"]
        self.has_answered = self.has_answered or entry["saved"]

    def answer_post(self, data, name) -> int:
        with self.client.post(
            "/leren/antwoord/",
            data=data,
            headers={"Accept": "application/json"},
            name=name,
            catch_response=True,
        ) as response:
            if response.status_code == 200:
                try:
                    response.json()["next_attempt_id"]
                except (ValueError, KeyError):
                    response.failure("answer: 200 without the JSON the page expects")
            return response.status_code

    # --- certificate --------------------------------------------------------------------------

    def certificate_download(self):
        url = f"/mijn/certificaten/module/{self.module['id']}/"
        page = self.client.get(url, name="certificate form")
        token = csrf_token(page)
        if token is None:
            return
        with self.client.post(
            url,
            data={"name": "Leerder Belasting", "csrfmiddlewaretoken": token},
            name="certificate pdf",
            catch_response=True,
        ) as response:
            if response.headers.get("Content-Type") != "application/pdf":
                response.failure("no PDF after a completed module")

    # --- learning card ------------------------------------------------------------------------

    @task(1)
    def card_round_trip(self):
        if not self.has_answered:
            return  # a card needs progress to keep
        page = self.client.get("/mijn/leerkaart/", name="card make form")
        token = csrf_token(page)
        if token is None:
            return
        with self.client.post(
            "/mijn/leerkaart/",
            data={"csrfmiddlewaretoken": token},
            name="card make",
            catch_response=True,
        ) as response:
            found = CARD_CODE.search(response.text or "")
            if not found:
                response.failure("no card code shown")
                return
        code = found[1]
        # Another device: no cookies at all, only the code on the card.
        self.client.cookies.clear()
        form = self.client.get("/leerkaart/", name="card login form")
        token = csrf_token(form)
        if token is None:
            return
        with self.client.post(
            "/leerkaart/",
            data={"code": code, "csrfmiddlewaretoken": token},
            name="card login",
            catch_response=True,
        ) as response:
            if not response.url.endswith("/mijn/"):
                response.failure(f"card login ended on {response.url}")

    # --- browsing -----------------------------------------------------------------------------

    @task(2)
    def browse(self):
        self.client.get("/verder-leren/", name="verder-leren")
        self.wait()
        self.client.get("/hulp/", name="hulp")
