"""Learning cards: codes, hashing, login typed or scanned, rate limits, replacement."""

import math
import subprocess

import pytest
from django.core.cache import cache
from django.db import connection

from learning.factories import LearnerFactory, UserFactory
from learning.models import LearningCard, LessonProgress
from learning.services import cards
from tests.answers import post_answer
from toolkit import codes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()


def answer_once(client, lesson):
    post_answer(client, lesson, "0")


def test_codes_have_75_random_bits_and_read_in_groups():
    card, code = cards.learning_card_issue(learner=LearnerFactory())
    assert math.log2(len(codes.ALPHABET)) * cards.RANDOM_SYMBOLS >= 60
    assert len(code) == 16 and cards.code_normalise(code) == code
    assert len(codes.display(code)) == 19 and codes.display(code).count("-") == 3
    assert card.prefix == code[:4]


def test_the_database_never_holds_a_usable_code():
    _card, code = cards.learning_card_issue(learner=LearnerFactory())
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM learning_learningcard")
        stored = " ".join(str(value) for row in cursor.fetchall() for value in row)
    assert code not in stored and codes.display(code) not in stored
    assert cards.code_hash(code) in stored


def test_login_by_typed_code_brings_the_progress(client, lesson):
    other_device = client
    answer_once(other_device, lesson)
    learner = LessonProgress.objects.get().learner
    _card, code = cards.learning_card_issue(learner=learner)

    from django.test import Client

    phone = Client()
    response = phone.post("/leerkaart/", {"code": codes.display(code).lower()})
    assert response.status_code == 302 and response.url == "/mijn/"
    mine = phone.get("/mijn/").content.decode()
    assert "Welkom terug!" in mine and "Je eID" in mine and "Afgerond" in mine


def test_login_rotates_the_session(client, lesson):
    answer_once(client, lesson)
    learner = LessonProgress.objects.get().learner
    _card, code = cards.learning_card_issue(learner=learner)
    client.get("/")
    client.session.save()
    before = client.session.session_key
    client.post("/leerkaart/", {"code": code})
    assert client.session.session_key != before


def test_card_of_an_account_logs_the_user_in(client):
    user = UserFactory()
    learner = LearnerFactory(user=user)
    _card, code = cards.learning_card_issue(learner=learner)
    client.post("/leerkaart/", {"code": code})
    assert client.get("/mijn/").context["request"].user == user


def test_anonymous_progress_on_this_device_merges_into_the_cards_learner(client, lesson):
    owner = LearnerFactory()
    _card, code = cards.learning_card_issue(learner=owner)
    answer_once(client, lesson)  # progress made before logging in with the card
    client.post("/leerkaart/", {"code": code})
    assert LessonProgress.objects.get().learner == owner


def test_replacing_a_card_stops_the_old_one(client):
    learner = LearnerFactory()
    _old, old_code = cards.learning_card_issue(learner=learner)
    _new, new_code = cards.learning_card_issue(learner=learner)
    refused = client.post("/leerkaart/", {"code": old_code})
    assert refused.status_code == 200
    assert "Deze code kennen we niet" in refused.content.decode()
    assert client.post("/leerkaart/", {"code": new_code}).status_code == 302
    assert LearningCard.objects.filter(revoked_at__isnull=True).count() == 1


def test_revoked_card_is_refused(client):
    card, code = cards.learning_card_issue(learner=LearnerFactory())
    cards.learning_card_revoke(card=card)
    assert client.post("/leerkaart/", {"code": code}).status_code == 200


def test_eleventh_wrong_code_in_a_minute_is_refused_then_allowed_after_the_window(
    client, monkeypatch
):
    _card, code = cards.learning_card_issue(learner=LearnerFactory())
    now = [1_000_000.0]
    monkeypatch.setattr("toolkit.ratelimit.time.time", lambda: now[0])
    for attempt in range(10):
        wrong = codes.generate(cards.RANDOM_SYMBOLS)
        assert client.post("/leerkaart/", {"code": wrong}).status_code == 200, attempt
    eleventh = client.post("/leerkaart/", {"code": code})
    assert eleventh.status_code == 429
    assert "Wacht een minuut" in eleventh.content.decode()
    now[0] += 61
    assert client.post("/leerkaart/", {"code": code}).status_code == 302


