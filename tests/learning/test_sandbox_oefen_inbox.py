"""The Oefen-inbox (the scam drill) in a lesson, over HTTP and through the learner service:
plain forms, Post/Redirect/Get, step events recorded once per event id, a wrong judgement
recorded with its kinds, and the step passed when every message is judged right."""

import re
import uuid

import pytest

from courses.factories import LessonPageFactory, sandbox_step, steps
from courses.sandboxes import oplichting
from learning.models import Learner, LessonProgress, SandboxEvent, SandboxRun
from learning.services import sandboxes as services
from tests.learning.test_sandboxes import hidden_forms

BLOCK = "oefen-inbox"
ITSME = oplichting.BY_ID["itsme-geblokkeerd"]
CARD_READER = oplichting.BY_ID["kaartlezer"]


def make_lesson(module, **options):
    return LessonPageFactory(
        parent=module,
        title="Een verdacht bericht",
        slug="verdacht-bericht-oefenen",
        steps=[
            *steps(1, ()),
            sandbox_step(
                title="Oefen in de Oefen-inbox",
                block_id=BLOCK,
                scenario="oefen-inbox",
                intro="Zeg bij elk bericht: echt of vals?",
                **options,
            ),
        ],
    )


@pytest.fixture
def inbox_lesson(module):
    return make_lesson(module)


def url(lesson):
    return f"/leren/oefenapp/{lesson.pk}/{BLOCK}/"


def send(client, lesson, action, **values):
    page = client.get(url(lesson)).content.decode()
    event, screen = hidden_forms(page)[action]
    data = {"stap_id": event, "actie": action, "scherm": screen, **values}
    return client.post(url(lesson), data), data


def begin(client, lesson):
    client.post(url(lesson), {"stap_id": uuid.uuid4(), "actie": "start", "scherm": ""})


def walk_right(client, lesson):
    response = None
    for action, values in oplichting.right_walk():
        response, _data = send(client, lesson, action, **values)
    return response


def kinds(**filters):
    return list(
        SandboxEvent.objects.filter(**filters)
        .order_by("created_at", "pk")
        .values_list("kind", "step", "error")
    )


def page(client, lesson):
    return client.get(url(lesson)).content.decode()


def test_the_step_offers_the_oefen_inbox(client, inbox_lesson):
    html = client.get(inbox_lesson.step_url(2)).content.decode()
    assert "Open de Oefen-inbox" in html
    assert f'action="{url(inbox_lesson)}"' in html


def test_the_inbox_lists_every_message_as_sms_or_e_mail_and_no_link_leaves_the_site(
    client, inbox_lesson
):
    begin(client, inbox_lesson)
    html = page(client, inbox_lesson)
    assert "Nog te beoordelen: 6 van 6 berichten." in html
    for message in oplichting.MESSAGE_LIST:
        assert f'name="bericht" value="{message.id}"' in html
    assert html.count('class="channel channel-sms"') == 3
    assert html.count('class="channel channel-email"') == 3
    send(client, inbox_lesson, "open", bericht=ITSME.id)
    message = page(client, inbox_lesson)
    assert ITSME.link in message
    for shown in (html, message):
        for address in re.findall(r'<a [^>]*href="([^"]+)"', shown):
            assert address.startswith(("/", "#")), address
        assert ".example" not in "".join(re.findall(r'(?:href|action|src)="([^"]+)"', shown))


def test_the_whole_drill_without_javascript(client, inbox_lesson):
    begin(client, inbox_lesson)
    response = walk_right(client, inbox_lesson)
    assert response.status_code == 302
    assert response["Location"] == url(inbox_lesson) + "#oefenapp"
    html = page(client, inbox_lesson)
    assert "Je hebt alle berichten beoordeeld" in html
    assert "Je herkende 6 van de 6 berichten meteen." in html
    assert "suspicious@safeonweb.be" in html and "070 344 344" in html
    assert "Dit is oefenen — typ nooit je echte gegevens" in html
    passed = [(kind, step) for kind, step, _error in kinds(kind="step_passed")]
    assert passed == [("step_passed", message.id) for message in oplichting.MESSAGE_LIST]
    assert kinds(kind="completed") == [("completed", "done", "")]
    assert not kinds(kind="error")
    progress = LessonProgress.objects.get()
    assert progress.exercise_passed(BLOCK)
    assert SandboxRun.objects.get().completed_at is not None
    step = client.get(inbox_lesson.step_url(2)).content.decode()
    assert "Goed zo! Je hebt alle berichten in de Oefen-inbox herkend." in step


