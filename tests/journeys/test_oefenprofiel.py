"""Mijn Oefenprofiel in Chromium: from the lesson step, log in with oefen-itsme, find the
certificate and download the practice PDF, all without JavaScript at 390 px; and axe-core
plus the tap-target check on every screen."""

import re
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.db.models import F
from playwright.sync_api import expect

from courses.models import LessonPage
from learning.models import SandboxRun
from tests.journeys.helpers import run_axe, size_problems

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
BANNER = "Dit is oefenen — typ nooit je echte gegevens"


def portal_lesson():
    return LessonPage.objects.live_dutch().get(slug="een-attest-downloaden")


def open_portal(page, live_server):
    """From the lesson's last step (Mijn Oefenprofiel's) into the sandbox."""
    lesson = portal_lesson()
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + lesson.step_url(lesson.step_count))
    expect(page.get_by_role("heading", name="Oefen zelf in Mijn Oefenprofiel")).to_be_visible()
    expect(page.get_by_text("Download je attest gezinssamenstelling")).to_be_visible()
    with page.expect_navigation():
        page.get_by_role("button", name="Open Mijn Oefenprofiel").click()
    expect(page).to_have_url(re.compile(r"/leren/oefenapp/\d+/[^/]+/#oefenapp$"))
    expect(page.get_by_role("heading", name="Welkom bij Mijn Oefenprofiel")).to_be_visible()
    return lesson


def press(page, name, *, then):
    """Press a button that posts a form and wait for the page it comes back to."""
    with page.expect_navigation():
        page.get_by_role("button", name=name, exact=True).click()
    expect(then).to_be_visible()


def test_the_whole_portal_and_the_download_without_javascript(page_without_js, live_server):
    page = page_without_js
    lesson = open_portal(page, live_server)
    expect(page.get_by_text(BANNER)).to_be_visible()

    press(page, "Aanmelden", then=page.get_by_role("heading", name="Kies je digitale sleutel"))
    press(page, "eID en kaartlezer", then=page.get_by_text("in deze oefening kan dat niet"))
    press(page, "oefen-itsme", then=page.get_by_role("heading", name="Aanmelden met oefen-itsme"))

    page.get_by_label("Je gsm-nummer").fill("0470 00 00 99")
    press(page, "Verstuur", then=page.get_by_text("Dit is niet het oefennummer."))
    page.get_by_label("Je gsm-nummer").fill("0470 00 00 00")
    press(page, "Verstuur", then=page.get_by_text("Bevestig met je 5-cijferige oefencode"))

    page.get_by_label("Je oefencode (5 cijfers)").fill("12345")
    press(page, "Bevestigen", then=page.get_by_text("Deze code klopt niet."))
    page.get_by_label("Je oefencode (5 cijfers)").fill("13579")
    press(page, "Bevestigen", then=page.get_by_role("heading", name="Welkom, Sam Oefenaar"))

    press(page, "Mijn berichten", then=page.get_by_text("Je hebt geen nieuwe berichten."))
    press(page, "Mijn documenten", then=page.get_by_role("heading", name="Mijn documenten"))
    press(
        page,
        "Downloaden: Bewijs van woonst",
        then=page.get_by_text("Dit is niet het attest dat je zoekt."),
    )
    press(
        page,
        "Downloaden: Attest gezinssamenstelling",
        then=page.get_by_role("heading", name="Je attest staat klaar"),
    )
    expect(page.get_by_text(BANNER)).to_be_visible()

    with page.expect_download() as download:
        page.get_by_role("link", name="Open je oefenattest (pdf)").click()
    assert download.value.suggested_filename == "oefenattest-gezinssamenstelling.pdf"
    content = Path(download.value.path()).read_bytes()
    assert content.startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()
    assert "OEFENDOCUMENT" in text and "Sam Oefenaar" in text

    # Reload changes nothing.
    page.reload()
    expect(page.get_by_role("heading", name="Je attest staat klaar")).to_be_visible()
    with page.expect_navigation():
        page.get_by_role("link", name="Terug naar de les").click()
    expect(page).to_have_url(live_server.url + lesson.step_url(lesson.step_count))
    expect(page.get_by_text("Goed zo! Je hebt Mijn Oefenprofiel afgewerkt.")).to_be_visible()


