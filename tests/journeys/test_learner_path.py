"""The learner's path, polished, in a real browser on a phone (390 × 844):

- the header folds into "Menu", so a lesson step opens on its title and first paragraph at
  every text size; the menu opens without JavaScript, with it, and by keyboard;
- Dutch lesson content runs left to right inside an Arabic page;
- /verder-leren/ is a reasonable length on a phone and asks for the municipality once.

Without a browser: tests/learning/test_learner_path.py.
"""

from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.answers import right_answer
from tests.journeys.conftest import new_context
from tests.journeys.helpers import answer_and_check, exercise_on, run_axe, size_problems

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
MODULE = "/modules/je-eid-kaartlezer-en-pincode/"
LESSON = MODULE + "wat-heb-je-nodig/"
EXERCISE_STEP = LESSON + "stap-4/"
SIZES = ["normaal", "groot", "extra-groot"]

ON_FIRST_SCREEN = """
(selector) => {
  const el = document.querySelector(selector);
  const box = el.getBoundingClientRect();
  return {top: box.top, bottom: box.bottom, height: window.innerHeight,
          text: el.textContent.trim().slice(0, 40)};
}
"""


def phone(browser, live_server, *, javascript=True, size="normaal", language=None, axe=False):
    context = new_context(browser, javascript=javascript, bypass_csp=axe)
    cookies = [{"name": "weergave", "value": f"{size},normaal", "url": live_server.url}]
    if language:
        cookies.append({"name": "taal", "value": language, "url": live_server.url})
    context.add_cookies(cookies)
    page = context.new_page()
    page.set_viewport_size(PHONE)
    return context, page


def assert_on_first_screen(page, selector, where):
    box = page.evaluate(ON_FIRST_SCREEN, selector)
    assert box["top"] >= 0 and box["bottom"] <= box["height"], (
        f"{where}: {selector} {box['text']!r} spans {box['top']:.0f}–{box['bottom']:.0f} px "
        f"of a {box['height']} px screen"
    )


def check_axe(page, axe_source, where):
    violations = run_axe(page, axe_source)
    assert violations == [], f"{where}: {violations}"
    sizes = size_problems(page)
    assert sizes["small"] == [], f"{where}: tap targets under 44 px: {sizes['small']}"
    assert sizes["tiny"] == [], f"{where}: text under 18 px: {sizes['tiny']}"


# --- the header and the first screen of a lesson step --------------------------------------------


@pytest.mark.parametrize("size", SIZES)
def test_a_lesson_step_opens_on_its_title_and_first_paragraph(
    browser, live_server, demo_site, axe_source, size
):
    context, page = phone(browser, live_server, size=size, axe=True)
    try:
        for step in [LESSON, LESSON + "stap-2/"]:
            page.goto(live_server.url + step)
            where = f"{step} with text size {size}"
            header = page.locator(".site-header").bounding_box()["height"]
            assert header < 0.2 * PHONE["height"], f"{where}: the header is {header:.0f} px"
            assert_on_first_screen(page, "main h1", where)
            assert_on_first_screen(page, "#stap-titel", where)
            assert_on_first_screen(page, ".step p", where)
            # The menu is folded, its links hidden until "Menu" is pressed.
            expect(page.get_by_role("link", name="Alle modules")).to_be_hidden()
        check_axe(page, axe_source, f"lesson step, text size {size}, menu closed")
        page.get_by_text("Menu", exact=True).click()
        expect(page.get_by_role("link", name="Alle modules")).to_be_visible()
        check_axe(page, axe_source, f"lesson step, text size {size}, menu open")
    finally:
        context.close()


