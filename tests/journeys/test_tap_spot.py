"""Tik op de juiste plek in Chromium: with a finger, the mouse and the keyboard, without
JavaScript, at 360 px with the largest text, and clean for axe."""

import pytest
from django.core.files.images import ImageFile
from playwright.sync_api import expect
from wagtail.images import get_image_model

from courses import demo
from courses.factories import LessonPageFactory, ModulePageFactory, tap_spot_step, text_step
from tests.journeys.conftest import OLD_PHONE, new_context
from tests.journeys.helpers import run_axe

pytestmark = pytest.mark.browser
SCREEN = demo.CONTENT_DIR / "screens" / "eid-aanmelden-kiezen.svg"

# Every spot's box and the picture's box, in CSS pixels.
BOXES = """
() => {
  const box = el => {
    const b = el.getBoundingClientRect();
    return {x: b.left, y: b.top, right: b.right, bottom: b.bottom,
            width: b.width, height: b.height};
  };
  const figure = document.querySelector('.tap-picture');
  return {
    image: box(figure.querySelector('img')),
    areas: Array.from(figure.querySelectorAll('[data-tap-area]')).map(box),
  };
}
"""


@pytest.fixture
def tap_lesson(transactional_db):
    _home, index = demo.site_ensure()
    module = ModulePageFactory(parent=index, title="Inloggen", slug="inloggen")
    image = get_image_model()(title="scherm")
    with SCREEN.open("rb") as handle:
        image.file = ImageFile(handle, name=SCREEN.name)
        image.save()
    return LessonPageFactory(
        parent=module,
        title="Aanmelden",
        slug="aanmelden",
        steps=[text_step(), tap_spot_step(image)],
    )


def open_step(context, live_server, lesson):
    page = context.new_page()
    # The test settings keep uploads in memory, which the live server does not serve: the
    # picture comes from the file it was stored from.
    page.route(
        "**/media/**",
        lambda route: route.fulfill(content_type="image/svg+xml", body=SCREEN.read_bytes()),
    )
    page.goto(live_server.url + lesson.step_url(2))
    expect(page.locator(".tap-picture img")).to_be_visible()
    page.wait_for_function("document.querySelector('.tap-picture img').naturalWidth > 0")
    return page


def spot(page, label):
    return page.get_by_role("button", name=label, exact=True)


def expect_feedback(page, *, good, text):
    selector = "[data-feedback] .feedback-good" if good else "[data-feedback] .feedback-retry"
    feedback = page.locator(selector)
    expect(feedback).to_contain_text(text)
    # Not by colour alone: the words say it.
    expect(feedback).to_contain_text("Dat is juist." if good else "Dat is nog niet juist.")


@pytest.mark.parametrize("way", ["touch", "mouse"])
def test_tap_or_click_a_wrong_spot_then_the_right_one(browser, live_server, tap_lesson, way):
    context = browser.new_context(viewport=OLD_PHONE, locale="nl-BE", has_touch=way == "touch")
    try:
        page = open_step(context, live_server, tap_lesson)
        press = (lambda locator: locator.tap()) if way == "touch" else (lambda loc: loc.click())
        press(spot(page, "itsme"))
        expect_feedback(page, good=False, text="Nee. itsme is een andere sleutel.")
        expect(spot(page, "itsme")).to_have_class(
            "tap-area tap-x-5 tap-y-40 tap-w-90 tap-h-10 tap-area-chosen"
        )
        press(spot(page, "eID of kaartlezer"))
        expect_feedback(page, good=True, text="Juist. Met deze knop log je in met je eID.")
        expect(page.locator("input[name=antwoord][value='0']")).to_be_checked()
    finally:
        context.close()


def test_keyboard_tab_to_the_spot_and_press_enter(browser, live_server, tap_lesson):
    context = new_context(browser)
    try:
        page = open_step(context, live_server, tap_lesson)
        for _press in range(60):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.dataset.tapArea !== undefined"):
                break
        focused = page.locator(":focus")
        expect(focused).to_have_accessible_name("eID of kaartlezer")
        assert focused.evaluate("el => getComputedStyle(el).outlineStyle") != "none"
        page.keyboard.press("Enter")
        expect_feedback(page, good=True, text="Juist. Met deze knop log je in met je eID.")
    finally:
        context.close()


def test_without_javascript_the_spot_and_the_list_post_the_form(browser, live_server, tap_lesson):
    context = new_context(browser, javascript=False)
    try:
        page = open_step(context, live_server, tap_lesson)
        spot(page, "Beveiligingscode via sms").click()
        expect(page).to_have_url(live_server.url + tap_lesson.step_url(2) + "#oefening")
        expect_feedback(page, good=False, text="Nee. Zoek de knop met eID.")
        expect(page.locator(".tap-chosen")).to_have_text("Je koos: Beveiligingscode via sms")
        page.get_by_role("radio", name="eID of kaartlezer").check()
        page.get_by_role("button", name="Controleer mijn antwoord").click()
        expect_feedback(page, good=True, text="Juist. Met deze knop log je in met je eID.")
    finally:
        context.close()


def test_spots_stay_on_their_spots_at_360_px_with_the_largest_text(
    browser, live_server, tap_lesson
):
    context = new_context(browser)
    context.add_cookies(
        [{"name": "weergave", "value": "extra-groot,normaal", "url": live_server.url}]
    )
    try:
        page = open_step(context, live_server, tap_lesson)
        assert "tekst-extra-groot" in page.evaluate("document.documentElement.className")
        boxes = page.evaluate(BOXES)
        image = boxes["image"]
        assert image["right"] <= OLD_PHONE["width"]  # the picture fits the column
        drawn = tap_lesson.steps[1].value["body"][0].value["areas"]
        for box, area in zip(boxes["areas"], drawn, strict=True):
            assert image["x"] - 0.5 <= box["x"] and box["right"] <= image["right"] + 0.5
            assert image["y"] - 0.5 <= box["y"] and box["bottom"] <= image["bottom"] + 0.5
            # On its spot: the percent of the picture, to a pixel and a half.
            assert abs(box["x"] - image["x"] - image["width"] * area["x"] / 100) < 1.5
            assert abs(box["y"] - image["y"] - image["height"] * area["y"] / 100) < 1.5
            assert abs(box["height"] - image["height"] * area["height"] / 100) < 1.5
    finally:
        context.close()


def test_the_exercise_is_clean_for_axe(browser, live_server, tap_lesson, axe_source):
    context = new_context(browser, bypass_csp=True)
    try:
        page = open_step(context, live_server, tap_lesson)
        assert run_axe(page, axe_source, include="form[data-exercise]") == []
        spot(page, "itsme").click()
        expect_feedback(page, good=False, text="Nee. itsme is een andere sleutel.")
        assert run_axe(page, axe_source, include="form[data-exercise]") == []
    finally:
        context.close()
