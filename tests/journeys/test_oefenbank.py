"""The Oefenbank in Chromium: the whole transfer without JavaScript, from the lesson step
to the done screen and back, and axe-core on every screen at 390 px (a common phone)."""

import re
from datetime import timedelta

import pytest
from django.db.models import F
from playwright.sync_api import expect

from courses.models import LessonPage
from learning.models import SandboxRun
from tests.journeys.helpers import run_axe, size_problems

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
BANNER = "Dit is oefenen — typ nooit je echte gegevens"


def sandbox_lesson():
    return LessonPage.objects.live_dutch().get(slug="een-betaling-bevestigen")


def open_sandbox(page, live_server):
    """From the lesson's last step (the Oefenbank's) into the sandbox."""
    lesson = sandbox_lesson()
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + lesson.step_url(lesson.step_count))
    expect(page.get_by_role("heading", name="Oefen zelf in de Oefenbank")).to_be_visible()
    expect(page.get_by_text(BANNER)).to_be_visible()
    with page.expect_navigation():
        page.get_by_role("button", name="Open de Oefenbank").click()
    expect(page).to_have_url(re.compile(r"/leren/oefenapp/\d+/[^/]+/#oefenapp$"))
    expect(page.get_by_role("heading", name="Inloggen")).to_be_visible()
    return lesson


def press(page, name, *, then):
    """Press a button that posts a form, and wait for the page it comes back to (the same
    address: Post/Redirect/Get), recognised by ``then``, a heading or text on it."""
    with page.expect_navigation():
        page.get_by_role("button", name=name, exact=True).click()
    expect(then).to_be_visible()


def test_the_whole_transfer_without_javascript(page_without_js, live_server):
    page = page_without_js
    lesson = open_sandbox(page, live_server)

    page.get_by_label("Gebruikerscode").fill("1111")
    press(page, "Inloggen", then=page.get_by_text("Deze gebruikerscode klopt niet."))
    page.get_by_label("Gebruikerscode").fill("2468 1357")
    press(page, "Inloggen", then=page.get_by_role("heading", name="Je rekening"))
    expect(page.get_by_text("€ 250,00")).to_be_visible()

    press(
        page,
        "Nieuwe overschrijving",
        then=page.get_by_role("heading", name="Nieuwe overschrijving"),
    )
    page.get_by_label("Naam van de ontvanger").fill("Energie Westhoek")
    page.get_by_label("Rekeningnummer (IBAN) van de ontvanger").fill("BE74 9990 0000 3408")
    page.get_by_label("Bedrag in euro").fill("480")
    page.get_by_label("Gestructureerde mededeling (+++…+++)").check()
    page.get_by_label("Mededeling", exact=True).fill("+++202/6120/40118+++")
    press(page, "Volgende", then=page.get_by_text("Dit rekeningnummer klopt niet."))
    expect(page.get_by_text("Zoveel geld staat er niet op je oefenrekening.")).to_be_visible()
    # What was typed stays, to put right.
    expect(page.get_by_label("Naam van de ontvanger")).to_have_value("Energie Westhoek")
    page.get_by_label("Rekeningnummer (IBAN) van de ontvanger").fill("BE74 9990 0000 3407")
    page.get_by_label("Bedrag in euro").fill("48,75")
    press(page, "Volgende", then=page.get_by_role("heading", name="Klopt alles?"))

    expect(page.get_by_text("Bevestig met je 5-cijferige oefencode")).to_be_visible()
    page.get_by_label("Je oefencode (5 cijfers)").fill("12345")
    press(page, "Bevestigen", then=page.get_by_text("Deze code klopt niet."))
    page.get_by_label("Je oefencode (5 cijfers)").fill("13579")
    press(page, "Bevestigen", then=page.get_by_role("heading", name="Je overschrijving is gelukt"))
    expect(page.get_by_text("€ 201,25")).to_be_visible()
    expect(page.get_by_text(BANNER)).to_be_visible()

    # Reload and Back change nothing: still done, still the same balance.
    page.reload()
    expect(page.get_by_role("heading", name="Je overschrijving is gelukt")).to_be_visible()
    page.go_back()
    page.goto(page.url)
    expect(page.get_by_role("heading", name="Je overschrijving is gelukt")).to_be_visible()
    expect(page.get_by_text("€ 201,25")).to_be_visible()

    with page.expect_navigation():
        page.get_by_role("link", name="Terug naar de les").click()
    expect(page).to_have_url(live_server.url + lesson.step_url(lesson.step_count))
    expect(page.get_by_text("Goed zo! Je hebt de Oefenbank afgewerkt.")).to_be_visible()


