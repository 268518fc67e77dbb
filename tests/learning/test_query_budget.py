"""Deterministic budgets: SQL queries per page and bytes per lesson page."""

import gzip
import uuid
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.factories import (
    GlossaryTermFactory,
    LessonPageFactory,
    ModulePageFactory,
    exercise_step,
    steps,
    text_step,
)
from courses.glossary import entries_cached, glossary_cache_clear

pytestmark = pytest.mark.django_db


def site_cached(client, *lessons):
    """Fill the cache as earlier visitors have (courses/routing.py): the site and its home
    page, and each step of these lessons with its lesson and ancestors. The budgets below
    are those of the requests after."""
    assert client.get("/").status_code == 200
    for lesson in lessons:
        for number in range(1, lesson.step_count + 1):
            assert client.get(lesson.step_url(number)).status_code == 200


def queries_for(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def learner_with_progress(client, lesson):
    block_id = list(lesson.exercises)[0]
    client.post(
        "/leren/antwoord/",
        {"les": lesson.pk, "oefening": block_id, "poging": str(uuid.uuid4()), "antwoord": "1"},
    )


def test_lesson_page_queries_do_not_grow_with_steps(client, module):
    short = LessonPageFactory(parent=module, steps=steps(2, ("single_choice",)))
    long = LessonPageFactory(
        parent=module,
        steps=[text_step(title=f"Uitleg {n}") for n in range(27)]
        + [exercise_step("single_choice"), exercise_step("true_false"), exercise_step("ordering")],
    )
    assert (short.step_count, long.step_count) == (3, 30)
    learner_with_progress(client, short)
    learner_with_progress(client, long)
    # The glossary is cached across requests; what it costs when cold is measured below.
    entries_cached()
    site_cached(client, short, long)
    counts = {
        "short step 3": queries_for(client, short.step_url(3)),
        "long step 3": queries_for(client, long.step_url(3)),
        "long step 28": queries_for(client, long.step_url(28)),
        "long step 30": queries_for(client, long.step_url(30)),
    }
    assert len(set(counts.values())) == 1, counts
    # 3 (issue 17): learner, the learner's progress, and one UPDATE of the place. The site
    # with its home page, the lesson found by its address and its ancestors with their view
    # restrictions come from the cache once the step was shown (courses/routing.py).
    assert counts["short step 3"] <= 3, counts
    # Without a learner: nothing at all is read or written.
    client.cookies.clear()
    assert queries_for(client, long.step_url(28)) == 0


def test_a_picture_costs_a_query_only_on_its_own_step(client, module):
    """A lesson page converts its own step alone: another step's picture is not loaded."""
    import uuid as uuid_module

    from django.core.files.images import ImageFile
    from wagtail.images import get_image_model

    from courses import demo

    image = get_image_model()(title="scherm")
    screen = demo.CONTENT_DIR / "screens" / "eid-aanmelden-kiezen.svg"
    with screen.open("rb") as handle:
        image.file = ImageFile(handle, name=screen.name)
        image.save()
    picture = text_step(title="Het scherm")
    picture["value"]["body"].append(
        {
            "type": "image",
            "id": str(uuid_module.uuid4()),
            "value": {"image": image.pk, "alt_text": "Het scherm Aanmelden.", "caption": ""},
        }
    )
    plain = LessonPageFactory(parent=module, slug="zonder", steps=steps(2, ("single_choice",)))
    pictured = LessonPageFactory(
        parent=module, slug="met", steps=[text_step(), picture, exercise_step("single_choice")]
    )
    learner_with_progress(client, plain)
    learner_with_progress(client, pictured)
    entries_cached()  # the glossary, cached across requests
    site_cached(client, plain)
    for number in (1, 3):  # every step of the pictured lesson but the picture's own
        client.get(pictured.step_url(number))
    without = queries_for(client, plain.step_url(1))
    assert queries_for(client, pictured.step_url(1)) == without
    assert queries_for(client, pictured.step_url(3)) == without
    # The first view reads the picture and makes its renditions; after that the step's HTML,
    # picture and all, comes from the cache (courses/step_cache.py).
    assert queries_for(client, pictured.step_url(2)) > without
    assert queries_for(client, pictured.step_url(2)) == without


def test_glossary_costs_one_query_when_cold_and_none_when_warm(client, module):
    """Marking a step reads the terms once per cache fill, whatever the number of terms."""
    text = "Je eID, je pincode, je PUK-code, de kaartlezer, itsme en een QR-code."
    lesson = LessonPageFactory(parent=module, steps=[text_step(text=text)] + steps(0))
    GlossaryTermFactory(term="eID")
    site_cached(client, lesson)
    glossary_cache_clear()
    cold_one_term = queries_for(client, lesson.url)
    warm_one_term = queries_for(client, lesson.url)
    for term in ["pincode", "PUK-code", "kaartlezer", "itsme", "QR-code"]:
        GlossaryTermFactory(term=term)
    for number in range(40):
        GlossaryTermFactory(term=f"woord{number}")
    glossary_cache_clear()
    cold_many_terms = queries_for(client, lesson.url)
    warm_many_terms = queries_for(client, lesson.url)
    html = client.get(lesson.url).content.decode()
    assert html.count('class="glossary-term"') == 6
    assert cold_one_term == cold_many_terms == warm_many_terms + 1, (
        cold_one_term,
        cold_many_terms,
        warm_many_terms,
    )
    assert warm_one_term == warm_many_terms


def test_home_page_queries_do_not_grow_with_modules(client, module_index, lesson):
    learner_with_progress(client, lesson)
    site_cached(client)
    few = queries_for(client, "/")
    for number in range(6):
        extra = ModulePageFactory(parent=module_index, theme="safety", slug=f"extra-{number}")
        LessonPageFactory(parent=extra, steps=steps())
    site_cached(client)  # new pages: the ancestors kept in the cache are read again once
    many = queries_for(client, "/")
    assert many == few, (few, many)


def test_lesson_page_weighs_under_60_kb_before_media(client, lesson):
    html = client.get(lesson.step_url(3)).content
    css = Path(finders.find("css/site.css")).read_bytes()
    js = Path(finders.find("js/exercise.js")).read_bytes()
    total = len(html) + len(css) + len(js)
    assert total < 60_000, total
    assert len(gzip.compress(html + css + js)) < 15_000


@pytest.mark.parametrize(
    ("process", "expected"),
    [
        # This process read the lesson and the step before: its copies (toolkit/versions.py)
        # answer, under the versions of this request.
        ("warm", ["get_many"]),
        # A new app server process: the lesson with its ancestors and the step's HTML are
        # read once from the shared cache.
        ("new", ["get_many", "get", "get"]),
    ],
)
def test_a_lesson_step_reads_the_shared_cache_once(client, module, monkeypatch, process, expected):
    """Redis round trips are a lesson step's cost after SQL (issue 17): the versions with the
    site (one get_many); the lesson with its ancestors and the step's HTML only when this
    process has no copy. Page URLs use the site root paths that came with the site; nothing
    is written."""
    from django.core.cache import caches

    from toolkit import versions

    lesson = LessonPageFactory(parent=module, steps=steps(2, ("single_choice",)))
    learner_with_progress(client, lesson)
    entries_cached()
    site_cached(client, lesson)
    if process == "new":
        versions.local_clear()
    backend = caches["default"]
    calls, inside = [], []
    for name in ("get", "get_many", "set", "set_many", "add", "delete", "incr", "touch"):
        original = getattr(backend, name)

        def counted(*args, _name=name, _original=original, **kwargs):
            if not inside:  # the test cache's get_many calls its own get: one round trip
                calls.append(_name)
            inside.append(_name)
            try:
                return _original(*args, **kwargs)
            finally:
                inside.pop()

        monkeypatch.setattr(backend, name, counted)
    html = client.get(lesson.step_url(2)).content.decode()
    assert calls == expected, calls
    assert f'href="{module.url}"' in html and f'href="{lesson.step_url(3)}"' in html
