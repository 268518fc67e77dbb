"""Exercises in Chromium, in every state: full ordering items at 320 px with the largest
text, an incomplete answer without JavaScript, and an answer the server could not save."""

import json

import pytest
from playwright.sync_api import expect

from courses.models import LessonPage
from tests.answers import right_answer, wrong_answer
from tests.journeys.conftest import new_context
from tests.journeys.helpers import choose

pytestmark = pytest.mark.browser
REFLOW = {"width": 320, "height": 640}
LOGIN_ORDER = "Oefening: inloggen in de juiste volgorde"  # the longest items of the demo

# Every item's full sentence in a visible element that is not cut off.
ITEMS_SHOWN = """
() => Array.from(document.querySelectorAll('form[data-exercise] .order-text')).map(el => {
  const box = el.getBoundingClientRect();
  return {
    text: el.textContent.trim(),
    visible: box.width > 0 && box.height > 0 && getComputedStyle(el).visibility === 'visible',
    clipped: el.scrollWidth > el.clientWidth || box.right > window.innerWidth + 0.5,
  };
})
"""


def ordering_step(title=LOGIN_ORDER):
    for lesson in LessonPage.objects.live_dutch():
        for number, step in enumerate(lesson.steps, start=1):
            if step.value["title"] == title:
                exercise = next(child for child in step.value["body"] if child.block.is_exercise)
                return lesson, number, exercise
    raise AssertionError(f"no step {title!r} in the demo")


def small_page(browser, live_server, *, javascript):
    context = new_context(browser, javascript=javascript)
    context.add_cookies(
        [{"name": "weergave", "value": "extra-groot,normaal", "url": live_server.url}]
    )
    page = context.new_page()
    page.set_viewport_size(REFLOW)
    return context, page


@pytest.mark.parametrize("javascript", [True, False], ids=["met-js", "zonder-js"])
def test_every_ordering_item_is_readable_at_320_px_with_the_largest_text(
    browser, live_server, demo_site, javascript
):
    lesson, number, exercise = ordering_step()
    context, page = small_page(browser, live_server, javascript=javascript)
    try:
        page.goto(live_server.url + lesson.step_url(number))
        assert "tekst-extra-groot" in page.evaluate("document.documentElement.className")
        shown = page.evaluate(ITEMS_SHOWN)
        assert sorted(item["text"] for item in shown) == sorted(exercise.value["items"])
        for item in shown:
            assert item["visible"] and not item["clipped"], item
        # Each drop-down's options start with the item's letter, listed above in full.
        first = page.locator("form[data-exercise] select").first
        labels = first.locator("option").all_inner_texts()[1:]
        letters = page.locator("form[data-exercise] .order-letter").all_inner_texts()
        texts = [item["text"] for item in shown]
        assert labels == [f"{a}: {b}" for a, b in zip(letters, texts, strict=True)]
        # Nothing on the page is wider than the screen (WCAG 1.4.10 Reflow).
        assert page.evaluate("document.documentElement.scrollWidth") <= REFLOW["width"]
    finally:
        context.close()


def test_incomplete_answer_without_javascript_is_shown_at_the_exercise(
    browser, live_server, demo_site
):
    lesson, number, exercise = ordering_step()
    context, page = small_page(browser, live_server, javascript=False)
    try:
        page.goto(live_server.url + lesson.step_url(number))
        selects = page.locator("form[data-exercise] select[name=antwoord]")
        selects.nth(0).select_option("0")
        selects.nth(2).select_option("3")
        page.get_by_role("button", name="Controleer mijn antwoord").click()
        page.wait_for_load_state()
        expect(page).to_have_title(
            f"Fout: Kies voor elke plaats een stap. – {LOGIN_ORDER} – "
            f"{lesson.title} – Digibank Leerplatform"
        )
        error = page.locator("form[data-exercise] .answer-error")
        expect(error).to_have_text("Fout: Kies voor elke plaats een stap.")
        expect(error).to_be_in_viewport()  # where the browser jumped to (#oefening)
        assert page.locator(".messages").count() == 0
        values = [selects.nth(i).input_value() for i in range(selects.count())]
        assert values[:3] == ["0", "", "3"] and set(values[3:]) == {""}
    finally:
        context.close()


@pytest.mark.parametrize("trouble", ["503", "network"])
def test_an_answer_that_was_not_saved_is_said_and_never_sent_again(
    live_server, page_with_js, trouble
):
    page = page_with_js
    lesson, number, exercise = ordering_step()
    page.goto(live_server.url + lesson.step_url(number))
    sent = []

    def answer(route):
        sent.append(route.request.post_data)
        if trouble == "network":
            route.abort("failed")
            return
        route.fulfill(
            status=503,
            content_type="application/json",
            body=json.dumps({"error": "Je antwoord is niet bewaard. Dat is onze fout."}),
        )

    page.route("**/leren/antwoord/", answer)
    selects = page.locator("form[data-exercise] select[name=antwoord]")
    for place in range(selects.count()):
        selects.nth(place).select_option(str(place))
    url = page.url
    page.get_by_role("button", name="Controleer mijn antwoord").click()
    feedback = page.locator("[data-feedback] .feedback-retry")
    expected = (
        "Je antwoord is niet bewaard. Dat is onze fout."
        if trouble == "503"
        else "Je antwoord is misschien niet bewaard. Kijk of je internet hebt."
    )
    expect(feedback).to_contain_text(expected)
    page.wait_for_timeout(1000)
    assert len(sent) == 1 and page.url == url  # no second try, no form submit
    assert selects.nth(0).input_value() == "0"  # the answer is still there to try again
    assert (
        page.get_by_role("button", name="Controleer mijn antwoord").get_attribute("aria-disabled")
        is None
    )


def test_les_afronden_becomes_the_main_button_when_the_lesson_is_complete(
    live_server, page_with_js
):
    page = page_with_js
    # A demo lesson whose last step holds its only required exercise.
    lesson = next(
        lesson
        for lesson in LessonPage.objects.live_dutch().order_by("path")
        if [n for n, _child in lesson.exercises.values()] == [lesson.step_count]
    )
    _number, exercise = next(iter(lesson.exercises.values()))
    page.goto(live_server.url + lesson.step_url(lesson.step_count))
    finish = page.get_by_role("link", name="Les afronden")
    expect(finish).to_have_class("button")  # the exercise is the main action
    choose(page, exercise, wrong_answer(exercise))
    page.get_by_role("button", name="Controleer mijn antwoord").click()
    expect(page.locator(".feedback-retry")).to_be_visible()
    expect(finish).to_have_class("button")
    choose(page, exercise, right_answer(exercise))
    page.get_by_role("button", name="Controleer mijn antwoord").click()
    expect(page.locator(".feedback-good")).to_be_visible()
    expect(finish).to_have_class("button button-primary")  # promoted in place
    page.reload()
    expect(page.get_by_role("link", name="Les afronden")).to_have_class("button button-primary")
