"""Every learner journey holds, in every state: incomplete answers without JavaScript, the
feedback's wording, the lesson's end page, an H5P step without JavaScript, and a database
that is locked or down."""

import re
import uuid
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import InterfaceError, OperationalError
from django.test import Client

from courses.factories import LessonPageFactory, exercise_step, text_step
from courses.models import ModulePage
from learning.models import Attempt, Learner, LessonProgress
from tests.answers import right_answer, walk_sandbox

pytestmark = pytest.mark.django_db
ANSWER_URL = "/leren/antwoord/"


def post(client, lesson, chosen, *, block_id=None, json=False):
    data = {
        "les": lesson.pk,
        "oefening": block_id or list(lesson.exercises)[0],
        "poging": str(uuid.uuid4()),
        "antwoord": chosen,
    }
    headers = {"Accept": "application/json"} if json else {}
    return client.post(ANSWER_URL, data, headers=headers)


@pytest.fixture
def ordering_lesson(module):
    """A text step, then an ordering exercise (step 2): items 0, 1, 2 in that order."""
    return LessonPageFactory(
        parent=module,
        title="Inloggen",
        slug="inloggen",
        steps=[text_step(), exercise_step("ordering", title="Zet in de juiste volgorde")],
    )


def title_of(html):
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()


def exercise_form(html):
    return re.search(r'<form id="oefening".*?</form>', html, re.S).group(0)


def selected_places(html):
    """The chosen item per place, from the selects' selected options ("" for none)."""
    places = []
    for select in re.findall(r'<select name="antwoord">(.*?)</select>', html, re.S):
        chosen = re.search(r'<option value="(\d*)" selected>', select)
        places.append(chosen.group(1) if chosen else "")
    return places


# --- without JavaScript, an incomplete answer ----------------------------------------------


def test_incomplete_answer_shows_its_error_at_the_exercise_and_keeps_the_choices(
    client, ordering_lesson
):
    response = post(client, ordering_lesson, ["2", "", "0"])
    assert response.status_code == 302 and response.url.endswith("stap-2/#oefening")
    html = client.get(response.url.split("#")[0]).content.decode()
    message = "Kies voor elke plaats een stap."
    # In the title (read first by a screen reader) and inside the form the browser jumps to…
    assert title_of(html).startswith(f"Fout: {message}")
    assert f"Fout: {message}" in exercise_form(html)
    assert 'role="alert"' in exercise_form(html)
    # …not at the top of the page, out of sight.
    assert 'class="messages"' not in html
    # What was chosen stays chosen.
    assert selected_places(html) == ["2", "", "0"]
    assert not Learner.objects.exists() and not Attempt.objects.exists()

    again = client.get(response.url.split("#")[0]).content.decode()
    assert message not in again and selected_places(again) == ["", "", ""]  # shown once


def test_a_step_chosen_twice_is_kept_too(client, ordering_lesson):
    response = post(client, ordering_lesson, ["1", "1", "0"])
    html = client.get(response.url.split("#")[0]).content.decode()
    assert "Je koos een stap twee keer." in exercise_form(html)
    assert selected_places(html) == ["1", "1", "0"]


def test_nothing_chosen_in_a_choice_exercise_is_said_at_the_exercise(client, lesson):
    response = post(client, lesson, [])
    html = client.get(response.url.split("#")[0]).content.decode()
    assert title_of(html).startswith("Fout: Kies een antwoord.")
    assert "Fout: Kies een antwoord." in exercise_form(html)


def test_javascript_still_gets_the_error_as_json(client, ordering_lesson):
    response = post(client, ordering_lesson, ["", "", ""], json=True)
    assert response.status_code == 422
    assert response.json() == {"error": "Kies voor elke plaats een stap."}


# --- ordering: every item readable, and which place is wrong -------------------------------


