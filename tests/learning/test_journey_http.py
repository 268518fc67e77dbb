"""A whole demo module over HTTP, as an anonymous learner, then claimed by a new account."""

import re
import uuid

import pytest
from django.core.management import call_command
from django.test import Client

from courses.models import ModulePage
from learning.models import Attempt, LessonProgress
from tests.answers import right_answer, wrong_answer

pytestmark = pytest.mark.django_db
EID = "je-eid-kaartlezer-en-pincode"


def hidden(html, name):
    return re.search(rf'name="{name}" value="([^"]+)"', html).group(1)


def complete_module(client, module):
    for lesson in module.lessons():
        for number in range(1, lesson.step_count + 1):
            page = client.get(lesson.step_url(number))
            assert page.status_code == 200
            html = page.content.decode()
            assert f"Stap {number} van {lesson.step_count}" in html
            for block_id, (step, exercise) in lesson.exercises.items():
                if step != number:
                    continue
                attempt = hidden(html, "poging")
                first = wrong_answer(exercise)
                response = client.post(
                    "/leren/antwoord/",
                    {"les": lesson.pk, "oefening": block_id, "poging": attempt, "antwoord": first},
                )
                assert response.status_code == 302
                retry = client.get(lesson.step_url(number)).content.decode()
                assert "Dat is nog niet juist" in retry
                client.post(
                    "/leren/antwoord/",
                    {
                        "les": lesson.pk,
                        "oefening": block_id,
                        "poging": hidden(retry, "poging"),
                        "antwoord": right_answer(exercise),
                    },
                )
                assert "Goed zo!" in client.get(lesson.step_url(number)).content.decode()
        finished = client.get(lesson.finish_url()).content.decode()
        assert "klaar" in finished or "Proficiat" in finished


def test_anonymous_learner_completes_the_eid_module_and_claims_it():
    call_command("seed_demo", "--no-translations")
    module = ModulePage.objects.live_dutch().get(slug=EID)
    client = Client()

    home = client.get("/").content.decode()
    assert "Je eID, kaartlezer en pincode" in home
    assert "Ga verder waar je was" not in home

    complete_module(client, module)

    module_page = client.get(module.url).content.decode()
    assert "Proficiat! Je hebt de module afgerond." in module_page
    lessons = list(module.lessons())
    assert LessonProgress.objects.filter(status="completed").count() == len(lessons)
    attempts = Attempt.objects.count()

    # Next day, same device: the cookie brings the learner back.
    mine = client.get("/mijn/").content.decode()
    assert "Je eID, kaartlezer en pincode" in mine and "Afgerond" in mine

    response = client.post(
        "/mijn/account-maken/", {"username": "marie.ieper", "password": "kaartlezer-2026"}
    )
    assert response.status_code == 302

    other_device = Client()
    other_device.post(
        "/mijn/aanmelden/", {"username": "marie.ieper", "password": "kaartlezer-2026"}
    )
    on_phone = other_device.get(module.url).content.decode()
    assert "Proficiat! Je hebt de module afgerond." in on_phone
    assert Attempt.objects.count() == attempts


def test_continue_where_you_were_after_a_restart():
    call_command("seed_demo", "--no-translations")
    module = ModulePage.objects.live_dutch().get(slug=EID)
    lesson = module.lessons()[1]
    block_id, (step, exercise) = next(iter(lesson.exercises.items()))
    client = Client()
    client.post(
        "/leren/antwoord/",
        {
            "les": lesson.pk,
            "oefening": block_id,
            "poging": str(uuid.uuid4()),
            "antwoord": wrong_answer(exercise),
        },
    )
    client.get(lesson.step_url(2))
    # A browser restart keeps persistent cookies; the session is irrelevant to progress.
    restarted = Client()
    restarted.cookies = client.cookies
    home = restarted.get("/").content.decode()
    assert "Ga verder waar je was" in home
    assert f'href="{lesson.step_url(2)}"' in home


def test_account_form_explains_mistakes_in_dutch(client):
    response = client.post("/mijn/account-maken/", {"username": "a b", "password": "123"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Gebruik alleen letters, cijfers" in html
    assert "Je wachtwoord is te kort. Gebruik minstens 8 tekens." in html


def test_wrong_login_is_explained_and_changes_nothing(client, django_user_model):
    response = client.post("/mijn/aanmelden/", {"username": "niemand", "password": "fout-fout"})
    assert "passen niet bij elkaar" in response.content.decode()
    assert not django_user_model.objects.exists()


def test_logout_forgets_the_device(client, lesson):
    client.post("/mijn/account-maken/", {"username": "jan", "password": "kaartlezer-2026"})
    response = client.post("/mijn/afmelden/")
    assert response.status_code == 302
    assert client.cookies["leerder"].value == ""
    assert "Aanmelden" in client.get("/").content.decode()


def test_password_guessing_is_slowed_down(client, monkeypatch, django_user_model):
    from django.core.cache import cache

    cache.clear()
    monkeypatch.setattr("toolkit.ratelimit.time.time", lambda: 3_000_000.0)
    django_user_model.objects.create_user(username="marie", password="kaartlezer-2026")
    for attempt in range(10):
        wrong = client.post("/mijn/aanmelden/", {"username": "marie", "password": f"fout{attempt}"})
        assert wrong.status_code == 200
    blocked = client.post("/mijn/aanmelden/", {"username": "marie", "password": "kaartlezer-2026"})
    assert blocked.status_code == 429
    assert "Wacht een minuut" in blocked.content.decode()
    assert "_auth_user_id" not in client.session
