"""A learner completes the eID module in Chromium, with and without JavaScript."""

import pytest
from playwright.sync_api import expect

from tests.answers import right_answer, wrong_answer
from tests.journeys.conftest import new_context
from tests.journeys.helpers import (
    answer_and_check,
    exercise_on,
    next_exercise,
    next_step,
    step_counter,
)

pytestmark = pytest.mark.browser
MODULE = "Je eID, kaartlezer en pincode"


def walk_lesson(page, *, javascript):
    """From the current step to the end page, answering every exercise wrong, then right."""
    while True:
        # A step shows its counter; waiting for it keeps a click that is still loading from
        # being read as the page before it.
        page.locator(".step-count").wait_for()
        exercise = exercise_on(page)
        if exercise is not None:
            url = page.url.split("#")[0]
            answer_and_check(page, exercise, wrong_answer(exercise))
            expect(page.locator(".feedback-retry")).to_contain_text("nog niet juist")
            answer_and_check(page, exercise, right_answer(exercise))
            expect(page.locator(".feedback-good")).to_contain_text("Goed zo!")
            if javascript:
                assert page.url.split("#")[0] == url  # answered in place, no reload
        following = page.get_by_role("link", name="Volgende", exact=True)
        if following.count() == 0:
            page.get_by_role("link", name="Les afronden").click()
            return
        number, _total = step_counter(page)
        next_step(page)
        assert step_counter(page)[0] == number + 1


def test_module_without_javascript_resume_and_claim(browser, live_server, page_without_js):
    page = page_without_js
    page.goto(live_server.url + "/")
    expect(page).to_have_title("Digibank Leerplatform: leer stap voor stap digitaal")
    page.get_by_role("link", name=MODULE).click()
    page.get_by_role("link", name="Begin met de eerste les").click()
    assert step_counter(page)[0] == 1

    walk_lesson(page, javascript=False)
    expect(page.get_by_role("heading", name="Goed gedaan! Deze les is klaar.")).to_be_visible()
    page.get_by_role("link", name="Volgende les").click()
    next_step(page)
    resume_at = page.url

    # The browser is closed; the next day the learner comes back on the same device.
    state = page.context.storage_state()
    page.context.close()
    context = new_context(browser, javascript=False, state=state)
    page = context.new_page()
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", name="Ga verder waar je was")).to_be_visible()
    page.get_by_role("link", name="Ga verder", exact=True).click()
    expect(page).to_have_url(resume_at)
    assert step_counter(page)[0] == 2

    while True:
        walk_lesson(page, javascript=False)
        done = page.get_by_role("heading", name="Proficiat! Je hebt de module afgerond.")
        if done.count():
            break
        page.get_by_role("link", name="Volgende les").click()

    page.get_by_text("Menu", exact=True).click()  # the header's menu is folded on a phone
    page.get_by_role("link", name="Mijn leren").click()
    page.get_by_role("link", name="Maak een account").click()
    page.get_by_label("Kies een gebruikersnaam").fill("marie.ieper")
    page.get_by_label("Kies een wachtwoord").fill("kaartlezer-2026")
    page.get_by_role("button", name="Maak mijn account").click()
    expect(page.get_by_text("Je account is klaar. Je voortgang is bewaard.")).to_be_visible()
    context.close()

    other_device = new_context(browser, javascript=False)
    page = other_device.new_page()
    page.goto(live_server.url + "/mijn/aanmelden/")
    page.get_by_label("Gebruikersnaam").fill("marie.ieper")
    page.get_by_label("Wachtwoord").fill("kaartlezer-2026")
    page.get_by_role("button", name="Aanmelden").click()
    page.goto(live_server.url + "/")
    page.get_by_role("link", name=MODULE).click()
    expect(
        page.get_by_role("heading", name="Proficiat! Je hebt de module afgerond.")
    ).to_be_visible()
    other_device.close()


def test_lesson_with_javascript_answers_in_place(live_server, page_with_js):
    page = page_with_js
    page.goto(live_server.url + "/")
    page.get_by_role("link", name=MODULE).click()
    page.get_by_role("link", name="Begin met de eerste les").click()
    walk_lesson(page, javascript=True)
    expect(page.get_by_role("heading", name="Goed gedaan! Deze les is klaar.")).to_be_visible()


def test_nothing_chosen_gets_a_kind_message(live_server, page_with_js):
    page = page_with_js
    page.goto(live_server.url + "/modules/je-eid-kaartlezer-en-pincode/wat-heb-je-nodig/")
    next_exercise(page)
    page.get_by_role("button", name="Controleer mijn antwoord").click()
    expect(page.locator("[data-feedback]")).to_contain_text("Kies")