def test_the_menu_opens_and_closes_without_javascript(browser, live_server, demo_site):
    context, page = phone(browser, live_server, javascript=False, size="extra-groot")
    try:
        page.goto(live_server.url + LESSON)
        menu = page.get_by_text("Menu", exact=True)
        all_modules = page.get_by_role("link", name="Alle modules")
        expect(all_modules).to_be_hidden()
        menu.click()  # a native <details>: no script needed
        expect(all_modules).to_be_visible()
        expect(page.get_by_role("link", name="Aanmelden")).to_be_visible()
        all_modules.click()
        page.wait_for_url("**/modules/")
        expect(page.get_by_role("link", name="Alle modules")).to_be_hidden()  # closed again
        page.get_by_text("Menu", exact=True).click()
        page.get_by_text("Menu", exact=True).click()
        expect(page.get_by_role("link", name="Alle modules")).to_be_hidden()
        # "Taal · Language" stays outside the fold: found by someone who reads no Dutch.
        expect(page.get_by_role("link", name="Taal")).to_be_visible()
    finally:
        context.close()


def test_the_menu_by_keyboard_and_escape(browser, live_server, demo_site):
    context, page = phone(browser, live_server)
    try:
        page.goto(live_server.url + LESSON)
        for _ in range(6):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.tagName") == "SUMMARY":
                break
        assert page.evaluate("document.activeElement.textContent.trim()") == "Menu"
        page.keyboard.press("Enter")
        assert page.evaluate("document.querySelector('[data-site-menu]').open")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent.trim()") == "Alle modules"
        expect(page.get_by_role("link", name="Alle modules")).to_be_visible()
        # Escape closes the menu and gives focus back to "Menu" (static/js/menu.js).
        page.keyboard.press("Escape")
        assert not page.evaluate("document.querySelector('[data-site-menu]').open")
        assert page.evaluate("document.activeElement.textContent.trim()") == "Menu"
        # Space opens it too; a tap beside it closes it.
        page.keyboard.press("Space")
        expect(page.get_by_role("link", name="Alle modules")).to_be_visible()
        page.mouse.click(PHONE["width"] // 2, PHONE["height"] - 20)  # below the open menu
        expect(page.get_by_role("link", name="Alle modules")).to_be_hidden()
    finally:
        context.close()


def test_on_a_wide_screen_the_links_show_without_a_menu_button(browser, live_server, demo_site):
    context, page = phone(browser, live_server)
    try:
        page.set_viewport_size({"width": 1280, "height": 800})
        page.goto(live_server.url + LESSON)
        expect(page.get_by_role("link", name="Alle modules")).to_be_visible()
        expect(page.get_by_text("Menu", exact=True)).to_be_hidden()
    finally:
        context.close()


# --- right to left ----------------------------------------------------------------------------

DIRECTION = """
(selector) => [...document.querySelectorAll(selector)].map((el) => ({
  text: el.textContent.trim().slice(0, 40),
  ltr: el.matches(':dir(ltr)'),
  css: getComputedStyle(el).direction,
  lang: el.closest('[lang]').getAttribute('lang'),
}))
"""


def assert_dutch_left_to_right(page, selector, where):
    found = page.evaluate(DIRECTION, selector)
    assert found, f"{where}: nothing matches {selector}"
    for item in found:
        assert item["ltr"] and item["css"] == "ltr", f"{where}: {selector} {item}"
        assert item["lang"] == "nl-BE", f"{where}: {selector} {item}"


def test_dutch_content_runs_left_to_right_in_an_arabic_page(
    browser, live_server, demo_site, axe_source
):
    context, page = phone(browser, live_server, javascript=False)
    try:
        # Some progress first (in Dutch), so /mijn/ and home list a module and a lesson.
        page.goto(live_server.url + EXERCISE_STEP)
        exercise = exercise_on(page)
        answer_and_check(page, exercise, right_answer(exercise))
        expect(page.locator(".feedback-good")).to_be_visible()
        context.add_cookies([{"name": "taal", "value": "ar", "url": live_server.url}])

        page.goto(live_server.url + LESSON + "stap-2/")
        assert page.evaluate("document.documentElement.matches(':dir(rtl)')")
        where = "lesson step in Arabic"
        for selector in ["main h1", "#stap-titel", ".step p", ".breadcrumb a"]:
            assert_dutch_left_to_right(page, selector, where)
        # The interface around it stays right to left.
        assert page.evaluate("document.querySelector('.step-count').matches(':dir(rtl)')")
        assert page.evaluate("document.querySelector('.step-nav').matches(':dir(rtl)')")

        page.goto(live_server.url + "/")
        assert_dutch_left_to_right(page, ".card-title", "home in Arabic")
        assert_dutch_left_to_right(page, ".card-title + p", "home in Arabic")
        assert_dutch_left_to_right(page, ".continue bdi", "home in Arabic: continue")

        page.goto(live_server.url + "/mijn/")
        assert_dutch_left_to_right(page, ".card-title", "/mijn/ in Arabic")
        assert_dutch_left_to_right(page, ".continue bdi", "/mijn/ in Arabic: continue")

        page.goto(live_server.url + MODULE)
        assert_dutch_left_to_right(page, ".lesson-list a", "module page in Arabic")
        assert_dutch_left_to_right(page, ".outcomes li", "module page in Arabic")
    finally:
        context.close()
    context, page = phone(browser, live_server, language="ar", axe=True)
    try:
        page.goto(live_server.url + LESSON + "stap-2/")
        check_axe(page, axe_source, "lesson step in Arabic on a phone")
        page.goto(live_server.url + "/taal/")
        check_axe(page, axe_source, "/taal/ in Arabic on a phone")
    finally:
        context.close()


# --- /verder-leren/ on a phone ---------------------------------------------------------------


@pytest.fixture
def catalogue(transactional_db):
    call_command("seed_catalogue", stdout=StringIO())


def test_next_steps_fits_a_phone_and_asks_for_the_municipality_once(
    browser, live_server, catalogue, axe_source
):
    context, page = phone(browser, live_server, axe=True)
    try:
        page.goto(live_server.url + "/verder-leren/")
        height = page.evaluate("document.documentElement.scrollHeight")
        assert height < 6000, f"/verder-leren/ is {height} px tall at 390 px"
        assert page.locator("select[name=gemeente]").count() == 1
        assert page.get_by_text("Voor partners en websites").is_visible()  # folded, at the end
        expect(page.get_by_role("link", name="Als tabel (CSV, voor Excel)")).to_be_hidden()
        # Every "Meer info" link has a name of its own (the course, read but not shown).
        names = page.locator("a.entry-link").evaluate_all(
            "(links) => links.map((a) => a.textContent.replace(/\\s+/g, ' ').trim())"
        )
        assert len(names) > 1 and len(set(names)) == len(names), names
        check_axe(page, axe_source, "/verder-leren/ on a phone")
        page.get_by_text("Kies een gemeente, een onderwerp of een prijs").click()
        check_axe(page, axe_source, "/verder-leren/ on a phone, filters open")
    finally:
        context.close()

    # The filters are folded; without JavaScript they open, filter, and the choice is kept.
    context, page = phone(browser, live_server, javascript=False)
    try:
        page.goto(live_server.url + "/verder-leren/")
        waar = page.get_by_label("Waar?")
        expect(waar).to_be_hidden()
        page.get_by_text("Kies een gemeente, een onderwerp of een prijs").click()
        waar.select_option(label="Poperinge")
        page.get_by_role("button", name="Toon het aanbod").click()
        page.wait_for_url("**/verder-leren/?gemeente=poperinge*")
        expect(page.get_by_text("(gekozen: 1)")).to_be_visible()
        page.get_by_role("button", name="Onthoud Poperinge als mijn gemeente").click()
        expect(page.get_by_text("Je woont in Poperinge.")).to_be_visible()
        expect(page.get_by_role("button", name="Vergeet mijn gemeente")).to_be_visible()
    finally:
        context.close()
