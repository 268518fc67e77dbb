"""oefen-itsme on a real second device, in Chromium: two browser contexts (their own
cookies), a computer at desktop size and a phone at 390 px. The computer shows a QR code,
the phone opens its address and confirms, and the computer moves on by itself (with
JavaScript) or with "Ik heb bevestigd" (without). The token is refused once used or
expired; axe-core on the QR screen and on every state of the phone page."""

import os
import random
import statistics
import time
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from learning.models import SandboxPairing, SandboxRun
from tests.journeys.conftest import new_context
from tests.journeys.helpers import run_axe, size_problems
from tests.journeys.test_oefenbank import PHONE, press, sandbox_lesson

pytestmark = pytest.mark.browser
DESKTOP = {"width": 1280, "height": 900}
DONE = "Je overschrijving is gelukt"


def computer_context(browser, *, javascript=True, axe=False):
    context = new_context(browser, javascript=javascript, bypass_csp=axe)
    page = context.new_page()
    page.set_viewport_size(DESKTOP)
    blocked = []
    page.on(
        "console",
        lambda message: (
            blocked.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return context, page, blocked


def phone_context(browser, *, axe=False):
    context = new_context(browser, javascript=True, bypass_csp=axe)
    page = context.new_page()
    page.set_viewport_size(PHONE)
    return context, page


def sandbox_address(live_server):
    lesson = sandbox_lesson()
    _step, sandbox = list(lesson.exercises.values())[-1]
    return f"{live_server.url}/leren/oefenapp/{lesson.pk}/{sandbox.id}/"


def to_confirm(page, live_server):
    """The computer opens the Oefenbank and walks to the confirm screen."""
    page.goto(sandbox_address(live_server))
    press(page, "Open de Oefenbank", then=page.get_by_role("heading", name="Inloggen"))
    page.get_by_label("Gebruikerscode").fill("2468 1357")
    press(page, "Inloggen", then=page.get_by_role("heading", name="Je rekening"))
    press(
        page,
        "Nieuwe overschrijving",
        then=page.get_by_role("heading", name="Nieuwe overschrijving"),
    )
    page.get_by_label("Naam van de ontvanger").fill("Energie Westhoek")
    page.get_by_label("Rekeningnummer (IBAN) van de ontvanger").fill("BE74 9990 0000 3407")
    page.get_by_label("Bedrag in euro").fill("48,75")
    page.get_by_label("Gestructureerde mededeling (+++…+++)").check()
    page.get_by_label("Mededeling", exact=True).fill("+++202/6120/40118+++")
    press(page, "Volgende", then=page.get_by_role("heading", name="Klopt alles?"))


def show_qr(page):
    """Choose the smartphone; returns the phone's address as written on the page."""
    press(
        page,
        "Bevestig met je eigen smartphone",
        then=page.get_by_text("Open de camera van je smartphone."),
    )
    expect(page.get_by_role("img", name="QR-code met het adres voor je smartphone")).to_be_visible()
    expect(page.get_by_text("Deze QR-code werkt tot")).to_be_visible()
    address = page.locator(".pairing-address").inner_text().strip()
    assert "/oefen-itsme/" in address
    return address


def confirm_on_phone(phone, address, code="13579"):
    phone.goto(address)
    expect(phone.get_by_text("Klaproos Bank vraagt: bevestig een overschrijving")).to_be_visible()
    phone.get_by_label("Je oefencode (5 cijfers)").fill(code)
    with phone.expect_navigation():
        phone.get_by_role("button", name="Bevestigen").click()


def test_the_phone_confirms_and_the_computer_moves_on_by_itself(browser, live_server, demo_site):
    computer_ctx, computer, blocked = computer_context(browser)
    phone_ctx, phone = phone_context(browser)
    to_confirm(computer, live_server)
    address = show_qr(computer)

    confirm_on_phone(phone, address, code="11111")
    expect(phone.get_by_text("Deze code klopt niet.")).to_be_visible()
    expect(computer.get_by_text("Open de camera van je smartphone.")).to_be_visible()
    confirm_on_phone(phone, address)
    expect(phone.get_by_text("Gelukt. Kijk nu naar je computer.")).to_be_visible()
    # No click on the computer: its script saw the confirmation and loaded the done screen.
    expect(computer.get_by_role("heading", name=DONE)).to_be_visible(timeout=10_000)
    expect(computer.get_by_text("€ 201,25")).to_be_visible()

    # The same address again, and from another phone: used.
    phone.goto(address)
    expect(phone.get_by_text("Deze QR-code is al gebruikt.")).to_be_visible()
    other_ctx, other = phone_context(browser)
    other.goto(address)
    expect(other.get_by_text("Deze QR-code is al gebruikt.")).to_be_visible()
    # The phone never became the learner: its own cookies hold no learner.
    assert not [c for c in phone_ctx.cookies() if c["name"] not in ("csrftoken",)]
    for context in (computer_ctx, phone_ctx, other_ctx):
        context.close()
    assert blocked == [], blocked


def test_without_javascript_ik_heb_bevestigd_moves_on(browser, live_server, demo_site):
    computer_ctx, computer, _blocked = computer_context(browser, javascript=False)
    phone_ctx, phone = phone_context(browser)
    to_confirm(computer, live_server)
    address = show_qr(computer)
    with computer.expect_navigation():
        computer.get_by_role("button", name="Ik heb bevestigd").click()
    expect(computer.get_by_text("Je smartphone heeft nog niet bevestigd.")).to_be_visible()
    confirm_on_phone(phone, address)
    expect(phone.get_by_text("Gelukt. Kijk nu naar je computer.")).to_be_visible()
    with computer.expect_navigation():
        computer.get_by_role("button", name="Ik heb bevestigd").click()
    expect(computer.get_by_role("heading", name=DONE)).to_be_visible()
    computer_ctx.close()
    phone_ctx.close()


def test_an_expired_qr_code_is_refused_and_a_new_one_works(browser, live_server, demo_site):
    computer_ctx, computer, _blocked = computer_context(browser)
    phone_ctx, phone = phone_context(browser)
    to_confirm(computer, live_server)
    address = show_qr(computer)
    # Ten minutes later (the clock of the pairing moved back, no sleeping); the learner
    # stayed busy on the computer, so the bank did not log out.
    SandboxPairing.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    phone.goto(address)
    expect(
        phone.get_by_text("Deze QR-code is verlopen. Maak op de computer een nieuwe.")
    ).to_be_visible()
    # The computer's script notices as well and shows the choice again.
    expect(computer.get_by_text("De QR-code is verlopen.")).to_be_visible(timeout=10_000)
    new_address = show_qr(computer)
    assert new_address != address
    confirm_on_phone(phone, new_address)
    expect(computer.get_by_role("heading", name=DONE)).to_be_visible(timeout=10_000)
    computer_ctx.close()
    phone_ctx.close()


def test_the_qr_screen_and_the_phone_page_pass_axe(browser, live_server, demo_site, axe_source):
    seen = {}

    def check(name, page):
        found = run_axe(page, axe_source)
        problems = size_problems(page)
        seen[name] = found + problems["small"] + problems["tiny"]

    computer_ctx, computer, _blocked = computer_context(browser, axe=True)
    phone_ctx, phone = phone_context(browser, axe=True)
    to_confirm(computer, live_server)
    check("confirm screen with the choice", computer)
    address = show_qr(computer)
    check("QR screen at desktop size", computer)
    computer.set_viewport_size(PHONE)
    check("QR screen at 390 px", computer)
    phone.goto(address)
    expect(phone.get_by_label("Je oefencode (5 cijfers)")).to_be_visible()
    check("phone: the form", phone)
    confirm_on_phone(phone, address, code="00000")
    expect(phone.get_by_text("Deze code klopt niet.")).to_be_visible()
    check("phone: a wrong code", phone)
    confirm_on_phone(phone, address)
    expect(phone.get_by_text("Gelukt. Kijk nu naar je computer.")).to_be_visible()
    check("phone: confirmed", phone)
    phone.goto(address)
    expect(phone.get_by_text("Deze QR-code is al gebruikt.")).to_be_visible()
    check("phone: used", phone)
    phone.goto(address.rsplit("/", 2)[0] + "/onbekend/")
    check("phone: unknown token (404)", phone)
    computer_ctx.close()
    phone_ctx.close()
    assert {name: found for name, found in seen.items() if found} == {}


@pytest.mark.slow
@pytest.mark.skipif(
    not os.environ.get("PAIRING_FIGURES"),
    reason="a measurement, not a check: `make bench-pairing` runs it (about 1 minute)",
)
def test_pairing_round_trip_figures(browser, live_server, demo_site):
    """From the phone's Bevestigen to the computer showing the done screen, 20 times.
    `make bench-pairing` runs it.

    Printed for docs/benchmarks.md (run with -s); nothing here asserts a time. The phone's
    click is taken with Python's wall clock just before the click, at a random moment of the
    computer's poll; the computer's moment is
    its done page's DOMContentLoaded (``performance.timing``), on the same machine's clock.
    """
    computer_ctx, computer, _blocked = computer_context(browser)
    phone_ctx, phone = phone_context(browser)
    to_confirm(computer, live_server)
    confirm_state = SandboxRun.objects.get().state
    timings, answered = [], []
    chance = random.Random(18)
    for _repeat in range(20):
        SandboxRun.objects.update(state=confirm_state, changed_at=timezone.now())
        computer.reload()
        address = show_qr(computer)
        phone.goto(address)
        phone.get_by_label("Je oefencode (5 cijfers)").fill("13579")
        # A learner taps at any moment of the computer's 1 s poll: without this pause every
        # repeat would tap at nearly the same phase of it.
        phone.wait_for_timeout(chance.uniform(0, 1000))
        with computer.expect_navigation(timeout=15_000):
            clicked = time.time() * 1000
            phone.get_by_role("button", name="Bevestigen").click()
        expect(computer.get_by_role("heading", name=DONE)).to_be_visible()
        shown = computer.evaluate("performance.timing.domContentLoadedEventEnd")
        timings.append(shown - clicked)
        expect(phone.get_by_text("Gelukt. Kijk nu naar je computer.")).to_be_visible()
        answered.append(phone.evaluate("performance.timing.responseEnd") - clicked)
    computer_ctx.close()
    phone_ctx.close()
    timings.sort()
    p50 = statistics.median(timings)
    p95 = timings[min(len(timings) - 1, round(0.95 * len(timings)) - 1)]
    print(
        f"\nPairing round trip (phone's Bevestigen -> computer's done screen), "
        f"{len(timings)} runs: p50 {p50:.0f} ms, p95 {p95:.0f} ms, "
        f"min {timings[0]:.0f} ms, max {timings[-1]:.0f} ms; the phone's own answer "
        f"(Gelukt) p50 {statistics.median(answered):.0f} ms"
    )
    assert len(timings) == 20
