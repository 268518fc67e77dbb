"""In Chromium: complete a module, type a name, download the certificate, verify it."""

import re

import pytest
from playwright.sync_api import expect

from certificates.models import Certificate
from learning.models import Learner
from tests.certificates.conftest import complete
from tests.journeys.helpers import next_exercise

pytestmark = pytest.mark.browser
EID = "/modules/je-eid-kaartlezer-en-pincode/"


def test_download_and_verify_a_certificate(browser, live_server, page_with_js, settings, tmp_path):
    settings.BADGE_SIGNING_KEY_FILE = tmp_path / "badge-key.pem"
    settings.BADGE_RSA_SIGNING_KEY_FILE = tmp_path / "badge-rsa-key.pem"
    page = page_with_js
    # The first answer gives this browser its learner; the rest of the module is done
    # through the same services the answer form uses, to keep this test about certificates.
    page.goto(live_server.url + EID + "wat-heb-je-nodig/")
    next_exercise(page)
    page.locator("form[data-exercise] input[name=antwoord]").first.check()
    page.get_by_role("button", name="Controleer mijn antwoord").click()
    page.locator("[data-feedback] .feedback").wait_for()
    from courses.models import ModulePage

    complete(
        Learner.objects.get(),
        ModulePage.objects.live_dutch().get(slug="je-eid-kaartlezer-en-pincode"),
    )

    page.goto(live_server.url + EID)
    expect(
        page.get_by_role("heading", name="Proficiat! Je hebt de module afgerond.")
    ).to_be_visible()
    page.get_by_role("link", name="Download je certificaat").click()
    page.get_by_label("Welke naam mag op je certificaat staan?").fill("Marie Peeters")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download je certificaat").click()
    download = download_info.value
    assert re.fullmatch(r"certificaat-[0-9A-Z]{12}\.pdf", download.suggested_filename)
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert saved.read_bytes()[:5] == b"%PDF-"

    certificate = Certificate.objects.get()
    page.goto(live_server.url + "/certificaten/controle/")
    page.get_by_label("Controlecode").fill(certificate.display_code.lower().replace("-", " "))
    page.get_by_role("button", name="Controleer").click()
    expect(page.get_by_role("heading", name="Dit certificaat is echt")).to_be_visible()
    expect(page.get_by_role("cell", name="Marie Peeters")).to_be_visible()