def test_guesses_against_one_card_are_limited_across_addresses(client, monkeypatch):
    _card, code = cards.learning_card_issue(learner=LearnerFactory())
    monkeypatch.setattr("toolkit.ratelimit.time.time", lambda: 2_000_000.0)
    wrong = code[:4] + "0" * 12
    for number in range(10):
        client.post("/leerkaart/", {"code": wrong}, REMOTE_ADDR=f"10.0.0.{number}")
    response = client.post("/leerkaart/", {"code": code}, REMOTE_ADDR="10.0.1.1")
    assert response.status_code == 429


@pytest.mark.parametrize("typed", ["", "x" * 500, "ñ" * 16, "<script>", "0000-0000-0000-0000"])
def test_bad_codes_get_a_dutch_message_never_an_error(client, typed):
    response = client.post("/leerkaart/", {"code": typed})
    assert response.status_code == 200
    assert "leerkaart" in response.content.decode().lower()


def test_a_learner_makes_and_prints_their_own_card(client, lesson):
    assert "Begin eerst aan een les" in client.get("/mijn/leerkaart/").content.decode()
    answer_once(client, lesson)
    made = client.post("/mijn/leerkaart/")
    assert made.status_code == 302 and made["Location"] == "/mijn/leerkaart/"
    page = client.get("/mijn/leerkaart/")
    assert page["Cache-Control"] == "no-store"
    code = page.context["code"]
    assert codes.display(code) in page.content.decode()
    pdf = client.post("/leerkaart/afdrukken/", {"code": codes.display(code)})
    assert pdf["Content-Type"] == "application/pdf"
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf.content, capture_output=True, check=True
    ).stdout.decode()
    assert codes.display(code) in text and "Leerkaart" in text


def test_reloading_the_new_card_page_keeps_the_printed_card(client, lesson):
    """Was a bug: the page with the new code answered the POST itself, so a reload posted
    again, made a new card and silently stopped the one the learner had just printed."""
    answer_once(client, lesson)
    client.post("/mijn/leerkaart/")
    shown = client.get("/mijn/leerkaart/")
    code = shown.context["code"]
    assert codes.display(code) in shown.content.decode()

    reloaded = client.get("/mijn/leerkaart/")
    assert reloaded.status_code == 200
    assert codes.display(code) not in reloaded.content.decode()  # shown only once
    assert "Je hebt al een leerkaart" in reloaded.content.decode()
    assert LearningCard.objects.count() == 1
    assert cards.learning_card_find(code=code) is not None
    other_device = type(client)()
    assert other_device.post("/leerkaart/", {"code": codes.display(code)}).status_code == 302


def test_the_new_code_is_shown_only_to_the_learner_who_made_it(client, lesson):
    answer_once(client, lesson)
    client.post("/mijn/leerkaart/")
    client.post("/mijn/vergeet-dit-toestel/")
    # Someone else answers on this computer; the code waiting in the session is not theirs.
    answer_once(client, lesson)
    page = client.get("/mijn/leerkaart/")
    assert "code" not in (page.context or {})
    assert "Je leerkaart is klaar" not in page.content.decode()


def test_nobody_else_can_print_a_card(client):
    _card, code = cards.learning_card_issue(learner=LearnerFactory())
    assert client.post("/leerkaart/afdrukken/", {"code": code}).status_code == 404
    assert client.post("/leerkaart/afdrukken/", {"code": "nonsense"}).status_code == 404


def test_qr_address_keeps_the_code_after_the_hash():
    from learning.views.cards import card_login_url

    url = card_login_url("HK4T9MQZRW2C7PXE")
    assert url.endswith("/leerkaart/#HK4T9MQZRW2C7PXE")
