"""Every demo lesson is written in easy Dutch and shows the screen it talks about.

Measured with the same check trainers see in the editor (courses.readability): on average
at most 12 words per sentence and a Flesch-Douma score of at least 65 (DOMAIN.md, "Easy
language"). Indicators, not goals, but a demo lesson that misses them needs rewriting.
"""

import pytest

from courses import demo
from courses.models import LessonPage
from courses.readability import LONG_SENTENCE_WORDS, analyse, lesson_text

pytestmark = pytest.mark.django_db  # the glossary marks read the glossary
DOUMA_EASY = 65
LESSONS = [
    (source, lesson) for source in demo.module_sources() for lesson in source.data["lessons"]
]


def built(source, lesson) -> LessonPage:
    return LessonPage(
        title=lesson["title"],
        intro=lesson.get("intro", ""),
        steps=demo.lesson_steps(source.slug, lesson),
    )


@pytest.mark.parametrize(
    ("source", "lesson"), LESSONS, ids=[lesson["slug"] for _source, lesson in LESSONS]
)
def test_every_demo_lesson_reads_easily(source, lesson):
    result = analyse(lesson_text(built(source, lesson)))
    assert result.words_per_sentence <= LONG_SENTENCE_WORDS, result.long_sentences[:3]
    assert result.flesch_douma >= DOUMA_EASY, result.flesch_douma


@pytest.mark.parametrize(
    ("source", "lesson"), LESSONS, ids=[lesson["slug"] for _source, lesson in LESSONS]
)
def test_every_demo_lesson_shows_a_screen_and_has_an_exercise(source, lesson):
    kinds = [block["type"] for step in lesson["steps"] for block in step["body"]]
    assert {"image", "tap_spot"} & set(kinds), f"{lesson['slug']}: geen schermafbeelding"
    page = built(source, lesson)
    assert any(child.block.is_exercise for step in page.steps for child in step.value["body"])


def test_there_are_ten_modules_with_facts_checked_dates():
    sources = demo.module_sources()
    assert len(sources) >= 10
    assert all(source.data.get("facts_checked") for source in sources)


def test_every_screen_picture_is_a_light_plain_drawing():
    """A lesson step stays light on an old phone: each drawing under 8 kB, no active content."""
    from courses.svg import svg_problems

    screens = sorted((demo.CONTENT_DIR / "screens").glob("*.svg"))
    assert len(screens) >= 36
    for path in screens:
        data = path.read_bytes()
        assert len(data) < 8_000, path.name
        assert svg_problems(data) == [], path.name
        assert b"<title>" in data, f"{path.name}: geen <title>"
