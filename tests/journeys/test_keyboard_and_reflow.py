"""Keyboard only through a lesson (visible focus at every move) and reflow at 320 CSS pixels.

WCAG 2.2: 2.1.1 Keyboard, 2.4.7 Focus Visible, 2.4.11 Focus Not Obscured, 1.4.10 Reflow.
No mouse here: no locator.click(), no check(); every action is a key press.
"""

from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.answers import right_answer
from tests.journeys.conftest import new_context
from tests.journeys.helpers import exercise_on, step_counter

pytestmark = pytest.mark.browser
MODULE = "/modules/je-eid-kaartlezer-en-pincode/"
LESSON = MODULE + "wat-heb-je-nodig/"
EXERCISE_STEP = LESSON + "stap-4/"  # "Oefening: wat heb je nodig?" (checked in the test)
REFLOW = {"width": 320, "height": 640}

# What the keyboard user has in focus, and whether they can see it.
FOCUS = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  const label = el.labels && el.labels.length ? el.labels[0].textContent : '';
  const text = (el.getAttribute('aria-label') || label || el.textContent || el.value || '');
  return {
    tabbable: el.tabIndex >= 0,
    index: Array.prototype.indexOf.call(document.getElementsByTagName('*'), el),
    tag: el.tagName.toLowerCase(),
    type: el.type || '',
    name: text.replace(/\\s+/g, ' ').trim().slice(0, 60),
    value: el.value === undefined ? null : el.value,
    checked: el.checked === undefined ? null : el.checked,
    outline: style.outlineStyle,
    outlineWidth: parseFloat(style.outlineWidth) || 0,
    shadow: style.boxShadow,
    top: box.top, bottom: box.bottom, left: box.left, right: box.right,
    width: box.width, height: box.height,
    viewportWidth: window.innerWidth, viewportHeight: window.innerHeight,
  };
}
"""


FOLLOWS_EXERCISE = """
(index) => {
  const form = document.querySelector('form[data-exercise]');
  const el = document.getElementsByTagName('*')[index];
  return Boolean(form.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING);
}
"""


def describe(focus):
    if focus is None:
        return "<body> (nothing focused)"
    return f"<{focus['tag']}{' ' + focus['type'] if focus['type'] else ''}> {focus['name']!r}"


def focus_now(page):
    return page.evaluate(FOCUS)


def assert_focus_visible(page, where=""):
    """The focused element has an outline or a box-shadow and is inside the viewport."""
    focus = focus_now(page)
    assert focus is not None, f"{where}: focus left the page (document.activeElement is <body>)"
    seen = (focus["outline"] != "none" and focus["outlineWidth"] > 0) or focus["shadow"] not in (
        "",
        "none",
    )
    assert seen, (
        f"{where}: focus is invisible on {describe(focus)}: "
        f"outline-style {focus['outline']}, box-shadow {focus['shadow']}"
    )
    # One pixel of slack: Chromium scrolls a focused element flush with the edge, and its
    # box can end at a fraction of a pixel past it (e.g. bottom 640.4 in a 640 px viewport).
    inside = (
        focus["top"] >= -1
        and focus["left"] >= -1
        and focus["bottom"] <= focus["viewportHeight"] + 1
        and focus["right"] <= focus["viewportWidth"] + 1
    )
    assert inside, (
        f"{where}: {describe(focus)} is focused outside the viewport: box "
        f"({focus['left']:.0f}, {focus['top']:.0f})–({focus['right']:.0f}, {focus['bottom']:.0f}) "
        f"in {focus['viewportWidth']}×{focus['viewportHeight']}"
    )
    return focus


def press(page, key, where=""):
    """One key press that moves focus; the new focus must be visible."""
    page.keyboard.press(key)
    return assert_focus_visible(page, f"{where} after {key}")


def _matches(page, target, role):
    if role is not None:
        # Playwright's own accessible-name computation: the same name a screen reader hears.
        wanted = page.get_by_role(role, name=target, exact=True)
        return wanted.evaluate_all("(els) => els.includes(document.activeElement)")
    if "=>" in target:
        return page.evaluate(f"(({target}))(document.activeElement)")
    focus = focus_now(page)
    return focus is not None and focus["name"] == target


def tab_to(page, predicate_js_or_name, max_presses=60, *, role=None, backwards=False):
    """Press Tab (Shift+Tab if backwards) until the focused element is the one wanted.

    ``predicate_js_or_name`` is a JavaScript function of the element ("el => ...") or its
    accessible text; with ``role`` the name is matched exactly against that role (as in
    ``page.get_by_role``). Every press must leave a visible focus inside the viewport.
    Returns the focus trail: where focus started (if on a tabbable element), every element
    passed, and last the target.
    """
    key = "Shift+Tab" if backwards else "Tab"
    wanted = f"{role or 'element'} {predicate_js_or_name!r}"
    start = focus_now(page)
    trail = [start] if start is not None and start["tabbable"] else []
    for _ in range(max_presses):
        focus = press(page, key, f"tabbing to {wanted} on {page.url}")
        trail.append(focus)
        if _matches(page, predicate_js_or_name, role):
            return trail
    passed = " → ".join(describe(focus) for focus in trail[-15:])
    pytest.fail(f"{wanted} not reached in {max_presses} × {key} on {page.url}; passed: {passed}")


def assert_shift_tab_goes_back(page, trail):
    """Shift+Tab from the target returns to the element focused just before it, Tab comes back."""
    assert len(trail) >= 2, "need two focus moves to check Shift+Tab"
    before, target = trail[-2], trail[-1]
    back = press(page, "Shift+Tab", f"going back from {describe(target)}")
    assert back["index"] == before["index"], (
        f"Shift+Tab from {describe(target)} went to {describe(back)}, not {describe(before)}"
    )
    again = press(page, "Tab", f"going forward from {describe(back)}")
    assert again["index"] == target["index"], (
        f"Tab from {describe(back)} went to {describe(again)}, not back to {describe(target)}"
    )


def answer_with_keyboard(page, exercise, answer):
    """Choose ``answer`` in the exercise form with Tab, Space, arrow keys only."""
    kind = exercise.block_type
    where = f"answering {kind}"
    if kind == "multiple_choice":
        for box in range(len(exercise.value["options"])):
            tab_to(page, f"el => el.name === 'antwoord' && el.value === '{box}'")
            focus = focus_now(page)
            if focus["checked"] != (str(box) in answer):
                press(page, "Space", where)
            assert focus_now(page)["checked"] == (str(box) in answer), f"{where}: box {box}"
        return
    if kind in ("single_choice", "true_false"):
        # Tab enters a radio group once (on the checked radio, or the first); arrows choose.
        tab_to(page, "el => el.name === 'antwoord' && el.type === 'radio'")
        (wanted,) = answer
        count = page.locator("form[data-exercise] input[name=antwoord]").count()
        for _ in range(count):
            if focus_now(page)["value"] == wanted:
                break
            press(page, "ArrowDown", where)
        if not focus_now(page)["checked"]:
            press(page, "Space", where)  # Tab focuses the first radio without choosing it
        focus = focus_now(page)
        assert focus["value"] == wanted and focus["checked"], f"{where}: {describe(focus)}"
        return
    if kind == "ordering":
        # A closed <select> in Chromium on Linux changes its value with ArrowDown/ArrowUp
        # without opening the list: that is what a keyboard user does here.
        for place, wanted in enumerate(answer):
            trail = tab_to(page, "el => el.tagName === 'SELECT'")
            options = page.locator("form[data-exercise] select").nth(place).locator("option")
            for _ in range(options.count()):
                if focus_now(page)["value"] == wanted:
                    break
                press(page, "ArrowDown", f"{where}, place {place + 1}")
            focus = focus_now(page)
            assert focus["value"] == wanted, (
                f"{where}: place {place + 1} is {focus['value']!r}, not {wanted!r}; "
                f"tabbed via {' → '.join(describe(step) for step in trail)}"
            )
        return
    raise AssertionError(f"no keyboard recipe for exercise type {kind}")


def walk_lesson_with_keyboard(page):
    """From step 1 to the end page; every exercise answered right; returns exercises seen."""
    seen = []
    while True:
        number, total = step_counter(page)
        where = f"step {number} of {total}"

        # The skip link is the first stop and takes the learner into <main>.
        skip = press(page, "Tab", where)
        assert skip["name"] == "Ga naar de inhoud", f"{where}: first Tab on {describe(skip)}"
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "inhoud", where

        exercise = exercise_on(page)
        if exercise is not None:
            seen.append(exercise.block_type)
            answer_with_keyboard(page, exercise, right_answer(exercise))
            trail = tab_to(page, "Controleer mijn antwoord", role="button")
            assert_shift_tab_goes_back(page, trail)
            page.keyboard.press("Enter")
            expect(page.locator(".feedback-good")).to_contain_text("Goed zo!")
            # The answer is checked in place: focus stays on the button (a disabled button
            # would drop it to <body>, and a screen reader would lose its place).
            focused = page.evaluate("document.activeElement.textContent.trim()")
            assert focused == "Controleer mijn antwoord", f"{where}: focus moved to {focused!r}"

        onward = "Volgende" if number < total else "Les afronden"
        trail = tab_to(page, onward, role="link")
        if exercise is not None:
            # The next Tab goes on after the form, not back to the top of the page.
            assert page.evaluate(FOLLOWS_EXERCISE, trail[0]["index"]), (
                f"{where}: the first Tab after checking went to {describe(trail[0])}, "
                "before the exercise"
            )
        assert_shift_tab_goes_back(page, trail)
        page.keyboard.press("Enter")
        if number < total:
            page.wait_for_url(f"**/stap-{number + 1}/")
            assert step_counter(page)[0] == number + 1
            continue
        page.wait_for_url("**/klaar/")
        return seen


@pytest.mark.parametrize(
    ("lesson", "kinds"),
    [
        pytest.param("wat-heb-je-nodig", ["multiple_choice"], id="les-1-checkboxes"),
        pytest.param("je-pincode", ["single_choice", "true_false"], id="les-2-radios"),
        pytest.param(
            "pincode-geblokkeerd-of-vergeten", ["ordering", "single_choice"], id="les-3-selects"
        ),
    ],
)
def test_lesson_with_keyboard_only(browser, live_server, demo_site, lesson, kinds):
    context = new_context(browser, javascript=True)
    page = context.new_page()
    try:
        page.goto(live_server.url + MODULE + lesson + "/")
        assert step_counter(page)[0] == 1
        assert walk_lesson_with_keyboard(page) == kinds
        expect(page.get_by_role("heading", name="Goed gedaan! Deze les is klaar.")).to_be_visible()
    finally:
        context.close()


# --- reflow at 320 CSS pixels ---------------------------------------------------------------

REFLOW_CHECK = """
() => {
  const viewport = window.innerWidth;
  const describe = (el) => {
    const box = el.getBoundingClientRect();
    const cls = typeof el.className === 'string' && el.className.trim()
      ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
    const text = (el.textContent || '').replace(/\\s+/g, ' ').trim().slice(0, 30);
    return `<${el.tagName.toLowerCase()}${cls}> ${Math.round(box.width)}px wide, `
      + `right edge ${Math.round(box.right)}px "${text}"`;
  };
  const visible = (el) => {
    const box = el.getBoundingClientRect();
    return box.width > 0 || box.height > 0;
  };
  const main = document.querySelector('main');
  const wide = [...main.querySelectorAll('*')]
    .filter((el) => visible(el) && el.getBoundingClientRect().width > viewport + 0.5)
    .map(describe);
  const sticking_out = [...document.body.querySelectorAll('*')]
    .filter((el) => visible(el) && el.getBoundingClientRect().right > viewport + 0.5)
    .map(describe);
  return {
    viewport, scrollWidth: document.documentElement.scrollWidth, wide, sticking_out,
  };
}
"""

REFLOW_PAGES = [
    "/",
    "/modules/",
    MODULE,
    LESSON,
    EXERCISE_STEP,
    "/mijn/",
    "/leerkaart/",
    "/hulp/",
    "/verder-leren/",
    "/certificaten/controle/",
    "/woordenlijst/",
    # Answers with a long unbreakable word (an e-mail address, a structured bank message)
    # once pushed these pages sideways; `.choice span { overflow-wrap: anywhere }` fixed it.
    "/modules/itsme-installeren-en-gebruiken/valse-berichten-over-itsme/stap-4/",
    "/modules/betalen-met-je-smartphone/een-overschrijving-maken/stap-5/",
    "/modules/veilig-online-herken-oplichting/de-safeonweb-app/stap-5/",
]


@pytest.fixture
def catalogue(transactional_db):
    # /hulp/ and /verder-leren/ with their demo Digipunten and courses: long names and
    # addresses are what overflows first.
    call_command("seed_catalogue", stdout=StringIO())


@pytest.mark.parametrize("path", REFLOW_PAGES)
def test_reflow_at_320_css_pixels(browser, live_server, demo_site, catalogue, path):
    context = new_context(browser, javascript=True)
    page = context.new_page()
    try:
        page.set_viewport_size(REFLOW)
        response = page.goto(live_server.url + path)
        assert response.ok, f"{path}: HTTP {response.status}"
        if path == EXERCISE_STEP:
            assert exercise_on(page) is not None, f"{path} is no longer the exercise step"
        result = page.evaluate(REFLOW_CHECK)
        assert result["viewport"] == REFLOW["width"]
        assert result["scrollWidth"] <= result["viewport"], (
            f"{path} scrolls sideways at {result['viewport']} px: scrollWidth "
            f"{result['scrollWidth']}; sticking out: {result['sticking_out']}"
        )
        assert result["wide"] == [], (
            f"{path}: elements in <main> wider than {result['viewport']} px: {result['wide']}"
        )
    finally:
        context.close()
