"""The learner's path, polished (without a browser): what /mijn/, the header and the home
page say in each state (nobody yet, progress on this device only, learning card, account),
/taal/ readable without Dutch, and a description for every public page.

The browser half (phone layout, right to left, the menu) is tests/journeys/test_learner_path.py.
"""

import re
from html import unescape

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from learning.factories import UserFactory
from learning.models import LessonProgress
from learning.services import cards
from tests.answers import post_answer

pytestmark = pytest.mark.django_db

ONLY_HERE = "Je voortgang staat nu alleen op dit toestel."
LOGOUT_FORM = 'action="/mijn/afmelden/"'


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()


def html_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def header_of(html):
    return html[html.index('<header class="site-header">') : html.index("</header>")]


def card_learner(lesson):
    """A learner who answered on another device and logs in here with their card."""
    elsewhere = Client()
    post_answer(elsewhere, lesson, "0")
    _card, code = cards.learning_card_issue(learner=LessonProgress.objects.get().learner)
    phone = Client()
    assert phone.post("/leerkaart/", {"code": code}).status_code == 302
    return phone


def test_after_a_card_login_my_learning_knows_the_card(lesson):
    phone = card_learner(lesson)
    mine = html_of(phone, "/mijn/")
    assert ONLY_HERE not in mine
    assert "Maak een leerkaart" not in mine
    assert "Je bent aangemeld met je leerkaart." in mine
    assert mine.count(LOGOUT_FORM) == 2  # the header and "Je voortgang bewaren"
    assert "Vergeet mij op deze computer" not in mine
    # Every page's header offers "Afmelden", not "Aanmelden".
    for url in ["/", lesson.url, "/hulp/"]:
        header = header_of(html_of(phone, url))
        assert LOGOUT_FORM in header and ">Afmelden</button>" in header, url
        assert ">Aanmelden</a>" not in header, url


