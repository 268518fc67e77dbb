"""The easy-language check trainers act on: per step with its title, the worst sentence
first, formal "u"/"uw" flagged, in plain words, and refreshed from the editor."""

import re

import pytest
from django.contrib.auth.models import Group
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from courses.factories import LessonPageFactory, exercise_step, text_step
from courses.readability import (
    INTRO_PART,
    check_lesson,
    check_parts,
    formal_words,
)
from courses.roles import TRAINER
from learning.factories import UserFactory

LONG = (
    "Als je de brief van de overheid niet begrijpt en je weet niet goed wat je moet doen, "
    "vraag dan hulp aan iemand die je vertrouwt of ga naar het Digipunt in je eigen "
    "gemeente."
)
FEEDBACK = ["Goed zo!", "Dat klopt niet.", "Probeer het opnieuw.", "Heel goed gedaan!"]


def parts(*steps, title="Brieven lezen", intro="Je leest een brief."):
    """(number, title, texts) as ``lesson_parts`` gives them: intro first, then steps."""
    return [(INTRO_PART, "", [title, intro])] + [
        (number, step_title, [step_title, *texts])
        for number, (step_title, texts) in enumerate(steps, start=1)
    ]


# --- rules, without a database ----------------------------------------------------------------


def test_findings_are_grouped_per_step_with_the_steps_title():
    check = check_parts(
        parts(("Open de brief", ["Open de brief.", "Lees de eerste zin."]), ("Vraag hulp", [LONG]))
    )
    assert [(part.number, part.title) for part in check.steps] == [
        (1, "Open de brief"),
        (2, "Vraag hulp"),
    ]
    first, second = check.steps
    assert first.long_sentences == [] and not first.has_findings
    assert [sentence.text for sentence in second.long_sentences] == [LONG]
    assert second.long_sentences[0].step_title == "Vraag hulp"


def test_the_worst_sentence_comes_first_even_when_the_average_hides_it():
    assert len(LONG.split()) == 35
    feedback_steps = [(f"Oefening {n}", FEEDBACK) for n in range(1, 6)]
    check = check_parts(parts(*feedback_steps[:3], ("Vraag hulp", [LONG]), *feedback_steps[3:]))
    # Twenty-odd short lines pull the mean well under the limit of 12 words ...
    assert check.overall.words_per_sentence < 5
    # ... and still the 35-word sentence is the first thing the trainer sees, with its step.
    worst = check.hardest[0]
    assert (worst.text, worst.words, worst.step, worst.step_title) == (LONG, 35, 4, "Vraag hulp")
    assert check.longest == worst


def test_hardest_sentences_are_sorted_longest_first_across_steps():
    thirteen = "Je kan je kaart in de lezer steken en dan je code typen en klikken."
    check = check_parts(parts(("Kort", [thirteen]), ("Lang", [LONG])))
    assert [sentence.words for sentence in check.hardest] == [35, 15]
    assert [sentence.step for sentence in check.hardest] == [2, 1]


@pytest.mark.parametrize(
    ("sentence", "flagged"),
    [
        ("Geeft u uw code.", ["u", "uw"]),
        ("U kunt nu inloggen.", ["U"]),
        ("Is dit UW kaart?", ["UW"]),
        ("Wacht een uur.", []),
        ("Ga uit de app.", []),
        ("Neem de u-bocht.", []),
        ("Jouw code is geheim.", []),
        ("Klik op Uitloggen, niet op uwe.", []),
    ],
)
def test_formal_u_and_uw_are_whole_words_in_any_case(sentence, flagged):
    assert formal_words(sentence) == flagged


def test_formal_address_is_reported_with_its_sentence_and_step():
    check = check_parts(parts(("Je code", ["Typ je code.", "Geeft u uw code aan niemand."])))
    assert [(s.text, s.step, s.step_title) for s in check.formal] == [
        ("Geeft u uw code aan niemand.", 1, "Je code"),
    ]
    marked = [text for text, formal in check.formal[0].segments() if formal]
    assert marked == ["u", "uw"]
    assert "".join(text for text, _formal in check.formal[0].segments()) == check.formal[0].text


