"""Every learner journey holds, in every state: a stateful property-based test.

Hypothesis plays learners on a few browsers (Django test clients) against the demo modules:
they open any step, answer right, wrong, half or forged, make and use learning cards, make
accounts, log in and out, let helpers look along, change language and display, use kiosk
mode, export and delete their data and ask for certificates. The machine keeps a model of
what each browser should hold and what each learner has done, and after every action checks
the pages and the database against it. See docs/architecture.md, "Stateful tests and the
crawler". ``HYPOTHESIS_PROFILE=soak`` (``make soak``) runs it much longer.
"""

import json
import os
import re
import uuid
from dataclasses import dataclass, field
from itertools import count

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    rule,
    run_state_machine_as_test,
)

from certificates.models import Certificate
from courses.models import LessonPage
from learning import selectors
from learning.models import HelperMandate, Learner, LearningCard, LessonProgress
from learning.services.cards import code_hash
from tests.answers import right_answer, walk_sandbox, wrong_answer
from tests.learning.devices import demo_world, freeze_rate_limit_windows, held_learner

# slow: the quick loop (-m "not slow and not browser") leaves it out; make test runs it.
pytestmark = [pytest.mark.django_db, pytest.mark.slow]

PROFILES = {
    # In `make test`: fixed examples (no example database, no randomness), about 2 minutes.
    "default": settings(
        max_examples=8,
        stateful_step_count=20,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
        print_blob=False,
    ),
    # `make soak`: random and long; failures are remembered in .hypothesis/ and replayed first.
    "soak": settings(
        max_examples=300,
        stateful_step_count=60,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        print_blob=True,
    ),
}
# While working on a failure: the first failing example as found, without minutes of shrinking.
PROFILES["no-shrink"] = settings(
    PROFILES["default"], phases=[Phase.explicit, Phase.reuse, Phase.generate]
)
PROFILE = PROFILES[os.environ.get("HYPOTHESIS_PROFILE", "default")]

MAX_DEVICES = 3
PASSWORD = "kaartlezer-2026"
LANGUAGES = ("nl-be", "fr", "en", "pl", "uk", "ar")
FAILURES_ALLOWED = 10
STEP_ADDRESS = re.compile(r"^(?P<lesson>/modules/[^/]+/[^/]+/)(?:stap-(?P<step>\d+)/)?$")
CONTINUE_LINK = re.compile(
    r'<section class="continue" aria-labelledby="verder-titel">.*?href="([^"]+)"', re.S
)


@dataclass(eq=False)
class ModelLearner:
    """What the model expects of one learner row."""

    pk: int
    username: str | None = None
    furthest: dict = field(default_factory=dict)  # lesson pk -> furthest step
    passed: dict = field(default_factory=dict)  # lesson pk -> set of passed block ids
    skipped: dict = field(default_factory=dict)  # lesson pk -> set of skipped H5P block ids
    cards: set = field(default_factory=set)  # codes that log in as this learner
    mandates: dict = field(default_factory=dict)  # mandate pk -> active
    certificates: set = field(default_factory=set)  # module pks
    attempts: dict = field(default_factory=dict)  # attempt id -> (lesson pk, block id)

    def completed(self, lesson) -> bool:
        done = self.passed.get(lesson.pk, set()) | self.skipped.get(lesson.pk, set())
        return set(lesson.required_exercises) <= done

    def absorb(self, other: "ModelLearner") -> None:
        """A merge: the furthest wins, passes add up, printed cards keep working."""
        for lesson_pk, step in other.furthest.items():
            self.furthest[lesson_pk] = max(self.furthest.get(lesson_pk, 0), step)
        for lesson_pk, passed in other.passed.items():
            self.passed[lesson_pk] = self.passed.get(lesson_pk, set()) | passed
        for lesson_pk, skipped in other.skipped.items():
            self.skipped[lesson_pk] = self.skipped.get(lesson_pk, set()) | skipped
        self.cards |= other.cards
        self.attempts.update(other.attempts)
        # Earned certificates stay the learner's (one per module).
        self.certificates |= other.certificates


