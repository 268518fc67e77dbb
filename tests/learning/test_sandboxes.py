"""The Oefenbank in a lesson, over HTTP: plain forms, Post/Redirect/Get, step events
recorded once (double submit, Back and resubmit), the time-out, the guardrails (nothing
real stored or reported) and the sandbox step in the lesson's progress."""

import re
import uuid
from datetime import timedelta

import pytest
from django.db.models import F
from django.views.debug import SafeExceptionReporterFilter

from courses.factories import LessonPageFactory, sandbox_step, steps
from courses.sandboxes import oefenbank
from learning.models import Learner, LessonProgress, SandboxEvent, SandboxRun
from learning.services import learner_merge
from learning.services import sandboxes as services

BLOCK = "oefenbank"
GOOD_TRANSFER = {
    "name": "Energie Westhoek",
    "iban": "BE74 9990 0000 3407",
    "amount": "48,75",
    "message_kind": "structured",
    "message": "+++202/6120/40118+++",
}


def make_lesson(module, **options):
    return LessonPageFactory(
        parent=module,
        title="Een overschrijving oefenen",
        slug="overschrijving-oefenen",
        steps=[*steps(1, ()), sandbox_step(block_id=BLOCK, **options)],
    )


@pytest.fixture
def bank_lesson(module):
    return make_lesson(module)


def url(lesson):
    return f"/leren/oefenapp/{lesson.pk}/{BLOCK}/"


def hidden_forms(html):
    """{action: (event id, screen)} of the forms on the page."""
    found = {}
    for form in re.findall(r"<form[^>]*>(.*?)</form>", html, re.S):
        action = re.search(r'name="actie" value="([^"]*)"', form)
        if action:
            event = re.search(r'name="stap_id" value="([^"]+)"', form).group(1)
            screen = re.search(r'name="scherm" value="([^"]*)"', form).group(1)
            found[action.group(1)] = (event, screen)
    return found


def send(client, lesson, action, **values):
    """Send the form for ``action`` as the page shows it now; returns (response, form data)."""
    page = client.get(url(lesson)).content.decode()
    event, screen = hidden_forms(page)[action]
    data = {"stap_id": event, "actie": action, "scherm": screen, **values}
    return client.post(url(lesson), data), data


def walk_to_done(client, lesson, *, free=False):
    client.post(url(lesson), {"stap_id": uuid.uuid4(), "actie": "start", "scherm": ""})
    if free:
        send(client, lesson, "mode", modus="free")
    send(client, lesson, "login", code=oefenbank.USER_CODE)
    send(client, lesson, "new_transfer")
    send(client, lesson, "check_transfer", **GOOD_TRANSFER)
    response, _data = send(client, lesson, "confirm", itsme_code=oefenbank.ITSME_CODE)
    return response


def kinds(**filters):
    return list(
        SandboxEvent.objects.filter(**filters)
        .order_by("created_at", "pk")
        .values_list("kind", "step", "error")
    )


def test_the_step_offers_the_oefenbank_with_a_plain_form(client, bank_lesson):
    html = client.get(bank_lesson.step_url(2)).content.decode()
    assert "Dit is oefenen — typ nooit je echte gegevens" in html
    assert f'action="{url(bank_lesson)}"' in html
    assert 'name="actie" value="start"' in html


def test_the_whole_scenario_without_javascript(client, bank_lesson):
    response = walk_to_done(client, bank_lesson)
    assert response.status_code == 302
    assert response["Location"] == url(bank_lesson) + "#oefenapp"
    html = client.get(url(bank_lesson)).content.decode()
    assert "Je overschrijving is gelukt" in html
    assert "€ 201,25" in html
    assert kinds() == [
        ("launched", "login", ""),
        ("step_passed", "login", ""),
        ("step_passed", "account", ""),
        ("step_passed", "transfer", ""),
        ("step_passed", "confirm", ""),
        ("completed", "done", ""),
    ]
    progress = LessonProgress.objects.get()
    assert progress.exercise_passed(BLOCK)
    assert progress.is_completed and progress.score == 100
    assert SandboxRun.objects.get().completed_at is not None


