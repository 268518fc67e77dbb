"""Every block in a step answers for itself (``courses.blocks.LessonBlock``).

Readability, "Toon vertaling", the demo loader, the tests and the benchmark ask the block
instead of switching on its type name; these tests hold each block type to that promise.
"""

import pytest
from django.http import QueryDict

from courses import blocks

STEP_BLOCKS = blocks.StepContentBlock.base_blocks
EXERCISES = [name for name, block in STEP_BLOCKS.items() if block.is_exercise]
MEDIA = [name for name, block in STEP_BLOCKS.items() if isinstance(block, blocks.MediaBlock)]
TEXT_BEARING = [name for name in STEP_BLOCKS if name not in MEDIA]
# Exercises answered with the answer form; H5P reports xAPI statements and a sandbox is
# passed on its own screens (learning.services.sandboxes).
FORM_EXERCISES = [name for name in EXERCISES if name not in ("h5p", "sandbox")]


def preview(name):
    block = STEP_BLOCKS[name]
    return block, block.to_python(block.meta.preview_value)


def bound(name):
    """The block's preview as a child of a step, the way lessons hold it."""
    block = STEP_BLOCKS[name]
    stream = blocks.StepContentBlock().to_python(
        [{"type": name, "value": block.meta.preview_value, "id": f"id-{name}"}]
    )
    return stream[0]


def graded(block, value, form_values):
    data = QueryDict(mutable=True)
    data.setlist("antwoord", form_values)
    return block.grade(value, block.parse_answer(value, data))


def test_the_groups_cover_what_lessons_use():
    # Guards the parametrised tests below against passing because a list came out empty.
    assert set(EXERCISES) == {
        "single_choice",
        "multiple_choice",
        "true_false",
        "ordering",
        "tap_spot",
        "h5p",
        "sandbox",
    }
    assert set(MEDIA) == {"image", "video", "audio"}


@pytest.mark.parametrize("name", list(STEP_BLOCKS))
def test_every_step_block_speaks_the_protocol(name):
    block = STEP_BLOCKS[name]
    assert isinstance(block, blocks.LessonBlock)
    if block.is_exercise:
        for method in ("parse_answer", "grade", "right_answer", "wrong_answer"):
            assert callable(getattr(block, method))


@pytest.mark.parametrize("name", FORM_EXERCISES)
def test_right_answer_passes_and_wrong_answer_does_not(name):
    block, value = preview(name)
    right = graded(block, value, block.right_answer(value))
    assert right.passed and right.score == 1.0
    wrong = graded(block, value, block.wrong_answer(value))
    assert not wrong.passed and wrong.score < 1.0


def test_right_answer_of_a_multiple_choice_chooses_every_right_option():
    block, value = preview("multiple_choice")
    assert block.right_answer(value) == ["0", "1"]
    assert block.wrong_answer(value) == ["2"]


def test_a_multiple_choice_with_only_right_options_has_no_wrong_answer():
    block = STEP_BLOCKS["multiple_choice"]
    value = block.to_python(
        {
            "question": "Wat heb je nodig?",
            "pass_rule": "all",
            "options": [
                {"text": "Je eID", "correct": True, "feedback": "Ja."},
                {"text": "Een kaartlezer", "correct": True, "feedback": "Ja."},
            ],
        }
    )
    assert block.wrong_answer(value) is None


def test_a_sandbox_has_no_form_answer_and_comes_from_its_source():
    block, value = preview("sandbox")
    assert block.right_answer(value) is None
    assert block.wrong_answer(value) is None
    with pytest.raises(blocks.InvalidAnswer):
        block.parse_answer(value, QueryDict("antwoord=0"))
    assert block.counts_for_lesson(value)
    assert block.balance_cents(value) == 25000
    source = {"type": "sandbox", **block.meta.preview_value}
    assert block.to_python(block.value_from_source(source)) == value
    with pytest.raises(blocks.SourceError, match="scenario"):
        block.value_from_source({**source, "scenario": "echte-bank"})
    with pytest.raises(blocks.SourceError, match="default_mode"):
        block.value_from_source({**source, "default_mode": "snel"})


def test_h5p_has_no_form_answer():
    """Its answers arrive as xAPI statements; a form post is always refused."""
    block, value = preview("h5p")
    assert block.right_answer(value) is None
    assert block.wrong_answer(value) is None
    with pytest.raises(blocks.InvalidAnswer):
        block.parse_answer(value, QueryDict("antwoord=0"))


@pytest.mark.parametrize("name", TEXT_BEARING)
def test_learner_texts_of_every_text_bearing_block(name):
    block, value = preview(name)
    texts = block.learner_texts(value)
    assert texts and all(isinstance(text, str) and text.strip() for text in texts)