def test_ordering_lists_every_item_in_full_and_each_option_starts_with_its_letter(
    client, ordering_lesson
):
    html = exercise_form(client.get(ordering_lesson.step_url(2)).content.decode())
    items = re.findall(r'<span class="order-text">(.*?)</span>', html)
    assert sorted(items) == sorted(["Kaart in de lezer", "Aanmelden", "Pincode typen"])
    letters = re.findall(r'<span class="order-letter">(.*?)</span>', html)
    assert letters == ["A", "B", "C"]
    for letter, text in zip(letters, items, strict=True):
        assert html.count(f">{letter}: {text}</option>") == 3  # one per place


def test_ordering_feedback_says_which_places_are_wrong(client, ordering_lesson):
    post(client, ordering_lesson, ["1", "0", "2"])
    html = exercise_form(client.get(ordering_lesson.step_url(2)).content.decode())
    assert "Plaats 1 en 2 kloppen nog niet." in html
    post(client, ordering_lesson, ["2", "0", "1"])
    html = exercise_form(client.get(ordering_lesson.step_url(2)).content.decode())
    assert "Plaats 1, 2 en 3 kloppen nog niet." in html
    post(client, ordering_lesson, ["0", "1", "2"])
    html = exercise_form(client.get(ordering_lesson.step_url(2)).content.decode())
    assert "klopt nog niet" not in html and "kloppen nog niet" not in html


def test_one_wrong_place_reads_singular():
    from courses.blocks import _wrong_places

    assert _wrong_places([2]) == "Plaats 2 klopt nog niet."
    assert _wrong_places([1, 3, 4]) == "Plaats 1, 3 en 4 kloppen nog niet."


def test_feedback_does_not_repeat_its_opening_words(client, ordering_lesson):
    # The trainer's text for a right answer is "Goed zo!" (courses/factories.py).
    post(client, ordering_lesson, ["0", "1", "2"])
    html = exercise_form(client.get(ordering_lesson.step_url(2)).content.decode())
    assert html.count("Goed zo!") == 1
    assert "Dat is juist." in html


def test_feedback_keeps_its_opening_words_when_the_trainer_says_something_else(client, lesson):
    post(client, lesson, ["0"])  # "Juist, 4 cijfers."
    html = exercise_form(client.get(lesson.step_url(3)).content.decode())
    assert "Goed zo! Dat is juist." in html and "Juist, 4 cijfers." in html


# --- the lesson's last step and end page ---------------------------------------------------


def finish_link(html):
    return re.search(r'<a class="([^"]*)" href="[^"]*klaar/"[^>]*>Les afronden</a>', html).group(1)


def test_les_afronden_is_the_main_button_only_when_the_lesson_can_be_completed(client, lesson):
    last = lesson.step_url(3)
    assert finish_link(client.get(last).content.decode()) == "button"
    post(client, lesson, ["1"])
    assert finish_link(client.get(last).content.decode()) == "button"
    post(client, lesson, ["0"])
    assert finish_link(client.get(last).content.decode()) == "button button-primary"


def test_end_page_names_the_unfinished_exercises_by_their_step_title(client, module):
    lesson = LessonPageFactory(
        parent=module,
        slug="twee-oefeningen",
        steps=[
            exercise_step("true_false", title="Vraagt je bank je pincode?"),
            exercise_step("ordering", title="Zet in de juiste volgorde"),
        ],
    )
    post(client, lesson, ["niet-waar"])
    html = client.get(lesson.finish_url()).content.decode()
    assert "Oefening in stap" not in html
    assert f'href="{lesson.step_url(2)}#oefening"' in html
    assert "Zet in de juiste volgorde" in html
    assert "Vraagt je bank je pincode?" not in html  # passed: not listed


# --- H5P without JavaScript: every module can be finished ----------------------------------


def hidden(html, name):
    return re.search(rf'name="{name}" value="([^"]+)"', html).group(1)


