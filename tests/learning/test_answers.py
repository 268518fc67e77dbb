"""Answering over HTTP: Post/Redirect/Get, JSON for JavaScript, and every kind of bad input."""

import uuid

import pytest
from django.conf import settings

from learning.models import Attempt, Learner, LessonProgress

pytestmark = pytest.mark.django_db
ANSWER_URL = "/leren/antwoord/"


def post_answer(client, lesson, chosen, *, block_id=None, attempt_id=None, json=False, **extra):
    data = {
        "les": lesson.pk,
        "oefening": block_id or list(lesson.exercises)[0],
        "poging": str(attempt_id or uuid.uuid4()),
        "antwoord": chosen,
        **extra,
    }
    headers = {"Accept": "application/json"} if json else {}
    return client.post(ANSWER_URL, data, headers=headers)


def test_first_answer_makes_a_learner_and_redirects_back_with_feedback(client, lesson):
    response = post_answer(client, lesson, ["1"])
    assert response.status_code == 302
    assert response.url == f"{lesson.url}stap-3/#oefening"
    assert settings.LEARNER_COOKIE_NAME in response.cookies
    cookie = response.cookies[settings.LEARNER_COOKIE_NAME]
    assert cookie["httponly"] and cookie["max-age"] == settings.LEARNER_COOKIE_AGE
    page = client.get(f"{lesson.url}stap-3/")
    assert "Dat is nog niet juist" in page.content.decode()
    assert "Nee, het zijn er 4." in page.content.decode()
    assert Learner.objects.count() == 1 and Attempt.objects.count() == 1


def test_kind_feedback_then_a_new_try_passes(client, lesson):
    post_answer(client, lesson, ["2"])
    post_answer(client, lesson, ["0"])
    page = client.get(f"{lesson.url}stap-3/").content.decode()
    assert "Goed zo! Dat is juist." in page
    assert LessonProgress.objects.get().is_completed


def test_double_submit_counts_once(client, lesson):
    attempt_id = uuid.uuid4()
    post_answer(client, lesson, ["1"], attempt_id=attempt_id)
    post_answer(client, lesson, ["1"], attempt_id=attempt_id)
    assert Attempt.objects.count() == 1
    assert LessonProgress.objects.get().exercises[list(lesson.exercises)[0]]["tries"] == 1


def test_double_click_on_a_first_answer_without_javascript(client, lesson):
    """Both clicks leave before either cookie arrives: the second gets the same learner."""
    from django.test import Client

    attempt_id = uuid.uuid4()
    first = post_answer(client, lesson, ["1"], attempt_id=attempt_id)
    second_browser_tab = Client()  # the second request carries no learner cookie either
    second = post_answer(second_browser_tab, lesson, ["1"], attempt_id=attempt_id)
    assert first.status_code == second.status_code == 302
    assert second.url == f"{lesson.url}stap-3/#oefening"
    cookie = settings.LEARNER_COOKIE_NAME
    assert second.cookies[cookie].value.split(":")[0] == first.cookies[cookie].value.split(":")[0]
    page = second_browser_tab.get(f"{lesson.url}stap-3/").content.decode()
    assert "Dat is nog niet juist" in page  # the answer is shown under the cookie it has now
    assert Learner.objects.count() == 1 and Attempt.objects.count() == 1


@pytest.mark.parametrize("later", ["too late", "more answers", "a card"])
def test_someone_elses_answer_id_still_gives_nothing(client, lesson, later):
    """Only a learner made a moment ago, with this one answer and no card, is handed over."""
    import datetime

    from django.test import Client

    from learning.models import LearningCard

    attempt_id = uuid.uuid4()
    post_answer(client, lesson, ["1"], attempt_id=attempt_id)
    owner = Learner.objects.get()
    if later == "too late":
        Learner.objects.update(created_at=owner.created_at - datetime.timedelta(seconds=61))
    elif later == "more answers":
        post_answer(client, lesson, ["2"])
    else:
        LearningCard.objects.create(learner=owner, code_hash="x" * 64, prefix="ABCD")
    stranger = post_answer(Client(), lesson, ["1"], attempt_id=attempt_id)
    assert stranger.status_code == 400
    assert "Dit antwoord konden we niet lezen" in stranger.content.decode()
    assert Learner.objects.count() == 1


