"""oefen-itsme on the learner's own smartphone (issue 18): a QR code on the computer's
confirm screen, a token scoped to that run, hashed at rest, used once, for 10 minutes; the
phone's form goes through the same sandbox_submit path as the computer's."""

import hashlib
import re
import uuid
from datetime import timedelta
from unittest import mock

import pytest
from django.test import Client
from django.utils import timezone

from courses.sandboxes import oefenbank
from learning.models import LessonProgress, SandboxEvent, SandboxPairing, SandboxRun
from learning.services import pairing as pairings
from tests.learning.test_sandboxes import (
    BLOCK,
    GOOD_TRANSFER,
    hidden_forms,
    kinds,
    make_lesson,
    send,
    url,
)

ITSME = oefenbank.ITSME_CODE


def to_confirm(client, lesson):
    """A learner (``client``, the computer) on the confirm screen."""
    client.post(url(lesson), {"stap_id": uuid.uuid4(), "actie": "start", "scherm": ""})
    send(client, lesson, "login", code=oefenbank.USER_CODE)
    send(client, lesson, "new_transfer")
    send(client, lesson, "check_transfer", **GOOD_TRANSFER)


def phone_address(html):
    match = re.search(r"(http://testserver/oefen-itsme/[A-Za-z0-9_-]+/)", html)
    assert match, "no phone address on the page"
    return match.group(1)


def pair(client, lesson):
    """Press "Bevestig met je eigen smartphone"; the phone's address from the page."""
    response, _data = send(client, lesson, "smartphone")
    assert response.status_code == 302
    return phone_address(client.get(url(lesson)).content.decode())


def phone_form(phone, address):
    html = phone.get(address).content.decode()
    return re.search(r'name="stap_id" value="([^"]+)"', html).group(1)


def phone_confirm(phone, address, code=ITSME, event=None):
    event = event or phone_form(phone, address)
    return phone.post(address, {"stap_id": event, "itsme_code": code}), event


def status(lesson):
    return f"/leren/oefenapp-stand/{lesson.pk}/{BLOCK}/"


@pytest.fixture
def bank_lesson(module):
    return make_lesson(module)


@pytest.fixture
def phone():
    return Client()  # another device: its own cookies, never the learner's


def test_the_confirm_screen_offers_the_smartphone_and_shows_a_qr_code(client, bank_lesson):
    to_confirm(client, bank_lesson)
    html = client.get(url(bank_lesson)).content.decode()
    assert "Bevestig met je eigen smartphone" in html
    assert "data-pairing-status" not in html
    address = pair(client, bank_lesson)
    html = client.get(url(bank_lesson)).content.decode()
    assert '<svg role="img" aria-label="QR-code met het adres voor je smartphone"' in html
    assert "Open de camera van je smartphone." in html
    assert address in html  # written out, to type
    assert "Deze QR-code werkt tot" in html
    assert 'name="nagekeken" value="1"' in html
    assert "js/sandbox-pairing.js" in html
    assert "Je oefencode (5 cijfers)" not in html  # the code is typed on the phone now


def test_the_token_is_hashed_at_rest_and_only_in_the_address(client, bank_lesson):
    to_confirm(client, bank_lesson)
    address = pair(client, bank_lesson)
    token = address.rstrip("/").rsplit("/", 1)[1]
    assert len(token) >= 32
    pairing = SandboxPairing.objects.get()
    assert pairing.token_hash == hashlib.sha256(token.encode()).hexdigest()
    stored = [str(value) for value in SandboxPairing.objects.values_list().get()]
    assert all(token not in value for value in stored)
    assert pairing.expires_at - pairing.created_at == timedelta(minutes=10)