def test_without_javascript_the_module_with_an_h5p_step_can_be_completed_and_certified():
    call_command("seed_demo", "--no-translations")
    module = ModulePage.objects.live_dutch().get(slug="betalen-met-je-smartphone")
    bankapp = module.lessons().get(slug="je-bankapp")
    assert any(child.block_type == "h5p" for _n, child in bankapp.exercises.values())
    client = Client()  # a test client runs no JavaScript: the H5P step is never played

    for lesson in module.lessons():
        for number in range(1, lesson.step_count + 1):
            html = client.get(lesson.step_url(number)).content.decode()
            for block_id, (step, exercise) in lesson.exercises.items():
                if step != number:
                    continue
                if exercise.block_type == "sandbox":
                    # The Oefenbank: its own screens, each a plain form.
                    assert "Open de Oefenbank" in html
                    assert walk_sandbox(client, lesson, block_id).status_code == 302
                    continue
                if exercise.block_type == "h5p":
                    # A question type counts; without JavaScript the learner skips it
                    # with the plain form the step offers.
                    assert "Of sla de oefening over." in html
                    assert "Dit is een extra oefening." not in html
                    skip = client.post(
                        "/leren/overslaan/", {"les": lesson.pk, "oefening": block_id}
                    )
                    assert skip.status_code == 302
                    continue
                response = client.post(
                    ANSWER_URL,
                    {
                        "les": lesson.pk,
                        "oefening": block_id,
                        "poging": hidden(html, "poging"),
                        "antwoord": right_answer(exercise),
                    },
                )
                assert response.status_code == 302
        finished = client.get(lesson.finish_url()).content.decode()
        assert "Bijna klaar" not in finished, lesson.title

    bankapp_end = client.get(bankapp.finish_url()).content.decode()
    assert "Overgeslagen oefeningen" in bankapp_end
    assert "Oefening: een vreemde sms" in bankapp_end
    assert LessonProgress.objects.filter(status="completed").count() == module.lessons().count()
    assert "Proficiat! Je hebt de module afgerond." in client.get(module.url).content.decode()
    address = f"/mijn/certificaten/module/{module.pk}/"
    assert client.get(address).status_code == 200
    response = client.post(address, {"name": "Marie Peeters"})
    assert response.status_code == 302 and response.url.endswith("/certificaat.pdf")
    pdf = client.get(response.url)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


# --- a database that is locked or down -----------------------------------------------------


@pytest.mark.parametrize(
    "error", [OperationalError("database is locked"), InterfaceError("connection already closed")]
)
def test_answer_not_saved_says_so_honestly(client, lesson, error):
    with mock.patch("learning.services.attempt_record", side_effect=error):
        response = post(client, lesson, ["0"])
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    html = response.content.decode()
    assert "Je antwoord is niet bewaard" in html
    assert "Probeer het over een minuut opnieuw." in html
    assert "is bewaard" not in html
    assert title_of(html).startswith("Fout: Je antwoord is niet bewaard")
    assert f'href="{lesson.step_url(3)}#oefening"' in html
    assert not Learner.objects.exists() and not Attempt.objects.exists()
    assert "leerder" not in response.cookies


def test_answer_not_saved_answers_json_to_the_script(client, lesson):
    with mock.patch(
        "learning.services.attempt_record", side_effect=OperationalError("database is locked")
    ):
        response = post(client, lesson, ["0"], json=True)
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"].startswith("Je antwoord is niet bewaard.")


def test_a_failed_step_view_write_never_keeps_the_step_from_opening(client, lesson, caplog):
    post(client, lesson, ["1"])  # now a known learner: every step view writes
    with mock.patch(
        "learning.services.step_view_record", side_effect=OperationalError("database is locked")
    ):
        response = client.get(lesson.step_url(2))
    assert response.status_code == 200
    assert "Step view not recorded" in caplog.text
    assert LessonProgress.objects.get().last_step == 3


def test_the_server_error_page_promises_nothing_was_saved():
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "Wat je al deed, is bewaard" not in html
    assert "is misschien niet bewaard" in html
