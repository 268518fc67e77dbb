"""Words not in the basic Dutch word list, against hand-made examples."""

import re

import pytest

from courses.factories import GlossaryTermFactory, LessonPageFactory, text_step
from courses.readability import analyse, unknown_words
from courses.wordlist import LIST_FILES, basic_words, glossary_words, read_list


@pytest.mark.parametrize("name", LIST_FILES)
def test_list_files_are_sorted_lower_case_and_without_duplicates(name):
    words = read_list(name)
    assert len(words) == len(set(words)), [w for w in words if words.count(w) > 1][:5]
    assert words == sorted(words)
    assert all(word == word.casefold() and " " not in word for word in words)


def test_the_lists_do_not_overlap_and_the_basic_list_is_a2_sized():
    basic, platform = (set(read_list(name)) for name in LIST_FILES)
    assert not basic & platform
    assert 2500 <= len(basic) <= 3500


def test_inflected_forms_and_plurals_are_known():
    text = (
        "Ik heb een kaart. Hij heeft twee kaarten. We hadden het gisteren gehad. "
        "Zij betaalde de rekeningen. De kinderen kregen foto's."
    )
    assert unknown_words(text) == []
    assert {"heb", "hebt", "heeft", "had", "hadden", "gehad", "kinderen"} <= basic_words()


def test_platform_words_are_known():
    assert unknown_words("Open de app op je smartphone. Klik op de link en log in.") == []


def test_numbers_and_addresses_are_ignored():
    assert unknown_words("Typ 1234. Bel 02 123 45 67 of kijk op www.vlaanderen.be.") == []


def test_names_are_ignored_but_a_rare_word_is_reported():
    text = "Je gebruikt Tax-on-web van de overheid. Ga naar een Digipunt of naar Belfius."
    assert unknown_words(text) == []
    # At the start of a sentence a capital is no proof of a name, unless the text also
    # uses the word with a capital in the middle of a sentence.
    assert unknown_words("Digipunt helpt je.") == ["digipunt"]
    assert unknown_words("Digipunt helpt je. Ga naar Digipunt.") == []


def test_abbreviations_with_a_capital_inside_are_ignored():
    assert unknown_words("Steek je eID in de computer. Bel KBC.") == []


def test_truly_rare_words_are_reported_once_in_order_of_first_appearance():
    text = (
        "De notariële akte gaat over vennootschapsbelasting. "
        "Notariële kosten zijn hoog. De Vennootschapsbelasting ook."
    )
    assert unknown_words(text) == ["notariële", "akte", "vennootschapsbelasting"]


def test_glossary_terms_and_their_variants_are_ignored():
    text = "Typ je pincode. Je hebt drie pincodes. Gebruik de kaartlezer."
    assert unknown_words(text) == ["pincode", "pincodes", "kaartlezer"]
    known = frozenset({"pincode", "pincodes", "kaartlezer"})
    assert unknown_words(text, known) == []


def test_hyphenated_words_are_known_when_every_part_is():
    assert unknown_words("Je e-mailadres en je eID-kaart.", frozenset({"eid"})) == []
    assert unknown_words("Een rode-kool-salade.") == ["rode-kool-salade"]


def test_analyse_returns_the_unknown_words():
    result = analyse("Je krijgt een notariële brief.", known=frozenset({"brief"}))
    assert result.unknown_words == ["notariële"]


@pytest.mark.django_db
def test_glossary_words_hold_every_form():
    GlossaryTermFactory(term="Mijn Burgerprofiel", variants="burgerprofiel-app")
    words = glossary_words()
    assert {"mijn burgerprofiel", "burgerprofiel", "burgerprofiel-app"} <= words


def panel_words(page: str) -> str:
    """The paragraph after the word-list guidance in the editor's easy-language panel."""
    match = re.search(r"Niet in de basiswoordenlijst:.*?</p>\s*<p>(.*?)</p>", page, re.S)
    assert match, "no unknown words in the panel"
    return " ".join(match.group(1).split())


@pytest.mark.django_db
def test_the_editor_panel_lists_unknown_words_and_leaves_out_glossary_terms(client, module):
    from learning.factories import UserFactory

    GlossaryTermFactory(term="vennootschapsbelasting")
    lesson = LessonPageFactory(
        parent=module,
        intro="Een korte les.",
        steps=[text_step(text="De notariële akte gaat over vennootschapsbelasting.")],
    )
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    page = client.get(f"/admin/pages/{lesson.pk}/edit/").content.decode()
    assert "leg het woord uit, of kies een gewoner woord" in page
    assert panel_words(page) == "notariële, akte"


@pytest.mark.django_db
def test_the_editor_panel_shows_fifteen_words_then_how_many_more(client, module):
    from learning.factories import UserFactory

    rare = [f"zeldzaamwoord{letter}" for letter in "abcdefghijklmnopq"]  # 17 words
    lesson = LessonPageFactory(parent=module, steps=[text_step(text=" ".join(rare) + ".")])
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    page = client.get(f"/admin/pages/{lesson.pk}/edit/").content.decode()
    assert panel_words(page) == ", ".join(rare[:15]) + " en nog 2 woorden"
