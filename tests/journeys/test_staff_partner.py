"""A partner editor downloads their current offer and uploads it again: nothing changes.

The partner's day-to-day task in Chromium: "Download het huidige aanbod", upload that same
file as the whole offer ("Ons hele aanbod"), read the preview ("Er verandert niets"),
apply it, and find every entry as it was. axe checks the import screens' own content.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from catalogue.models import CatalogueEntry
from tests.catalogue import test_import_helpers as helpers
from tests.catalogue.test_import_helpers import csv_bytes, partner_editor, row
from tests.journeys.conftest import new_context
from tests.journeys.helpers import run_axe

pytestmark = pytest.mark.browser
places = helpers.places  # the fixtures
roles = helpers.roles
FIELDS = [
    "external_id",
    "title",
    "kind",
    "price_cents",
    "status",
    "summary",
    "withdrawn_at",
    "updated_at",
]


@pytest.fixture
def partner_with_offer(transactional_db, places, roles):
    editor = partner_editor(places["library"], roles)
    client = Client()
    client.force_login(editor)
    content = csv_bytes(
        [
            row(),
            row(code="BIB-2", titel="Laptop lenen", soort="lenen", prijs="12,50"),
            row(code="BIB-3", titel="Tablet lenen", soort="lenen"),
        ]
    )
    upload = client.post(
        "/admin/aanbod-importeren/",
        {
            "organisation": places["library"].pk,
            "file": SimpleUploadedFile("aanbod.csv", content, "text/csv"),
            "scope": "partial",
        },
    )
    assert upload.status_code == 302, upload.content.decode()[:2000]
    client.post(f"{upload.url}toepassen/")
    assert CatalogueEntry.objects.filter(organisation=places["library"]).count() == 3
    return editor, client.cookies["sessionid"].value


def offer(organisation):
    return list(
        CatalogueEntry.objects.filter(organisation=organisation)
        .order_by("external_id")
        .values(*FIELDS)
    )


def test_partner_downloads_and_reimports_their_offer_and_nothing_changes(
    browser, live_server, partner_with_offer, places, axe_source, tmp_path
):
    _editor, session = partner_with_offer
    before = offer(places["library"])
    context = new_context(browser, javascript=True, bypass_csp=True)
    context.set_default_timeout(15000)
    context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
    page = context.new_page()
    page.set_viewport_size({"width": 1280, "height": 900})

    page.goto(f"{live_server.url}/admin/aanbod-importeren/")
    with page.expect_download() as waiting:
        page.get_by_role("link", name="Download het huidige aanbod van Bibliotheek Ieper").click()
    saved = tmp_path / waiting.value.suggested_filename
    waiting.value.save_as(saved)
    assert saved.suffix == ".csv" and "Laptop lenen" in saved.read_text(encoding="utf-8-sig")

    # "Alleen nieuw of aangepast" is chosen already; the partner picks the whole offer.
    assert page.get_by_label("Alleen nieuw of aangepast aanbod", exact=False).is_checked()
    page.get_by_label("Ons hele aanbod", exact=False).check()
    page.locator("input[type=file]").set_input_files(saved)
    assert run_axe(page, axe_source, include="main form") == []
    page.get_by_role("button", name="Bekijk wat er verandert").click()
    page.get_by_text("Er verandert niets: alles in het bestand staat er al zo.").wait_for()
    assert run_axe(page, axe_source, include="main .nice-padding") == []
    page.get_by_role("button", name="Toepassen").click()
    page.wait_for_load_state()
    assert offer(places["library"]) == before
    context.close()
