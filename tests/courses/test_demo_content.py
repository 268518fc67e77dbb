"""The demo modules: loaded from versioned sources, valid, and seeded idempotently."""

import pytest
from django.core.management import call_command
from wagtail.models import Page, Revision

from courses import demo
from courses.models import LessonPage, ModulePage

pytestmark = pytest.mark.django_db


def snapshot():
    return {
        "pages": list(Page.objects.order_by("path").values_list("path", "title", "live")),
        "revisions": Revision.objects.count(),
        "steps": {page.pk: list(page.steps.raw_data) for page in LessonPage.objects.all()},
    }


def test_every_source_is_valid_with_an_exercise_in_every_lesson():
    sources = demo.module_sources()
    assert len(sources) >= 4
    for source in sources:
        demo.module_check(source)
        assert len(source.data["lessons"]) >= 3, source.path.name


@pytest.mark.slow
def test_seed_twice_changes_nothing():
    call_command("seed_demo")
    first = snapshot()
    assert ModulePage.objects.live_dutch().count() == len(demo.module_sources())
    assert LessonPage.objects.live_dutch().count() >= 12
    dutch_lessons = LessonPage.objects.live_dutch().count()
    for code in ("fr", "en", "pl", "uk", "ar"):  # the lesson translations came along
        assert LessonPage.objects.filter(locale__language_code=code).count() == dutch_lessons
    call_command("seed_demo")
    assert snapshot() == first


def test_seed_never_overwrites_a_trainers_edit():
    call_command("seed_demo", "--no-translations")
    module = ModulePage.objects.live_dutch().get(slug="je-eid-kaartlezer-en-pincode")
    module.summary = "Door de trainer aangepast."
    module.save_revision().publish()
    call_command("seed_demo", "--no-translations")
    module.refresh_from_db()
    assert module.summary == "Door de trainer aangepast."


def test_demo_accounts_only_where_settings_allow(settings):
    settings.DEMO_ACCOUNTS_ALLOWED = False
    with pytest.raises(Exception, match="alleen in de ontwikkelinstellingen"):
        call_command("seed_demo", "--accounts")


def test_bad_source_file_is_reported_without_writing(tmp_path):
    (tmp_path / "kapot.toml").write_text('slug = "kapot"\ntitle = "Kapot"\n[[lessons]\n')
    with pytest.raises(demo.DemoContentError, match="kapot.toml"):
        demo.module_sources(tmp_path)


def test_demo_bank_lesson_ends_with_the_demo_h5p_exercise(client):
    from courses.h5p.fixtures import DEMO_TITLE  # noqa: PLC0415

    call_command("seed_demo", "--no-translations")
    lesson = LessonPage.objects.live_dutch().get(slug="je-bankapp")
    last = lesson.get_step(lesson.step_count)
    (block,) = last.value["body"]
    assert block.block_type == "h5p" and block.value["package"].title == DEMO_TITLE
    html = client.get(lesson.step_url(lesson.step_count)).content.decode()
    assert 'data-player-url="/h5p/speler/' in html  # the sandboxed frame is made by the script
    assert "h5p-lesson.js" in html
    assert "h5p-lesson.js" not in client.get(lesson.url).content.decode()
