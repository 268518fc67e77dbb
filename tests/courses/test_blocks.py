"""Block validation tells the author what to fix; exercises read and grade answers."""

import pytest
import wagtail_factories
from django.http import QueryDict
from wagtail.blocks import StreamBlockValidationError
from wagtail.blocks.struct_block import StructBlockValidationError

from courses import blocks


def form(*values):
    data = QueryDict(mutable=True)
    data.setlist("antwoord", [str(value) for value in values])
    return data


def option(text, correct=False, feedback="Uitleg."):
    return {"text": text, "correct": correct, "feedback": feedback}


@pytest.mark.django_db
def test_image_needs_alt_text_unless_decorative():
    image = wagtail_factories.ImageFactory()
    block = blocks.ImageBlock()
    with pytest.raises(StructBlockValidationError) as error:
        block.clean(block.to_python({"image": image.pk, "alt_text": " ", "decorative": False}))
    assert list(error.value.block_errors) == ["alt_text"]
    assert "Alleen versiering" in str(error.value.block_errors["alt_text"])
    decorative = block.clean(block.to_python({"image": image.pk, "decorative": True}))
    assert decorative.alt == ""
    html = block.render(block.to_python({"image": image.pk, "alt_text": "Een kaartlezer"}))
    assert 'alt="Een kaartlezer"' in html


def test_single_choice_needs_exactly_one_correct_option():
    block = blocks.SingleChoiceBlock()
    value = block.to_python(
        {"question": "Vraag?", "options": [option("a", True), option("b", True)]}
    )
    with pytest.raises(StructBlockValidationError) as error:
        block.clean(value)
    assert "precies één juist antwoord" in str(error.value.block_errors["options"])


def test_step_allows_one_exercise_only():
    block = blocks.StepContentBlock()
    tf = blocks.TrueFalseBlock().meta.preview_value
    value = block.to_python(
        [{"type": "true_false", "value": tf}, {"type": "true_false", "value": tf}]
    )
    with pytest.raises(StreamBlockValidationError) as error:
        block.clean(value)
    assert "Eén oefening per stap" in str(error.value.non_block_errors)


def test_single_choice_grades_with_per_answer_feedback():
    block = blocks.SingleChoiceBlock()
    value = block.to_python(blocks.SingleChoiceBlock().meta.preview_value)
    assert block.parse_answer(value, form(0)) == [0]
    assert block.grade(value, [0]).passed
    wrong = block.grade(value, [1])
    assert not wrong.passed and wrong.feedback == ["Nee, het zijn er 4."]


@pytest.mark.parametrize("data", [form(7), form(-1), form("x"), form(0, 1), form(0, 0)])
def test_single_choice_refuses_forged_answers(data):
    block = blocks.SingleChoiceBlock()
    value = block.to_python(blocks.SingleChoiceBlock().meta.preview_value)
    with pytest.raises(blocks.InvalidAnswer):
        block.parse_answer(value, data)


def test_nothing_chosen_is_a_kind_message_not_an_error():
    block = blocks.SingleChoiceBlock()
    value = block.to_python(blocks.SingleChoiceBlock().meta.preview_value)
    with pytest.raises(blocks.IncompleteAnswer, match="Kies een antwoord"):
        block.parse_answer(value, form())


def test_multiple_choice_pass_rules():
    block = blocks.MultipleChoiceBlock()
    value = block.to_python(blocks.MultipleChoiceBlock().meta.preview_value)
    assert block.grade(value, [0, 1]).passed
    partial = block.grade(value, [0])
    assert not partial.passed and "vergeten" in partial.feedback[-1]
    assert not block.grade(value, [0, 1, 2]).passed
    value["pass_rule"] = blocks.MultipleChoiceBlock.PASS_ONE
    assert block.grade(value, [0]).passed
    assert not block.grade(value, [0, 2]).passed


def test_true_false():
    block = blocks.TrueFalseBlock()
    value = block.to_python(blocks.TrueFalseBlock().meta.preview_value)
    assert block.grade(value, block.parse_answer(value, form("niet-waar"))).passed
    assert not block.grade(value, ["waar"]).passed
    with pytest.raises(blocks.InvalidAnswer):
        block.parse_answer(value, form("misschien"))


def test_ordering_shows_items_mixed_and_grades_the_order():
    block = blocks.OrderingBlock()
    value = block.to_python(blocks.OrderingBlock().meta.preview_value)
    shown = [index for index, _text in value.shuffled]
    assert sorted(shown) == [0, 1, 2] and shown != [0, 1, 2]
    assert value.shuffled == block.to_python(blocks.OrderingBlock().meta.preview_value).shuffled
    assert block.grade(value, block.parse_answer(value, form(0, 1, 2))).passed
    assert not block.grade(value, [1, 0, 2]).passed
    with pytest.raises(blocks.IncompleteAnswer, match="twee keer"):
        block.parse_answer(value, form(0, 0, 2))
    with pytest.raises(blocks.IncompleteAnswer):
        block.parse_answer(value, form(0, "", 2))
    with pytest.raises(blocks.InvalidAnswer):
        block.parse_answer(value, form(0, 1))


def test_blocks_render_their_preview_value():
    for block_class in (
        blocks.TextBlock,
        blocks.TipBlock,
        blocks.WarningBlock,
        blocks.InstructionsBlock,
        blocks.SingleChoiceBlock,
        blocks.MultipleChoiceBlock,
        blocks.TrueFalseBlock,
        blocks.OrderingBlock,
        blocks.TapSpotBlock,
    ):
        block = block_class()
        html = block.render(block.to_python(block.meta.preview_value))
        assert html.strip(), block_class
        assert block.meta.description, block_class


def test_button_labels_are_shown_as_buttons_and_escaped():
    block = blocks.InstructionsBlock()
    html = block.render(block.to_python(blocks.InstructionsBlock().meta.preview_value))
    assert '<span class="button-label">Lezen</span>' in html
    tip = blocks.TipBlock()
    html = tip.render(tip.to_python({"text": "Klik op [[<b>Ja</b> & verder]]"}))
    assert '<span class="button-label">&lt;b&gt;Ja&lt;/b&gt; &amp; verder</span>' in html


def _audio(document, **extra):
    return {"audio": document.pk, "title": "Uitleg", "transcript": "Tekst.", **extra}


@pytest.mark.django_db
def test_audio_is_not_the_spoken_version_unless_the_author_says_so():
    document = wagtail_factories.DocumentFactory(file__filename="uitleg.mp3")
    block = blocks.AudioBlock()
    # Audio saved before the field existed has no "read_aloud" key: it stays plain audio.
    old = block.to_python(_audio(document))
    assert old["read_aloud"] is False
    assert "data-read-aloud-recording" not in block.render(old)
    marked = block.to_python(_audio(document, read_aloud=True))
    assert "data-read-aloud-recording" in block.render(block.clean(marked))


@pytest.mark.django_db
def test_one_spoken_version_per_step():
    document = wagtail_factories.DocumentFactory(file__filename="uitleg.mp3")
    block = blocks.StepContentBlock()
    two = block.to_python(
        [
            {"type": "audio", "value": _audio(document, read_aloud=True)},
            {"type": "audio", "value": _audio(document, read_aloud=True)},
        ]
    )
    with pytest.raises(StreamBlockValidationError) as error:
        block.clean(two)
    assert "voorleesversie" in str(error.value.non_block_errors)
    one = block.to_python(
        [
            {"type": "audio", "value": _audio(document, read_aloud=True)},
            {"type": "audio", "value": _audio(document)},
        ]
    )
    assert len(block.clean(one)) == 2
