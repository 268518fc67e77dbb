"""A trainer writes a lesson in the admin, previews it, and sends the module to review.

The trainer's main task from start to end in Chromium, then the reviewer approves what
the trainer sent, and a learner sees the lesson. axe checks what this project added to
the admin ("Begin hier", the submit-with-lessons button), not Wagtail's own screens.
"""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from courses.demo import site_ensure
from courses.factories import ModulePageFactory
from courses.models import LessonPage, ModulePage
from courses.roles import REVIEWER, TRAINER, roles_ensure
from learning.factories import UserFactory
from tests.journeys.conftest import new_context
from tests.journeys.helpers import run_axe
from tests.journeys.test_h5p import close_quietly, tracked_context

pytestmark = pytest.mark.browser
WIDE = {"width": 1280, "height": 900}
STEP_TEXT = "Zoek het icoon van je bank op je scherm. Tik erop."


@pytest.fixture
def draft_module(transactional_db):
    home, index = site_ensure()
    roles_ensure(tree_root=home)
    module = ModulePageFactory(parent=index, title="Je bankapp", slug="je-bankapp")
    module.unpublish()
    return ModulePage.objects.get(pk=module.pk)


def staff(role, name):
    user = UserFactory(username=name)
    user.groups.add(Group.objects.get(name=role))
    return user


def signed_in(browser, live_server, user, *, bypass_csp=False):
    client = Client()
    client.force_login(user)
    context = tracked_context(browser, bypass_csp=bypass_csp)
    context.set_default_timeout(15000)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    page.set_viewport_size(WIDE)
    return context, page


def visible_errors(page):
    return page.evaluate(
        """() => [...document.querySelectorAll(
                '.help-critical, .error-message, .w-field__errors, [role=alert]')]
            .filter(el => el.offsetParent !== null && el.innerText.trim())
            .map(el => el.innerText.trim())"""
    )


def test_trainer_writes_previews_and_submits_reviewer_publishes(
    browser, live_server, draft_module, axe_source
):
    module = draft_module
    trainer = staff(TRAINER, "trainer")
    context, page = signed_in(browser, live_server, trainer, bypass_csp=True)

    # The admin opens on "Begin hier", with the guide at hand.
    page.goto(f"{live_server.url}/admin/")
    panel = page.locator("section", has=page.get_by_role("heading", name="Begin hier"))
    panel.wait_for()
    assert panel.get_by_role("link", name="Lees de gids voor trainers").is_visible()
    assert run_axe(page, axe_source, include="#begin-hier-content") == []
    panel.get_by_role("link", name="Lees de gids voor trainers").click()
    page.get_by_role("heading", name="Writing a module: a guide for trainers").wait_for()

    # A new lesson under the module: the form is ready, no error before the first keystroke.
    page.goto(f"{live_server.url}/admin/pages/add/courses/lessonpage/{module.pk}/")
    page.locator("#id_title").wait_for()
    page.wait_for_timeout(500)
    assert visible_errors(page) == []
    page.fill("#id_title", "Je app openen")
    page.get_by_label("Titel van de stap").first.fill("Open de app")
    editor = page.locator("[data-contentpath=body] [contenteditable=true]").first
    editor.click()
    editor.press_sequentially(STEP_TEXT)
    # Draftail writes the hidden field a moment after the last keystroke.
    page.wait_for_function(
        "(text) => [...document.querySelectorAll('input[name$=-value]')]"
        ".some(i => i.value.includes(text))",
        arg=STEP_TEXT,
    )
    page.get_by_role("button", name="Bewaar concept").click()
    page.wait_for_url("**/edit/**")
    lesson = LessonPage.objects.get(title="Je app openen")
    assert not lesson.live
    # The module is not published yet: the lesson says so.
    page.get_by_text("De module 'Je bankapp' is nog niet gepubliceerd").wait_for()

    # The live preview beside the editor shows the step as a learner will see it.
    page.locator("[data-side-panel-toggle=preview]").click()
    preview = page.frame_locator("#w-preview-iframe")
    preview.get_by_text(STEP_TEXT).wait_for(timeout=15000)
    assert preview.get_by_role("heading", name="Open de app").count() >= 1

    # The module and its lesson go to review together.
    page.goto(f"{live_server.url}/admin/pages/{module.pk}/edit/")
    page.get_by_role("button", name="Meer acties").click()
    send = page.get_by_role("button", name="Module en 1 les laten nakijken")
    send.wait_for()
    # The menu fades in: axe measures contrast mid-fade unless it waits for full opacity.
    page.wait_for_function(
        """() => {
            let el = document.querySelector('button[value="met-lessen"]');
            for (; el; el = el.parentElement) {
                if (parseFloat(getComputedStyle(el).opacity) < 1) { return false; }
            }
            return true;
        }"""
    )
    assert run_axe(page, axe_source, include="footer") == []
    send.click()
    page.get_by_text("Ook 1 les wacht nu op nakijken: Je app openen.").wait_for()
    assert ModulePage.objects.get(pk=module.pk).workflow_in_progress
    assert LessonPage.objects.get(pk=lesson.pk).workflow_in_progress
    close_quietly(context)

    # The reviewer approves both from the editor's own workflow action.
    reviewer = staff(REVIEWER, "reviewer")
    context, page = signed_in(browser, live_server, reviewer)
    for item in (module, lesson):
        page.goto(f"{live_server.url}/admin/pages/{item.pk}/edit/")
        page.get_by_role("button", name="Meer acties").click()
        page.locator("button[data-workflow-action-name=approve]").first.click()
        dialog = page.get_by_role("dialog")
        if dialog.count() and dialog.first.is_visible():  # "approve with comment" asks first
            dialog.get_by_role("button").filter(has_text="oedkeuren").last.click()
        page.wait_for_load_state()
        for _tick in range(50):
            if type(item).objects.get(pk=item.pk).live:
                break
            page.wait_for_timeout(100)
        assert type(item).objects.get(pk=item.pk).live, item
    close_quietly(context)

    # A learner opens the lesson.
    context = new_context(browser)
    learner = context.new_page()
    learner.goto(live_server.url + LessonPage.objects.get(pk=lesson.pk).url)
    learner.get_by_text(STEP_TEXT).wait_for()
    context.close()
