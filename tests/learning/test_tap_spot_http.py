"""Tik op de juiste plek without JavaScript: the spot's button and the list post the same
answer to the same endpoint as every exercise, and count for the lesson."""

import uuid

import pytest
from django.core.files.images import ImageFile
from wagtail.images import get_image_model

from courses import demo
from courses.factories import LessonPageFactory, tap_spot_step, text_step
from learning.models import Attempt, Learner, LessonProgress

pytestmark = pytest.mark.django_db
ANSWER_URL = "/leren/antwoord/"
SCREEN = demo.CONTENT_DIR / "screens" / "eid-aanmelden-kiezen.svg"


@pytest.fixture
def tap_lesson(module):
    image = get_image_model()(title="scherm")
    with SCREEN.open("rb") as handle:
        image.file = ImageFile(handle, name=SCREEN.name)
        image.save()
    return LessonPageFactory(
        parent=module,
        title="Aanmelden",
        slug="aanmelden",
        steps=[text_step(), tap_spot_step(image)],
    )


def post(client, lesson, chosen):
    """What the browser sends: the pressed spot (or nothing) and the option checked below."""
    return client.post(
        ANSWER_URL,
        {
            "les": lesson.pk,
            "oefening": list(lesson.exercises)[0],
            "poging": str(uuid.uuid4()),
            "antwoord": chosen,
        },
    )


def step_page(client, lesson):
    return client.get(lesson.step_url(2)).content.decode()


def test_the_step_has_a_button_per_spot_inside_the_exercise_form(client, tap_lesson):
    page = step_page(client, tap_lesson)
    form = page[page.index('<form id="oefening"') : page.index("</form>")]
    assert form.count("data-tap-area") == 3
    assert form.count('<input type="radio" name="antwoord"') == 3
    assert "Controleer mijn antwoord" in form
    assert "css/tap-spot.css" in page


def test_a_wrong_tap_then_the_right_one_from_the_list(client, tap_lesson):
    response = post(client, tap_lesson, ["2"])  # the spot's button: its value only
    assert response.status_code == 302 and response.url.endswith("#oefening")
    page = step_page(client, tap_lesson)
    assert "Dat is nog niet juist" in page and "Nee. Zoek de knop met eID." in page
    assert "Je koos: Beveiligingscode via sms" in page
    assert not LessonProgress.objects.get().is_completed

    post(client, tap_lesson, ["0"])  # the list: the checked option, the same value
    page = step_page(client, tap_lesson)
    assert "Goed zo! Dat is juist." in page
    assert "Juist. Met deze knop log je in met je eID." in page
    progress = LessonProgress.objects.get()
    assert progress.is_completed
    assert progress.exercises[list(tap_lesson.exercises)[0]]["tries"] == 2
    assert Attempt.objects.count() == 2


def test_a_tap_while_an_option_is_checked_counts_the_tap(client, tap_lesson):
    post(client, tap_lesson, ["0", "2"])  # tapped the right spot, a wrong option was checked
    assert LessonProgress.objects.get().is_completed


def test_nothing_chosen_asks_kindly_and_records_nothing(client, tap_lesson):
    response = post(client, tap_lesson, [])
    assert response.status_code == 302
    assert "Tik op een plek op de afbeelding" in step_page(client, tap_lesson)
    assert not Learner.objects.exists() and not Attempt.objects.exists()


@pytest.mark.parametrize("chosen", [["3"], ["-1"], ["eID"], ["0", "1", "2"], ["1.5"]])
def test_bad_values_get_a_dutch_message_and_nothing_is_written(client, tap_lesson, chosen):
    response = post(client, tap_lesson, chosen)
    assert response.status_code == 400
    assert "Dit antwoord konden we niet lezen" in response.content.decode()
    assert not Learner.objects.exists() and not Attempt.objects.exists()
    assert not LessonProgress.objects.exists()
