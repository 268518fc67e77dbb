"""Every sandbox screen fits an old phone with extra-large text (WCAG 1.4.10 reflow).

A hand walk at 390 px with "Extra groot" found the Oefen-inbox's advice pushing the page
16 px sideways: "suspicious@safeonweb.be" is one long word. This walks each demo sandbox the
right way (its scenario's ``right_walk``) without JavaScript, in Dutch and in Arabic, and
checks after every form that nothing is wider than the screen; where a screen offers the
learner's own smartphone, the QR screen too (its written-out address overflowed by 460 px).
"""

import pytest
from playwright.sync_api import expect

from courses import sandboxes
from courses.models import LessonPage

PHONE_WIDTH = 390


def sandbox_lessons():
    """(lesson, sandbox child) of every demo lesson with a sandbox, one per scenario."""
    found = {}
    for lesson in LessonPage.objects.live().specific():
        for _number, child in lesson.exercises.values():
            if getattr(child.block, "is_sandbox", False):
                found.setdefault(child.value["scenario"], (lesson, child))
    return found


def fits(page, where):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"{where}: the page is {width} px wide"


def send(page, action, values):
    """Fill and send the form whose hidden "actie" is ``action``, as a learner would: type
    in text fields, tick radio buttons, press the button that carries a value."""
    form = page.locator(f"form:has(input[name=actie][value='{action}'])").first
    pressed = None
    for name, value in values.items():
        field = form.locator(f"[name='{name}']")
        kind = field.first.evaluate("(e) => e.tagName + ':' + (e.type || '')")
        if kind == "INPUT:hidden":  # the form carries it already (the message judged)
            assert field.first.get_attribute("value") == value, (action, name)
        elif kind == "INPUT:radio":
            form.locator(f"input[name='{name}'][value='{value}']").check()
        elif kind.startswith("BUTTON"):
            pressed = form.locator(f"button[name='{name}'][value='{value}']")
        else:
            field.fill(value)
    with page.expect_navigation():
        (pressed or form.locator("button[type=submit]").last).click()


@pytest.mark.parametrize("language", ["nl", "ar"])
def test_every_sandbox_screen_fits_390_px_with_extra_large_text(
    page_without_js, live_server, language
):
    page = page_without_js
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 844})
    cookies = [{"name": "weergave", "value": "extra-groot,normaal", "url": live_server.url}]
    if language != "nl":
        cookies.append({"name": "taal", "value": language, "url": live_server.url})
    page.context.add_cookies(cookies)
    lessons = sandbox_lessons()
    assert set(lessons) == set(sandboxes.SCENARIOS), "every scenario is in the demo"
    for key, (lesson, child) in lessons.items():
        page.goto(f"{live_server.url}/leren/oefenapp/{lesson.pk}/{child.id}/")
        send(page, "start", {})
        expect(page.locator("#oefenapp")).to_be_visible()
        fits(page, f"{key}, first screen")
        for number, (action, values) in enumerate(child.block.right_walk(child.value), 1):
            if page.locator("form:has(input[name=actie][value='smartphone'])").count():
                # The QR code for the learner's own smartphone, with its address written out.
                send(page, "smartphone", {})
                expect(page.locator(".pairing-address")).to_be_visible()
                fits(page, f"{key}, the QR code before form {number}")
                send(page, "deze-computer", {})
            send(page, action, values)
            fits(page, f"{key}, after form {number} ({action})")
        assert "sandbox-banner" in page.content()