@pytest.mark.parametrize("name", MEDIA)
def test_media_add_no_learner_texts(name):
    # Alt texts, captions and transcripts were never part of the readability scores.
    block, value = preview(name)
    assert block.learner_texts(value) == []


def test_exercise_texts_include_every_answer_and_its_feedback_without_button_marks():
    block = STEP_BLOCKS["true_false"]
    value = block.to_python(
        {
            "question": "Tik op [[Volgende]].",
            "is_true": True,
            "feedback_correct": "Goed.",
            "feedback_wrong": "",
        }
    )
    assert block.learner_texts(value) == ["Tik op Volgende.", "Goed."]
    block, value = preview("single_choice")
    assert block.learner_texts(value) == [
        "Hoeveel cijfers heeft de pincode van je eID?",
        "4 cijfers",
        "Juist: 4 cijfers.",
        "6 cijfers",
        "Nee, het zijn er 4.",
    ]


@pytest.mark.parametrize("name", ["text", "instructions", "tip", "warning"])
def test_text_blocks_are_shown_as_themselves_in_the_translation(name):
    child = bound(name)
    assert child.block.translation_part(child, None) is child


@pytest.mark.parametrize("name", MEDIA)
def test_media_are_not_repeated_in_the_translation(name):
    child = bound(name)
    assert child.block.translation_part(child, None) is None


def test_exercises_are_text_only_in_the_translation():
    child = bound("single_choice")
    part = child.block.translation_part(child, None)
    assert part == blocks.TranslatedExercise(
        "Hoeveel cijfers heeft de pincode van je eID?", ["4 cijfers", "6 cijfers"]
    )
    child = bound("true_false")
    assert child.block.translation_part(child, None) == blocks.TranslatedExercise(
        "Je mag je pincode aan een medewerker van de bank geven."
    )
    child = bound("h5p")
    assert child.block.translation_part(child, None) == blocks.TranslatedExercise(
        "Kies het juiste antwoord."
    )
    child = bound("tap_spot")
    assert child.block.translation_part(child, None) == blocks.TranslatedExercise(
        "Tik op de knop om in te loggen.", ["Aanmelden", "Hulp"]
    )


def test_ordering_translation_keeps_the_dutch_mix_and_never_the_order():
    dutch = bound("ordering")
    part = dutch.block.translation_part(dutch, dutch)
    expected = [f"{letter}: {text}" for _index, letter, text in dutch.value.lettered]
    assert part.options == expected
    assert [option.split(": ", 1)[1] for option in part.options] != list(dutch.value["items"])
    assert dutch.block.translation_part(dutch, None).options == []


@pytest.mark.parametrize("name", EXERCISES + ["tip", "warning"])
def test_a_source_lacking_a_field_is_refused_with_its_name(name):
    with pytest.raises(blocks.SourceError) as error:
        STEP_BLOCKS[name].value_from_source({"type": name})
    assert name in str(error.value) or "H5P" in str(error.value)


@pytest.mark.parametrize("name", [name for name in MEDIA if name != "image"])
def test_media_cannot_come_from_a_source(name):
    assert STEP_BLOCKS[name].value_from_source({"type": name, "title": "x"}) is None


def test_a_picture_comes_from_a_drawn_file_with_its_alternative_text():
    block = STEP_BLOCKS["image"]
    source = {"type": "image", "file": "screens/a.svg", "alt": "Een  knop"}
    assets = blocks.SourceAssets(images={"screens/a.svg": 7})
    assert block.value_from_source(source, assets=assets) == {
        "image": 7,
        "alt_text": "Een knop",
        "decorative": False,
        "caption": "",
    }
    assert block.value_from_source(source)["image"] is None  # --check: nothing stored
    for missing in ("file", "alt"):
        with pytest.raises(blocks.SourceError, match=f"image mist {missing}"):
            block.value_from_source({k: v for k, v in source.items() if k != missing})


# Sources that name a drawn picture: ``file`` and ``alt`` instead of the stored image.
PICTURE_SOURCES = {"tap_spot": {"file": "screens/a.svg", "alt": "Een scherm."}}


@pytest.mark.parametrize("name", FORM_EXERCISES)
def test_an_exercise_from_its_source_grades_like_the_original(name):
    block, original = preview(name)
    source = {"type": name, **block.meta.preview_value, **PICTURE_SOURCES.get(name, {})}
    raw = block.value_from_source(source)
    value = block.to_python(raw)
    assert graded(block, value, block.right_answer(original)).passed