def test_the_phone_confirms_through_the_same_path_and_the_computer_moves_on(
    client, phone, bank_lesson
):
    to_confirm(client, bank_lesson)
    address = pair(client, bank_lesson)
    page = phone.get(address)
    html = page.content.decode()
    assert page["Referrer-Policy"] == "no-referrer"
    assert "no-cache" in page["Cache-Control"] or "no-store" in page["Cache-Control"]
    assert "Klaproos Bank vraagt: bevestig een overschrijving van € 48,75." in html
    assert "Dit is oefenen — typ nooit je echte gegevens" in html
    assert "13579" in html
    # Nothing else about the learner or the run: no name of the payee, no IBAN, no balance.
    for private in ("Energie Westhoek", "BE74", "€ 250,00", "Een overschrijving oefenen"):
        assert private not in html
    assert "csrfmiddlewaretoken" not in html

    response, _event = phone_confirm(phone, address)
    assert response.status_code == 200
    assert "Gelukt. Kijk nu naar je computer." in response.content.decode()
    # The phone got no learner of its own and no session as the learner.
    assert "digibank_leerder" not in response.cookies and "sessionid" not in response.cookies
    assert SandboxRun.objects.get().state["screen"] == "done"
    assert kinds(kind__in=["step_passed", "completed"])[-2:] == [
        ("step_passed", "confirm", ""),
        ("completed", "done", ""),
    ]
    assert LessonProgress.objects.get().exercise_passed(BLOCK)
    assert client.get(status(bank_lesson)).json() == {"stand": "klaar"}
    assert "Je overschrijving is gelukt" in client.get(url(bank_lesson)).content.decode()


def test_the_status_waits_while_the_qr_code_is_open(client, bank_lesson):
    to_confirm(client, bank_lesson)
    assert client.get(status(bank_lesson)).json() == {"stand": "klaar"}
    pair(client, bank_lesson)
    answer = client.get(status(bank_lesson))
    assert answer.json() == {"stand": "wacht"}
    assert "no-cache" in answer["Cache-Control"] or "no-store" in answer["Cache-Control"]
    # Another browser (no learner, or another learner) learns nothing.
    assert Client().get(status(bank_lesson)).json() == {"stand": "klaar"}


def test_a_second_visit_shows_used_and_a_reuse_is_refused(client, phone, bank_lesson):
    to_confirm(client, bank_lesson)
    address = pair(client, bank_lesson)
    phone_confirm(phone, address)
    again = phone.get(address)
    assert again.status_code == 410
    assert "Deze QR-code is al gebruikt." in again.content.decode()
    other, _event = phone_confirm(Client(), address, event=str(uuid.uuid4()))
    assert "Deze QR-code is al gebruikt." in other.content.decode()


def test_a_double_tap_confirms_once_and_says_gelukt_twice(client, phone, bank_lesson):
    to_confirm(client, bank_lesson)
    address = pair(client, bank_lesson)
    first, event = phone_confirm(phone, address)
    before = kinds()
    second, _event = phone_confirm(phone, address, event=event)
    assert "Gelukt. Kijk nu naar je computer." in second.content.decode()
    assert kinds() == before
    assert kinds(kind="completed") == [("completed", "done", "")]
    assert SandboxRun.objects.get().state["balance"] == 25000 - 4875


def test_two_phones_confirm_once(client, bank_lesson):
    to_confirm(client, bank_lesson)
    address = pair(client, bank_lesson)
    one, two = Client(), Client()
    event_one, event_two = phone_form(one, address), phone_form(two, address)
    first, _ = phone_confirm(one, address, event=event_one)
    second, _ = phone_confirm(two, address, event=event_two)
    assert "Gelukt." in first.content.decode()
    assert "Deze QR-code is al gebruikt." in second.content.decode()
    assert kinds(kind="completed") == [("completed", "done", "")]