def test_the_lessons_own_title_and_intro_are_checked_before_step_1():
    check = check_parts(parts(("Stap", ["Kort."]), intro="Hier leert u iets."))
    assert check.formal[0].step == INTRO_PART


def test_unknown_words_are_shown_once_in_the_first_step_that_uses_them():
    check = check_parts(
        parts(
            ("Een", ["De notariële akte is klaar."]),
            ("Twee", ["De akte ligt bij de notaris.", "Ga naar Digipunt."]),
            ("Drie", ["Digipunt helpt je."]),
        )
    )
    first, second, third = check.steps
    assert first.unknown_words == ["notariële", "akte"]
    assert "akte" not in second.unknown_words
    # "Digipunt" is a name elsewhere in the lesson, so it is a name in step 3 too.
    assert "digipunt" not in third.unknown_words


def test_odd_content_gives_findings_not_errors():
    huge = " ".join(["woord"] * 5000)
    check = check_parts(
        [
            (INTRO_PART, "", []),
            (1, "", []),
            (2, "Alleen markup", ["<p></p><ul><li></li></ul>", "<p>Een &amp; twee<br>drie</p>"]),
            (3, "Heel lang", [huge]),
        ]
    )
    empty, markup, long_step = check.steps
    assert not empty.has_text
    assert [s.text for s in markup.sentences] == ["Een & twee", "drie"]
    assert long_step.long_sentences[0].words == 5000
    assert check_parts([]).has_text is False


# --- the lesson in the database, the panel and its refresh ------------------------------------


def audio_only_step(title="Luister"):
    step = text_step(title=title)
    step["value"]["body"] = []
    return step


@pytest.mark.django_db
def test_a_lesson_with_an_exercise_only_step_and_an_empty_step_is_checked(module):
    lesson = LessonPageFactory(
        parent=module,
        steps=[
            text_step(title="Uitleg", text=LONG),
            exercise_step("ordering", title="Zet in volgorde"),
            audio_only_step(),
        ],
    )
    check = check_lesson(lesson)
    assert [part.title for part in check.steps] == ["Uitleg", "Zet in volgorde", "Luister"]
    assert check.steps[1].has_text  # the exercise's question, items and feedback
    assert [s.text for s in check.steps[2].sentences] == ["Luister"]  # only its title
    assert check.hardest[0].text == LONG


def panel(page: str) -> str:
    """The easy-language check's own container in an editor page, as text."""
    start = page.index('id="easy-language-check"')
    return page[start:]


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.mark.django_db
def test_the_editor_shows_the_check_per_step_with_titles_worst_first(client, module):
    lesson = LessonPageFactory(
        parent=module,
        steps=[
            text_step(title="Open de brief", text="Open de brief. Lees rustig."),
            text_step(title="Vraag hulp", text=LONG),
            text_step(title="Je code", text="Geeft u uw code aan niemand."),
        ],
    )
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    page = client.get(f"/admin/pages/{lesson.pk}/edit/").content.decode()
    shown = text_of(panel(page))
    assert "Stap 1: Open de brief" in shown and "Stap 2: Vraag hulp" in shown
    assert "Stap 3: Je code" in shown
    # The hardest sentence comes before the steps, in full, with its length and step.
    first = shown.index("Eerst aanpakken")
    assert shown.index("35 woorden — stap 2: Vraag hulp", first) < shown.index("Per stap")
    assert LONG in shown
    assert "Schrijf 'je' en 'jouw'" in shown
    assert "<mark>u</mark>" in panel(page) and "<mark>uw</mark>" in panel(page)
    assert "Opnieuw controleren" in shown