def test_every_screen_shows_the_banner(client, bank_lesson):
    client.post(url(bank_lesson), {"stap_id": uuid.uuid4(), "actie": "start", "scherm": ""})
    screens = []
    for action, values in [
        ("login", {"code": oefenbank.USER_CODE}),
        ("new_transfer", {}),
        ("check_transfer", GOOD_TRANSFER),
        ("confirm", {"itsme_code": oefenbank.ITSME_CODE}),
    ]:
        html = client.get(url(bank_lesson)).content.decode()
        screens.append(html)
        send(client, bank_lesson, action, **values)
    screens.append(client.get(url(bank_lesson)).content.decode())
    for html in screens:
        assert "Dit is oefenen — typ nooit je echte gegevens" in html
    assert "Bevestig met je 5-cijferige oefencode" in screens[3]


def test_a_double_submit_records_one_event(client, bank_lesson):
    client.post(url(bank_lesson), {"stap_id": uuid.uuid4(), "actie": "start", "scherm": ""})
    first, data = send(client, bank_lesson, "login", code=oefenbank.USER_CODE)
    second = client.post(url(bank_lesson), data)
    assert first.status_code == second.status_code == 302
    assert kinds(kind="step_passed") == [("step_passed", "login", "")]
    assert SandboxRun.objects.get().state["screen"] == "account"


def test_a_double_submitted_start_makes_one_learner_and_one_run(client, bank_lesson):
    data = {"stap_id": str(uuid.uuid4()), "actie": "start", "scherm": ""}
    assert client.post(url(bank_lesson), data).status_code == 302
    assert client.post(url(bank_lesson), data).status_code == 302
    assert Learner.objects.count() == 1
    assert SandboxRun.objects.count() == 1
    assert kinds() == [("launched", "login", "")]


def test_back_and_resubmit_changes_nothing(client, bank_lesson):
    client.post(url(bank_lesson), {"stap_id": uuid.uuid4(), "actie": "start", "scherm": ""})
    send(client, bank_lesson, "login", code=oefenbank.USER_CODE)
    send(client, bank_lesson, "new_transfer")
    _response, transfer = send(client, bank_lesson, "check_transfer", **GOOD_TRANSFER)
    send(client, bank_lesson, "confirm", itsme_code=oefenbank.ITSME_CODE)
    before = kinds()
    balance = SandboxRun.objects.get().state["balance"]
    # Back to the transfer form (the same event id) and send it again, then the old
    # confirm form with a fresh id: neither pays twice nor records anything.
    assert client.post(url(bank_lesson), transfer).status_code == 302
    stale = {**transfer, "stap_id": str(uuid.uuid4())}
    assert client.post(url(bank_lesson), stale).status_code == 302
    old_confirm = {
        "stap_id": str(uuid.uuid4()),
        "actie": "confirm",
        "scherm": "confirm",
        "itsme_code": oefenbank.ITSME_CODE,
    }
    assert client.post(url(bank_lesson), old_confirm).status_code == 302
    assert kinds() == before
    assert SandboxRun.objects.get().state["balance"] == balance
    assert SandboxRun.objects.get().state["screen"] == "done"


def test_reload_after_a_mistake_shows_it_again_and_records_nothing_more(client, bank_lesson):
    client.post(url(bank_lesson), {"stap_id": uuid.uuid4(), "actie": "start", "scherm": ""})
    send(client, bank_lesson, "login", code="0000")
    first = client.get(url(bank_lesson)).content.decode()
    again = client.get(url(bank_lesson)).content.decode()
    message = "Deze gebruikerscode klopt niet."
    assert message in first and message in again
    assert 'aria-invalid="true"' in first
    assert kinds(kind="error") == [("error", "login", "wrong_user_code")]