def test_javascript_gets_json_with_feedback_and_a_fresh_attempt_id(client, lesson):
    response = post_answer(client, lesson, ["0"], json=True)
    data = response.json()
    assert response.status_code == 200
    assert data["passed"] is True and data["lesson_completed"] is True
    assert "Juist, 4 cijfers." in data["feedback_html"]
    uuid.UUID(data["next_attempt_id"])


def test_nothing_chosen_asks_kindly_and_records_nothing(client, lesson):
    response = post_answer(client, lesson, [], follow=False)
    assert response.status_code == 302
    page = client.get(response.url.split("#")[0]).content.decode()
    assert "Kies een antwoord." in page
    assert not Learner.objects.exists() and not Attempt.objects.exists()
    json = post_answer(client, lesson, [], json=True)
    assert json.status_code == 422 and json.json()["error"] == "Kies een antwoord."


@pytest.mark.parametrize(
    "change",
    [
        {"antwoord": ["9"]},  # an option that does not exist
        {"antwoord": ["0", "1"]},  # two answers to a single choice
        {"antwoord": ["<script>"]},
        {"oefening": "onbekend-blok"},
        {"les": "999999"},
        {"les": "abc"},
        {"poging": "geen-uuid"},
        {"poging": ""},
    ],
)
def test_forged_input_gets_a_dutch_message_and_records_nothing(client, lesson, change):
    data = {
        "les": lesson.pk,
        "oefening": list(lesson.exercises)[0],
        "poging": str(uuid.uuid4()),
        "antwoord": ["0"],
        **change,
    }
    response = client.post(ANSWER_URL, data)
    assert response.status_code == 400
    assert "Dit antwoord konden we niet lezen" in response.content.decode()
    assert not Learner.objects.exists() and not Attempt.objects.exists()
    assert not LessonProgress.objects.exists()


def test_answer_needs_post(client, lesson):
    assert client.get(ANSWER_URL).status_code == 405


def test_unpublished_lesson_takes_no_answers(client, lesson):
    lesson.unpublish()
    response = post_answer(client, lesson, ["0"])
    assert response.status_code == 400 and not Attempt.objects.exists()


def test_reused_attempt_id_of_someone_else_is_refused(client, lesson, django_user_model):
    attempt_id = uuid.uuid4()
    post_answer(client, lesson, ["1"], attempt_id=attempt_id)
    client.cookies.clear()
    response = post_answer(client, lesson, ["0"], attempt_id=attempt_id)
    assert response.status_code == 400
    assert Attempt.objects.count() == 1 and Learner.objects.count() == 1


# The "Ga verder waar je was" box (components/continue.html); the page's description names
# the same words, so the test looks for the box itself.
CONTINUE_BOX = 'id="verder-titel"'


def test_tampered_cookie_starts_a_fresh_learner(client, lesson):
    post_answer(client, lesson, ["0"])
    first = Learner.objects.get()
    value = client.cookies[settings.LEARNER_COOKIE_NAME].value
    client.cookies[settings.LEARNER_COOKIE_NAME] = value[:-3] + "abc"
    page = client.get("/mijn/").content.decode()
    assert CONTINUE_BOX not in page
    post_answer(client, lesson, ["1"])
    assert Learner.objects.count() == 2
    assert LessonProgress.objects.get(learner=first).is_completed
    assert not LessonProgress.objects.exclude(learner=first).get().is_completed


def test_unsigned_cookie_naming_a_real_learner_is_ignored(client, lesson):
    post_answer(client, lesson, ["0"])
    victim = Learner.objects.get()
    client.cookies.clear()
    client.cookies[settings.LEARNER_COOKIE_NAME] = str(victim.public_id)
    assert CONTINUE_BOX not in client.get("/mijn/").content.decode()


def test_site_pages_send_a_strict_content_security_policy(client, lesson):
    response = client.get(lesson.url)
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "<script>" not in response.content.decode()
    assert " style=" not in response.content.decode()
