"""axe-core in the help languages (Arabic right to left, a translation opened beside the
Dutch) and in the admin's lesson editor, where trainers write."""

import pytest
from django.contrib.auth.models import Group

from courses import demo
from courses.models import LessonPage
from courses.roles import TRAINER
from learning.factories import UserFactory
from tests.journeys.helpers import run_axe, size_problems

pytestmark = pytest.mark.browser
LESSON = "/modules/je-eid-kaartlezer-en-pincode/wat-heb-je-nodig/"


def check(page, axe_source, label, *, sizes=True):
    assert page.title().strip(), label
    violations = run_axe(page, axe_source)
    assert violations == [], f"{label}: {violations}"
    if sizes:
        found = size_problems(page)
        assert found["small"] == [], f"{label}: tap targets under 44 px: {found['small']}"
        assert found["tiny"] == [], f"{label}: text under 18 px: {found['tiny']}"


def choose_language(page, base, name):
    page.goto(base + "/taal/")
    page.get_by_role("button", name=name, exact=True).click()  # one tap saves it


def test_arabic_pages_run_right_to_left_and_pass_axe(live_server, page_for_axe, axe_source):
    demo.translations_load(languages={"ar"}, lessons={"wat-heb-je-nodig"})
    page = page_for_axe
    base = live_server.url
    page.goto(base + "/")
    page.get_by_role("link", name="Taal").click()
    # Until the new page has loaded its title can still be empty (seen on a busy machine).
    page.wait_for_url("**/taal/**")
    check(page, axe_source, "language choice")
    choose_language(page, base, "العربية")
    page.goto(base + "/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ar"
    check(page, axe_source, "home in Arabic")
    page.goto(base + LESSON)
    assert page.locator("section.step").get_attribute("lang") == "nl-BE"
    summary = page.locator("details.translation summary")
    summary.click()
    body = page.locator(".translation-body")
    assert body.is_visible()
    assert body.get_attribute("dir") == "rtl" and body.get_attribute("lang") == "ar"
    check(page, axe_source, "lesson in Arabic with the translation open")
    page.goto(base + "/woordenlijst/")
    check(page, axe_source, "glossary in Arabic")


def test_french_translation_beside_the_dutch_without_javascript(
    live_server, page_without_js, axe_source
):
    demo.translations_load(languages={"fr"}, lessons={"wat-heb-je-nodig"})
    translated = LessonPage.objects.get(slug="wat-heb-je-nodig", locale__language_code="fr")
    page = page_without_js
    base = live_server.url
    choose_language(page, base, "Français")
    page.goto(base + LESSON)
    assert page.locator("html").get_attribute("lang") == "fr"
    dutch_title = page.locator("#stap-titel").inner_text()
    page.locator("details.translation summary").click()  # native disclosure: no script
    french = page.locator(".translation-body").inner_text()
    assert translated.steps[0].value["title"] in french
    assert dutch_title not in french
    assert page.locator("#stap-titel").inner_text() == dutch_title  # the Dutch stays


def test_admin_lesson_editor_passes_axe(live_server, page_for_axe, axe_source):
    user = UserFactory(username="trainer.eva", password="schrijf-goed-2026")
    user.groups.add(Group.objects.get(name=TRAINER))
    lesson = LessonPage.objects.live_dutch().get(slug="wat-heb-je-nodig")
    page = page_for_axe
    base = live_server.url
    page.goto(base + "/admin/login/")
    page.locator("input[name=username]").fill("trainer.eva")
    page.locator("input[name=password]").fill("schrijf-goed-2026")
    page.locator("button[type=submit]").click()
    page.goto(base + f"/admin/pages/{lesson.pk}/edit/")
    page.locator("form#page-edit-form").wait_for()
    # The admin is Wagtail's own UI for staff on desktops: the learner size rules do not
    # apply there, the WCAG 2.2 AA rules do.
    check(page, axe_source, "admin lesson editor", sizes=False)
