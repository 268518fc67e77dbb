"""Mijn Oefenprofiel in a lesson, over HTTP: plain forms, step events recorded once, the
lesson's progress, the practice certificate (a PDF only for a run on the done screen), the
time-out and the guardrails (nothing real stored or shown back)."""

import re
import subprocess
import uuid
from datetime import timedelta

import pytest
from django.db.models import F
from django.test import Client

from courses.factories import LessonPageFactory, sandbox_step, steps
from courses.sandboxes import oefenprofiel
from learning.models import LessonProgress, SandboxEvent, SandboxRun
from learning.services import sandboxes as services
from tests.learning.test_sandboxes import hidden_forms

BLOCK = "oefenprofiel"
RIGHT = [
    ("aanmelden", {}),
    ("sleutel", {"sleutel": "itsme"}),
    ("gsm", {"phone": "0470 00 00 00"}),
    ("bevestig", {"itsme_code": "13579"}),
    ("menu", {"menu": "documenten"}),
    ("download", {"document": "gezinssamenstelling"}),
]


def make_lesson(module, **options):
    return LessonPageFactory(
        parent=module,
        title="Een attest downloaden",
        slug="een-attest-downloaden",
        steps=[
            *steps(1, ()),
            sandbox_step(
                block_id=BLOCK,
                scenario="oefenprofiel-attest",
                intro="Download je attest gezinssamenstelling in Mijn Oefenprofiel.",
                **options,
            ),
        ],
    )


@pytest.fixture
def portal_lesson(module):
    return make_lesson(module)


def url(lesson):
    return f"/leren/oefenapp/{lesson.pk}/{BLOCK}/"


def pdf_url(lesson):
    return f"/leren/oefenapp/{lesson.pk}/{BLOCK}/attest.pdf"


def send(client, lesson, action, **values):
    page = client.get(url(lesson)).content.decode()
    event, screen = hidden_forms(page)[action]
    data = {"stap_id": event, "actie": action, "scherm": screen, **values}
    return client.post(url(lesson), data), data


def open_portal(client, lesson):
    return client.post(url(lesson), {"stap_id": uuid.uuid4(), "actie": "start", "scherm": ""})


def walk(client, lesson, upto=None):
    """Open the portal and send the right forms, all of them or the first ``upto``."""
    open_portal(client, lesson)
    for action, values in RIGHT[:upto]:
        send(client, lesson, action, **values)


def kinds(**filters):
    return list(
        SandboxEvent.objects.filter(**filters)
        .order_by("created_at", "pk")
        .values_list("kind", "step", "error")
    )


