"""The help language: chosen on /taal/, kept in the `taal` cookie only, Arabic right to left."""

import pytest
from django.apps import apps
from django.conf import settings

from learning.models import Learner
from tests.answers import post_answer, right_answer


@pytest.mark.django_db
def test_dutch_is_the_default_whatever_the_browser_says(client, site_tree):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="fr-BE,fr;q=0.9,en;q=0.5")
    html = response.content.decode()
    assert '<html lang="nl-BE" dir="ltr"' in html
    assert response["Content-Language"] == "nl-be"


@pytest.mark.django_db
def test_choosing_a_language_sets_only_a_cookie(client, site_tree):
    response = client.post("/taal/", {"taal": "pl", "terug": "/modules/"})
    assert response.status_code == 302
    assert response["Location"] == "/modules/"
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "pl"
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    html = client.get("/").content.decode()
    assert '<html lang="pl" dir="ltr"' in html
    assert "language" not in " ".join(client.session.keys()).lower()


@pytest.mark.django_db
def test_arabic_pages_run_right_to_left_with_dutch_content_marked(client, lesson):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    html = client.get(lesson.url).content.decode()
    assert '<html lang="ar" dir="rtl"' in html
    # The lesson itself stays Dutch, so screen readers read it with a Dutch voice, and left
    # to right inside the right-to-left page ("Wat heb je nodig?", not "?Wat heb je nodig").
    assert '<section class="step" aria-labelledby="stap-titel" lang="nl-BE" dir="ltr">' in html


@pytest.mark.django_db
def test_unknown_language_gets_a_clear_message(client, site_tree):
    response = client.post("/taal/", {"taal": "xx"})
    assert response.status_code == 400
    assert "Kies een taal uit de lijst." in response.content.decode()
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


@pytest.mark.django_db
def test_unknown_cookie_value_falls_back_to_dutch(client, site_tree):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "<script>"
    assert '<html lang="nl-BE" dir="ltr"' in client.get("/").content.decode()


@pytest.mark.django_db
def test_back_link_stays_on_this_site(client, site_tree):
    response = client.post("/taal/", {"taal": "fr", "terug": "https://example.com/"})
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_language_choice_is_not_stored_on_the_learner(client, lesson):
    """Database check: no column for a language anywhere in `learning`, and choosing one
    changes no row of a learner."""
    for model in apps.get_app_config("learning").get_models():
        names = {field.name for field in model._meta.get_fields()}
        assert not names & {"language", "taal", "locale", "language_code"}, model
    _step, exercise = next(iter(lesson.exercises.values()))
    post_answer(client, lesson, right_answer(exercise))  # becomes a learner with progress
    before = list(Learner.objects.values())
    assert len(before) == 1
    client.post("/taal/", {"taal": "uk"})
    client.get(lesson.url)
    after = list(Learner.objects.values())
    assert [{k: v for k, v in row.items() if k != "last_active_at"} for row in after] == [
        {k: v for k, v in row.items() if k != "last_active_at"} for row in before
    ]


@pytest.mark.django_db
def test_kiosk_afmelden_forgets_the_language_and_display_choices(client, site_tree):
    from django.core.signing import get_cookie_signer  # noqa: PLC0415

    from learning.kiosk import KIOSK_COOKIE, KIOSK_SALT  # noqa: PLC0415

    client.cookies[KIOSK_COOKIE] = get_cookie_signer(salt=KIOSK_COOKIE + KIOSK_SALT).sign("1")
    response = client.post("/taal/", {"taal": "ar"})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME]["max-age"] == ""  # ends with the browser
    client.post("/weergave/", {"tekst": "groot", "contrast": "hoog"})
    response = client.post("/kiosk/afmelden/")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == ""
    assert response.cookies["weergave"].value == ""
    assert '<html lang="nl-BE" dir="ltr">' in client.get("/").content.decode()