@dataclass(eq=False)
class Device:
    client: Client
    learner: ModelLearner | None = None
    username: str | None = None  # logged in as
    kiosk: bool = False
    language: str = "nl-be"
    place: tuple = (0, 1)  # (lesson index, step) the browser shows now
    failures: int = 0


class LearnerLife(RuleBasedStateMachine):
    world = None  # the demo world: made once by the test, before the machine runs

    def __init__(self):
        super().__init__()
        # Each example runs in a savepoint that teardown rolls back: the demo content is
        # seeded once, every example starts from it.
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        cache.clear()  # rate-limit counters and cached pages of an earlier example
        self.devices = [Device(Client())]
        self.learners: list[ModelLearner] = []
        self.accounts: dict[str, ModelLearner | None] = {}
        self.login_failures: dict[str, int] = {}
        self.dead_codes: list[str] = []  # replaced cards, and cards of deleted learners
        self.names = count()
        self.acting = self.devices[0]

    def teardown(self):
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    # --- helpers -------------------------------------------------------------------------

    def device(self, index) -> Device:
        self.acting = self.devices[index % len(self.devices)]
        return self.acting

    def lesson(self, index) -> LessonPage:
        return self.world.lessons[index % len(self.world.lessons)]

    def new_learner(self, device: Device) -> ModelLearner:
        actual = held_learner(device.client)
        assert actual is not None, "the first answer must make a learner"
        assert actual.pk not in {known.pk for known in self.learners}
        learner = ModelLearner(pk=actual.pk)
        self.learners.append(learner)
        return learner

    def saw_step(self, device: Device, lesson, step: int) -> None:
        device.place = (self.world.lessons.index(lesson), step)
        if device.learner is not None:
            furthest = device.learner.furthest
            furthest[lesson.pk] = max(furthest.get(lesson.pk, 0), step)

    def open_step(self, device: Device, lesson, step: int):
        response = device.client.get(lesson.step_url(step))
        assert response.status_code == 200, (lesson.step_url(step), response.status_code)
        self.saw_step(device, lesson, step)
        return response

    def forget(self, gone: ModelLearner) -> None:
        """``gone`` no longer exists: no browser holds it any more."""
        for device in self.devices:
            if device.learner is gone:
                device.learner, device.username = None, None
        if gone in self.learners:
            self.learners.remove(gone)
        for username, learner in self.accounts.items():
            if learner is gone:
                self.accounts[username] = None

    def merge(self, source: ModelLearner | None, target: ModelLearner) -> None:
        if source is None or source is target:
            return
        target.absorb(source)
        self.forget(source)

    def record_answer(self, device: Device, lesson, block_id, passed: bool, attempt_id=None):
        if device.learner is None:
            device.learner = self.new_learner(device)
        learner = device.learner
        step = lesson.exercises[block_id][0]
        learner.furthest[lesson.pk] = max(learner.furthest.get(lesson.pk, 0), step)
        learner.passed.setdefault(lesson.pk, set())
        if passed:
            learner.passed[lesson.pk].add(block_id)
        if attempt_id:
            learner.attempts[attempt_id] = (lesson.pk, block_id)

    def post_answer(self, device: Device, lesson, block_id, answer, attempt_id=None):
        attempt_id = attempt_id or str(uuid.uuid4())
        return device.client.post(
            "/leren/antwoord/",
            {"les": lesson.pk, "oefening": block_id, "poging": attempt_id, "antwoord": answer},
        ), attempt_id

    def post_statement(self, device: Device, lesson, block_id, success: bool):
        statement = {
            "id": str(uuid.uuid4()),
            "verb": {"id": "http://adlnet.gov/expapi/verbs/answered"},
            "object": {"id": "http://testserver/h5p/speler/1/", "objectType": "Activity"},
            "result": {"score": {"raw": int(success), "max": 1}, "success": success},
        }
        body = {"les": lesson.pk, "oefening": block_id, "statement": statement}
        return device.client.post(
            "/leren/h5p/statement/", data=json.dumps(body), content_type="application/json"
        )

    def answer(self, device: Device, lesson, block_id, passed: bool) -> None:
        """Answer as a learner would, and follow the redirect back to the step."""
        step, exercise = lesson.exercises[block_id]
        if exercise.block_type == "sandbox":
            # Its own screens: the whole transfer, or one mistake at the login.
            response = walk_sandbox(device.client, lesson, block_id, finish=passed)
            assert response.status_code == 302, response.status_code
            self.record_answer(device, lesson, block_id, passed)
            return
        if exercise.block_type == "h5p":
            response = self.post_statement(device, lesson, block_id, passed)
            assert response.status_code == 200, response.content
            self.record_answer(device, lesson, block_id, passed)
            return
        answer = right_answer(exercise) if passed else wrong_answer(exercise)
        response, attempt_id = self.post_answer(device, lesson, block_id, answer)
        assert response.status_code == 302, response.status_code
        self.record_answer(device, lesson, block_id, passed, attempt_id)
        self.open_step(device, lesson, step)

    def log_in_as(self, device: Device, username: str) -> None:
        device.username = username
        device.learner = self.accounts[username]

    # --- reading and answering -----------------------------------------------------------

    @rule(d=st.integers(0, 2), lesson=st.integers(0, 15), step=st.integers(1, 6))
    def open_any_step(self, d, lesson, step):
        device, lesson = self.device(d), self.lesson(lesson)
        if step > lesson.step_count:
            response = device.client.get(f"{lesson.url}stap-{step}/")
            assert response.status_code == 404
        else:
            self.open_step(device, lesson, step)

    @rule(d=st.integers(0, 2), lesson=st.integers(0, 15))
    def open_end_page(self, d, lesson):
        device, lesson = self.device(d), self.lesson(lesson)
        assert device.client.get(lesson.finish_url()).status_code == 200

    @rule(
        d=st.integers(0, 2),
        lesson=st.integers(0, 15),
        exercise=st.integers(0, 3),
        right=st.booleans(),
    )
    def answer_an_exercise(self, d, lesson, exercise, right):
        device, lesson = self.device(d), self.lesson(lesson)
        block_ids = list(lesson.exercises)
        self.answer(device, lesson, block_ids[exercise % len(block_ids)], right)

    @rule(
        d=st.integers(0, 2),
        lesson=st.integers(0, 15),
        exercise=st.integers(0, 3),
        how=st.sampled_from(
            [
                "half",
                "bad block",
                "bad lesson",
                "bad attempt id",
                "garbage",
                "someone else's attempt",
                "same attempt again",
            ]
        ),
    )
    def answer_badly(self, d, lesson, exercise, how):
        """Half-filled and forged answers change nothing and never break a page."""
        device, lesson = self.device(d), self.lesson(lesson)
        block_ids = list(lesson.exercises)
        block_id = block_ids[exercise % len(block_ids)]
        step, exercise = lesson.exercises[block_id]
        post = device.client.post
        if how == "half":
            ordering = exercise.block_type == "ordering"
            half = [""] * len(exercise.value["items"]) if ordering else []
            response, _ = self.post_answer(device, lesson, block_id, half)
            # Only the answer form's exercises take an answer; H5P and a sandbox never do.
            expected = 400 if exercise.block_type in ("h5p", "sandbox") else 302
            assert response.status_code == expected
        elif how == "bad block":
            response, _ = self.post_answer(device, lesson, "geen-oefening", ["0"])
            assert response.status_code == 400
        elif how == "bad lesson":
            data = {"les": "999999", "oefening": block_id, "poging": str(uuid.uuid4())}
            assert post("/leren/antwoord/", {**data, "antwoord": "0"}).status_code == 400
            data["les"] = "<script>"
            assert post("/leren/antwoord/", {**data, "antwoord": "0"}).status_code == 400
        elif how == "bad attempt id":
            data = {"les": lesson.pk, "oefening": block_id, "poging": "1234", "antwoord": "0"}
            assert post("/leren/antwoord/", data).status_code == 400
        elif how == "garbage":
            response, _ = self.post_answer(device, lesson, block_id, ["99", "x", "-1"])
            assert response.status_code == 400
        else:
            mine = device.learner.attempts if device.learner else {}
            theirs = [
                (attempt_id, where)
                for other in self.learners
                if other is not device.learner
                for attempt_id, where in other.attempts.items()
            ]
            if how == "same attempt again" and mine:
                attempt_id, (lesson_pk, block_id) = sorted(mine.items())[0]
                lesson = LessonPage.objects.get(pk=lesson_pk)
                exercise = lesson.exercises[block_id][1]
                response, _ = self.post_answer(
                    device, lesson, block_id, right_answer(exercise), attempt_id
                )
                assert response.status_code == 302  # the first answer counts, not this one
            elif theirs:
                attempt_id, (lesson_pk, block_id) = sorted(theirs)[0]
                lesson = LessonPage.objects.get(pk=lesson_pk)
                exercise = lesson.exercises[block_id][1]
                response, _ = self.post_answer(
                    device, lesson, block_id, right_answer(exercise), attempt_id
                )
                assert response.status_code == 400

    @rule(d=st.integers(0, 2), lesson=st.integers(0, 15), exercise=st.integers(0, 3))
    def skip_an_exercise(self, d, lesson, exercise):
        """ "Sla deze oefening over": allowed for an H5P step only, refused for the others."""
        device, lesson = self.device(d), self.lesson(lesson)
        block_ids = list(lesson.exercises)
        block_id = block_ids[exercise % len(block_ids)]
        step, child = lesson.exercises[block_id]
        response = device.client.post("/leren/overslaan/", {"les": lesson.pk, "oefening": block_id})
        if child.block_type != "h5p":
            assert response.status_code == 400
            return
        assert response.status_code == 302
        if device.learner is None:
            device.learner = self.new_learner(device)
        furthest = device.learner.furthest
        furthest[lesson.pk] = max(furthest.get(lesson.pk, 0), step)
        device.learner.skipped.setdefault(lesson.pk, set()).add(block_id)

    @rule(d=st.integers(0, 2), lesson=st.integers(0, 15))
    def finish_a_lesson(self, d, lesson):
        device, lesson = self.device(d), self.lesson(lesson)
        for step in range(1, lesson.step_count + 1):
            self.open_step(device, lesson, step)
            for block_id, (where, _exercise) in lesson.exercises.items():
                if where == step:
                    self.answer(device, lesson, block_id, True)
        assert device.client.get(lesson.finish_url()).status_code == 200

    @rule(d=st.integers(0, 2), module=st.integers(0, 3))
    def complete_a_module(self, d, module):
        """The quick way: every exercise of every lesson of one module, right."""
        device = self.device(d)
        module = self.world.modules[module % len(self.world.modules)]
        for lesson in self.world.lessons_of[module.pk]:
            for block_id in lesson.exercises:
                self.answer(device, lesson, block_id, True)

    # --- learning cards ------------------------------------------------------------------

    @rule(d=st.integers(0, 2))
    def make_a_learning_card(self, d):
        device = self.device(d)
        made = device.client.post("/mijn/leerkaart/")
        if device.learner is None:
            assert made.status_code == 200
            return
        assert made.status_code == 302
        shown = device.client.get(made["Location"])
        assert shown.status_code == 200 and shown["Cache-Control"] == "no-store"
        self.dead_codes.extend(device.learner.cards)
        device.learner.cards = {shown.context["code"]}

    @rule(d=st.integers(0, 2))
    def reload_the_card_page(self, d):
        """Reloading never makes another card (the printed one keeps working)."""
        device = self.device(d)
        before = LearningCard.objects.count()
        response = device.client.get("/mijn/leerkaart/")
        assert response.status_code == 200
        assert "code" not in (response.context or {})
        assert LearningCard.objects.count() == before

    @rule(d=st.integers(0, MAX_DEVICES), which=st.integers(0, 20), real=st.booleans())
    def log_in_with_a_card(self, d, which, real):
        """On this or another browser (a new one when d is past the last device)."""
        if d >= len(self.devices) and len(self.devices) < MAX_DEVICES:
            self.devices.append(Device(Client()))
        device = self.device(d)
        codes_held = sorted((code, learner) for learner in self.learners for code in learner.cards)
        address = f"10.1.{len(self.learners)}.{which}"
        if not real or not codes_held:
            # Unknown codes are counted per address: a fresh address keeps the real ones free.
            dead = self.dead_codes[which % len(self.dead_codes)] if self.dead_codes else None
            code = dead if dead and which % 2 else f"ZZZZ-{which:04d}-XXXX-XXXX"
            response = device.client.post("/leerkaart/", {"code": code}, REMOTE_ADDR=address)
            assert response.status_code in (200, 429)  # 429 once a prefix was tried too often
            return
        code, card_learner = codes_held[which % len(codes_held)]
        response = device.client.post("/leerkaart/", {"code": code.lower()})
        assert response.status_code == 302, response.status_code
        here = device.learner
        if device.username is not None and device.username != card_learner.username:
            device.username, here = None, None  # logged out first
        if card_learner.username is not None:
            self.merge(here if here is not None and here.username is None else None, card_learner)
            self.log_in_as(device, card_learner.username)
        else:
            if here is not None and here.username is None:
                self.merge(here, card_learner)
            device.learner = card_learner

    # --- accounts ------------------------------------------------------------------------

    @rule(d=st.integers(0, 2))
    def create_an_account(self, d):
        device = self.device(d)
        username = f"leerder.{next(self.names)}"
        response = device.client.post(
            "/mijn/account-maken/", {"username": username, "password": PASSWORD}
        )
        assert response.status_code == 302
        if device.username is not None:
            return  # already logged in: nothing happens
        if device.learner is None:
            device.learner = self.new_learner(device)
        else:
            # Other browsers held this learner by cookie; a learner with an account is
            # only reached by logging in.
            for other in self.devices:
                if other is not device and other.learner is device.learner:
                    other.learner = None
        device.learner.username = username
        self.accounts[username] = device.learner
        device.username = username

    @rule(d=st.integers(0, 2), which=st.integers(0, 20), right=st.booleans())
    def log_in_with_a_password(self, d, which, right):
        device = self.device(d)
        living = sorted(name for name, learner in self.accounts.items() if learner is not None)
        if not living:
            return
        username = living[which % len(living)]
        failures = self.login_failures.get(username, 0)
        password = PASSWORD if right else "niet-juist-2026"
        address = "127.0.0.1" if right else f"10.2.{len(self.learners)}.{which}"
        response = device.client.post(
            "/mijn/aanmelden/", {"username": username, "password": password}, REMOTE_ADDR=address
        )
        if device.username is not None:
            assert response.status_code == 302  # already logged in: nothing happens
            return
        if failures >= FAILURES_ALLOWED:
            assert response.status_code == 429
            return
        if not right:
            assert response.status_code == 200
            self.login_failures[username] = failures + 1
            return
        assert response.status_code == 302
        target = self.accounts[username]
        self.merge(device.learner, target)
        self.log_in_as(device, username)

    @rule(d=st.integers(0, 2))
    def log_out(self, d):
        device = self.device(d)
        assert device.client.post("/mijn/afmelden/").status_code == 302
        device.learner, device.username = None, None

    @rule(d=st.integers(0, 2))
    def forget_this_device(self, d):
        device = self.device(d)
        assert device.client.post("/mijn/vergeet-dit-toestel/").status_code == 302
        if device.username is None:
            device.learner = None

    # --- helpers looking along -----------------------------------------------------------

    @rule(
        d=st.integers(0, 2),
        who=st.sampled_from(["digipunt", "helper", "wrong helper code", "no consent"]),
    )
    def grant_a_mandate(self, d, who):
        device = self.device(d)
        data = {"who": "digipunt", "digipunt": self.world.digipunt.pk, "months": 1}
        data["confirm"] = "on"
        if who in ("helper", "wrong helper code"):
            data = {**data, "who": "helper", "digipunt": ""}
            data["helper_code"] = self.world.helper.helper_code if who == "helper" else "HXXXX"
        if who == "no consent":
            del data["confirm"]
        response = device.client.post("/mijn/meekijken/", data)
        if device.learner is None or who in ("wrong helper code", "no consent"):
            assert response.status_code == 200
            return
        assert response.status_code == 302
        mandate = HelperMandate.objects.filter(learner_id=device.learner.pk).latest("pk")
        device.learner.mandates[mandate.pk] = True

    @rule(d=st.integers(0, 2), which=st.integers(0, 20))
    def stop_a_mandate(self, d, which):
        device = self.device(d)
        everyone = sorted(
            (pk, learner) for learner in self.learners for pk in learner.mandates
        ) or [(999999, None)]
        pk, owner = everyone[which % len(everyone)]
        response = device.client.post(f"/mijn/meekijken/{pk}/stoppen/")
        if owner is None or owner is not device.learner:
            assert response.status_code == 404
            return
        assert response.status_code == 302
        owner.mandates[pk] = False

    @rule(which=st.integers(0, 20))
    def helper_looks_along(self, which):
        everyone = sorted((pk, learner) for learner in self.learners for pk in learner.mandates)
        if not everyone:
            return
        pk, owner = everyone[which % len(everyone)]
        response = self.world.helper_browser.get(f"/helpers/leerders/{pk}/")
        assert response.status_code == (200 if owner.mandates[pk] else 404)

    # --- this device's choices -----------------------------------------------------------

    @rule(d=st.integers(0, 2), language=st.sampled_from(LANGUAGES))
    def choose_a_help_language(self, d, language):
        device = self.device(d)
        response = device.client.post("/taal/", {"taal": language, "terug": "/mijn/"})
        assert response.status_code == 302
        device.language = language

    @rule(
        d=st.integers(0, 2),
        size=st.sampled_from(["normaal", "groot", "extra-groot", "reuzegroot"]),
        contrast=st.sampled_from(["normaal", "hoog", ""]),
    )
    def choose_the_display(self, d, size, contrast):
        device = self.device(d)
        response = device.client.post("/weergave/", {"tekst": size, "contrast": contrast})
        assert response.status_code == 302

    @rule(d=st.integers(0, 2))
    def kiosk_mode_on_or_off(self, d):
        """A digihelper switched this browser (their kiosk cookie), or switched it back."""
        device = self.device(d)
        if device.kiosk:
            del device.client.cookies["kiosk"]
        else:
            device.client.cookies["kiosk"] = self.world.kiosk_cookie
        device.kiosk = not device.kiosk

    @rule(d=st.integers(0, 2), idle=st.booleans())
    def kiosk_ends(self, d, idle):
        device = self.device(d)
        if idle:
            response = device.client.get("/kiosk/inactief/")
            ended = device.kiosk
        else:
            response = device.client.post("/kiosk/afmelden/")
            ended = True
        assert response.status_code == 302
        if ended:
            device.learner, device.username, device.language = None, None, "nl-be"

    # --- my data and certificates --------------------------------------------------------

    @rule(d=st.integers(0, 2))
    def export_my_data(self, d):
        device = self.device(d)
        response = device.client.get("/mijn/gegevens/download.json")
        if device.learner is None:
            assert response.status_code == 404
            return
        assert response.status_code == 200
        json.loads(response.content)

    @rule(d=st.integers(0, 2), understood=st.booleans())
    def delete_my_account(self, d, understood):
        device = self.device(d)
        data = {"understood": "on"} if understood else {}
        response = device.client.post("/mijn/gegevens/verwijderen/", data)
        if device.learner is None or not understood:
            assert response.status_code == 200
            return
        assert response.status_code == 302
        self.dead_codes.extend(device.learner.cards)
        self.forget(device.learner)

    @rule(d=st.integers(0, 2), module=st.integers(0, 3))
    def ask_for_a_certificate(self, d, module):
        device = self.device(d)
        module = self.world.modules[module % len(self.world.modules)]
        page = f"/mijn/certificaten/module/{module.pk}/"
        assert device.client.get(page).status_code == 200
        response = device.client.post(page, {"name": "Marie Peeters"})
        learner = device.learner
        done = learner is not None and all(
            learner.completed(lesson) for lesson in self.world.lessons_of[module.pk]
        )
        if learner is not None and (done or module.pk in learner.certificates):
            assert response.status_code == 302
            learner.certificates.add(module.pk)
        else:
            assert response.status_code == 200

    # --- after every action --------------------------------------------------------------

    @invariant()
    def every_page_answers_and_the_database_agrees(self):
        self.pages_answer(self.acting)
        self.devices_hold_the_expected_learners()
        for learner in self.learners:
            self.progress_matches(learner)
        self.certificates_only_for_completed_modules()

    def pages_answer(self, device: Device):
        client = device.client
        lesson_index, step = device.place
        lesson = self.world.lessons[lesson_index]
        pages = [
            "/",
            "/modules/",
            *(module.url for module in self.world.modules),
            lesson.finish_url(),
            "/mijn/certificaten/",
            "/mijn/meekijken/",
            "/verder-leren/",
            "/hulp/",
            "/zoeken/?q=pincode",
        ]
        for address in pages:
            status = client.get(address).status_code
            assert status < 500, (address, status)
        self.open_step(device, lesson, step)
        for address in ("/", "/mijn/"):
            response = client.get(address)
            assert response.status_code == 200, (address, response.status_code)
            found = CONTINUE_LINK.search(response.content.decode())
            if found:
                self.follow_continue_link(device, found.group(1))

    def follow_continue_link(self, device: Device, address: str):
        match = STEP_ADDRESS.match(address)
        assert match, f"'Ga verder' leads to {address}, not a lesson step"
        lesson = next(x for x in self.world.lessons if x.url == match["lesson"])
        self.open_step(device, lesson, int(match["step"] or 1))

    def devices_hold_the_expected_learners(self):
        for number, device in enumerate(self.devices):
            actual = held_learner(device.client)
            expected = device.learner.pk if device.learner else None
            assert (actual.pk if actual else None) == expected, f"browser {number}"

    def progress_matches(self, learner: ModelLearner):
        row = Learner.objects.filter(pk=learner.pk).first()
        assert row is not None, "a learner the model still knows was deleted"
        rows = {
            progress.lesson_id: progress
            for progress in LessonProgress.objects.filter(learner_id=learner.pk)
        }
        assert set(rows) == set(learner.furthest), "lessons with progress"
        for lesson in self.world.lessons:
            progress = rows.get(lesson.pk)
            if progress is None:
                continue
            assert progress.furthest_step == learner.furthest[lesson.pk], lesson.url
            assert progress.is_completed == learner.completed(lesson), lesson.url
        active_cards = set(
            LearningCard.objects.filter(learner_id=learner.pk, revoked_at__isnull=True).values_list(
                "code_hash", flat=True
            )
        )
        assert active_cards == {code_hash(code) for code in learner.cards}, "working cards"
        active = set(selectors.learner_mandates(row).values_list("pk", flat=True))
        assert active == {pk for pk, on in learner.mandates.items() if on}, "mandates"
        mine = set(
            Certificate.objects.filter(learner_id=learner.pk).values_list("module_id", flat=True)
        )
        assert mine == learner.certificates, "certificates"
        if learner.username is not None:
            user = get_user_model().objects.get(username=learner.username)
            assert row.user_id == user.pk

    def certificates_only_for_completed_modules(self):
        for certificate in Certificate.objects.filter(learner__isnull=False):
            module = next(m for m in self.world.modules if m.pk == certificate.module_id)
            summary = selectors.module_summary(certificate.learner, module)
            assert summary.is_completed, f"certificate for {module.title} without completion"


def test_every_learner_journey_holds_in_every_state(monkeypatch):
    LearnerLife.world = demo_world()
    freeze_rate_limit_windows(monkeypatch)
    run_state_machine_as_test(LearnerLife, settings=PROFILE)