def pdf_text(content: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()


def test_the_step_offers_mijn_oefenprofiel_with_a_plain_form(client, portal_lesson):
    html = client.get(portal_lesson.step_url(2)).content.decode()
    assert "Open Mijn Oefenprofiel" in html
    assert "Download je attest gezinssamenstelling in Mijn Oefenprofiel." in html
    assert f'action="{url(portal_lesson)}"' in html
    page = client.get(url(portal_lesson)).content.decode()
    assert "Je oefent aanmelden op een nagemaakte website van de overheid." in page


def test_the_whole_scenario_without_javascript(client, portal_lesson):
    open_portal(client, portal_lesson)
    seen = []
    for action, values in RIGHT:
        html = client.get(url(portal_lesson)).content.decode()
        assert "Dit is oefenen — typ nooit je echte gegevens" in html
        seen.append(html)
        response, _data = send(client, portal_lesson, action, **values)
        assert response.status_code == 302
        assert response["Location"] == url(portal_lesson) + "#oefenapp"
    done = client.get(url(portal_lesson)).content.decode()
    assert "Welkom bij Mijn Oefenprofiel" in seen[0]
    assert "Kies je digitale sleutel" in seen[1]
    assert "Je oefen-gsm-nummer is" in seen[2]
    assert "Bevestig met je 5-cijferige oefencode" in seen[3]
    assert "Mijn Oefenprofiel vraagt: wil je je aanmelden?" in seen[3]
    assert "Welkom, Sam Oefenaar" in seen[4]
    assert "Uittreksel uit het strafregister" in seen[5]
    assert "Je attest staat klaar" in done
    assert f'href="{pdf_url(portal_lesson)}"' in done
    assert kinds() == [
        ("launched", "start", ""),
        ("step_passed", "start", ""),
        ("step_passed", "keys", ""),
        ("step_passed", "itsme", ""),
        ("step_passed", "confirm", ""),
        ("step_passed", "profile", ""),
        ("step_passed", "documents", ""),
        ("completed", "done", ""),
    ]
    progress = LessonProgress.objects.get()
    assert progress.exercise_passed(BLOCK)
    assert progress.is_completed
    assert SandboxRun.objects.get().completed_at is not None
    assert "Goed zo! Je hebt Mijn Oefenprofiel afgewerkt." in (
        client.get(portal_lesson.step_url(2)).content.decode()
    )


def test_a_double_submit_and_back_record_once(client, portal_lesson):
    walk(client, portal_lesson, upto=3)
    first, data = send(client, portal_lesson, "bevestig", itsme_code="13579")
    assert client.post(url(portal_lesson), data).status_code == 302  # the same event id
    assert kinds(kind="step_passed", step="confirm") == [("step_passed", "confirm", "")]
    # Back to the key screen's form, sent again with a fresh id: nothing moves.
    stale = {"stap_id": str(uuid.uuid4()), "actie": "sleutel", "scherm": "keys", "sleutel": "eid"}
    before = kinds()
    assert client.post(url(portal_lesson), stale).status_code == 302
    assert kinds() == before
    assert SandboxRun.objects.get().state["screen"] == "profile"


def test_every_mistake_is_recorded_with_its_kind(client, portal_lesson):
    open_portal(client, portal_lesson)
    send(client, portal_lesson, "aanmelden")
    send(client, portal_lesson, "sleutel", sleutel="eid")
    assert "in deze oefening kan dat niet" in client.get(url(portal_lesson)).content.decode()
    send(client, portal_lesson, "sleutel", sleutel="itsme")
    send(client, portal_lesson, "gsm", phone="0470 00 00 11")
    html = client.get(url(portal_lesson)).content.decode()
    assert "Dit is niet het oefennummer." in html and 'aria-invalid="true"' in html
    send(client, portal_lesson, "gsm", phone="0470 00 00 00")
    send(client, portal_lesson, "bevestig", itsme_code="11111")
    send(client, portal_lesson, "bevestig", itsme_code="13579")
    send(client, portal_lesson, "menu", menu="gegevens")
    html = client.get(url(portal_lesson)).content.decode()
    assert "Oefenstraat 1" in html and "Je attesten vind je bij Mijn documenten." in html
    send(client, portal_lesson, "menu", menu="documenten")
    send(client, portal_lesson, "download", document="woonst")
    assert "Dit is niet het attest dat je zoekt." in client.get(url(portal_lesson)).content.decode()
    assert client.get(pdf_url(portal_lesson)).status_code == 404
    assert kinds(kind="error") == [
        ("error", "keys", "key_eid"),
        ("error", "itsme", "wrong_phone"),
        ("error", "confirm", "wrong_itsme_code"),
        ("error", "profile", "wrong_menu"),
        ("error", "documents", "wrong_document"),
    ]


def test_the_certificate_is_a_practice_pdf_for_a_run_on_the_done_screen(client, portal_lesson):
    walk(client, portal_lesson)
    response = client.get(pdf_url(portal_lesson))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="oefenattest-gezinssamenstelling.pdf"'
    )
    assert "no-store" in response["Cache-Control"]
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert "OEFENDOCUMENT" in text
    assert "geen echt attest" in text
    assert "Attest gezinssamenstelling" in text
    assert "Sam Oefenaar" in text
    assert "Oefenoverheid" in text
    # Getting it changes nothing and records nothing.
    before = kinds()
    client.get(pdf_url(portal_lesson))
    assert kinds() == before


@pytest.mark.parametrize("upto", [0, 1, 3, 5])
def test_no_certificate_before_the_done_screen(client, portal_lesson, upto):
    walk(client, portal_lesson, upto=upto)
    assert client.get(pdf_url(portal_lesson)).status_code == 404


def test_no_certificate_after_starting_over_for_another_learner_or_elsewhere(
    client, portal_lesson, module
):
    assert client.get(pdf_url(portal_lesson)).status_code == 404  # no learner, no run
    walk(client, portal_lesson)
    other = type(client)()
    assert other.get(pdf_url(portal_lesson)).status_code == 404  # not their run
    assert client.get(f"/leren/oefenapp/{portal_lesson.pk}/elders/attest.pdf").status_code == 404
    assert client.post(pdf_url(portal_lesson)).status_code == 405
    send(client, portal_lesson, "reset")
    assert client.get(pdf_url(portal_lesson)).status_code == 404


def test_the_oefenbank_has_no_document_to_download(client, module):
    lesson = LessonPageFactory(
        parent=module, slug="bank", steps=[*steps(1, ()), sandbox_step(block_id="bank")]
    )
    client.post(f"/leren/oefenapp/{lesson.pk}/bank/", {"stap_id": uuid.uuid4(), "actie": "start"})
    assert client.get(f"/leren/oefenapp/{lesson.pk}/bank/attest.pdf").status_code == 404


def test_the_certificate_says_practice_in_the_learners_help_language(client, portal_lesson):
    client.cookies["taal"] = "fr"
    walk(client, portal_lesson)
    text = pdf_text(client.get(pdf_url(portal_lesson)).content)
    assert "OEFENDOCUMENT — geen echt attest" in text  # the document is in Dutch
    assert "Attest gezinssamenstelling" in text
    assert "DOCUMENT D'EXERCICE — pas une vraie attestation" in text  # and the mark in French


