"""A trainer writes in the lesson editor and the easy-language check follows along.

The trainer types a long sentence that says "u" into step 1; after the editor's autosave
the check shows that sentence first, in full, with its step's title and the "u" marked,
without a reload. "Opnieuw controleren" checks again on request and says so. axe-core
checks the panel's own container (the rest of the editor is Wagtail's).
"""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from courses.models import LessonPage
from courses.roles import TRAINER
from learning.factories import UserFactory
from tests.journeys.helpers import run_axe

pytestmark = pytest.mark.browser

# 35 words, with "u" and "uw": the kind of sentence the check must put first.
LONG_FORMAL = (
    "Als u de brief van de overheid niet begrijpt en u weet niet goed wat u moet doen, "
    "vraag dan hulp aan iemand die u vertrouwt of ga naar het Digipunt in uw eigen gemeente."
)
PANEL = "#easy-language-check"


def trainer_login(page, live_server):
    """A trainer (the group, not a superuser) with a session cookie: no login form to fill."""
    trainer = UserFactory(username="trainer.an")
    trainer.groups.add(Group.objects.get(name=TRAINER))
    client = Client()
    client.force_login(trainer)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])


def test_trainer_sees_the_long_formal_sentence_first_after_autosave(
    live_server, page_for_axe, axe_source
):
    lesson = LessonPage.objects.live_dutch().get(slug="je-pincode")
    page = page_for_axe
    page.set_viewport_size({"width": 1280, "height": 900})  # the admin, on a desktop
    trainer_login(page, live_server)
    page.goto(f"{live_server.url}/admin/pages/{lesson.pk}/edit/")
    panel = page.locator(PANEL)
    panel.wait_for()
    assert "Stap 1: Wat is je pincode?" in panel.inner_text()
    assert LONG_FORMAL not in panel.inner_text()

    # Wagtail's unsaved-changes check takes the form as "unchanged" 2 s after it loads
    # (initialDelayValue): typed sooner, the text counts as the original, and no autosave
    # follows. A trainer reading the page first never meets this; the test must wait.
    page.wait_for_timeout(2500)
    editor = page.locator(".public-DraftEditor-content").first  # step 1's text
    editor.click()
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    page.keyboard.type(LONG_FORMAL)

    # No click: the autosave that follows the typing refreshes the check.
    first = panel.locator("ol.easy-check__sentences > li").first
    first.filter(has_text="vertrouwt").wait_for(timeout=20000)
    text = " ".join(first.inner_text().split())
    assert text.startswith("35 woorden — stap 1: Wat is je pincode?"), text
    assert LONG_FORMAL in text
    assert panel.get_attribute("data-easy-check-refreshed")  # by the script, not a reload
    assert first.locator("mark").all_inner_texts() == ["u", "u", "u", "u", "uw"]
    warning = panel.get_by_text("Je spreekt de leerder aan met 'u' of 'uw'.")
    assert warning.is_visible()
    assert "Schrijf 'je' en 'jouw'" in warning.inner_text()
    formal = panel.locator("ul.easy-check__sentences > li").first
    assert "stap 1: Wat is je pincode?" in formal.inner_text()

    # On request too, announced in the status line.
    panel.get_by_role("link", name="Opnieuw controleren").click()
    panel.get_by_role("status").filter(has_text="De controle is bijgewerkt.").wait_for()
    assert page.url.endswith(f"/admin/pages/{lesson.pk}/edit/")  # no reload: edits stay
    assert LONG_FORMAL in panel.inner_text()

    violations = run_axe(page, axe_source, include=PANEL)
    assert violations == [], violations
