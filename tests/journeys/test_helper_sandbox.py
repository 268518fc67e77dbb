"""In Chromium at 390 px: a digihelper with a mandate opens the learner's page and reads
where the learner got stuck in the Oefenbank; axe and the size checks find nothing."""

import uuid

import pytest
from playwright.sync_api import expect

from catalogue.factories import DigipuntFactory
from courses.demo import site_ensure
from courses.factories import LessonPageFactory, ModulePageFactory, sandbox_step, steps
from courses.sandboxes import oefenbank
from learning.factories import LearnerFactory, UserFactory
from learning.models import Digihelper, SandboxRun
from learning.services import mandates
from learning.services import sandboxes as services
from tests.journeys.conftest import new_context
from tests.journeys.helpers import run_axe, size_problems

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
BLOCK = "oefenbank"


def act(learner, lesson, action, **values):
    run = SandboxRun.objects.filter(learner=learner, lesson=lesson).first()
    services.sandbox_submit(
        learner=learner,
        lesson=lesson,
        block_id=BLOCK,
        event_id=uuid.uuid4(),
        action=action,
        data={"scherm": run.state["screen"] if run else "", **values},
    )


def test_helper_sees_the_stuck_step_on_a_phone(browser, live_server, transactional_db, axe_source):
    _home, index = site_ensure()

    module = ModulePageFactory(parent=index, title="Je bankapp", slug="je-bankapp")
    lesson = LessonPageFactory(
        parent=module,
        title="Een overschrijving oefenen",
        slug="overschrijving-oefenen",
        steps=[*steps(1, ()), sandbox_step(block_id=BLOCK)],
    )
    learner = LearnerFactory()
    act(learner, lesson, oefenbank.START)
    act(learner, lesson, oefenbank.LOG_IN, code=oefenbank.USER_CODE)
    act(learner, lesson, oefenbank.NEW_TRANSFER)
    act(learner, lesson, oefenbank.CHECK_TRANSFER, name="Energie Westhoek", amount="900")
    helper = Digihelper.objects.create(
        user=UserFactory(username="helper.an", password="goed-geheim-2026"),
        digipunt=DigipuntFactory(name="Digipunt bib Ieper"),
    )
    mandate = mandates.mandate_grant(learner=learner, helper=helper, label="Maria")

    context = new_context(browser, bypass_csp=True)  # axe is injected as a script
    page = context.new_page()
    page.set_viewport_size(PHONE)
    address = f"/helpers/leerders/{mandate.pk}/"
    page.goto(f"{live_server.url}/mijn/aanmelden/?next={address}")
    page.get_by_label("Gebruikersnaam").fill("helper.an")
    page.get_by_label("Wachtwoord").fill("goed-geheim-2026")
    page.get_by_role("button", name="Aanmelden").click()
    expect(page.get_by_role("heading", name="Oefenapps")).to_be_visible()
    expect(page.get_by_text("Bleef hangen bij: bedrag invullen")).to_be_visible()
    expect(page.get_by_role("rowheader", name="bedrag invullen")).to_be_visible()
    assert run_axe(page, axe_source) == []
    sizes = size_problems(page)
    assert sizes["small"] == [] and sizes["tiny"] == [], sizes
    # Nothing wider than the phone: the table of mistakes fits.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    context.close()
