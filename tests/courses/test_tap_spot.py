"""Tik op de juiste plek: spots on a screen picture, in percent; one is right."""

import pytest
from django.core.files.images import ImageFile
from django.http import QueryDict
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.images import get_image_model

from courses import blocks, demo
from courses.factories import TAP_SPOT_AREAS

SCREEN = demo.CONTENT_DIR / "screens" / "eid-aanmelden-kiezen.svg"
BLOCK = blocks.StepContentBlock.base_blocks["tap_spot"]


def raw(areas=None, **fields):
    return {
        "question": "Tik op de knop om in te loggen.",
        "image": None,
        "alt_text": "Het scherm Aanmelden met drie knoppen.",
        "areas": TAP_SPOT_AREAS if areas is None else areas,
        **fields,
    }


def area(**changes):
    return {**TAP_SPOT_AREAS[1], **changes}


def form(*values):
    data = QueryDict(mutable=True)
    data.setlist("antwoord", [str(v) for v in values])
    return data


def area_errors(areas):
    """The Dutch messages the editor shows at the areas, flattened."""
    with pytest.raises(StructBlockValidationError) as error:
        BLOCK.clean_without_image(raw(areas))
    return str(error.value.as_json_data())


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"x": 20, "width": 90}, "rechts buiten de afbeelding"),
        ({"y": 95, "height": 10}, "onder de afbeelding"),
        ({"width": 0}, "minstens 1 procent breed"),
        ({"height": 0}, "minstens 1 procent hoog"),
    ],
)
def test_an_area_must_lie_on_the_picture_and_have_a_size(changes, message):
    assert message in area_errors([TAP_SPOT_AREAS[0], area(**changes)])


def test_areas_may_reach_every_edge_of_the_picture():
    top = area(x=0, y=0, width=100, height=10, correct=True)
    bottom = area(x=0, y=90, width=100, height=10)
    assert BLOCK.clean_without_image(raw([top, bottom]))


@pytest.mark.parametrize("right", [0, 2])
def test_exactly_one_area_is_right(right):
    areas = [area(correct=index < right) for index in range(3)]
    assert "Duid precies één juiste plek aan." in area_errors(areas)


def test_areas_do_not_overlap():
    touching = area(y=35)  # ends where the next one starts
    assert BLOCK.clean_without_image(raw([TAP_SPOT_AREAS[0], touching]))
    message = area_errors([TAP_SPOT_AREAS[0], area(y=30)])
    assert "De plekken eID of kaartlezer en itsme liggen over elkaar." in message


def test_at_least_two_areas():
    assert "areas" in area_errors([TAP_SPOT_AREAS[0]])


@pytest.mark.django_db
def test_the_picture_is_required_in_the_editor():
    with pytest.raises(StructBlockValidationError) as error:
        BLOCK.clean(BLOCK.to_python(raw()))
    assert "image" in error.value.block_errors


def test_a_new_exercise_opens_with_two_empty_areas():
    default = BLOCK.child_blocks["areas"].get_default()
    assert len(default) == 2 and all(item["label"] == "" for item in default)


def test_grading_gives_the_feedback_of_the_tapped_area():
    value = BLOCK.to_python(raw())
    right = BLOCK.grade(value, BLOCK.parse_answer(value, form(0)))
    assert right.passed and right.score == 1.0
    assert right.feedback == ["Juist. Met deze knop log je in met je eID."]
    wrong = BLOCK.grade(value, BLOCK.parse_answer(value, form(2)))
    assert not wrong.passed and wrong.feedback == ["Nee. Zoek de knop met eID."]


def test_a_tap_and_a_checked_option_together_count_the_tap():
    """The picture's buttons come first in the form: a browser sends the pressed one first."""
    value = BLOCK.to_python(raw())
    assert BLOCK.parse_answer(value, form(0, 2)) == [0]


@pytest.mark.parametrize("values", [(3,), (-1,), ("x",), ("",), (0, 1, 2)])
def test_forged_answers_are_refused(values):
    value = BLOCK.to_python(raw())
    with pytest.raises(blocks.InvalidAnswer):
        BLOCK.parse_answer(value, form(*values))


