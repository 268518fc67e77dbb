"""axe-core (WCAG 2.2 AA tags), tap targets and text size on every kind of page."""

import pytest
from playwright.sync_api import expect

from courses.models import ModulePage
from tests.answers import wrong_answer
from tests.journeys.helpers import (
    answer_and_check,
    exercise_on,
    next_exercise,
    run_axe,
    size_problems,
)

pytestmark = pytest.mark.browser
LESSON = "/modules/je-eid-kaartlezer-en-pincode/wat-heb-je-nodig/"


def check(page, axe_source, label):
    assert page.locator("html").get_attribute("lang") == "nl-BE", label
    assert page.title().strip(), label
    violations = run_axe(page, axe_source)
    assert violations == [], f"{label}: {violations}"
    sizes = size_problems(page)
    assert sizes["small"] == [], f"{label}: tap targets under 44 px: {sizes['small']}"
    assert sizes["tiny"] == [], f"{label}: text under 18 px: {sizes['tiny']}"


def test_pages_pass_axe_and_size_checks(live_server, page_for_axe, axe_source):
    page = page_for_axe
    base = live_server.url
    for path in (
        "/",
        "/modules/",
        "/modules/je-eid-kaartlezer-en-pincode/",
        LESSON,
        "/mijn/",
        "/mijn/certificaten/",
        "/certificaten/controle/",
        "/leerkaart/",
        "/mijn/leerkaart/",
    ):
        page.goto(base + path)
        check(page, axe_source, path)

    page.goto(base + LESSON)
    next_exercise(page)
    exercise = exercise_on(page)
    answer_and_check(page, exercise, wrong_answer(exercise))
    page.locator(".feedback-retry").wait_for()
    check(page, axe_source, "exercise with feedback")
    page.reload()
    check(page, axe_source, "exercise after reload")

    page.goto(base + LESSON + "klaar/")
    check(page, axe_source, "end of lesson")
    page.goto(base + "/mijn/meekijken/")
    page.get_by_role("button", name="Geef toestemming").click()
    check(page, axe_source, "mandate form with errors")
    page.goto(base + "/")
    check(page, axe_source, "home with progress")

    page.goto(base + "/mijn/account-maken/")
    page.get_by_role("button", name="Maak mijn account").click()
    check(page, axe_source, "account form with errors")
    page.goto(base + "/mijn/aanmelden/")
    check(page, axe_source, "login")
    page.goto(base + "/bestaat-niet/")
    check(page, axe_source, "404")
    page.goto(base + "/certificaten/controle/ONBEKEND/")
    check(page, axe_source, "unknown certificate")
    page.goto(base + f"/mijn/certificaten/module/{ModulePage.objects.first().pk}/")
    check(page, axe_source, "certificate for an unfinished module")


def test_skip_link_and_focus_are_visible(live_server, page_with_js):
    page = page_with_js
    page.goto(live_server.url + LESSON)
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Ga naar de inhoud"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"


def test_helper_pages_and_kiosk_mode_pass_axe(live_server, page_for_axe, axe_source):
    from catalogue.factories import DigipuntFactory
    from learning.factories import UserFactory
    from learning.models import Digihelper

    digipunt = DigipuntFactory(name="Digipunt bib Ieper")
    Digihelper.objects.create(
        user=UserFactory(username="helper.an", password="goed-geheim-2026"), digipunt=digipunt
    )
    page = page_for_axe
    base = live_server.url
    page.goto(base + "/mijn/aanmelden/?next=/helpers/")
    page.get_by_label("Gebruikersnaam").fill("helper.an")
    page.get_by_label("Wachtwoord").fill("goed-geheim-2026")
    page.get_by_role("button", name="Aanmelden").click()
    check(page, axe_source, "helper workspace")
    page.goto(base + "/helpers/hulpmoment/")
    page.get_by_role("button", name="Bewaar").click()
    check(page, axe_source, "help session form with errors")
    page.goto(base + "/helpers/kioskmodus/")
    check(page, axe_source, "kiosk explanation")
    page.get_by_role("button", name="Zet de kioskmodus aan").click()
    page.goto(base + "/")
    check(page, axe_source, "home in kiosk mode")
    page.locator(".kiosk-bar").get_by_role("button", name="Afmelden").click()
    check(page, axe_source, "kiosk logged out")


def test_bigger_text_and_strong_contrast_pass_axe(live_server, page_for_axe, axe_source):
    page = page_for_axe
    base = live_server.url
    page.goto(base + "/")
    page.get_by_text("Menu", exact=True).click()  # the header's menu is folded on a phone
    page.get_by_role("link", name="Grotere letters").click()
    check(page, axe_source, "display settings")
    page.get_by_label("Extra groot").check()
    page.get_by_label("Sterk contrast: zwart op wit").check()
    page.get_by_role("button", name="Bewaar").click()
    expect(page).to_have_url(base + "/")
    assert page.locator("html").get_attribute("class") == "tekst-extra-groot contrast-hoog"
    size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert size >= 26, size  # 162.5% of the browser default 16 px; normal text is 18 px
    check(page, axe_source, "home, extra large text and strong contrast")
    page.goto(base + LESSON)
    next_exercise(page)
    check(page, axe_source, "exercise, extra large text and strong contrast")
    page.goto(base + "/toegankelijkheid/")
    check(page, axe_source, "accessibility statement")
