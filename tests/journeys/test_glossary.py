"""Hard words in a lesson: a tap or Enter opens the explanation; without JavaScript a link."""

import pytest

from tests.journeys.helpers import run_axe, size_problems

pytestmark = pytest.mark.browser
LESSON = "/modules/je-eid-kaartlezer-en-pincode/wat-heb-je-nodig/"
WORD = "a.glossary-term[data-glossary='eid']"


def focused_glossary_word(page):
    return page.evaluate("document.activeElement.getAttribute('data-glossary')")


def test_keyboard_opens_the_explanation_and_escape_returns_to_the_word(live_server, page_with_js):
    page = page_with_js
    page.goto(live_server.url + LESSON)
    word = page.locator(WORD)
    assert word.get_attribute("aria-haspopup") == "dialog"
    for _press in range(40):
        page.keyboard.press("Tab")
        if focused_glossary_word(page) == "eid":
            break
    assert focused_glossary_word(page) == "eid", "the word is reachable with Tab"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"

    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="eID")
    dialog.wait_for()
    assert page.url == live_server.url + LESSON  # no navigation
    assert "identiteitskaart" in dialog.inner_text()
    close = dialog.get_by_role("button", name="Sluiten")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Sluiten"
    box = close.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44
    font_size = "el => parseFloat(getComputedStyle(el).fontSize)"
    assert close.evaluate(font_size) >= 18
    assert dialog.locator("p").first.evaluate(font_size) >= 18
    assert word.get_attribute("aria-expanded") == "true"

    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden")
    assert focused_glossary_word(page) == "eid"
    assert word.get_attribute("aria-expanded") == "false"

    # Enter on the focused word again, then the button with the keyboard (Space).
    page.keyboard.press("Enter")
    dialog.wait_for()
    page.keyboard.press("Space")
    dialog.wait_for(state="hidden")
    assert focused_glossary_word(page) == "eid"


def test_click_opens_the_explanation_and_sluiten_closes_it(live_server, page_with_js):
    page = page_with_js
    page.goto(live_server.url + LESSON)
    page.locator(WORD).click()
    dialog = page.get_by_role("dialog", name="eID")
    dialog.wait_for()
    assert dialog.get_by_role("button", name="Sluiten").is_visible()
    dialog.get_by_role("button", name="Sluiten").click()
    dialog.wait_for(state="hidden")
    assert focused_glossary_word(page) == "eid"
    assert page.url == live_server.url + LESSON


def test_open_explanation_fits_a_320_pixel_screen(live_server, page_with_js):
    page = page_with_js
    page.set_viewport_size({"width": 320, "height": 480})
    page.goto(live_server.url + LESSON)
    page.locator(WORD).click()
    dialog = page.get_by_role("dialog", name="eID")
    dialog.wait_for()
    box = dialog.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 320
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_open_explanation_passes_axe(live_server, page_for_axe, axe_source):
    page = page_for_axe
    page.goto(live_server.url + LESSON)
    page.locator(WORD).click()
    page.get_by_role("dialog", name="eID").wait_for()
    assert run_axe(page, axe_source) == []
    sizes = size_problems(page)
    assert sizes["small"] == [], sizes["small"]
    assert sizes["tiny"] == [], sizes["tiny"]


def test_glossary_page_passes_axe(live_server, page_for_axe, axe_source):
    page = page_for_axe
    page.goto(live_server.url + "/woordenlijst/?terug=" + LESSON + "#pincode")
    assert run_axe(page, axe_source) == []
    assert size_problems(page) == {"small": [], "tiny": []}


def test_without_javascript_the_word_links_to_its_entry_and_back(live_server, page_without_js):
    page = page_without_js
    page.goto(live_server.url + LESSON)
    assert page.locator("dialog").is_hidden()
    page.locator(WORD).click()
    page.wait_for_url("**/woordenlijst/**")
    assert page.url.endswith("#eid")
    entry = page.locator("#eid")
    assert entry.get_by_role("heading", name="eID").is_visible()
    assert "identiteitskaart" in entry.inner_text()
    page.get_by_role("link", name="Terug naar de les").first.click()
    page.wait_for_url(live_server.url + LESSON)


def test_open_explanation_in_arabic_shows_the_translation_right_to_left(
    live_server, page_for_axe, axe_source
):
    # seed_demo (the demo_site fixture) also adds the translations of the demo terms.
    page = page_for_axe
    page.context.add_cookies([{"name": "taal", "value": "ar", "url": live_server.url}])
    page.goto(live_server.url + LESSON)
    page.locator(WORD).click()
    dialog = page.get_by_role("dialog", name="eID")
    dialog.wait_for()
    assert "identiteitskaart" in dialog.inner_text()  # the Dutch stays first
    translated = dialog.locator(".glossary-translation")
    assert translated.get_attribute("lang") == "ar" and translated.get_attribute("dir") == "rtl"
    assert "بطاقة الهوية البلجيكية" in translated.inner_text()
    assert translated.evaluate("el => getComputedStyle(el).direction") == "rtl"
    assert run_axe(page, axe_source) == []
    sizes = size_problems(page)
    assert sizes["small"] == [], sizes["small"]
    assert sizes["tiny"] == [], sizes["tiny"]