def test_every_oefenbank_screen_passes_axe_at_390_px(page_for_axe, live_server, axe_source):
    page = page_for_axe
    seen = {}

    def check(name):
        seen[name] = run_axe(page, axe_source)
        problems = size_problems(page)
        seen[name] += problems["small"] + problems["tiny"]

    lesson = sandbox_lesson()
    page.set_viewport_size(PHONE)
    _step, sandbox = list(lesson.exercises.values())[-1]
    page.goto(f"{live_server.url}/leren/oefenapp/{lesson.pk}/{sandbox.id}/")
    expect(page.get_by_role("button", name="Open de Oefenbank")).to_be_visible()
    check("not started yet")
    page.goto(live_server.url + lesson.step_url(lesson.step_count))
    expect(page.get_by_role("button", name="Open de Oefenbank")).to_be_visible()
    check("the lesson step")
    open_sandbox(page, live_server)
    check("login")
    page.get_by_label("Gebruikerscode").fill("0000")
    press(page, "Inloggen", then=page.get_by_text("Deze gebruikerscode klopt niet."))
    check("login with a mistake")
    press(page, "Oefen zonder hulp", then=page.get_by_text("Je oefent zonder hulp."))
    press(page, "Toon een tip", then=page.get_by_text("Tip:"))
    check("login in free mode with a hint")
    press(page, "Oefen met hulp", then=page.get_by_text("Je oefent met hulp."))
    page.get_by_label("Gebruikerscode").fill("2468 1357")
    press(page, "Inloggen", then=page.get_by_role("heading", name="Je rekening"))
    check("account")
    # Eleven idle minutes (the run's clock moved back, no sleeping): the login again.
    SandboxRun.objects.update(changed_at=F("changed_at") - timedelta(minutes=11))
    page.reload()
    expect(page.get_by_text("Je was meer dan 10 minuten weg.")).to_be_visible()
    check("timed out")
    page.get_by_label("Gebruikerscode").fill("2468 1357")
    press(page, "Inloggen", then=page.get_by_role("heading", name="Je rekening"))
    press(
        page,
        "Nieuwe overschrijving",
        then=page.get_by_role("heading", name="Nieuwe overschrijving"),
    )
    check("transfer")
    page.get_by_label("Rekeningnummer (IBAN) van de ontvanger").fill("4111 1111 1111 1111")
    press(page, "Volgende", then=page.get_by_text("Dit lijkt op een echt kaartnummer.").first)
    check("transfer with real data refused")
    page.get_by_label("Naam van de ontvanger").fill("Tom Peeters")
    page.get_by_label("Rekeningnummer (IBAN) van de ontvanger").fill("BE26 9990 0000 5629")
    page.get_by_label("Bedrag in euro").fill("20")
    press(page, "Volgende", then=page.get_by_role("heading", name="Klopt alles?"))
    check("confirm with oefen-itsme")
    page.get_by_label("Je oefencode (5 cijfers)").fill("00000")
    press(page, "Bevestigen", then=page.get_by_text("Deze code klopt niet."))
    check("confirm with a wrong code")
    page.get_by_label("Je oefencode (5 cijfers)").fill("13579")
    press(page, "Bevestigen", then=page.get_by_role("heading", name="Je overschrijving is gelukt"))
    check("done")
    assert {name: found for name, found in seen.items() if found} == {}