def test_every_portal_screen_passes_axe_at_390_px(page_for_axe, live_server, axe_source):
    page = page_for_axe
    seen = {}

    def check(name):
        seen[name] = run_axe(page, axe_source)
        problems = size_problems(page)
        seen[name] += problems["small"] + problems["tiny"]

    lesson = portal_lesson()
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + lesson.step_url(lesson.step_count))
    check("the lesson step")
    open_portal(page, live_server)
    check("start")
    press(page, "Aanmelden", then=page.get_by_role("heading", name="Kies je digitale sleutel"))
    check("keys")
    press(page, "Beveiligingscode via sms", then=page.get_by_text("in deze oefening kan dat niet"))
    check("keys with another key")
    press(page, "Oefen zonder hulp", then=page.get_by_text("Je oefent zonder hulp."))
    press(page, "Toon een tip", then=page.get_by_text("Tip:"))
    check("keys in free mode with a hint")
    press(page, "Oefen met hulp", then=page.get_by_text("Je oefent met hulp."))
    press(page, "oefen-itsme", then=page.get_by_role("heading", name="Aanmelden met oefen-itsme"))
    check("itsme")
    page.get_by_label("Je gsm-nummer").fill("0478 12 34 56")
    press(page, "Verstuur", then=page.get_by_text("Dit lijkt op een echt gsm-nummer.").first)
    check("itsme with real data refused")
    page.get_by_label("Je gsm-nummer").fill("0470 00 00 00")
    press(page, "Verstuur", then=page.get_by_text("Bevestig met je 5-cijferige oefencode"))
    check("confirm with oefen-itsme")
    page.get_by_label("Je oefencode (5 cijfers)").fill("00000")
    press(page, "Bevestigen", then=page.get_by_text("Deze code klopt niet."))
    check("confirm with a wrong code")
    page.get_by_label("Je oefencode (5 cijfers)").fill("13579")
    press(page, "Bevestigen", then=page.get_by_role("heading", name="Welkom, Sam Oefenaar"))
    check("profile")
    press(page, "Mijn gegevens", then=page.get_by_text("Oefenstraat 1, 9999 Oefendorp"))
    check("profile with my details")
    # Eleven idle minutes (the run's clock moved back): logged out, the home page again.
    SandboxRun.objects.update(changed_at=F("changed_at") - timedelta(minutes=11))
    page.reload()
    expect(page.get_by_text("Je was meer dan 10 minuten weg.")).to_be_visible()
    check("timed out")
    press(page, "Aanmelden", then=page.get_by_role("heading", name="Kies je digitale sleutel"))
    press(page, "oefen-itsme", then=page.get_by_role("heading", name="Aanmelden met oefen-itsme"))
    page.get_by_label("Je gsm-nummer").fill("0470000000")
    press(page, "Verstuur", then=page.get_by_text("Bevestig met je 5-cijferige oefencode"))
    page.get_by_label("Je oefencode (5 cijfers)").fill("13579")
    press(page, "Bevestigen", then=page.get_by_role("heading", name="Welkom, Sam Oefenaar"))
    press(page, "Mijn documenten", then=page.get_by_role("heading", name="Mijn documenten"))
    check("documents")
    press(
        page,
        "Downloaden: Attest van leven",
        then=page.get_by_text("Dit is niet het attest dat je zoekt."),
    )
    check("documents with the wrong certificate")
    press(
        page,
        "Downloaden: Attest gezinssamenstelling",
        then=page.get_by_role("heading", name="Je attest staat klaar"),
    )
    check("done")
    assert {name: found for name, found in seen.items() if found} == {}