def test_a_wrong_code_stays_on_the_phone_and_the_token_stays_open(client, phone, bank_lesson):
    to_confirm(client, bank_lesson)
    address = pair(client, bank_lesson)
    response, _event = phone_confirm(phone, address, code="12345")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Deze code klopt niet. Kijk naar de oefencode en probeer opnieuw." in html
    assert 'aria-invalid="true"' in html
    assert kinds(kind="error") == [("error", "confirm", "wrong_itsme_code")]
    assert client.get(status(bank_lesson)).json() == {"stand": "wacht"}
    response, _event = phone_confirm(phone, address)
    assert "Gelukt." in response.content.decode()


def test_real_data_on_the_phone_meets_the_guardrails(client, phone, bank_lesson):
    to_confirm(client, bank_lesson)
    address = pair(client, bank_lesson)
    response, _event = phone_confirm(phone, address, code="4111 1111 1111 1111")
    assert "Dit lijkt op een echt kaartnummer." in response.content.decode()
    assert "4111" not in str(SandboxRun.objects.get().state)
    assert kinds(kind="error") == [("error", "confirm", "real_card")]


def test_the_token_expires_after_10_minutes(client, phone, bank_lesson):
    to_confirm(client, bank_lesson)
    address = pair(client, bank_lesson)
    later = timezone.now() + timedelta(minutes=10, seconds=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        page = phone.get(address)
        assert "Deze QR-code is verlopen. Maak op de computer een nieuwe." in page.content.decode()
        response, _event = phone_confirm(phone, address, event=str(uuid.uuid4()))
        assert "Deze QR-code is verlopen." in response.content.decode()
        assert client.get(status(bank_lesson)).json() == {"stand": "klaar"}
        # Idle as long as the QR code lived: the bank logged out, as a real one does.
        assert "Je was meer dan 10 minuten weg." in client.get(url(bank_lesson)).content.decode()
    assert SandboxRun.objects.get().state["screen"] == "confirm"


def test_the_computer_says_when_its_qr_code_ran_out(client, bank_lesson):
    to_confirm(client, bank_lesson)
    pair(client, bank_lesson)
    with mock.patch(
        "django.utils.timezone.now", return_value=timezone.now() + timedelta(minutes=5)
    ):
        send(client, bank_lesson, "mode", modus="free")  # the learner was still busy
    with mock.patch(
        "django.utils.timezone.now", return_value=timezone.now() + timedelta(minutes=10, seconds=1)
    ):
        html = client.get(url(bank_lesson)).content.decode()
    assert "De QR-code is verlopen." in html
    assert "Bevestig met je eigen smartphone" in html and "data-pairing-status" not in html


def test_a_token_is_valid_just_before_10_minutes(client, bank_lesson):
    to_confirm(client, bank_lesson)
    run = SandboxRun.objects.get()
    start = timezone.now()
    pairing, token = pairings.pairing_create(run, now=start)
    assert pairings.resolve(token, now=start + timedelta(minutes=9, seconds=59)).refusal == ""
    assert pairings.resolve(token, now=start + timedelta(minutes=10)).refusal == pairings.EXPIRED
    assert pairings.resolve("not-a-token").refusal == pairings.UNKNOWN


def test_an_unknown_token_is_a_dutch_404_and_is_rate_limited(phone, bank_lesson, settings):
    from django.core.cache import cache

    cache.clear()
    response = phone.get("/oefen-itsme/abc/")
    assert response.status_code == 404
    assert "Deze pagina bestaat niet" in response.content.decode()
    assert response["Referrer-Policy"] == "no-referrer"
    for _ in range(settings.CARD_LOGIN_FAILURES_ALLOWED):
        phone.get(f"/oefen-itsme/{uuid.uuid4().hex}/")
    assert phone.get("/oefen-itsme/abc/").status_code == 429
    cache.clear()


def test_a_new_qr_code_replaces_the_old_one(client, phone, bank_lesson):
    to_confirm(client, bank_lesson)
    old = pair(client, bank_lesson)
    new = pair(client, bank_lesson)
    assert old != new
    assert "Deze QR-code is verlopen." in phone.get(old).content.decode()
    response, _event = phone_confirm(phone, new)
    assert "Gelukt." in response.content.decode()


def test_confirming_on_the_computer_after_all_ends_the_qr_code(client, phone, bank_lesson):
    to_confirm(client, bank_lesson)
    address = pair(client, bank_lesson)
    send(client, bank_lesson, "deze-computer")
    html = client.get(url(bank_lesson)).content.decode()
    assert "Je oefencode (5 cijfers)" in html and "data-pairing-status" not in html
    assert "De QR-code is verlopen" not in html  # ended on purpose: just the choice again
    assert "Deze QR-code is verlopen." in phone.get(address).content.decode()
    send(client, bank_lesson, "confirm", itsme_code=ITSME)
    assert SandboxRun.objects.get().state["screen"] == "done"


def test_leaving_the_confirm_screen_ends_the_qr_code(client, phone, bank_lesson):
    to_confirm(client, bank_lesson)
    address = pair(client, bank_lesson)
    send(client, bank_lesson, "change_transfer")
    assert "Deze QR-code is verlopen." in phone.get(address).content.decode()
    send(client, bank_lesson, "check_transfer", **GOOD_TRANSFER)
    # Back on the confirm screen: the choice again, not the old QR code.
    html = client.get(url(bank_lesson)).content.decode()
    assert "data-pairing-status" not in html and "Bevestig met je eigen smartphone" in html
    response, _event = phone_confirm(phone, address, event=str(uuid.uuid4()))
    assert "Deze QR-code is verlopen." in response.content.decode()
    assert SandboxRun.objects.get().state["screen"] == "confirm"


def test_a_pairing_is_refused_off_the_confirm_screen(client, bank_lesson):
    client.post(url(bank_lesson), {"stap_id": uuid.uuid4(), "actie": "start", "scherm": ""})
    run = SandboxRun.objects.get()
    with pytest.raises(pairings.PairingRefused):
        pairings.pairing_create(run)
    # Over HTTP: a "smartphone" form sent on the login screen does nothing.
    client.post(
        url(bank_lesson), {"stap_id": uuid.uuid4(), "actie": "smartphone", "scherm": "login"}
    )
    assert SandboxPairing.objects.count() == 0
    assert "Bevestig met je eigen smartphone" not in client.get(url(bank_lesson)).content.decode()


def test_a_token_only_sends_the_confirm_action(client, phone, bank_lesson):
    to_confirm(client, bank_lesson)
    address = pair(client, bank_lesson)
    event = phone_form(phone, address)
    # Whatever else the phone sends is not read: not an action, not a screen, not a field.
    response = phone.post(
        address,
        {"stap_id": event, "actie": "reset", "scherm": "done", "code": oefenbank.USER_CODE},
    )
    assert "Deze code klopt niet." in response.content.decode()
    run = SandboxRun.objects.get()
    assert run.state["screen"] == "confirm"
    assert not kinds(kind="reset")


def test_a_token_of_run_a_cannot_act_on_run_b(client, phone, bank_lesson):
    to_confirm(client, bank_lesson)
    address_a = pair(client, bank_lesson)
    run_a = SandboxRun.objects.get()
    other = Client()
    to_confirm(other, bank_lesson)
    run_b = SandboxRun.objects.exclude(pk=run_a.pk).get()
    pair(other, bank_lesson)
    phone_confirm(phone, address_a)
    run_a.refresh_from_db()
    run_b.refresh_from_db()
    assert run_a.state["screen"] == "done"
    assert run_b.state["screen"] == "confirm"
    assert SandboxEvent.objects.filter(learner=run_b.learner, kind="completed").count() == 0
    # And the other learner's page still waits for their own phone.
    assert other.get(status(bank_lesson)).json() == {"stand": "wacht"}


def test_the_qr_address_comes_from_the_request_or_the_site_address(client, bank_lesson, settings):
    to_confirm(client, bank_lesson)
    send(client, bank_lesson, "smartphone")
    html = client.get(url(bank_lesson), HTTP_HOST="192.168.1.20:8000").content.decode()
    assert "http://192.168.1.20:8000/oefen-itsme/" in html
    assert "Voor de begeleider" not in html
    settings.SITE_BASE_URL = "http://127.0.0.1:8000"
    html = client.get(url(bank_lesson), HTTP_HOST="127.0.0.1:8000").content.decode()
    assert "http://127.0.0.1:8000/oefen-itsme/" in html
    assert "Voor de begeleider" in html  # a phone cannot open this: say so
    settings.SITE_BASE_URL = "https://leren.example.be"
    html = client.get(url(bank_lesson), HTTP_HOST="localhost:8000").content.decode()
    assert "https://leren.example.be/oefen-itsme/" in html


def test_not_yet_confirmed_says_so_without_javascript(client, bank_lesson):
    to_confirm(client, bank_lesson)
    pair(client, bank_lesson)
    html = client.get(url(bank_lesson) + "?nagekeken=1").content.decode()
    assert "Je smartphone heeft nog niet bevestigd." in html


def test_forms_on_the_qr_screen_carry_the_screen(client, bank_lesson):
    to_confirm(client, bank_lesson)
    pair(client, bank_lesson)
    forms = hidden_forms(client.get(url(bank_lesson)).content.decode())
    assert forms["smartphone"][1] == forms["deze-computer"][1] == "confirm"


def test_old_pairings_of_a_run_are_cleared_by_a_new_one(client, bank_lesson):
    to_confirm(client, bank_lesson)
    run = SandboxRun.objects.get()
    old, _token = pairings.pairing_create(run)
    long_ago = timezone.now() - timedelta(hours=1)
    SandboxPairing.objects.filter(pk=old.pk).update(created_at=long_ago, expires_at=long_ago)
    pairings.pairing_create(run)
    assert SandboxPairing.objects.filter(run=run).count() == 1


def test_the_status_answer_is_cheap(client, bank_lesson, django_assert_max_num_queries):
    """Asked every second while a QR code is shown: the lesson (2 queries, with its view
    restrictions), the learner, the run and the pairing; nothing written."""
    to_confirm(client, bank_lesson)
    pair(client, bank_lesson)
    with django_assert_max_num_queries(5):
        assert client.get(status(bank_lesson)).json() == {"stand": "wacht"}


def test_the_status_is_passive_in_kiosk_mode(client, bank_lesson):
    """A shared computer's idle clock counts clicks, not the script's question every second
    (and the session is not written every second)."""
    from django.core.signing import get_cookie_signer

    from learning.kiosk import KIOSK_COOKIE, KIOSK_SALT, LAST_SEEN_KEY

    client.cookies[KIOSK_COOKIE] = get_cookie_signer(salt=KIOSK_COOKIE + KIOSK_SALT).sign("1")
    to_confirm(client, bank_lesson)
    pair(client, bank_lesson)
    seen = client.session[LAST_SEEN_KEY]
    assert client.get(status(bank_lesson)).json() == {"stand": "wacht"}
    assert client.session[LAST_SEEN_KEY] == seen


def test_a_form_id_of_another_learner_is_refused_without_harm(client, phone, bank_lesson):
    other = Client()
    to_confirm(other, bank_lesson)
    theirs = str(SandboxEvent.objects.filter(kind="launched").get().event_id)
    to_confirm(client, bank_lesson)
    address = pair(client, bank_lesson)
    response, _event = phone_confirm(phone, address, event=theirs)
    assert response.status_code == 400
    assert "Dit formulier konden we niet lezen." in response.content.decode()
    assert {run.state["screen"] for run in SandboxRun.objects.all()} == {"confirm"}
    response, _event = phone_confirm(phone, address, event="geen-uuid")
    assert response.status_code == 400
