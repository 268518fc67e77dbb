"""The Oefen-inbox (the scam drill) in Chromium: the whole drill without JavaScript at
390 px, from the lesson step to the summary and back, no link that leaves the site, and
axe-core and tap targets on every kind of screen."""

import re
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from courses.models import LessonPage
from courses.sandboxes import oplichting
from tests.journeys.helpers import run_axe, size_problems

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
BANNER = "Dit is oefenen — typ nooit je echte gegevens"
ITSME = oplichting.BY_ID["itsme-geblokkeerd"]


def drill_lesson():
    return LessonPage.objects.live_dutch().get(slug="een-verdacht-bericht")


def open_drill(page, live_server):
    """From the lesson's last step (the Oefen-inbox's) into the sandbox."""
    lesson = drill_lesson()
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + lesson.step_url(lesson.step_count))
    expect(page.get_by_role("heading", name="Oefen zelf in de Oefen-inbox")).to_be_visible()
    expect(page.get_by_text(BANNER)).to_be_visible()
    with page.expect_navigation():
        page.get_by_role("button", name="Open de Oefen-inbox").click()
    expect(page).to_have_url(re.compile(r"/leren/oefenapp/\d+/[^/]+/#oefenapp$"))
    expect(page.get_by_role("heading", name="Je berichten")).to_be_visible()
    return lesson


def press(page, locator, *, then):
    """Press a button that posts a form and wait for the page it comes back to (the same
    address: Post/Redirect/Get), recognised by ``then``."""
    with page.expect_navigation():
        locator.click()
    expect(then).to_be_visible()


def button(page, name):
    return page.get_by_role("button", name=name, exact=True)


def open_message(page, message):
    press(
        page,
        page.locator(f"button[name=bericht][value='{message.id}']"),
        then=page.locator("legend", has_text="Echt of vals?"),
    )


def judge(page, message, *, verdict, action, then):
    if verdict:
        page.locator(f"#oordeel-{verdict}").check()
    if action:
        page.locator(f"#doe-{action}").check()
    press(page, button(page, "Klaar"), then=then)


def only_links_inside(page, live_server):
    """No link on the page goes anywhere outside the site, and no practice address is a
    link (nor a form's address)."""
    site = urlparse(live_server.url).netloc
    for anchor in page.locator("a[href]").all():
        href = anchor.evaluate("element => element.href")
        assert urlparse(href).netloc == site, href
    for address in page.locator("[href], [action], [src]").evaluate_all(
        "els => els.map(el => el.getAttribute('href') || el.getAttribute('action') "
        "|| el.getAttribute('src'))"
    ):
        assert ".example" not in (address or ""), address


def test_the_whole_drill_without_javascript(page_without_js, live_server):
    page = page_without_js
    lesson = open_drill(page, live_server)
    expect(page.get_by_text("Nog te beoordelen: 6 van 6 berichten.")).to_be_visible()
    expect(page.locator(".channel-sms").first).to_have_text("Sms")
    expect(page.locator(".channel-email").first).to_have_text("E-mail")
    only_links_inside(page, live_server)

    # The fake itsme SMS: first a missing choice, then fallen for, then judged right.
    open_message(page, ITSME)
    link = page.get_by_text(ITSME.link)
    expect(link).to_be_visible()
    assert link.evaluate("element => element.tagName") == "SPAN"
    assert link.evaluate("element => element.closest('a')") is None
    only_links_inside(page, live_server)
    judge(page, ITSME, verdict="vals", action=None, then=page.get_by_text("Kies wat je doet."))
    expect(page.locator("#oordeel-vals")).to_be_checked()
    judge(
        page,
        ITSME,
        verdict="echt",
        action="link",
        then=page.get_by_role("heading", name="Niet helemaal. Kijk nog eens goed."),
    )
    expect(page.get_by_text("Tik nooit op een link in een verdacht bericht.")).to_be_visible()
    expect(page.get_by_text("Haast: je moet het vandaag nog doen.")).to_be_visible()
    press(page, button(page, "Terug naar de inbox"), then=page.get_by_text("Probeer opnieuw"))

    for message in oplichting.MESSAGE_LIST:
        open_message(page, message)
        judge(
            page,
            message,
            verdict="echt" if message.real else "vals",
            action=message.right,
            then=page.get_by_role("heading", name="Goed gezien!"),
        )
        only_links_inside(page, live_server)
        if message is not oplichting.MESSAGE_LIST[-1]:
            press(
                page,
                button(page, "Terug naar de inbox"),
                then=page.get_by_role("heading", name="Je berichten"),
            )
    expect(page.get_by_text("Bel meteen Cardstop op 070 344 344.").first).to_be_visible()
    press(
        page,
        button(page, "Bekijk je resultaat"),
        then=page.get_by_role("heading", name="Je hebt alle berichten beoordeeld"),
    )
    expect(page.get_by_text("Je herkende 5 van de 6 berichten meteen.")).to_be_visible()
    expect(page.get_by_text("suspicious@safeonweb.be")).to_be_visible()
    expect(page.get_by_text(BANNER)).to_be_visible()
    only_links_inside(page, live_server)

    # Reload and Back change nothing.
    page.reload()
    expect(page.get_by_role("heading", name="Je hebt alle berichten beoordeeld")).to_be_visible()
    page.go_back()
    page.goto(page.url)
    expect(page.get_by_text("Je herkende 5 van de 6 berichten meteen.")).to_be_visible()

    with page.expect_navigation():
        page.get_by_role("link", name="Terug naar de les").click()
    expect(page).to_have_url(live_server.url + lesson.step_url(lesson.step_count))
    expect(
        page.get_by_text("Goed zo! Je hebt alle berichten in de Oefen-inbox herkend.")
    ).to_be_visible()


