"""'Toon vertaling': a translated lesson (wagtail-localize) is help beside the Dutch step,
never a page of its own."""

import polib
import pytest
from django.conf import settings
from wagtail.models import Locale
from wagtail_localize.models import Translation, TranslationSource

from courses import demo
from courses.factories import LessonPageFactory, steps
from courses.models import LessonPage, ModulePage
from courses.translations import step_translation

pytestmark = pytest.mark.django_db


def translate(page, code, django_capture_on_commit_callbacks, mark="FR"):
    """Translate every segment of ``page`` as '<mark> <Dutch>' and publish it."""
    locale, _created = Locale.objects.get_or_create(language_code=code)
    source, _created = TranslationSource.get_or_create_from_instance(page)
    po = source.export_po()
    for entry in po:
        entry.msgstr = entry.msgid if entry.msgctxt == "slug" else f"{mark} {entry.msgid}"
    translation = Translation.objects.create(source=source, target_locale=locale)
    translation.import_po(po)
    with django_capture_on_commit_callbacks(execute=True):
        translation.save_target(publish=True)
    return page.get_translation(locale)


@pytest.fixture
def french_lesson(lesson, django_capture_on_commit_callbacks):
    return translate(lesson, "fr", django_capture_on_commit_callbacks)


def step_html(client, url, code=None):
    if code:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = code
    return client.get(url).content.decode()


def test_translation_is_shown_beside_the_dutch_in_the_help_language(client, lesson, french_lesson):
    html = step_html(client, lesson.url, "fr")
    # The disclosure speaks the interface language inside the Dutch step.
    assert '<details class="translation" lang="fr" dir="ltr">' in html
    assert "<summary>Voir la traduction" in html
    assert '<div class="translation-body" lang="fr" dir="ltr">' in html
    assert "FR Uitleg 1" in html and "FR Je eID heeft een chip." in html
    # The Dutch stays the lesson, first and in full.
    assert html.index('<h2 id="stap-titel">Uitleg 1</h2>') < html.index("FR Uitleg 1")


def test_no_translation_in_dutch_or_when_none_exists(client, lesson, french_lesson):
    assert "translation-body" not in step_html(client, lesson.url)
    assert "translation-body" not in step_html(client, lesson.url, "pl")


def test_arabic_translation_runs_right_to_left(client, lesson, django_capture_on_commit_callbacks):
    translate(lesson, "ar", django_capture_on_commit_callbacks, mark="AR")
    html = step_html(client, lesson.url, "ar")
    assert '<div class="translation-body" lang="ar" dir="rtl">' in html


def test_exercise_translation_is_text_only(client, lesson, french_lesson):
    html = step_html(client, lesson.step_url(3), "fr")
    start = html.index('class="translation-body"')
    body = html[start : html.index("</details>", start)]  # the header's menu is one too
    assert "FR Hoeveel cijfers heeft je pincode?" in body
    assert "<input" not in body and "<form" not in body
    assert "FR Juist, 4 cijfers." not in body  # feedback only after answering, in Dutch


def test_ordering_translation_keeps_the_dutch_mixed_up_order(
    module, client, django_capture_on_commit_callbacks
):
    lesson = LessonPageFactory(parent=module, steps=steps(0, ("ordering",)))
    translate(lesson, "en", django_capture_on_commit_callbacks, mark="EN")
    (exercise,) = lesson.get_step(1).value["body"]
    shown = step_translation_in(lesson, "en")
    expected = [f"{letter}: EN {text}" for _index, letter, text in exercise.value.lettered]
    assert shown.parts[0].options == expected  # the Dutch mix, with the Dutch list's letters
    assert [option.split(": ", 1)[1] for option in expected] != [
        f"EN {text}" for text in exercise.value["items"]
    ]


def step_translation_in(lesson, code):
    from django.utils import translation  # noqa: PLC0415

    with translation.override(code):
        return step_translation(lesson, 1)


def test_translated_pages_are_never_listed_served_or_learnable(
    client, module, lesson, french_lesson
):
    assert french_lesson.live and french_lesson.locale.language_code == "fr"
    assert list(LessonPage.objects.learnable()) == [lesson]
    assert list(ModulePage.objects.learnable()) == [module]
    assert list(module.lessons()) == [lesson]
    # Wagtail gives it the Dutch lesson's address, and that address serves the Dutch lesson:
    # the translated home page stays unpublished, so routing never enters the French tree.
    assert french_lesson.url == lesson.url
    assert not french_lesson.get_parent().get_parent().get_parent().live  # its home page
    served = step_html(client, lesson.url, "fr")
    assert '<h1 lang="nl-BE" dir="ltr">Je pincode</h1>' in served
    html = step_html(client, "/modules/", "fr")
    assert html.count(module.title) >= 1 and "FR " not in html


def test_translation_costs_one_query_and_none_in_dutch(
    client, lesson, french_lesson, django_assert_num_queries
):
    from django.utils import translation  # noqa: PLC0415

    with translation.override("nl-be"), django_assert_num_queries(0):
        assert step_translation(lesson, 1) is None
    with translation.override("fr"), django_assert_num_queries(1):
        assert step_translation(lesson, 1).title == "FR Uitleg 1"


def test_every_demo_lesson_is_translated_completely_in_each_help_language():
    """The demo .po files cover every text segment of the current Dutch lessons."""
    demo.demo_load()
    shipped = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
    files = {(code, path.stem): path for code, path in demo.translation_files()}
    for lesson in LessonPage.objects.live_dutch():
        source, _created = TranslationSource.get_or_create_from_instance(lesson)
        wanted = {(e.msgctxt, e.msgid) for e in source.export_po()}
        for code in shipped:
            path = files.get((code, lesson.slug))
            assert path, f"no {code} translation for {lesson.slug}"
            po = polib.pofile(str(path))
            have = {(e.msgctxt, e.msgid) for e in po.translated_entries()}
            assert wanted <= have, f"{path}: missing {sorted(wanted - have)[:3]}"


def test_h5p_step_translation_shows_only_the_trainers_intro(
    module, client, django_capture_on_commit_callbacks
):
    import io  # noqa: PLC0415

    from courses.factories import h5p_step, text_step  # noqa: PLC0415
    from courses.h5p import fixtures, services  # noqa: PLC0415

    package = services.package_store(file=io.BytesIO(fixtures.build_package()))
    lesson = LessonPageFactory(
        parent=module, steps=[text_step(), h5p_step(package, intro="Kies het juiste antwoord.")]
    )
    translate(lesson, "pl", django_capture_on_commit_callbacks, mark="PL")
    shown = step_translation_in_step(lesson, "pl", 2)
    assert [part.question for part in shown.parts] == ["PL Kies het juiste antwoord."]
    html = step_html(client, lesson.step_url(2), "pl")
    assert "PL Kies het juiste antwoord." in html


def step_translation_in_step(lesson, code, number):
    from django.utils import translation  # noqa: PLC0415

    with translation.override(code):
        return step_translation(lesson, number)
