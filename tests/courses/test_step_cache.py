"""A lesson step's text comes from the shared cache, and never an old or a foreign one.

courses/step_cache.py keeps the HTML of a step's text, pictures and tips (with their
glossary marks); exercises are rendered per learner. These tests change what a step shows in
every way an editor can, between two views, and check the second view shows the change.
"""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.factories import GlossaryTermFactory, LessonPageFactory, exercise_step, text_step
from courses.glossary import entries_cached

pytestmark = pytest.mark.django_db

TEXT = "Steek je eID in de kaartlezer. Typ dan je pincode."


def tip_step(text):
    return {
        "type": "step",
        "id": str(uuid.uuid4()),
        "value": {
            "title": "Een tip",
            "body": [{"type": "tip", "id": str(uuid.uuid4()), "value": {"text": text}}],
        },
    }


@pytest.fixture
def glossary_lesson(module):
    GlossaryTermFactory(term="kaartlezer", explanation="Een toestel dat je eID leest.")
    return LessonPageFactory(
        parent=module,
        slug="met-woorden",
        steps=[
            text_step(text=TEXT),
            tip_step("Leg je pincode nooit bij je kaart."),
            exercise_step(),
        ],
    )


def html_of(client, url, **kwargs) -> str:
    response = client.get(url, **kwargs)
    assert response.status_code == 200
    return response.content.decode()


def test_the_second_view_is_the_same_page_from_the_cache(client, glossary_lesson):
    entries_cached()
    first = html_of(client, glossary_lesson.url)
    with CaptureQueriesContext(connection) as queries:
        second = html_of(client, glossary_lesson.url)
    assert first == second
    # The mark and its explanation below the step, although nothing was marked this time.
    assert second.count('class="glossary-term"') == 1
    assert "Een toestel dat je eID leest." in second
    assert not any("glossary" in query["sql"] for query in queries.captured_queries)


def test_a_published_change_shows_at_once(client, glossary_lesson):
    assert "kaartlezer" in html_of(client, glossary_lesson.url)
    revision_steps = glossary_lesson.steps.raw_data
    revision_steps[0]["value"]["body"][0]["value"] = "<p>Open de app itsme op je smartphone.</p>"
    glossary_lesson.steps = list(revision_steps)
    glossary_lesson.save_revision().publish()
    html = html_of(client, glossary_lesson.url)
    assert "Open de app itsme op je smartphone." in html
    assert "kaartlezer" not in html


def test_a_new_glossary_term_is_marked_at_once(client, glossary_lesson):
    assert 'data-glossary="pincode"' not in html_of(client, glossary_lesson.url)
    GlossaryTermFactory(term="pincode", explanation="Een geheime code van 4 cijfers.")
    html = html_of(client, glossary_lesson.url)
    assert 'data-glossary="pincode"' in html
    assert "Een geheime code van 4 cijfers." in html


def test_each_interface_language_has_its_own_labels(client, glossary_lesson):
    url = glossary_lesson.step_url(2)
    assert '<strong class="callout-label">Tip</strong>' in html_of(client, url)
    client.cookies["taal"] = "fr"
    french = html_of(client, url)
    assert "Leg je pincode nooit bij je kaart." in french  # the lesson stays Dutch
    assert 'callout-label">Astuce</strong>' in french
    client.cookies["taal"] = "uk"
    ukrainian = html_of(client, url)
    assert "Порада" in ukrainian
    client.cookies["taal"] = "nl-BE"
    assert 'callout-label">Tip</strong>' in html_of(client, url)


def test_two_lessons_with_the_same_text_link_back_to_their_own_step(
    client, module, glossary_lesson
):
    twin = LessonPageFactory(
        parent=module, slug="tweeling", steps=[text_step(text=TEXT), exercise_step()]
    )
    html_of(client, glossary_lesson.url)
    html = html_of(client, twin.url)
    assert f"terug={twin.url}" in html
    assert f"terug={glossary_lesson.url}" not in html


def test_exercises_stay_the_learners_own(client, glossary_lesson):
    """The cached part is the text: an answer given shows its feedback, another visitor
    gets the open question."""
    url = glossary_lesson.step_url(3)
    html_of(client, url)
    block_id = list(glossary_lesson.exercises)[0]
    client.post(
        "/leren/antwoord/",
        {
            "les": glossary_lesson.pk,
            "oefening": block_id,
            "poging": str(uuid.uuid4()),
            "antwoord": "0",
        },
    )
    assert "Juist, 4 cijfers." in html_of(client, url)
    client.cookies.clear()
    assert "Juist, 4 cijfers." not in html_of(client, url)