def test_every_oefen_inbox_screen_passes_axe_at_390_px(page_for_axe, live_server, axe_source):
    page = page_for_axe
    seen = {}

    def check(name):
        seen[name] = run_axe(page, axe_source)
        problems = size_problems(page)
        seen[name] += problems["small"] + problems["tiny"]

    lesson = drill_lesson()
    page.set_viewport_size(PHONE)
    _step, sandbox = list(lesson.exercises.values())[-1]
    page.goto(f"{live_server.url}/leren/oefenapp/{lesson.pk}/{sandbox.id}/")
    expect(page.get_by_role("button", name="Open de Oefen-inbox")).to_be_visible()
    check("not started yet")
    page.goto(live_server.url + lesson.step_url(lesson.step_count))
    expect(page.get_by_role("button", name="Open de Oefen-inbox")).to_be_visible()
    check("the lesson step")
    open_drill(page, live_server)
    check("inbox, guided")
    open_message(page, ITSME)
    check("an SMS, guided")
    judge(page, ITSME, verdict=None, action=None, then=page.get_by_text("Kies echt of vals."))
    check("an SMS with both choices missing")
    judge(
        page,
        ITSME,
        verdict="echt",
        action="link",
        then=page.get_by_role("heading", name="Niet helemaal. Kijk nog eens goed."),
    )
    check("feedback on a mistake")
    press(page, button(page, "Oefen zonder hulp"), then=page.get_by_text("Je oefent zonder hulp."))
    press(page, button(page, "Toon een tip"), then=page.get_by_text("Tip:"))
    check("feedback in free mode with a hint")
    press(page, button(page, "Terug naar de inbox"), then=page.get_by_text("Probeer opnieuw"))
    check("inbox, free, with a message to judge again")
    for message in oplichting.MESSAGE_LIST:
        open_message(page, message)
        if message.channel == oplichting.EMAIL and f"an e-mail {message.real}" not in seen:
            check(f"an e-mail {message.real}")
        judge(
            page,
            message,
            verdict="echt" if message.real else "vals",
            action=message.right,
            then=page.get_by_role("heading", name="Goed gezien!"),
        )
        if message is oplichting.MESSAGE_LIST[0]:
            check("feedback, right")
        if message is not oplichting.MESSAGE_LIST[-1]:
            press(
                page,
                button(page, "Terug naar de inbox"),
                then=page.get_by_role("heading", name="Je berichten"),
            )
    check("feedback on the last message")
    press(
        page,
        button(page, "Bekijk je resultaat"),
        then=page.get_by_role("heading", name="Je hebt alle berichten beoordeeld"),
    )
    check("summary")
    page.goto(live_server.url + lesson.step_url(lesson.step_count))
    expect(
        page.get_by_text("Goed zo! Je hebt alle berichten in de Oefen-inbox herkend.")
    ).to_be_visible()
    check("the lesson step, passed")
    assert {name: found for name, found in seen.items() if found} == {}