def test_a_guided_run_passes_only_when_the_author_allows_it(client, module):
    lesson = make_lesson(module, guided_counts=False)
    walk(client, lesson)
    assert not LessonProgress.objects.get().exercise_passed(BLOCK)
    send(client, lesson, "reset")
    send(client, lesson, "mode", modus="free")
    for action, values in RIGHT:
        send(client, lesson, action, **values)
    assert LessonProgress.objects.get().exercise_passed(BLOCK)


def test_free_mode_passes_and_a_hint_is_recorded(client, module):
    lesson = make_lesson(module, default_mode="free", guided_counts=False)
    open_portal(client, lesson)
    assert "Toon een tip" in client.get(url(lesson)).content.decode()
    send(client, lesson, "hint")
    assert "Tip:" in client.get(url(lesson)).content.decode()
    for action, values in RIGHT:
        send(client, lesson, action, **values)
    assert ("hint_used", "start", "") in kinds()
    assert LessonProgress.objects.get().exercise_passed(BLOCK)


def test_an_idle_portal_logs_out_with_a_kind_message(client, portal_lesson):
    walk(client, portal_lesson, upto=5)  # on the documents screen
    SandboxRun.objects.update(changed_at=F("changed_at") - timedelta(minutes=11))
    html = client.get(url(portal_lesson)).content.decode()
    assert "Je was meer dan 10 minuten weg." in html
    assert 'name="actie" value="aanmelden"' in html
    assert 'name="actie" value="download"' not in html
    send(client, portal_lesson, "aanmelden")
    assert SandboxRun.objects.get().state["screen"] == "keys"
    assert kinds(kind="error") == [("error", "documents", "timeout")]


REAL = {
    "national number": "85.07.30-033.28",
    "card": "4111 1111 1111 1111",
    "mobile": "0478 12 34 56",
}


@pytest.mark.parametrize("what", list(REAL))
def test_real_data_is_refused_and_stored_nowhere(client, portal_lesson, what):
    real = REAL[what]
    walk(client, portal_lesson, upto=2)  # on the phone screen
    response, _data = send(client, portal_lesson, "gsm", phone=real)
    assert response.status_code == 302
    html = client.get(url(portal_lesson)).content.decode()
    assert "Typ nooit je echte gegevens." in html
    assert real not in html
    digits = re.sub(r"\D", "", real)
    for run in SandboxRun.objects.all():
        assert digits not in re.sub(r"\D", "", str(run.state))
    for event in SandboxEvent.objects.values():
        assert digits not in re.sub(r"\D", "", str({**event, "event_id": "", "created_at": ""}))
    assert kinds(kind="error")[-1][2].startswith("real_")


def test_the_phone_number_and_code_read_left_to_right_in_arabic(client, portal_lesson):
    client.cookies["taal"] = "ar"
    walk(client, portal_lesson, upto=2)
    html = client.get(url(portal_lesson)).content.decode()
    assert 'lang="ar"' in html
    assert html.count('<bdi dir="ltr">0470 00 00 00</bdi>') == 2  # the screen and the hint
    send(client, portal_lesson, "gsm", phone="0470 00 00 00")
    assert '<bdi dir="ltr">13579</bdi>' in client.get(url(portal_lesson)).content.decode()


def test_the_service_records_each_event_id_once(portal_lesson):
    result = services.sandbox_submit(
        learner=None,
        lesson=portal_lesson,
        block_id=BLOCK,
        event_id=uuid.uuid4(),
        action="start",
        data={},
    )
    learner = result.learner
    event = uuid.uuid4()
    for _again in range(2):
        services.sandbox_submit(
            learner=learner,
            lesson=portal_lesson,
            block_id=BLOCK,
            event_id=event,
            action="aanmelden",
            data={"scherm": "start"},
        )
    assert SandboxRun.objects.get().state["screen"] == "keys"
    assert kinds() == [("launched", "start", ""), ("step_passed", "start", "")]
    assert SandboxRun.objects.get().scenario == oefenprofiel.SCENARIO


def test_logging_in_can_be_confirmed_on_the_learners_own_smartphone(client, portal_lesson):
    """The portal's oefen-itsme login offers the second device too (``PAIRING``): the phone
    sees only the portal's question, and confirming there logs the computer in."""
    walk(client, portal_lesson, upto=3)  # on the confirm screen
    assert "Bevestig met je eigen smartphone" in client.get(url(portal_lesson)).content.decode()
    send(client, portal_lesson, "smartphone")
    html = client.get(url(portal_lesson)).content.decode()
    address = re.search(r"(http://testserver/oefen-itsme/[A-Za-z0-9_-]+/)", html).group(1)
    phone = Client()
    page = phone.get(address).content.decode()
    assert "Mijn Oefenprofiel vraagt: wil je je aanmelden?" in page
    assert "Sam Oefenaar" not in page
    event = re.search(r'name="stap_id" value="([^"]+)"', page).group(1)
    response = phone.post(address, {"stap_id": event, "itsme_code": oefenprofiel.ITSME_CODE})
    assert response.status_code == 200
    run = SandboxRun.objects.get()
    assert run.state["screen"] == oefenprofiel.PROFILE
    assert "al gebruikt" in phone.get(address).content.decode()  # once only
