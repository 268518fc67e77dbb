"""Readability indicators against hand-computed examples."""

import pytest
from django.core.management import call_command

from courses.readability import analyse, lesson_text, sentences, syllables


@pytest.mark.parametrize(
    ("word", "count"),
    [
        ("je", 1),
        ("pincode", 3),
        ("kaartlezer", 3),
        ("overschrijving", 4),
        ("identiteitskaart", 5),
        ("geïnstalleerd", 4),
        ("bijvoorbeeld", 3),
        ("itsme", 2),
    ],
)
def test_syllables(word, count):
    assert syllables(word) == count


def test_sentences_split_on_end_marks_lines_and_markup():
    text = "<p>Steek je kaart erin. Typ je pincode!</p><ul><li>Klik op Volgende</li></ul>"
    assert sentences(text) == ["Steek je kaart erin.", "Typ je pincode!", "Klik op Volgende"]


def test_flesch_douma_and_brouwer_by_hand():
    # 2 sentences, 8 words; syllables: steek 1 je 1 kaart 1 er-in 2 | typ 1 je 1 pin-co-de 3
    # nu 1 = 11.  Words per sentence 4, syllables per word 11/8 = 1.375.
    result = analyse("Steek je kaart erin. Typ je pincode nu.")
    assert (result.sentence_count, result.word_count, result.syllable_count) == (2, 8, 11)
    assert result.flesch_douma == pytest.approx(206.835 - 0.93 * 4 - 77 * 1.375)
    assert result.brouwer == pytest.approx(195 - 2 * 4 - 0.67 * 137.5)


def test_long_sentences_and_words_are_listed():
    long = (
        "Je kan met je identiteitskaart en een kaartlezer en de software van de overheid inloggen."
    )
    result = analyse(f"Kort. {long}")
    assert result.long_sentences == [(15, long)]
    assert "identiteitskaart" in result.long_words


@pytest.mark.django_db
def test_demo_lessons_are_written_short(capsys):
    """Every demo lesson stays near A2: on average at most 12 words per sentence."""
    from courses.models import LessonPage

    call_command("seed_demo", "--no-translations")
    for lesson in LessonPage.objects.live_dutch():
        result = analyse(lesson_text(lesson))
        assert result.words_per_sentence <= 12, (lesson.title, result.words_per_sentence)
    call_command("readability")
    assert "Flesch" not in capsys.readouterr().err