def test_every_error_of_the_transfer_is_recorded_with_its_kind(client, bank_lesson):
    client.post(url(bank_lesson), {"stap_id": uuid.uuid4(), "actie": "start", "scherm": ""})
    send(client, bank_lesson, "login", code=oefenbank.USER_CODE)
    send(client, bank_lesson, "new_transfer")
    send(client, bank_lesson, "check_transfer", **{**GOOD_TRANSFER, "iban": "BE74 9990 0000 3408"})
    html = client.get(url(bank_lesson)).content.decode()
    assert "Dit rekeningnummer klopt niet." in html
    assert 'value="BE74 9990 0000 3408"' in html  # to put right, not to type again
    send(client, bank_lesson, "check_transfer", **{**GOOD_TRANSFER, "amount": "500"})
    assert (
        "Zoveel geld staat er niet op je oefenrekening."
        in client.get(url(bank_lesson)).content.decode()
    )
    send(client, bank_lesson, "check_transfer", **GOOD_TRANSFER)
    send(client, bank_lesson, "confirm", itsme_code="11111")
    assert "Deze code klopt niet." in client.get(url(bank_lesson)).content.decode()
    assert kinds(kind="error") == [
        ("error", "transfer", "iban_typo"),
        ("error", "transfer", "amount_above_balance"),
        ("error", "confirm", "wrong_itsme_code"),
    ]


def test_an_idle_run_starts_the_login_again_with_a_kind_message(client, bank_lesson):
    client.post(url(bank_lesson), {"stap_id": uuid.uuid4(), "actie": "start", "scherm": ""})
    send(client, bank_lesson, "login", code=oefenbank.USER_CODE)
    send(client, bank_lesson, "new_transfer")
    # Eleven minutes pass: the run's clock is moved back instead of sleeping.
    SandboxRun.objects.update(changed_at=F("changed_at") - timedelta(minutes=11))
    html = client.get(url(bank_lesson)).content.decode()
    assert "Je was meer dan 10 minuten weg." in html
    assert 'name="actie" value="login"' in html
    assert 'name="actie" value="check_transfer"' not in html
    send(client, bank_lesson, "login", code=oefenbank.USER_CODE)
    assert SandboxRun.objects.get().state["screen"] == "account"
    assert kinds(kind="error") == [("error", "transfer", "timeout")]
    # Nine minutes is not idle enough.
    SandboxRun.objects.update(changed_at=F("changed_at") - timedelta(minutes=9))
    send(client, bank_lesson, "new_transfer")
    assert SandboxRun.objects.get().state["screen"] == "transfer"


def test_an_old_transfer_form_after_the_time_out_records_the_time_out_once(client, bank_lesson):
    client.post(url(bank_lesson), {"stap_id": uuid.uuid4(), "actie": "start", "scherm": ""})
    send(client, bank_lesson, "login", code=oefenbank.USER_CODE)
    send(client, bank_lesson, "new_transfer")
    page = client.get(url(bank_lesson)).content.decode()
    event, screen = hidden_forms(page)["check_transfer"]
    SandboxRun.objects.update(changed_at=F("changed_at") - timedelta(minutes=11))
    data = {"stap_id": event, "actie": "check_transfer", "scherm": screen, **GOOD_TRANSFER}
    client.post(url(bank_lesson), data)
    client.post(url(bank_lesson), data)
    assert SandboxRun.objects.get().state["screen"] == "login"
    assert kinds(kind="error") == [("error", "transfer", "timeout")]


REAL = {
    "national number": "85.07.30-033.28",
    "card": "4111 1111 1111 1111",
    "iban": "BE68 5390 0754 7034",
}


@pytest.mark.parametrize("what", list(REAL))
@pytest.mark.parametrize("field", ["name", "iban", "amount", "message"])
def test_real_data_is_refused_and_stored_nowhere(client, bank_lesson, what, field):
    real = REAL[what]
    client.post(url(bank_lesson), {"stap_id": uuid.uuid4(), "actie": "start", "scherm": ""})
    send(client, bank_lesson, "login", code=oefenbank.USER_CODE)
    send(client, bank_lesson, "new_transfer")
    response, _data = send(client, bank_lesson, "check_transfer", **{**GOOD_TRANSFER, field: real})
    assert response.status_code == 302
    html = client.get(url(bank_lesson)).content.decode()
    assert "Typ nooit je echte gegevens." in html
    assert real not in html  # not even shown back in the form
    digits = re.sub(r"\D", "", real)
    for run in SandboxRun.objects.all():
        assert digits not in re.sub(r"\D", "", str(run.state))
    for event in SandboxEvent.objects.values():
        assert digits not in re.sub(r"\D", "", str({**event, "event_id": "", "created_at": ""}))
    assert kinds(kind="error")[-1][2].startswith("real_")


