"""Translations of the demo glossary terms in the help languages, seeded the Wagtail way."""

import re

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from wagtail.models import Locale

from courses import demo
from courses.factories import LessonPageFactory, text_step
from courses.glossary import MAX_EXPLANATION, GlossaryTerm
from learning.factories import UserFactory

pytestmark = pytest.mark.django_db

HELP_LANGUAGES = ["fr", "en", "pl", "uk", "ar"]


def soup(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


@pytest.fixture
def seeded(site_tree):
    terms = demo.glossary_load()
    translations = demo.glossary_translations_load()
    return terms, translations


# --- the source file ---------------------------------------------------------------------------


def test_every_demo_term_is_translated_into_every_help_language():
    sources = demo.glossary_source()
    translations = demo.glossary_translations_check(sources)
    assert len(translations) == len(sources) * len(HELP_LANGUAGES)
    for data in sources:
        assert sorted(data["translations"]) == sorted(HELP_LANGUAGES), data["term"]


def test_demo_translations_are_short_and_keep_the_product_names():
    for item in demo.glossary_translations_check(demo.glossary_source()):
        assert len(item.explanation) <= MAX_EXPLANATION, (item.slug, item.language)
        sentences = [s for s in re.split(r"[.?؟]", item.explanation) if s.strip()]
        assert max(len(s.split()) for s in sentences) <= 14, (item.slug, item.language)
        if item.slug in {"tax-on-web", "myminfin"}:
            assert "Tax-on-web" in item.explanation and "itsme" in item.explanation


def test_a_word_that_changes_is_translated_and_a_product_name_stays():
    found = {
        (t.slug, t.language): t for t in demo.glossary_translations_check(demo.glossary_source())
    }
    assert found["pincode", "fr"].term == "code PIN"
    assert found["pincode", "en"].term == "PIN code"
    assert found["wachtwoord", "pl"].term == "hasło"
    assert found["itsme", "uk"].term == "itsme"
    assert found["eid", "ar"].term == "eID"


def test_an_arabic_phone_number_keeps_its_no_break_spaces():
    found = {
        (t.slug, t.language): t for t in demo.glossary_translations_check(demo.glossary_source())
    }
    # Plain spaces would let the right-to-left text show "344 344 070".
    assert "070\u00a0344\u00a0344" in found["cardstop", "ar"].explanation


@pytest.mark.parametrize(
    ("translation", "message"),
    [
        ('[terms.translations.xx]\nexplanation = "Quoi ?"\n', "vertaling 'xx': onbekende taal"),
        ('[terms.translations.nl-be]\nexplanation = "Een app."\n', "onbekende taal"),
        ('[terms.translations.fr]\nexplanation = "   "\n', "de uitleg is leeg"),
        ('[terms.translations.fr]\nterm = ""\nexplanation = "Un programme."\n', "woord of"),
        (
            f'[terms.translations.fr]\nexplanation = "{"Un programme. " * 25}"\n',
            "de uitleg is langer dan 300 tekens",
        ),
    ],
)
def test_bad_translation_data_is_reported_without_the_database(tmp_path, translation, message):
    (tmp_path / "glossary.toml").write_text(
        '[[terms]]\nterm = "app"\nexplanation = "Een programma."\n\n' + translation
    )
    with pytest.raises(demo.DemoContentError, match=re.escape(message)):
        demo.glossary_translations_check(demo.glossary_source(tmp_path))


def test_seed_check_counts_the_translations(capsys):
    call_command("seed_demo", "--check")
    out = capsys.readouterr().out
    assert f"ok  glossary.toml: {len(demo.glossary_source()) * 5} vertalingen" in out
    assert GlossaryTerm.objects.count() == 0


# --- seeding ------------------------------------------------------------------------------------


def test_seeding_adds_each_translation_once_and_keeps_a_trainers_correction(seeded):
    terms, translations = seeded
    assert len(terms) == len(demo.glossary_source()) and len(translations) == len(terms) * 5
    for code in HELP_LANGUAGES:
        assert GlossaryTerm.objects.filter(locale__language_code=code).count() == len(terms)
    pincode = GlossaryTerm.objects.get(slug="pincode", locale=Locale.get_default())
    french = pincode.get_translation(Locale.objects.get(language_code="fr"))
    assert french.term == "code PIN"
    assert french.explanation.startswith("Un code PIN est un code secret")
    assert french.variants == ""  # only the Dutch forms are marked in lessons
    assert french.slug == "pincode"
    french.explanation = "Corrigé par la formatrice."
    french.save()

    assert demo.glossary_load() == []
    assert demo.glossary_translations_load() == []
    assert GlossaryTerm.objects.count() == len(demo.glossary_source()) * 6
    french.refresh_from_db()
    assert french.explanation == "Corrigé par la formatrice."


def test_a_missing_locale_is_created_and_a_deleted_dutch_term_stays_deleted(site_tree):
    Locale.objects.filter(language_code="uk").delete()
    demo.glossary_load()
    GlossaryTerm.objects.get(slug="wifi").delete()
    demo.glossary_translations_load()
    ukrainian = Locale.objects.get(language_code="uk")
    assert GlossaryTerm.objects.filter(locale=ukrainian).count() == len(demo.glossary_source()) - 1
    assert not GlossaryTerm.objects.filter(slug="wifi").exists()


def test_seed_demo_reports_the_translations_once(site_tree, capsys):
    call_command("seed_demo", "--no-translations")
    expected = len(demo.glossary_source()) * 5
    assert f"Vertalingen toegevoegd aan de woordenlijst: {expected}" in capsys.readouterr().out
    call_command("seed_demo", "--no-translations")
    assert "Vertalingen toegevoegd aan de woordenlijst" not in capsys.readouterr().out


# --- what learners see --------------------------------------------------------------------------


def test_glossary_page_shows_no_translation_in_dutch(client, seeded):
    page = soup(client.get("/woordenlijst/"))
    assert page.select(".glossary-translation") == []


@pytest.mark.parametrize(
    ("code", "direction", "term", "text"),
    [
        ("fr", "ltr", "code PIN", "Un code PIN est un code secret"),
        ("ar", "rtl", "الرمز السري (PIN)", "الرمز السري (PIN) رمز سري من أرقام."),
    ],
)
def test_glossary_page_shows_the_translation_under_the_dutch(
    client, seeded, code, direction, term, text
):
    client.cookies["taal"] = code
    entry = soup(client.get("/woordenlijst/")).select_one("#pincode")
    paragraphs = entry.find_all("p")
    assert paragraphs[0].get_text().startswith("Een pincode is een geheime code")
    translated = paragraphs[-1]
    assert translated["class"] == ["glossary-translation"]
    assert translated["lang"] == code and translated["dir"] == direction
    assert translated.select_one(".glossary-translation-term").get_text() == term
    assert text in translated.get_text()


def test_a_product_name_is_not_repeated_above_its_translation(client, seeded):
    client.cookies["taal"] = "en"
    translated = soup(client.get("/woordenlijst/")).select_one("#itsme .glossary-translation")
    assert translated.select_one(".glossary-translation-term") is None
    assert "itsme is an app on your smartphone." in translated.get_text()


def test_the_popover_in_a_lesson_step_has_the_translation(client, seeded, module):
    lesson = LessonPageFactory(
        parent=module, slug="codes", steps=[text_step(text="Typ je pincode op de kaartlezer.")]
    )
    client.cookies["taal"] = "pl"
    page = soup(client.get(lesson.url))
    popover = page.select_one("template#woordenlijst-pincode")
    assert "Een pincode is een geheime code" in popover.get_text()
    translated = popover.select_one(".glossary-translation")
    assert translated["lang"] == "pl" and translated["dir"] == "ltr"
    # Strings inside <template> are TemplateStrings, which a <strong>'s get_text() leaves out.
    assert translated.select_one(".glossary-translation-term").decode_contents() == "kod PIN"
    assert "Kod PIN to tajny kod z cyfr." in translated.decode_contents()
    reader = page.select_one("template#woordenlijst-kaartlezer").select_one(".glossary-translation")
    assert "Czytnik odczytuje chip" in reader.decode_contents()


def test_the_popover_in_arabic_runs_right_to_left(client, seeded, module):
    lesson = LessonPageFactory(parent=module, slug="kwijt", steps=[text_step(text="Bel Cardstop.")])
    client.cookies["taal"] = "ar"
    popover = soup(client.get(lesson.url)).select_one("template#woordenlijst-cardstop")
    translated = popover.select_one(".glossary-translation")
    assert translated["lang"] == "ar" and translated["dir"] == "rtl"
    assert "070\u00a0344\u00a0344" in translated.decode_contents()


def test_the_admin_list_says_the_language_of_each_term(client, seeded):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    listing = client.get("/admin/snippets/courses/glossaryterm/", {"q": "itsme is"})
    assert listing.status_code == 200
    rows = [row.get_text(" ", strip=True) for row in soup(listing).select("tbody tr")]
    # The same word twice; the language column tells the Dutch from the English.
    assert [row.split()[0] for row in rows] == ["itsme", "itsme"]
    assert sorted(row.split()[-1] for row in rows) == ["English", "Nederlands"]
