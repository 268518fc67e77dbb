"""The modules and lessons kept in the shared cache (courses/listing.py): what an editor
changes shows at once on the home page, the module page and "Mijn leren"."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from courses.factories import LessonPageFactory, ModulePageFactory, exercise_step, steps, text_step
from courses.listing import learnable_lessons_by_parent, learnable_modules
from courses.models import LessonPage

pytestmark = pytest.mark.django_db


def lesson_count_on_home(client, module) -> str:
    html = client.get("/").content.decode()
    card = html.split(f'href="{module.url}"', 1)[1].split("</li>", 1)[0]
    return re.search(r"(\d+) less?(en)?\b", card).group(0)


def test_a_new_lesson_shows_at_once_on_the_home_and_module_page(client, module, lesson):
    assert lesson_count_on_home(client, module) == "1 les"
    assert "Je PUK-code" not in client.get(module.url).content.decode()
    LessonPageFactory(parent=module, title="Je PUK-code", slug="je-puk-code", steps=steps())
    assert lesson_count_on_home(client, module) == "2 lessen"
    assert "Je PUK-code" in client.get(module.url).content.decode()


def test_an_unpublished_lesson_and_module_are_gone_at_once(client, module, lesson, second_lesson):
    assert lesson_count_on_home(client, module) == "2 lessen"
    second_lesson.unpublish()
    assert lesson_count_on_home(client, module) == "1 les"
    assert "Je PUK-code" not in client.get(module.url).content.decode()
    module.unpublish()
    assert module.title not in client.get("/").content.decode()


def test_a_restricted_module_is_gone_at_once(client, module, lesson):
    assert module.title in client.get("/").content.decode()
    restriction = PageViewRestriction.objects.create(
        page=module, restriction_type=PageViewRestriction.PASSWORD, password="geheim"
    )
    assert module.title not in client.get("/").content.decode()
    restriction.delete()
    assert module.title in client.get("/").content.decode()


def test_a_renamed_module_shows_at_once(client, module, lesson):
    assert module.title in client.get("/").content.decode()
    module.title = "Je elektronische identiteitskaart"
    module.save_revision().publish()
    assert "Je elektronische identiteitskaart" in client.get("/").content.decode()


def test_the_kept_step_count_is_the_lessons(module):
    """Counted by the database from the stored steps (JSON on SQLite, jsonb on PostgreSQL)."""
    made = [
        LessonPageFactory(parent=module, slug="een", steps=[exercise_step()]),
        LessonPageFactory(parent=module, slug="vijf", steps=steps(4)),
        LessonPageFactory(
            parent=module,
            slug="dertig",
            steps=[text_step(title=f"Uitleg {n}") for n in range(29)] + [exercise_step()],
        ),
    ]
    kept = learnable_lessons_by_parent()[module.path]
    assert [lesson.pk for lesson in kept] == [lesson.pk for lesson in made]
    with CaptureQueriesContext(connection) as captured:
        counts = [lesson.step_count for lesson in kept]
    assert counts == [1, 5, 30] == [LessonPage.objects.get(pk=m.pk).step_count for m in made]
    assert len(captured) == 0
    # What needs the steps themselves still gets them.
    assert kept[2].step_title(30) == "Oefening"


def test_each_request_gets_its_own_copy(module, lesson):
    first = learnable_modules()
    first[0].title = "Veranderd in één verzoek"
    learnable_lessons_by_parent()[module.path][0].title = "Ook veranderd"
    assert learnable_modules()[0].title == module.title
    assert learnable_lessons_by_parent()[module.path][0].title == lesson.title


def test_the_home_page_reads_no_pages_once_cached(client, module_index, lesson):
    assert client.get("/").status_code == 200
    for number in range(4):
        extra = ModulePageFactory(parent=module_index, slug=f"extra-{number}")
        LessonPageFactory(parent=extra, steps=steps())
    assert client.get("/").status_code == 200
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/").status_code == 200
    page_reads = [q["sql"] for q in captured if "wagtailcore_page" in q["sql"]]
    assert page_reads == []
