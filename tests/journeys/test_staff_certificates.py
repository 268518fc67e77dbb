"""In Chromium: an administrator revokes a certificate in the admin, and restores it.

The public check page says "ingetrokken" in between and "echt" again after. axe checks only
our own content in the admin (#certificate-admin): Wagtail's chrome around it is not ours.
"""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from playwright.sync_api import expect

from certificates import codes
from certificates.models import Certificate
from courses.models import ModulePage
from courses.roles import ADMINISTRATOR
from learning.factories import LearnerFactory, UserFactory
from tests.journeys.helpers import run_axe

pytestmark = pytest.mark.browser
OURS = "#certificate-admin"


def administrator_login(page, live_server):
    user = UserFactory(first_name="An", last_name="Beheerder")
    user.groups.add(Group.objects.get(name=ADMINISTRATOR))
    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])


def issued_certificate():
    module = ModulePage.objects.live_dutch().get(slug="je-eid-kaartlezer-en-pincode")
    return Certificate.objects.create(
        learner=LearnerFactory(),
        module=module,
        module_title=module.title,
        competences=list(module.competences),
        level=module.level,
        outcomes=module.outcome_lines,
        name_printed="Marie Peeters",
        code=codes.generate(),
    )


def no_violations(page, axe_source):
    assert run_axe(page, axe_source, include=OURS) == []


def test_administrator_revokes_and_restores_a_certificate(live_server, page_for_axe, axe_source):
    page = page_for_axe
    page.set_viewport_size({"width": 1280, "height": 900})
    certificate = issued_certificate()
    administrator_login(page, live_server)

    page.goto(live_server.url + "/admin/")
    page.get_by_role("link", name="Certificaten").first.click()
    page.get_by_role("link", name=certificate.display_code).click()
    ours = page.locator(OURS)
    expect(ours).to_contain_text("Marie Peeters")
    expect(ours).to_contain_text("Geldig")
    no_violations(page, axe_source)

    ours.get_by_role("link", name="Intrekken").click()
    expect(ours).to_contain_text("zegt de controlepagina dat het ingetrokken is")
    no_violations(page, axe_source)
    # Without a reason nothing happens, and the page says why.
    ours.get_by_role("button", name="Ja, trek dit certificaat in").click()
    expect(ours).to_contain_text("Schrijf waarom. Zonder reden verandert er niets.")
    no_violations(page, axe_source)
    assert not Certificate.objects.get().is_revoked
    ours.get_by_label("Waarom trek je dit certificaat in?").fill("Per vergissing uitgereikt")
    ours.get_by_role("button", name="Ja, trek dit certificaat in").click()
    expect(
        page.get_by_text(f"Certificaat {certificate.display_code} is ingetrokken.")
    ).to_be_visible()
    expect(ours).to_contain_text("Per vergissing uitgereikt")
    expect(ours).to_contain_text("An Beheerder")
    no_violations(page, axe_source)

    ours.get_by_role("link", name="Controlepagina bekijken").click()
    expect(page.get_by_role("heading", name="Dit certificaat is ingetrokken")).to_be_visible()
    page.go_back()

    ours.get_by_role("link", name="Opnieuw geldig maken").click()
    expect(ours).to_contain_text("zegt de controlepagina weer dat het geldig is")
    no_violations(page, axe_source)
    ours.get_by_label("Waarom is dit certificaat opnieuw geldig?").fill("De leerder slaagde wel")
    ours.get_by_role("button", name="Ja, maak dit certificaat opnieuw geldig").click()
    expect(
        page.get_by_text(f"Certificaat {certificate.display_code} is opnieuw geldig.")
    ).to_be_visible()
    expect(ours).to_contain_text("De leerder slaagde wel")
    no_violations(page, axe_source)

    ours.get_by_role("link", name="Controlepagina bekijken").click()
    expect(page.get_by_role("heading", name="Dit certificaat is echt")).to_be_visible()
    assert not Certificate.objects.get().is_revoked
