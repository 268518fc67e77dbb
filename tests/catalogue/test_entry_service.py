"""One entry's rules, the same from the import and from the admin form
(catalogue/services.py): where it takes place, how its dates are replaced, and how its
price is written."""

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from catalogue import columns, rules, services
from catalogue.factories import DigipuntFactory
from catalogue.models import CatalogueEntry, CatalogueSession
from tests.catalogue import test_import_helpers as helpers
from tests.catalogue import test_partner_permissions as permissions
from tests.catalogue.test_import_helpers import csv_bytes, row
from tests.catalogue.test_partner_permissions import entry_form

pytestmark = pytest.mark.django_db
places = helpers.places  # the fixture
roles = helpers.roles  # the fixture
two_partners = permissions.two_partners  # the fixture

NOWHERE = "Waar gaat het door?"


def run_import(organisation, rows):
    run = services.catalogue_import_preview(
        organisation=organisation, filename="aanbod.csv", content=csv_bytes(rows)
    )
    assert run.errors == []
    return services.catalogue_import_apply(run=run)


def session_ids(entry) -> list[int]:
    return sorted(CatalogueSession.objects.filter(entry=entry).values_list("pk", flat=True))


def session_starts(entry) -> list[str]:
    return [session.starts_at.isoformat() for session in entry.sessions.order_by("starts_at")]


# --- where it takes place ---------------------------------------------------------------------


def test_the_place_rule():
    def place(digipunt, municipality, online=False):
        return rules.catalogue_entry_place(
            digipunt_municipality_id=digipunt, municipality_id=municipality, online=online
        )

    assert place(digipunt=1, municipality=2) == 2  # the partner's own choice wins
    assert place(digipunt=1, municipality=None) == 1  # else where the Digipunt is
    assert place(digipunt=None, municipality=None, online=True) is None
    with pytest.raises(rules.PlaceUnknown):
        place(digipunt=None, municipality=None)


def test_import_lists_an_entry_at_a_digipunt_under_the_digipunts_municipality(places):
    run_import(
        places["library"],
        [
            row(code="AT-DIGIPUNT", digipunt="Bibliotheek Ieper", gemeente=""),
            row(code="OWN-CHOICE", digipunt="Bibliotheek Ieper", gemeente="Poperinge"),
            row(code="ONLINE", digipunt="", gemeente="", online="ja"),
        ],
    )
    municipality = dict(CatalogueEntry.objects.values_list("external_id", "municipality"))
    assert municipality == {
        "AT-DIGIPUNT": places["ieper"].pk,
        "OWN-CHOICE": places["poperinge"].pk,
        "ONLINE": None,
    }


def test_import_refuses_a_row_that_takes_place_nowhere(places):
    run = services.catalogue_import_preview(
        organisation=places["library"],
        filename="aanbod.csv",
        content=csv_bytes(
            [
                row(code="NOWHERE", digipunt="", gemeente="", online="nee"),
                # An unknown Digipunt has its own error; "where" is not asked again.
                row(code="UNKNOWN", digipunt="Nergens", gemeente="", online="nee"),
            ]
        ),
    )
    assert [(error["line"], error["field"]) for error in run.errors] == [
        (2, "gemeente"),
        (3, "digipunt"),
    ]
    assert run.errors[0]["message"].startswith(NOWHERE)