def test_nothing_tapped_is_a_kind_message():
    value = BLOCK.to_python(raw())
    with pytest.raises(blocks.IncompleteAnswer, match="Tik op een plek op de afbeelding"):
        BLOCK.parse_answer(value, form())


def test_texts_for_readability_and_translation():
    value = BLOCK.to_python(raw())
    texts = BLOCK.learner_texts(value)
    assert texts[:2] == [value["question"], value["alt_text"]]
    assert "itsme" in texts and "Nee. itsme is een andere sleutel." in texts
    child = blocks.StepContentBlock().to_python(
        [{"type": "tap_spot", "value": raw(), "id": "tap"}]
    )[0]
    assert BLOCK.translation_part(child, child) == blocks.TranslatedExercise(
        value["question"], [a["label"] for a in TAP_SPOT_AREAS]
    )


def test_from_its_source_with_the_stored_picture():
    source = {
        "type": "tap_spot",
        "file": "screens/a.svg",
        "alt": "Het  scherm",
        "question": "Tik op de knop.",
        "areas": [
            {k: v for k, v in a.items() if not (k == "correct" and not v)} for a in TAP_SPOT_AREAS
        ],
    }
    value = BLOCK.value_from_source(source, assets=blocks.SourceAssets(images={"screens/a.svg": 4}))
    assert value["image"] == 4 and value["alt_text"] == "Het scherm"
    assert value["areas"] == TAP_SPOT_AREAS  # "correct" is false unless said
    assert BLOCK.value_from_source(source)["image"] is None  # --check: nothing stored
    broken = {**source, "areas": [{"label": "Aanmelden"}]}
    with pytest.raises(blocks.SourceError, match="tap_spot plek 1 mist x, y, width, height"):
        BLOCK.value_from_source(broken)


def test_the_demo_check_without_pictures_still_checks_the_areas():
    steps = [
        {
            "type": "step",
            "id": "s",
            "value": {
                "title": "Oefening",
                "body": [{"type": "tap_spot", "id": "b", "value": raw([area(), area(x=50)])}],
            },
        }
    ]
    with pytest.raises(demo.DemoContentError, match="rechts buiten"):
        demo.validate_steps(steps, "test")
    steps[0]["value"]["body"][0]["value"] = raw()
    value = demo.validate_steps(steps, "test")
    assert value[0].value["body"][0].block.is_exercise  # still counts as the lesson's exercise


@pytest.mark.django_db
def test_rendered_as_a_button_per_spot_over_the_picture_and_a_list_below():
    image = get_image_model()(title="scherm")
    with SCREEN.open("rb") as handle:
        image.file = ImageFile(handle, name=SCREEN.name)
        image.save()
    value = BLOCK.to_python(raw(image=image.pk))
    html = BLOCK.render(value, context={"answer": [1]})
    assert 'dir="ltr" lang="nl-BE"' in html
    assert 'alt="Het scherm Aanmelden met drie knoppen."' in html
    for index, spot in enumerate(TAP_SPOT_AREAS):
        classes = f"tap-x-{spot['x']} tap-y-{spot['y']} tap-w-{spot['width']}"
        assert f'name="antwoord" value="{index}"' in html.replace("\n", " ")
        assert classes in html
        assert f'<input type="radio" name="antwoord" value="{index}"' in html
    assert html.count("<button") == 3 and html.count('type="submit"') == 3
    assert "tap-area-chosen" in html and "Je koos: itsme" in html
    assert '<input type="radio" name="antwoord" value="1" checked>' in html


def test_every_percent_has_its_class_in_the_stylesheet():
    css = (demo.CONTENT_DIR.parents[1] / "static" / "css" / "tap-spot.css").read_text()
    for prefix in ("x", "y", "w", "h"):
        for number in (0, 37, 100):
            assert f".tap-{prefix}-{number}{{" in css