def test_the_view_hides_post_data_from_error_reports(rf, bank_lesson):
    """Django's error reports and the logging of a failed request show POST values only
    through this filter: the sandbox view marks them all sensitive."""
    from learning.views.sandboxes import sandbox_screen

    request = rf.post(url(bank_lesson), {"iban": REAL["iban"], "actie": "check_transfer"})
    request.user = type("Anonymous", (), {"is_authenticated": False})()
    request.session = {}
    response = sandbox_screen(request, lesson_id=bank_lesson.pk, block_id=BLOCK)
    assert response.status_code == 400  # no event id: refused, and nothing shown back
    cleaned = SafeExceptionReporterFilter().get_post_parameters(request)
    assert cleaned["iban"] != REAL["iban"]
    assert "*" in cleaned["iban"]


def test_the_sandbox_page_is_never_cached(client, bank_lesson):
    response = client.get(url(bank_lesson))
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]


def test_a_guided_run_passes_only_when_the_author_allows_it(client, module):
    lesson = make_lesson(module, guided_counts=False)
    walk_to_done(client, lesson)
    progress = LessonProgress.objects.get()
    assert not progress.exercise_passed(BLOCK)
    assert not progress.is_completed
    step = client.get(lesson.step_url(2)).content.decode()
    assert "Probeer het nu eens zonder hulp." in step
    # Again, without help: now it passes.
    send(client, lesson, "reset")
    send(client, lesson, "mode", modus="free")
    send(client, lesson, "login", code=oefenbank.USER_CODE)
    send(client, lesson, "new_transfer")
    send(client, lesson, "check_transfer", **GOOD_TRANSFER)
    send(client, lesson, "confirm", itsme_code=oefenbank.ITSME_CODE)
    progress.refresh_from_db()
    assert progress.exercise_passed(BLOCK) and progress.is_completed
    assert (
        "Goed zo! Je hebt de Oefenbank afgewerkt."
        in client.get(lesson.step_url(2)).content.decode()
    )


def test_hint_and_reset_are_recorded(client, module):
    lesson = make_lesson(module, default_mode="free")
    client.post(url(lesson), {"stap_id": uuid.uuid4(), "actie": "start", "scherm": ""})
    html = client.get(url(lesson)).content.decode()
    assert "Tip:" not in html and "Toon een tip" in html
    send(client, lesson, "hint")
    assert "Tip:" in client.get(url(lesson)).content.decode()
    send(client, lesson, "login", code=oefenbank.USER_CODE)
    send(client, lesson, "reset")
    assert kinds() == [
        ("launched", "login", ""),
        ("hint_used", "login", ""),
        ("step_passed", "login", ""),
        ("reset", "account", ""),
    ]
    assert SandboxRun.objects.get().state["screen"] == "login"


def test_bad_forms_and_addresses(client, bank_lesson):
    assert client.post(url(bank_lesson), {"actie": "start"}).status_code == 400
    assert client.get(f"/leren/oefenapp/{bank_lesson.pk}/geen-oefenbank/").status_code == 404
    assert client.get(f"/leren/oefenapp/999999/{BLOCK}/").status_code == 404
    step1_exercise = next(iter(bank_lesson.exercises))
    assert step1_exercise == BLOCK  # the factory's first step has no exercise
    # The answer form refuses a sandbox: it is passed on its own screens.
    answer = {
        "les": bank_lesson.pk,
        "oefening": BLOCK,
        "poging": str(uuid.uuid4()),
        "antwoord": "0",
    }
    assert client.post("/leren/antwoord/", answer).status_code == 400
    assert not SandboxEvent.objects.exists()


def test_an_event_id_of_another_learner_is_refused(client, bank_lesson, django_user_model):
    data = {"stap_id": str(uuid.uuid4()), "actie": "start", "scherm": ""}
    client.post(url(bank_lesson), data)
    other = type(client)()
    other.post(url(bank_lesson), {"stap_id": str(uuid.uuid4()), "actie": "start", "scherm": ""})
    Learner.objects.update(created_at=F("created_at") - timedelta(minutes=5))
    assert other.post(url(bank_lesson), data).status_code == 400