def test_admin_form_lists_an_entry_at_a_digipunt_under_the_digipunts_municipality(
    client, two_partners
):
    entry = two_partners["entry_a"]
    proven = DigipuntFactory(
        organisation=two_partners["library"],
        name="Digipunt Proven",
        municipality=two_partners["poperinge"],
    )
    client.force_login(two_partners["a"])
    response = client.post(
        f"/admin/aanbod/edit/{entry.pk}/",
        entry_form(entry, digipunt=proven.pk, municipality=""),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    entry.refresh_from_db()
    assert (entry.digipunt, entry.municipality) == (proven, two_partners["poperinge"])


def test_admin_form_refuses_an_entry_that_takes_place_nowhere(client, two_partners):
    entry = two_partners["entry_a"]
    client.force_login(two_partners["a"])
    response = client.post(
        f"/admin/aanbod/edit/{entry.pk}/",
        entry_form(entry, title="Nergens", digipunt="", municipality="", online=""),
    )
    assert response.status_code == 200
    assert NOWHERE in response.content.decode()
    assert CatalogueEntry.objects.get(pk=entry.pk).title == "Café van A"


def test_the_service_applies_the_place_rule_without_the_form(places):
    entry = CatalogueEntry(
        organisation=places["library"],
        external_id="X-1",
        title="Zonder formulier",
        summary="Uitleg.",
        kind="workshop",
        digipunt=places["digipunt"],
    )
    services.catalogue_entry_save(entry=entry, sessions=[])
    assert CatalogueEntry.objects.get(external_id="X-1").municipality == places["ieper"]

    nowhere = CatalogueEntry(
        organisation=places["library"],
        external_id="X-2",
        title="Nergens",
        summary="Uitleg.",
        kind="workshop",
    )
    with pytest.raises(rules.PlaceUnknown):
        services.catalogue_entry_save(entry=nowhere, sessions=[])
    assert not CatalogueEntry.objects.filter(external_id="X-2").exists()


def test_the_service_refuses_another_organisations_entry(two_partners):
    entry = two_partners["entry_b"]
    entry.title = "Gekaapt"
    with pytest.raises(PermissionDenied):
        services.catalogue_entry_save(entry=entry, sessions=[], user=two_partners["a"])
    assert CatalogueEntry.objects.get(pk=entry.pk).title == "Cursus van B"


# --- the dates ---------------------------------------------------------------------------------


def test_import_keeps_unchanged_dates_and_replaces_changed_ones(places):
    run_import(places["library"], [row()])
    entry = CatalogueEntry.objects.get(external_id="BIB-1")
    before = session_ids(entry)
    assert len(before) == 2

    run = run_import(places["library"], [row(titel="Digitaal Café, nieuw")])
    assert run.changed == 1
    assert session_ids(entry) == before  # the calendar events stay the same events

    run_import(places["library"], [row(datums="12/01/2027 14:00-16:00 | 02/02/2027 10:00-12:00")])
    assert session_starts(entry) == ["2027-01-12T13:00:00+00:00", "2027-02-02T09:00:00+00:00"]
    assert not set(session_ids(entry)) & set(before)  # every date of the entry is new


def test_admin_form_keeps_unchanged_dates_and_replaces_changed_ones(client, two_partners):
    entry = two_partners["entry_a"]  # imported with 12/01 and 26/01, as entry_form's dates
    before = session_ids(entry)
    client.force_login(two_partners["a"])
    url = f"/admin/aanbod/edit/{entry.pk}/"

    response = client.post(url, entry_form(entry, title="Café van A, nieuw"))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert session_ids(entry) == before

    response = client.post(url, entry_form(entry, dates="12/01/2027 14:00-16:00"))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert session_starts(entry) == ["2027-01-12T13:00:00+00:00"]
    assert not set(session_ids(entry)) & set(before)


def test_sessions_replace_reads_the_stored_dates_when_not_given(places):
    run_import(places["library"], [row(), row(code="BIB-2", datums="2027-03-02 09:00-12:00")])
    same = CatalogueEntry.objects.get(external_id="BIB-1")
    other = CatalogueEntry.objects.get(external_id="BIB-2")
    kept = session_ids(same)
    dates = [(session.starts_at, session.ends_at) for session in same.sessions.all()]

    replaced = services.catalogue_entry_sessions_replace(
        sessions={same.pk: list(reversed(dates)), other.pk: []}
    )
    assert replaced == [other.pk]  # the order of the dates does not matter
    assert session_ids(same) == kept
    assert not other.sessions.exists()


# --- the price ---------------------------------------------------------------------------------


@pytest.mark.parametrize("cents", [0, 1, 50, 500, 1250, 99_999, 125_000, 10_000_000])
def test_every_written_price_reads_back(cents):
    assert columns.parse_price(columns.format_price(cents)) == cents


def test_the_file_and_the_admin_write_the_price_in_dutch():
    assert columns.format_price(125_000) == "€ 1.250,00"
    with translation.override("en"):
        assert columns.format_price(0) == "free"  # what a learner reads in English
        assert columns.price_cell(0) == "gratis"  # the file is Dutch
        assert columns.price_cell(1250) == "€ 12,50"
