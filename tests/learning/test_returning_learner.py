"""Regressions found by walking returning learners: pages that broke in a later state."""

import pytest
from django.test import Client

from certificates.models import Certificate
from courses.models import LessonPage
from learning.models import LessonProgress
from tests.answers import post_answer, right_answer

pytestmark = pytest.mark.django_db


def finish(client, lesson):
    for number in range(1, lesson.step_count + 1):
        assert client.get(lesson.step_url(number)).status_code == 200
    for block_id, (_step, exercise) in lesson.exercises.items():
        post_answer(client, lesson, right_answer(exercise), block_id=block_id)


def test_a_learner_who_finished_the_first_lesson_comes_back_to_home_and_my_learning(
    client, lesson, second_lesson
):
    """Was a 500: ``next_lesson()`` gave a plain Page without ``step_url``."""
    finish(client, lesson)
    for address in ("/", "/mijn/"):
        response = client.get(address)
        assert response.status_code == 200, address
        assert second_lesson.url in response.content.decode()
    assert client.get(second_lesson.url).status_code == 200


def test_next_lesson_is_a_lesson_page_and_skips_unpublished_lessons(lesson, second_lesson):
    following = lesson.next_lesson()
    assert isinstance(following, LessonPage) and following.pk == second_lesson.pk
    assert following.step_url(2).endswith("/stap-2/")
    second_lesson.unpublish()
    assert lesson.next_lesson() is None
    assert second_lesson.next_lesson() is None


@pytest.mark.parametrize("address", ["/weergave/", "/taal/"])
@pytest.mark.parametrize(
    "back", ["nope", "learning:my_learning", "//evil.example/", "https://evil.example/", "/\\x"]
)
def test_a_back_address_that_is_not_a_local_path_goes_home(client, site_tree, address, back):
    """``terug=nope`` was a 500: ``redirect()`` took the word for a view name."""
    data = {"terug": back, "tekst": "groot", "contrast": "normaal", "taal": "nl-be"}
    response = client.post(address, data)
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_a_login_next_that_is_not_a_local_path_goes_to_my_learning(client, django_user_model):
    django_user_model.objects.create_user(username="jan.veurne", password="kaartlezer-2026")
    response = client.post(
        "/mijn/aanmelden/?next=nope", {"username": "jan.veurne", "password": "kaartlezer-2026"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/mijn/"


def test_a_printed_card_keeps_working_after_its_learner_logs_in_to_an_account(client, lesson):
    """Was a bug: logging in merged this device's learner into the account and deleted its
    learning card with it; the printed card then said "Deze code kennen we niet"."""
    post_answer(client, lesson, right_answer(list(lesson.exercises.values())[0][1]))
    client.post("/mijn/leerkaart/")
    code = client.get("/mijn/leerkaart/").context["code"]
    other = Client()
    other.post("/mijn/account-maken/", {"username": "marie", "password": "kaartlezer-2026"})
    client.post("/mijn/aanmelden/", {"username": "marie", "password": "kaartlezer-2026"})

    library = Client()
    assert library.post("/leerkaart/", {"code": code}).status_code == 302
    assert library.get(lesson.url).status_code == 200
    assert LessonProgress.objects.get(lesson=lesson).learner.user.username == "marie"


def test_a_certificate_stays_with_the_learner_after_logging_in_to_an_account(
    client, lesson, second_lesson
):
    """Was a bug: the certificate earned before logging in lost its learner in the merge and
    vanished from "Mijn certificaten"."""
    finish(client, lesson)
    finish(client, second_lesson)
    module = lesson.module()
    client.post(f"/mijn/certificaten/module/{module.pk}/", {"name": "Marie"})
    Client().post("/mijn/account-maken/", {"username": "marie", "password": "kaartlezer-2026"})
    client.post("/mijn/aanmelden/", {"username": "marie", "password": "kaartlezer-2026"})

    certificate = Certificate.objects.get()
    assert certificate.learner.user.username == "marie"
    assert certificate.display_code in client.get("/mijn/certificaten/").content.decode()