def test_merging_learners_keeps_the_run_changed_last_and_every_event(bank_lesson):
    one, two = Learner.objects.create(), Learner.objects.create()
    for learner in (one, two):
        services.sandbox_submit(
            learner=learner,
            lesson=bank_lesson,
            block_id=BLOCK,
            event_id=uuid.uuid4(),
            action="start",
            data={},
        )
    services.sandbox_submit(
        learner=two,
        lesson=bank_lesson,
        block_id=BLOCK,
        event_id=uuid.uuid4(),
        action="login",
        data={"scherm": "login", "code": oefenbank.USER_CODE},
    )
    learner_merge(source=two, target=one)
    run = SandboxRun.objects.get()
    assert run.learner == one and run.state["screen"] == "account"
    assert SandboxEvent.objects.filter(learner=one, run=run).count() == 3


def test_a_learner_who_finished_the_oefenbank_comes_back_to_every_page(client, bank_lesson):
    """Stateful: the same browser (cookie) after the sandbox, on the pages it returns to."""
    walk_to_done(client, bank_lesson)
    module = bank_lesson.get_parent()
    for address in ["/", "/modules/", module.url, bank_lesson.url, bank_lesson.step_url(2)]:
        response = client.get(address)
        assert response.status_code == 200, address
    assert (
        "Goed zo! Je hebt de Oefenbank afgewerkt."
        in client.get(bank_lesson.step_url(2)).content.decode()
    )
    assert client.get(bank_lesson.finish_url()).status_code == 200
    assert client.get("/mijn/").status_code == 200
    assert client.get(url(bank_lesson)).status_code == 200


def test_the_learners_export_holds_the_run_and_its_events(client, bank_lesson):
    from learning.services.privacy import learner_export

    walk_to_done(client, bank_lesson)
    exported = learner_export(learner=Learner.objects.get())["sandboxes"]
    assert [run["state"]["screen"] for run in exported["runs"]] == ["done"]
    assert [event["kind"] for event in exported["events"]][-1] == "completed"


def test_deleting_the_lesson_keeps_the_run_and_events_with_its_title(client, bank_lesson):
    walk_to_done(client, bank_lesson)
    title = bank_lesson.title
    bank_lesson.delete()
    run = SandboxRun.objects.get()
    assert run.lesson is None and run.lesson_title == title
    assert set(SandboxEvent.objects.values_list("lesson_title", flat=True)) == {title}


def test_the_practice_codes_read_left_to_right_in_arabic(client, bank_lesson):
    """In an Arabic sentence the code 2468 1357 would show as 1357 2468: <bdi dir="ltr">."""
    client.cookies["taal"] = "ar"
    client.post(url(bank_lesson), {"stap_id": uuid.uuid4(), "actie": "start", "scherm": ""})
    html = client.get(url(bank_lesson)).content.decode()
    assert 'lang="ar"' in html
    code = '<bdi dir="ltr">2468 1357</bdi>'
    assert html.count(code) == 2  # shown in the app and in the hint (guided mode)
    # What the learner types there is set left to right too, or it shows reordered.
    assert re.search(r'<input id="oefen-code"[^>]*dir="ltr"', html)
    send(client, bank_lesson, "login", code=oefenbank.USER_CODE)
    send(client, bank_lesson, "new_transfer")
    transfer = client.get(url(bank_lesson)).content.decode()
    for field in ("oefen-iban", "oefen-bedrag"):
        assert re.search(rf'<input id="{field}"[^>]*dir="ltr"', transfer), field
    for field in ("oefen-naam", "oefen-mededeling"):  # a name or message may be Arabic
        assert re.search(rf'<input id="{field}"[^>]*dir="auto"', transfer), field
    send(client, bank_lesson, "check_transfer", **GOOD_TRANSFER)
    confirm = client.get(url(bank_lesson)).content.decode()
    assert '<bdi dir="ltr">13579</bdi>' in confirm
    # The summary: "+++202/6120/40118+++" showed as "++202/6120/40118+++ +" in Arabic.
    assert f'<dd dir="ltr">{GOOD_TRANSFER["message"]}</dd>' in confirm
    assert '<dd dir="ltr">BE74 9990 0000 3407</dd>' in confirm