def test_a_wrong_judgement_shows_the_signs_and_is_recorded_for_the_helper(client, inbox_lesson):
    begin(client, inbox_lesson)
    send(client, inbox_lesson, "open", bericht=ITSME.id)
    html = page(client, inbox_lesson)
    assert "Echt of vals?" in html and "Wat doe je?" in html
    assert "(oefenlink: werkt niet)" in html
    send(client, inbox_lesson, "judge", bericht=ITSME.id, oordeel="echt", doe="link")
    html = page(client, inbox_lesson)
    assert "Niet helemaal. Kijk nog eens goed." in html
    assert "Dit bericht is vals." in html
    assert "Tik nooit op een link in een verdacht bericht." in html
    assert "Haast: je moet het vandaag nog doen." in html
    assert kinds(kind="error") == [
        ("error", ITSME.id, "fake_called_real"),
        ("error", ITSME.id, "wrong_action_clicked_link"),
    ]
    send(client, inbox_lesson, "inbox")
    html = page(client, inbox_lesson)
    assert "Probeer opnieuw" in html
    assert 'name="actie" value="reset"' in html  # a message was judged: starting over changes it
    assert not LessonProgress.objects.get().exercise_passed(BLOCK)


def test_a_missing_choice_is_asked_for_kindly(client, inbox_lesson):
    begin(client, inbox_lesson)
    send(client, inbox_lesson, "open", bericht=ITSME.id)
    send(client, inbox_lesson, "judge", bericht=ITSME.id, oordeel="vals")
    html = page(client, inbox_lesson)
    assert "Kies wat je doet." in html and "Kies echt of vals." not in html
    assert 'aria-describedby="doe-fout"' in html
    assert 'value="vals" checked' in html  # the choice made stays
    assert kinds(kind="error") == [("error", ITSME.id, "action_missing")]


def test_the_cardstop_number_reads_left_to_right_in_arabic(client, inbox_lesson):
    client.cookies["taal"] = "ar"
    begin(client, inbox_lesson)
    send(client, inbox_lesson, "open", bericht=CARD_READER.id)
    html = page(client, inbox_lesson)
    assert 'lang="ar"' in html
    assert '<bdi dir="ltr">070 344 344</bdi>' in html


def test_a_double_submit_and_back_and_resubmit_judge_once(client, inbox_lesson):
    begin(client, inbox_lesson)
    send(client, inbox_lesson, "open", bericht=ITSME.id)
    first, data = send(
        client, inbox_lesson, "judge", bericht=ITSME.id, oordeel="vals", doe="doorsturen"
    )
    second = client.post(url(inbox_lesson), data)
    stale = client.post(url(inbox_lesson), {**data, "stap_id": str(uuid.uuid4())})
    assert first.status_code == second.status_code == stale.status_code == 302
    assert kinds(kind="step_passed") == [("step_passed", ITSME.id, "")]
    assert SandboxRun.objects.get().state["screen"] == "feedback"


def test_the_service_records_events_by_event_id_and_passes_the_step(inbox_lesson):
    learner = Learner.objects.create()

    def submit(action, event_id=None, **data):
        return services.sandbox_submit(
            learner=learner,
            lesson=inbox_lesson,
            block_id=BLOCK,
            event_id=event_id or uuid.uuid4(),
            action=action,
            data=data,
        )

    assert submit("start").changed
    assert not submit("start").changed  # already started
    opened = uuid.uuid4()
    assert submit("open", opened, scherm="inbox", bericht=ITSME.id).changed
    assert not submit("open", opened, scherm="inbox", bericht=ITSME.id).changed
    assert not submit("open", scherm="inbox", bericht="onbekend").changed
    judge = uuid.uuid4()
    values = {"scherm": "message", "bericht": ITSME.id, "oordeel": "echt", "doe": "link"}
    assert submit("judge", judge, **values).changed
    assert not submit("judge", judge, **values).changed
    # Two events from one form: the first with the form's id, the second derived from it.
    assert SandboxEvent.objects.filter(event_id=judge).count() == 1
    assert SandboxEvent.objects.filter(kind="error").count() == 2
    progress = LessonProgress.objects.get(learner=learner)
    assert not progress.exercise_passed(BLOCK)

    state = SandboxRun.objects.get().state
    for action, values in oplichting.right_walk():
        screen = SandboxRun.objects.get().state["screen"]
        if action == "open" and screen == "feedback":
            submit("inbox", scherm="feedback")
            screen = "inbox"
        submit(action, scherm=screen, **values)
    state = SandboxRun.objects.get().state
    assert state["completed"] and state["screen"] == "done"
    assert state["first"][ITSME.id] is False
    progress.refresh_from_db()
    assert progress.exercise_passed(BLOCK)
    assert kinds(kind="completed") == [("completed", "done", "")]


def test_guided_only_passes_when_the_author_allows_it(client, module):
    lesson = make_lesson(module, guided_counts=False)
    begin(client, lesson)
    walk_right(client, lesson)
    assert not LessonProgress.objects.get().exercise_passed(BLOCK)
    assert "Begin opnieuw en probeer het zonder hulp." in page(client, lesson)
    send(client, lesson, "reset")
    send(client, lesson, "mode", modus="free")
    walk_right(client, lesson)
    assert LessonProgress.objects.get().exercise_passed(BLOCK)
