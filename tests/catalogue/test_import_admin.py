"""The admin's "Catalogus importeren" over HTTP: upload -> preview -> Toepassen -> result."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from catalogue.models import CatalogueEntry, ImportRun
from learning.factories import UserFactory
from tests.catalogue import test_import_helpers as helpers
from tests.catalogue.test_import_helpers import csv_bytes, row

pytestmark = pytest.mark.django_db
places = helpers.places  # the fixture
roles = helpers.roles  # the fixture


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


def upload(client, organisation, content, *, name="aanbod.csv", scope="full"):
    return client.post(
        "/admin/aanbod-importeren/",
        {
            "organisation": organisation.pk,
            "file": SimpleUploadedFile(name, content, content_type="text/csv"),
            "scope": scope,
        },
    )


def count(html, name) -> int:
    return int(re.search(rf'data-count="{name}">(\d+)<', html)[1])


def test_upload_preview_apply(admin_client, places):
    page = admin_client.get("/admin/aanbod-importeren/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'enctype="multipart/form-data"' in html and "CVO Westhoek" in html
    assert "Catalogus importeren" in admin_client.get("/admin/").content.decode()

    content = csv_bytes(
        [row(), row(code="BIB-2", titel="Laptop lenen", soort="lenen")], delimiter=";"
    )
    response = upload(admin_client, places["library"], content)
    assert response.status_code == 302
    run = ImportRun.objects.get()
    assert response.url == f"/admin/aanbod-importeren/{run.pk}/"
    assert not CatalogueEntry.objects.exists()  # only the preview so far

    html = admin_client.get(response.url).content.decode()
    assert count(html, "created") == 2 and count(html, "bad") == 0
    assert "Laptop lenen" in html and "nieuw" in html
    assert "Nieuw en aangepast aanbod wordt meteen gepubliceerd." in html
    assert f'action="/admin/aanbod-importeren/{run.pk}/toepassen/"' in html

    applied = admin_client.post(f"/admin/aanbod-importeren/{run.pk}/toepassen/", follow=True)
    html = applied.content.decode()
    assert "Toegepast: 2 nieuw, 0 aangepast, 0 ingetrokken, 0 niet veranderd." in html
    assert "Toegepast op" in html and "toepassen/" not in html
    assert set(CatalogueEntry.objects.values_list("status", flat=True)) == {"published"}
    # the entries are in the admin listing
    assert "Laptop lenen" in admin_client.get("/admin/aanbod/").content.decode()

    # The same file again: all unchanged, and applying writes nothing new.
    before = list(CatalogueEntry.objects.values_list("pk", "updated_at"))
    response = upload(admin_client, places["library"], content)
    html = admin_client.get(response.url).content.decode()
    assert count(html, "unchanged") == 2 and count(html, "created") == 0
    assert "Er verandert niets" in html
    run = ImportRun.objects.latest("pk")
    admin_client.post(f"/admin/aanbod-importeren/{run.pk}/toepassen/")
    assert list(CatalogueEntry.objects.values_list("pk", "updated_at")) == before


def test_bad_rows_are_listed_and_nothing_can_be_applied(admin_client, places):
    content = csv_bytes([row(), row(code="BIB-2", prijs="-3", datums="12/01/2027 16:00-14:00")])
    response = upload(admin_client, places["library"], content)
    html = admin_client.get(response.url).content.decode()
    assert "Regel 3, kolom prijs" in html and "Een prijs kan niet negatief zijn" in html
    assert "Regel 3, kolom datums" in html and "Het einde ligt voor het begin" in html
    assert count(html, "bad") == 1 and count(html, "created") == 1
    assert "toepassen/" not in html
    run = ImportRun.objects.get()
    refused = admin_client.post(f"/admin/aanbod-importeren/{run.pk}/toepassen/", follow=True)
    assert "Er staan fouten in het bestand" in refused.content.decode()
    assert not CatalogueEntry.objects.exists()


def test_a_file_that_is_not_csv_or_json_is_refused_in_the_form(admin_client, places):
    response = upload(admin_client, places["library"], b"PK\x03\x04", name="aanbod.xlsx")
    assert response.status_code == 200
    assert "Kies een CSV- of JSON-bestand." in response.content.decode()
    assert not ImportRun.objects.exists()


def test_missing_columns_show_one_clear_error(admin_client, places):
    content = csv_bytes([row()], columns=["code", "titel"])
    response = upload(admin_client, places["library"], content)
    html = admin_client.get(response.url).content.decode()
    assert "Deze kolommen ontbreken: uitleg, soort, prijs." in html
    assert "1 fout in het bestand" in html


def test_templates_download(admin_client):
    response = admin_client.get("/admin/aanbod-importeren/catalogus-sjabloon.csv")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content).startswith(b"\xef\xbb\xbfcode;titel;uitleg")
    assert admin_client.get("/admin/aanbod-importeren/catalogus-sjabloon.json").status_code == 200
    assert admin_client.get("/admin/aanbod-importeren/settings.py").status_code == 404


def test_adding_is_the_default_and_a_full_replace_must_confirm_its_count(admin_client, places):
    """Five new courses must not withdraw the rest by accident (issue 16)."""
    html = admin_client.get("/admin/aanbod-importeren/").content.decode()
    assert re.search(r'value="partial"[^>]*checked', html), "adding is the default"
    first = csv_bytes([row(), row(code="BIB-2", titel="Laptop lenen", soort="lenen")])
    run = ImportRun.objects.get(
        pk=int(upload(admin_client, places["library"], first).url.split("/")[-2])
    )
    admin_client.post(f"/admin/aanbod-importeren/{run.pk}/toepassen/")
    assert CatalogueEntry.objects.filter(withdrawn_at__isnull=True).count() == 2

    only_new = csv_bytes([row(code="BIB-3", titel="Tablet lenen", soort="lenen")])
    response = upload(admin_client, places["library"], only_new, scope="full")
    html = admin_client.get(response.url).content.decode()
    assert count(html, "withdrawn") == 2 and 'name="intrekken" value="2"' in html
    assert "Ja, haal deze 2 cursussen uit het aanbod." in html
    run = ImportRun.objects.latest("pk")
    apply_url = f"/admin/aanbod-importeren/{run.pk}/toepassen/"
    for confirmed in ({}, {"intrekken": "1"}):  # not ticked, or a stale count
        refused = admin_client.post(apply_url, confirmed, follow=True)
        assert "Vink eerst het vakje aan" in refused.content.decode()
        assert CatalogueEntry.objects.filter(withdrawn_at__isnull=True).count() == 2
    admin_client.post(apply_url, {"intrekken": "2"})
    assert list(
        CatalogueEntry.objects.filter(withdrawn_at__isnull=True).values_list(
            "external_id", flat=True
        )
    ) == ["BIB-3"]


def test_the_current_offer_downloads_in_the_import_format_and_changes_nothing(admin_client, places):
    content = csv_bytes(
        [
            row(),
            row(code="BIB-2", titel="Laptop lenen", soort="lenen", prijs="12,50"),
            row(code="BIB-3", titel="Tablet lenen", soort="lenen"),
        ]
    )
    run_url = upload(admin_client, places["library"], content).url
    admin_client.post(f"{run_url}toepassen/")
    page = admin_client.get("/admin/aanbod-importeren/").content.decode()
    address = f"/admin/aanbod-importeren/huidig-aanbod/{places['library'].pk}/"
    assert address in page
    download = admin_client.get(address)
    assert download.status_code == 200 and "attachment" in download["Content-Disposition"]
    # Uploaded again as the whole offer: a round trip that changes nothing.
    response = upload(admin_client, places["library"], download.content, scope="full")
    html = admin_client.get(response.url).content.decode()
    assert count(html, "unchanged") == 3, html[:3000]
    assert count(html, "created") == count(html, "withdrawn") == count(html, "bad") == 0
    assert "Er verandert niets" in html


def test_a_partner_downloads_only_their_own_offer(client, places, roles):
    client.force_login(helpers.partner_editor(places["library"], roles))
    own = client.get(f"/admin/aanbod-importeren/huidig-aanbod/{places['library'].pk}/")
    other = client.get(f"/admin/aanbod-importeren/huidig-aanbod/{places['cvo'].pk}/")
    assert own.status_code == 200 and other.status_code == 404
