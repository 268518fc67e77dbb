"""In Chromium: a digihelper makes a learning card; the learner uses it on two devices."""

import logging

import pytest
from playwright.sync_api import expect

from catalogue.factories import DigipuntFactory
from learning.factories import UserFactory
from learning.models import Digihelper
from tests.journeys.conftest import new_context
from tests.journeys.helpers import next_exercise
from toolkit import codes

pytestmark = pytest.mark.browser
LESSON = "/modules/je-eid-kaartlezer-en-pincode/wat-heb-je-nodig/"


class Remember(logging.Handler):
    def __init__(self):
        super().__init__()
        self.lines = []

    def emit(self, record):
        self.lines.append(record.getMessage())


def watch_requests(page, seen):
    page.on(
        "request", lambda request: seen.append((request.url, request.headers.get("referer", "")))
    )


def test_helper_card_scanned_then_typed_on_another_device(browser, live_server, demo_site):
    digipunt = DigipuntFactory(name="Digipunt bib Ieper")
    user = UserFactory(username="helper.an", password="goed-geheim-2026")
    Digihelper.objects.create(user=user, digipunt=digipunt)
    server_log = Remember()
    logging.getLogger("django.server").addHandler(server_log)
    seen = []
    try:
        helper = new_context(browser).new_page()
        watch_requests(helper, seen)
        helper.goto(live_server.url + "/helpers/")
        helper.get_by_label("Gebruikersnaam").fill("helper.an")
        helper.get_by_label("Wachtwoord").fill("goed-geheim-2026")
        helper.get_by_role("button", name="Aanmelden").click()
        expect(helper.get_by_role("heading", name="Werkplek voor digihelpers")).to_be_visible()
        helper.get_by_role("button", name="Nieuwe leerkaart maken").click()
        shown = helper.locator(".card-code").inner_text().strip()
        code = codes.normalise(shown, 16)
        assert code

        # The learner scans the QR code on the printed card with their phone.
        phone = new_context(browser).new_page()
        watch_requests(phone, seen)
        phone.goto(f"{live_server.url}/leerkaart/#{code}")
        expect(phone.get_by_text("Welkom terug!")).to_be_visible()
        assert "#" not in phone.url
        phone.goto(live_server.url + LESSON)
        next_exercise(phone)
        phone.locator("form[data-exercise] input[name=antwoord]").first.check()
        phone.get_by_role("button", name="Controleer mijn antwoord").click()
        phone.locator("[data-feedback] .feedback").wait_for()

        # Later, at home, they type the code on another computer, without JavaScript.
        home = new_context(browser, javascript=False).new_page()
        watch_requests(home, seen)
        home.goto(live_server.url + "/leerkaart/")
        home.get_by_label("De code op je leerkaart").fill(shown.lower())
        home.get_by_role("button", name="Aanmelden").click()
        expect(home.get_by_text("Welkom terug!")).to_be_visible()
        expect(home.get_by_role("heading", name="Ga verder waar je was")).to_be_visible()
        expect(home.get_by_text("Je eID, kaartlezer en pincode").first).to_be_visible()
    finally:
        logging.getLogger("django.server").removeHandler(server_log)

    for url, referer in seen:
        assert code not in url.replace("#" + code, ""), url
        assert code not in referer and shown not in referer, referer
    assert not any(code in line or shown in line for line in server_log.lines)
