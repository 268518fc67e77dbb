"""Partner editors reach only their own organisation's entries and imports; only reviewers
and administrators publish."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from catalogue import services
from catalogue.models import CatalogueEntry, ImportRun
from courses.roles import REVIEWER, TRAINER
from tests.catalogue import test_import_helpers as helpers
from tests.catalogue.test_import_helpers import (
    csv_bytes,
    partner_editor,
    row,
    staff,
)

pytestmark = pytest.mark.django_db
places = helpers.places  # the fixture
roles = helpers.roles  # the fixture


@pytest.fixture
def two_partners(places, roles):
    library, cvo = places["library"], places["cvo"]
    for organisation, code, title in ((library, "A-1", "Café van A"), (cvo, "B-1", "Cursus van B")):
        run = services.catalogue_import_preview(
            organisation=organisation,
            filename="aanbod.csv",
            content=csv_bytes([row(code=code, titel=title)]),
        )
        services.catalogue_import_apply(run=run)
    return {
        "a": partner_editor(library, roles),
        "b": partner_editor(cvo, roles),
        "entry_a": CatalogueEntry.objects.get(external_id="A-1"),
        "entry_b": CatalogueEntry.objects.get(external_id="B-1"),
        **places,
    }


def listing(client) -> str:
    html = client.get("/admin/aanbod/").content.decode()
    start = html.index("<main")
    return html[start:]


def entry_form(entry, **changes):
    data = {
        "organisation": entry.organisation_id,
        "external_id": entry.external_id,
        "title": entry.title,
        "summary": entry.summary,
        "kind": entry.kind,
        "competences": entry.competences,
        "level": entry.level or "",
        "language": entry.language,
        "price": "gratis",
        "digipunt": entry.digipunt_id or "",
        "address": entry.address,
        "municipality": entry.municipality_id or "",
        "online": "",
        "signup": entry.signup,
        "url": entry.url,
        "accessibility": entry.accessibility,
        "dates": "12/01/2027 14:00-16:00\n26/01/2027 14:00-16:00",
    }
    data.update(changes)
    return data


def test_partner_sees_only_their_own_entries(client, two_partners):
    client.force_login(two_partners["a"])
    html = listing(client)
    assert "Café van A" in html and "Cursus van B" not in html
    # the partner filter offers only their own organisation
    assert "CVO Westhoek" not in html
    searched = client.get("/admin/aanbod/", {"q": "Cursus"}).content.decode()
    assert "Cursus van B" not in searched


def test_another_partners_entry_is_a_404(client, two_partners):
    client.force_login(two_partners["a"])
    other = two_partners["entry_b"].pk
    assert client.get(f"/admin/aanbod/edit/{other}/").status_code == 404
    response = client.post(
        f"/admin/aanbod/edit/{other}/", entry_form(two_partners["entry_b"], title="Gekaapt")
    )
    assert response.status_code == 404
    assert CatalogueEntry.objects.get(pk=other).title == "Cursus van B"
    assert client.get(f"/admin/aanbod/delete/{other}/").status_code in (403, 404)
    assert client.get(f"/admin/aanbod/history/{other}/").status_code == 404
    assert CatalogueEntry.objects.filter(pk=other).exists()


def test_partner_edits_their_own_entry_and_it_becomes_a_draft(client, two_partners):
    entry = two_partners["entry_a"]
    assert entry.status == "published"
    client.force_login(two_partners["a"])
    form = client.get(f"/admin/aanbod/edit/{entry.pk}/").content.decode()
    assert "12/01/2027 14:00-16:00" in form and "CVO Westhoek" not in form
    response = client.post(
        f"/admin/aanbod/edit/{entry.pk}/",
        entry_form(
            entry, title="Café van A, nieuw", price="€ 2,50", dates="02/02/2027 10:00-12:00"
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    entry.refresh_from_db()
    assert entry.title == "Café van A, nieuw" and entry.price_cents == 250
    assert entry.status == "draft"
    assert [s.starts_at.isoformat() for s in entry.sessions.all()] == ["2027-02-02T09:00:00+00:00"]


def test_partner_cannot_move_an_entry_or_add_one_for_another_partner(client, two_partners):
    entry = two_partners["entry_a"]
    client.force_login(two_partners["a"])
    response = client.post(
        f"/admin/aanbod/edit/{entry.pk}/",
        entry_form(entry, organisation=two_partners["cvo"].pk),
    )
    assert response.status_code == 200  # the form with an error
    assert CatalogueEntry.objects.get(pk=entry.pk).organisation == two_partners["library"]
    response = client.post(
        "/admin/aanbod/new/",
        entry_form(entry, organisation=two_partners["cvo"].pk, external_id="NEW"),
    )
    assert response.status_code == 200
    assert not CatalogueEntry.objects.filter(external_id="NEW").exists()


def test_partner_imports_only_into_their_own_organisation(client, two_partners):
    client.force_login(two_partners["a"])
    page = client.get("/admin/aanbod-importeren/").content.decode()
    assert "Bibliotheek Ieper" in page and "CVO Westhoek" not in page
    runs = ImportRun.objects.count()
    response = client.post(
        "/admin/aanbod-importeren/",
        {
            "organisation": two_partners["cvo"].pk,
            "file": SimpleUploadedFile("aanbod.csv", csv_bytes([row(code="B-2")])),
            "scope": "full",
        },
    )
    assert response.status_code == 200
    assert "Kies een partner uit de lijst." in response.content.decode()
    assert ImportRun.objects.count() == runs
    with pytest.raises(PermissionDenied):
        services.catalogue_import_preview(
            organisation=two_partners["cvo"],
            filename="aanbod.csv",
            content=csv_bytes([row(code="B-2")]),
            user=two_partners["a"],
        )


def test_partner_cannot_see_or_apply_another_partners_import(client, two_partners):
    run_b = services.catalogue_import_preview(
        organisation=two_partners["cvo"],
        filename="b.csv",
        content=csv_bytes([row(code="B-1", titel="Nieuw van B")]),
        user=two_partners["b"],
    )
    client.force_login(two_partners["a"])
    assert client.get(f"/admin/aanbod-importeren/{run_b.pk}/").status_code == 404
    assert client.post(f"/admin/aanbod-importeren/{run_b.pk}/toepassen/").status_code == 404
    assert ImportRun.objects.get(pk=run_b.pk).applied_at is None
    with pytest.raises(PermissionDenied):
        services.catalogue_import_apply(run=run_b, user=two_partners["a"])


def test_only_reviewers_publish(client, two_partners, roles):
    entry = two_partners["entry_a"]
    CatalogueEntry.objects.filter(pk=entry.pk).update(status="draft")
    client.force_login(two_partners["a"])
    edit = client.get(f"/admin/aanbod/edit/{entry.pk}/").content.decode()
    assert f"/admin/aanbod/publish/{entry.pk}/" not in edit
    refused = client.post(f"/admin/aanbod/publish/{entry.pk}/")
    assert (refused.status_code, refused.url) == (302, "/admin/")  # Wagtail's "no permission"
    assert CatalogueEntry.objects.get(pk=entry.pk).status == "draft"

    client.force_login(staff(REVIEWER, roles))
    assert "Café van A" in listing(client) and "Cursus van B" in listing(client)
    edit = client.get(f"/admin/aanbod/edit/{entry.pk}/").content.decode()
    assert f"/admin/aanbod/publish/{entry.pk}/" in edit
    assert client.get(f"/admin/aanbod/publish/{entry.pk}/").status_code == 200
    response = client.post(f"/admin/aanbod/publish/{entry.pk}/")
    assert response.status_code == 302
    assert CatalogueEntry.objects.get(pk=entry.pk).status == "published"


def test_who_sees_the_menu_and_the_pages(client, two_partners, roles):
    client.force_login(two_partners["a"])
    assert "Catalogus importeren" in client.get("/admin/").content.decode()

    trainer = staff(TRAINER, roles)
    client.force_login(trainer)
    assert "Catalogus importeren" not in client.get("/admin/").content.decode()
    assert client.get("/admin/aanbod-importeren/").status_code == 302
    assert client.get("/admin/aanbod/").status_code == 302

    # In the group but not linked to an organisation: sees nothing, imports nothing.
    from catalogue.services import PARTNER_EDITOR

    unlinked = staff(PARTNER_EDITOR, roles)
    client.force_login(unlinked)
    refused = client.get("/admin/aanbod-importeren/")
    assert (refused.status_code, refused.url) == (302, "/admin/")
    html = listing(client)
    assert "Café van A" not in html and "Cursus van B" not in html