@pytest.mark.django_db
def test_the_panel_speaks_plain_dutch(client, module):
    lesson = LessonPageFactory(
        parent=module, steps=[text_step(text="De notariële akte gaat over u en uw geld.")]
    )
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    page = client.get(f"/admin/pages/{lesson.pk}/edit/").content.decode()
    shown = text_of(panel(page)).lower()
    assert "woordenlijst" in shown
    for jargon in ("snippet", "block", "blok", "streamfield", "struct"):
        assert jargon not in shown, jargon


@pytest.mark.django_db
def test_the_refresh_address_checks_the_latest_draft(client, module):
    lesson = LessonPageFactory(parent=module, steps=[text_step(title="Kort", text="Kort.")])
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = f"/admin/lessen/{lesson.pk}/eenvoudige-taal/"
    before = client.get(url)
    assert before.status_code == 200
    assert "geen enkele zin heeft meer dan 12 woorden" in text_of(before.content.decode())

    draft = lesson.get_latest_revision_as_object()
    draft.steps = [("step", {"title": "Nieuw", "body": [("text", f"<p>{LONG}</p>")]})]
    draft.save_revision()
    after = text_of(client.get(url).content.decode())
    assert "35 woorden — stap 1: Nieuw" in after
    assert "laatst bewaarde concept" in after


@pytest.mark.django_db
def test_the_refresh_address_checks_what_is_in_the_editor_unsaved(client, module):
    lesson = LessonPageFactory(parent=module, steps=[text_step(title="Kort", text="Kort.")])
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    data = nested_form_data(
        {
            "title": lesson.title,
            "intro": "",
            "steps": streamfield(
                [
                    (
                        "step",
                        {
                            "title": "Uw kaart",
                            "body": streamfield(
                                [("text", rich_text(f"<p>{LONG} Geeft u uw code.</p>"))]
                            ),
                        },
                    ),
                    ("step", {"title": "", "body": streamfield([])}),  # half written
                ]
            ),
        }
    )
    response = client.post(f"/admin/lessen/{lesson.pk}/eenvoudige-taal/", data)
    shown = text_of(response.content.decode())
    assert response.status_code == 200
    assert "tekst in de editor" in shown
    assert "35 woorden — stap 1: Uw kaart" in shown
    assert "Stap 2 (nog zonder titel)" in shown
    lesson.refresh_from_db()
    assert lesson.get_latest_revision_as_object().steps[0].value["title"] == "Kort"  # unsaved


@pytest.mark.django_db
def test_a_broken_form_falls_back_to_the_draft(client, lesson):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.post(f"/admin/lessen/{lesson.pk}/eenvoudige-taal/", {"steps-count": "x"})
    assert response.status_code == 200
    assert "laatst bewaarde concept" in text_of(response.content.decode())


@pytest.mark.django_db
def test_only_who_may_edit_the_lesson_gets_its_check(client, lesson):
    url = f"/admin/lessen/{lesson.pk}/eenvoudige-taal/"
    # Into the admin, but without any right on pages: refused.
    outsider = UserFactory(username="buiten")
    outsider.user_permissions.add(_access_admin())
    client.force_login(outsider)
    assert client.get(url).status_code == 403
    assert client.post(url, {}).status_code == 403
    # A learner cannot enter the admin at all.
    client.force_login(UserFactory(username="leerder"))
    assert client.get(url).status_code == 302


@pytest.mark.django_db
def test_a_trainer_gets_the_check_of_a_lesson_they_may_edit(client, lesson):
    from django.core.management import call_command

    call_command("seed_demo", "--no-translations")
    trainer = UserFactory(username="trainer")
    trainer.groups.add(Group.objects.get(name=TRAINER))
    client.force_login(trainer)
    assert lesson.permissions_for_user(trainer).can_edit()
    assert client.get(f"/admin/lessen/{lesson.pk}/eenvoudige-taal/").status_code == 200


def _access_admin():
    from django.contrib.auth.models import Permission

    return Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")


@pytest.mark.django_db
def test_a_page_that_is_not_a_lesson_has_no_check(client, module):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert client.get(f"/admin/lessen/{module.pk}/eenvoudige-taal/").status_code == 404