def test_afmelden_after_a_card_forgets_this_device(lesson):
    phone = card_learner(lesson)
    html = html_of(phone, "/mijn/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]
    response = phone.post("/mijn/afmelden/", {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    header = header_of(html_of(phone, "/"))
    assert LOGOUT_FORM not in header and ">Aanmelden</a>" in header
    assert "Ik heb een leerkaart" in html_of(phone, "/")


def test_progress_only_on_this_device_says_so_and_offers_a_card(client, lesson):
    post_answer(client, lesson, "0")
    mine = html_of(client, "/mijn/")
    assert ONLY_HERE in mine
    assert "Maak een leerkaart" in mine and "Vergeet mij op deze computer" in mine
    assert LOGOUT_FORM not in header_of(mine)  # nobody signed in: nothing to sign out of


def test_a_revoked_card_no_longer_counts_as_signed_in(lesson):
    phone = card_learner(lesson)
    learner = LessonProgress.objects.get().learner
    for card in learner.cards.all():
        cards.learning_card_revoke(card=card)
    mine = html_of(phone, "/mijn/")
    assert ONLY_HERE in mine and LOGOUT_FORM not in header_of(mine)


def test_an_account_signs_out_from_the_header(client, lesson):
    UserFactory(username="mia", password="veilig-leren-2026")
    client.post("/mijn/aanmelden/", {"username": "mia", "password": "veilig-leren-2026"})
    mine = html_of(client, "/mijn/")
    assert ONLY_HERE not in mine and "Je bent aangemeld als <strong>mia</strong>" in mine
    assert LOGOUT_FORM in header_of(html_of(client, "/modules/"))


def test_a_new_visitor_is_offered_the_card_login(client, lesson):
    home = html_of(client, "/")
    assert '<a class="button" href="/leerkaart/">Ik heb een leerkaart</a>' in home
    mine = html_of(client, "/mijn/")
    assert ONLY_HERE not in mine  # no progress anywhere yet: nothing is "only here"
    assert 'href="/leerkaart/">Ik heb een leerkaart</a>' in mine


def test_signed_in_with_a_card_costs_no_extra_query(client, lesson):
    post_answer(client, lesson, "0")
    client.get("/hulp/")  # warm the per-process caches
    with CaptureQueriesContext(connection) as device_only:
        html_of(client, "/hulp/")
    learner = LessonProgress.objects.get().learner
    cards.learning_card_issue(learner=learner)
    with CaptureQueriesContext(connection) as with_card:
        assert LOGOUT_FORM in header_of(html_of(client, "/hulp/"))
    # The card comes along with the learner (an EXISTS in the same query).
    assert len(with_card) == len(device_only)


# --- /taal/ without Dutch ----------------------------------------------------------------------


def test_language_page_speaks_every_language(client):
    html = html_of(client, "/taal/")
    for code, lang, direction, name, prompt in [
        ("nl-be", "nl-BE", "ltr", "Nederlands", "Kies je taal."),
        ("fr", "fr", "ltr", "Français", "Choisissez votre langue."),
        ("en", "en", "ltr", "English", "Choose your language."),
        ("pl", "pl", "ltr", "Polski", "Wybierz swój język."),
        ("uk", "uk", "ltr", "Українська", "Виберіть свою мову."),
        ("ar", "ar", "rtl", "العربية", "اختر لغتك."),
    ]:
        assert f'<li lang="{lang}" dir="{direction}">{prompt}</li>' in html, code
        button = re.search(rf'<button type="submit" name="taal" value="{code}"[^>]*>([^<]*)<', html)
        assert button, code
        assert f'lang="{lang}"' in button[0] and f'dir="{direction}"' in button[0], code
        assert unescape(button[1]) == name, code
    # The current language is marked; one tap on another saves it.
    assert re.search(r'value="nl-be"[^>]*aria-current="true"', html)
    response = client.post("/taal/", {"taal": "uk", "terug": "/modules/"})
    assert response.status_code == 302 and response.cookies["taal"].value == "uk"


def test_language_page_in_arabic_still_names_every_language_in_itself(client):
    client.cookies["taal"] = "ar"
    html = html_of(client, "/taal/")
    assert '<html lang="ar" dir="rtl"' in html
    assert '<li lang="fr" dir="ltr">Choisissez votre langue.</li>' in html
    assert re.search(r'value="ar"[^>]*aria-current="true"', html)


# --- descriptions ----------------------------------------------------------------------------

PUBLIC = [
    "/",
    "/modules/",
    "/modules/je-eid/",
    "/modules/je-eid/je-pincode/",
    "/modules/je-eid/je-pincode/stap-2/",
    "/verder-leren/",
    "/hulp/",
    "/woordenlijst/",
    "/zoeken/",
    "/zoeken/?q=pincode",
    "/leerkaart/",
    "/toegankelijkheid/",
    "/certificaten/controle/",
    "/mijn/",
    "/taal/",
    "/weergave/",
    "/mijn/aanmelden/",
    "/mijn/account-maken/",
]


def description_of(html):
    found = re.findall(r'<meta name="description" content="([^"]*)">', html)
    assert len(found) == 1, found
    return unescape(found[0]).strip()


def test_every_public_page_has_its_own_description(client, lesson):
    descriptions = {url: description_of(html_of(client, url)) for url in PUBLIC}
    for url, text in descriptions.items():
        assert len(text) >= 10, (url, text)  # the factories' summaries are short
    # The module's summary, the lesson's introduction (every step of it).
    assert descriptions["/modules/je-eid/"] == lesson.get_parent().specific.summary
    assert descriptions["/modules/je-eid/je-pincode/"] == lesson.intro
    assert descriptions["/modules/je-eid/je-pincode/stap-2/"] == lesson.intro
    # Unique apart from the pages that are one page in two states.
    same = [("/modules/je-eid/je-pincode/", "/modules/je-eid/je-pincode/stap-2/")]
    same += [("/zoeken/", "/zoeken/?q=pincode")]
    distinct = {url: text for url, text in descriptions.items() if url not in dict(same).values()}
    assert len(set(distinct.values())) == len(distinct), descriptions


def test_a_trainers_search_description_wins(client, lesson):
    lesson.search_description = "Leer je pincode veranderen, stap voor stap."
    lesson.save_revision().publish()
    assert description_of(html_of(client, lesson.url)) == lesson.search_description


def test_descriptions_are_translated(client, lesson):
    dutch = description_of(html_of(client, "/hulp/"))
    client.cookies["taal"] = "fr"
    french = description_of(html_of(client, "/hulp/"))
    assert french and french != dutch


def test_the_lesson_end_page_offers_a_card_only_to_progress_held_here(client, lesson):
    phone = card_learner(lesson)
    assert "Maak een leerkaart" not in html_of(phone, lesson.finish_url())
    post_answer(client, lesson, "0")
    assert "Maak een leerkaart" in html_of(client, lesson.finish_url())
