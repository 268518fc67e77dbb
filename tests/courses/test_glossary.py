"""The glossary: terms trainers keep in the admin, /woordenlijst/, and marks in lessons."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import translation
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Locale
from wagtail_factories import ImageFactory

from courses import demo
from courses.factories import GlossaryTermFactory, LessonPageFactory, exercise_step, text_step
from courses.glossary import GlossaryTerm, entries_cached, glossary_for_request
from courses.roles import ADMINISTRATOR, REVIEWER, TRAINER
from learning.factories import UserFactory

pytestmark = pytest.mark.django_db

SNIPPETS = "/admin/snippets/courses/glossaryterm/"


def soup(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


# --- the model ---------------------------------------------------------------------------------


def test_slug_is_made_from_the_term(site_tree):
    term = GlossaryTerm(term="  QR-code ", explanation="Een vierkantje.")
    term.full_clean(exclude=["locale", "translation_key"])
    assert (term.term, term.slug) == ("QR-code", "qr-code")


def test_variants_are_split_on_commas_and_lines():
    term = GlossaryTerm(term="pincode", variants="pincodes, pin-code;\nPIN, ")
    assert term.variant_list == ["pincodes", "pin-code", "PIN"]
    assert term.forms == ["pincode", "pincodes", "pin-code", "PIN"]


def test_an_image_needs_a_text_alternative(site_tree):
    term = GlossaryTerm(term="kaartlezer", explanation="Een toestel.", image=ImageFactory())
    with pytest.raises(ValidationError) as error:
        term.full_clean(exclude=["locale", "translation_key"])
    assert "image_alt" in error.value.message_dict


def test_a_spelling_belongs_to_one_term_only(site_tree):
    GlossaryTermFactory(term="pincode", variants="pincodes")
    other = GlossaryTerm(
        term="code", variants="Pincodes", explanation="Uitleg.", locale=Locale.get_default()
    )
    with pytest.raises(ValidationError) as error:
        other.full_clean()
    assert "hoort al bij het woord 'pincode'" in str(error.value)
    twice = GlossaryTerm(
        term="app", variants="APP", explanation="Uitleg.", locale=Locale.get_default()
    )
    with pytest.raises(ValidationError, match="twee keer"):
        twice.full_clean()


def test_saving_or_deleting_a_term_clears_the_cache(site_tree):
    assert entries_cached() == []
    term = GlossaryTermFactory(term="wifi", explanation="Internet zonder kabel.")
    assert [entry.explanation for entry in entries_cached()] == ["Internet zonder kabel."]
    term.explanation = "Internet zonder draad."
    term.save()
    assert [entry.explanation for entry in entries_cached()] == ["Internet zonder draad."]
    term.delete()
    assert entries_cached() == []


def test_translation_is_shown_beside_the_dutch_only_in_its_language(site_tree, settings):
    settings.LANGUAGES = [("nl-be", "Nederlands"), ("fr", "Français")]
    settings.WAGTAIL_CONTENT_LANGUAGES = settings.LANGUAGES
    # The help locales come with migration 0002_help_locales.
    french, _new = Locale.objects.get_or_create(language_code="fr")
    dutch = GlossaryTermFactory(term="pincode", explanation="Een geheime code.")
    GlossaryTermFactory(
        term="code PIN",
        slug="pincode",
        explanation="Un code secret.",
        locale=french,
        translation_key=dutch.translation_key,
    )
    glossary = glossary_for_request()
    (entry,) = glossary.terms  # the French term is not a second entry
    assert entry.explanation == "Een geheime code."
    assert glossary.translation(entry, "fr").explanation == "Un code secret."
    assert glossary.translation(entry, "nl-be") is None
    assert glossary.translation(entry, "pl") is None
    with translation.override("fr"):
        assert glossary.translation(entry).explanation == "Un code secret."
    # The same answer as Wagtail's own lookup, without a query per term.
    assert dutch.explanation_translation(french) == "Un code secret."
    assert dutch.explanation_translation(Locale.get_default()) is None


# --- /woordenlijst/ ----------------------------------------------------------------------------


def test_glossary_page_lists_terms_alphabetically_with_anchors(client, site_tree):
    GlossaryTermFactory(term="wifi", explanation="Internet zonder kabel.")
    GlossaryTermFactory(term="eID", explanation="Je identiteitskaart met een chip.")
    GlossaryTermFactory(term="app", explanation="Een programma op je smartphone.")
    response = client.get("/woordenlijst/")
    assert response.status_code == 200
    page = soup(response)
    assert page.h1.get_text() == "Woordenlijst"
    entries = page.select(".glossary-entry")
    assert [entry["id"] for entry in entries] == ["app", "eid", "wifi"]
    assert [entry.h2.get_text() for entry in entries] == ["app", "eID", "wifi"]
    assert "Je identiteitskaart met een chip." in entries[1].get_text()
    assert page.select(".back-link") == []


def test_glossary_page_shows_the_picture_with_its_alt_text(client, site_tree):
    image = ImageFactory(file=get_test_image_file(size=(640, 480)))
    GlossaryTermFactory(
        term="kaartlezer", explanation="Een toestel.", image=image, image_alt="Een kaartlezer"
    )
    img = soup(client.get("/woordenlijst/")).select_one("#kaartlezer img")
    assert img["alt"] == "Een kaartlezer"
    assert (int(img["width"]), int(img["height"])) == (320, 240)


def test_glossary_page_is_in_the_footer(client, site_tree):
    links = soup(client.get("/woordenlijst/")).select(".site-footer a")
    assert "/woordenlijst/" in [link["href"] for link in links]


def test_empty_glossary_says_so(client, site_tree):
    assert "De woordenlijst is nog leeg." in client.get("/woordenlijst/").content.decode()


@pytest.mark.parametrize(
    ("back", "shown"),
    [
        ("/modules/je-eid/les/stap-2/", True),
        ("https://elders.be/", False),
        ("//elders.be/", False),
        ("/\\elders.be", False),
        ("javascript:alert(1)", False),
        ("modules/", False),
        ("", False),
    ],
)
def test_back_link_only_to_a_local_path(client, site_tree, back, shown):
    page = soup(client.get("/woordenlijst/", {"terug": back}))
    links = page.select(".back-link a")
    if shown:
        assert [link["href"] for link in links] == [back, back]
        assert links[0].get_text() == "Terug naar de les"
    else:
        assert links == []


def test_glossary_page_shows_a_translation_in_the_learners_language(client, site_tree, settings):
    settings.LANGUAGES = [("nl-be", "Nederlands"), ("fr", "Français")]
    settings.WAGTAIL_CONTENT_LANGUAGES = settings.LANGUAGES
    # The help locales come with migration 0002_help_locales.
    french, _new = Locale.objects.get_or_create(language_code="fr")
    dutch = GlossaryTermFactory(term="pincode", explanation="Een geheime code.")
    GlossaryTermFactory(
        term="code PIN",
        slug="pincode",
        explanation="Un code secret.",
        locale=french,
        translation_key=dutch.translation_key,
    )
    dutch_page = soup(client.get("/woordenlijst/"))
    assert dutch_page.select(".glossary-translation") == []
    client.cookies["taal"] = "fr"
    entry = soup(client.get("/woordenlijst/")).select_one("#pincode")
    assert "Een geheime code." in entry.get_text()  # Dutch stays the main text
    translated = entry.select_one(".glossary-translation")
    assert translated["lang"] == "fr" and "Un code secret." in translated.get_text()


# --- marks in a lesson step ----------------------------------------------------------------------


@pytest.fixture
def glossary_lesson(module):
    GlossaryTermFactory(term="pincode", variants="pincodes", explanation="Een geheime code.")
    GlossaryTermFactory(term="eID", explanation="Je identiteitskaart.")
    step = text_step(text="Je eID heeft een pincode. Hou je pincode geheim.")
    step["value"]["body"].append(
        {"type": "tip", "id": "tip-1", "value": {"text": "Tik op [[pincode]]. Je eID, pincodes."}}
    )
    return LessonPageFactory(
        parent=module, slug="codes", steps=[step, exercise_step(), text_step(text="pincode")]
    )


def test_lesson_step_marks_the_first_use_of_each_term(client, glossary_lesson):
    page = soup(client.get(glossary_lesson.url))
    marks = page.select("a.glossary-term")
    assert [(mark["data-glossary"], mark.get_text()) for mark in marks] == [
        ("eid", "eID"),
        ("pincode", "pincode"),
    ]
    assert marks[0]["href"] == f"/woordenlijst/?terug={glossary_lesson.url}#eid"
    assert page.select_one(".callout .button-label a") is None
    # One explanation per marked term, the hint and the dialog, once.
    assert [t["id"] for t in page.select("template")] == [
        "woordenlijst-eid",
        "woordenlijst-pincode",
    ]
    assert page.select_one("#woordenlijst-pincode")["data-term"] == "pincode"
    assert "Een geheime code." in page.select_one("#woordenlijst-pincode").decode_contents()
    assert page.select_one("#woordenlijst-hint").get_text() == "Uitleg in de woordenlijst"
    assert page.select_one("dialog#woordenlijst-venster button").get_text() == "Sluiten"
    assert page.select_one("script[src$='js/glossary.js']") is not None


def test_each_step_marks_again_and_exercises_are_left_alone(client, glossary_lesson):
    exercise = soup(client.get(glossary_lesson.step_url(2)))
    assert exercise.select("a.glossary-term") == []
    assert exercise.select("dialog") == []
    third = soup(client.get(glossary_lesson.step_url(3)))
    assert [mark["data-glossary"] for mark in third.select("a.glossary-term")] == ["pincode"]


def test_a_changed_explanation_shows_at_once(client, glossary_lesson):
    client.get(glossary_lesson.url)
    term = GlossaryTerm.objects.get(slug="pincode")
    term.explanation = "Een code van 4 cijfers."
    term.save()
    page = soup(client.get(glossary_lesson.url))
    assert "Een code van 4 cijfers." in page.select_one("#woordenlijst-pincode").decode_contents()


def test_the_preview_of_all_steps_marks_each_step(client, glossary_lesson):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.get(f"/admin/pages/{glossary_lesson.pk}/view_draft/")
    page = soup(response)
    assert [mark["data-glossary"] for mark in page.select("a.glossary-term")] == [
        "eid",
        "pincode",
        "pincode",
    ]
    assert len(page.select("template#woordenlijst-pincode")) == 1


# --- the snippet in the admin -----------------------------------------------------------------


@pytest.fixture
def roles():
    # The groups and their permissions; lesson translations (25 s) play no part here.
    call_command("seed_demo", "--no-translations")
    users = {}
    for name in (TRAINER, REVIEWER, ADMINISTRATOR):
        user = UserFactory(username=name.lower())
        user.groups.add(Group.objects.get(name=name))
        users[name] = user
    return users


@pytest.mark.slow
def test_trainers_add_and_edit_terms_but_do_not_delete_them(client, roles):
    trainer = roles[TRAINER]
    client.force_login(trainer)
    listing = client.get(SNIPPETS)
    assert listing.status_code == 200
    assert "Woordenlijst" in client.get("/admin/").content.decode()
    response = client.post(
        f"{SNIPPETS}add/",
        {
            "term": "sms-code",
            "variants": "sms-codes",
            "explanation": "Een code die je krijgt in een sms.",
            "image_alt": "",
            "slug": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    term = GlossaryTerm.objects.get(term="sms-code")
    assert term.slug == "sms-code" and term.locale == Locale.get_default()
    assert client.get(f"{SNIPPETS}edit/{term.pk}/").status_code == 200
    found = client.get(SNIPPETS, {"q": "sms"})
    assert found.status_code == 200 and "sms-code" in found.content.decode()
    assert trainer.has_perm("courses.change_glossaryterm")
    assert not trainer.has_perm("courses.delete_glossaryterm")
    assert client.post(f"{SNIPPETS}delete/{term.pk}/").status_code in (302, 403)
    assert GlossaryTerm.objects.filter(pk=term.pk).exists()


@pytest.mark.slow
def test_reviewers_and_administrators_may_delete_terms(roles):
    for name in (REVIEWER, ADMINISTRATOR):
        assert roles[name].has_perm("courses.delete_glossaryterm"), name
        assert roles[name].has_perm("courses.add_glossaryterm"), name


@pytest.mark.slow
def test_learners_with_accounts_cannot_see_the_snippets(client, roles):
    client.force_login(UserFactory())
    assert client.get(SNIPPETS).status_code == 302


# --- demo terms ----------------------------------------------------------------------------------


def test_demo_terms_are_valid_and_easy(site_tree):
    terms = demo.glossary_check(demo.glossary_source())
    assert len(terms) >= 15
    slugs = {term.slug for term in terms}
    assert {"eid", "pincode", "puk-code", "qr-code", "tax-on-web", "mijn-burgerprofiel"} <= slugs
    for term in terms:
        assert len(term.explanation) <= 300, term.term
        sentences = [s for s in term.explanation.replace("?", ".").split(".") if s.strip()]
        assert max(len(s.split()) for s in sentences) <= 12, term.term


@pytest.mark.slow
def test_seed_adds_terms_once_and_keeps_a_trainers_edit(site_tree):
    # Dutch terms only: seeding translations twice is tests/courses/test_demo_content.py.
    call_command("seed_demo", "--no-translations")
    count = GlossaryTerm.objects.count()
    dutch = GlossaryTerm.objects.filter(locale=Locale.get_default())
    assert dutch.count() == len(demo.glossary_source())
    edited = dutch.get(slug="wifi")
    edited.explanation = "Door de trainer aangepast."
    edited.save()
    call_command("seed_demo", "--no-translations")
    assert GlossaryTerm.objects.count() == count
    assert dutch.get(slug="wifi").explanation == "Door de trainer aangepast."


def test_seed_check_validates_the_glossary_without_writing(capsys):
    call_command("seed_demo", "--check")
    assert f"ok  glossary.toml: {len(demo.glossary_source())} woorden" in capsys.readouterr().out
    assert GlossaryTerm.objects.count() == 0


def test_a_spelling_used_twice_in_the_demo_file_is_reported(tmp_path):
    (tmp_path / "glossary.toml").write_text(
        '[[terms]]\nterm = "app"\nexplanation = "Een programma."\n'
        '[[terms]]\nterm = "apps"\nvariants = ["App"]\nexplanation = "Programma\'s."\n'
    )
    with pytest.raises(demo.DemoContentError, match="'app' hoort al bij app"):
        demo.glossary_check(demo.glossary_source(tmp_path))


def test_the_glossary_file_is_not_read_as_a_module():
    assert "glossary.toml" not in [source.path.name for source in demo.module_sources()]


def test_glossary_for_request_reads_once(rf, site_tree):
    request = rf.get("/")
    assert glossary_for_request(request) is glossary_for_request(request)
