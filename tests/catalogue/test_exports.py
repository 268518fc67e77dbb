"""The catalogue as data at stable addresses: JSON-LD (schema.org), CSV (the import format)
and iCalendar, each honouring the filters of /verder-leren/."""

import csv
import datetime
import io
import json

import pytest
from django.utils import timezone

from catalogue import importing
from catalogue.columns import COLUMNS, entry_to_row
from catalogue.factories import DigipuntFactory, MunicipalityFactory, OrganisationFactory
from catalogue.models import CatalogueEntry, CatalogueSession
from catalogue.next_steps import MUNICIPALITY_COOKIE
from tests.catalogue.next_steps_factories import EntryFactory, at
from tests.catalogue.test_ical import events, structure

pytestmark = pytest.mark.django_db
JSONLD = "/verder-leren/aanbod.jsonld"
CSV = "/verder-leren/aanbod.csv"
ICS = "/verder-leren/aanbod.ics"


@pytest.fixture
def catalogue():
    """A partner with a Digipunt course, an online workshop and device lending, plus noise."""
    ieper = MunicipalityFactory(name="Ieper", cluster="ieper")
    poperinge = MunicipalityFactory(name="Poperinge", cluster="poperinge")
    partner = OrganisationFactory(name="Bibliotheek Ieper", website="https://bib.ieper.example")
    digipunt = DigipuntFactory(
        organisation=partner,
        name="Digipunt Bibliotheek Ieper",
        street="Nieuwstraat 6",
        postcode="8900",
        municipality=ieper,
    )
    course = EntryFactory(
        organisation=partner,
        external_id="IEP-001",
        title="Je smartphone, stap voor stap",
        summary="Vier lessen over je smartphone; in kleine groep, met koffie.",
        kind="course",
        competences=["2.6", "4.1"],
        level=1,
        price_cents=1250,
        digipunt=digipunt,
        municipality=ieper,
        address="",
        signup="Bel 057 23 94 00, of kom langs.",
        url="https://bib.ieper.example/smartphone",
        accessibility="Lift aanwezig",
        dates=[7, 14],
    )
    workshop = EntryFactory(
        organisation=partner,
        external_id="IEP-002",
        title="Veilig online",
        summary="Herken valse berichten.",
        kind="workshop",
        competences=["4.2"],
        level=2,
        language="nl-easy",
        municipality=None,
        address="",
        online=True,
        url="https://bib.ieper.example/online",
        dates=[3],
    )
    lending = EntryFactory(
        organisation=partner,
        external_id="IEP-003",
        title="Een tablet lenen",
        summary="Leen een tablet voor drie weken.",
        kind="lending",
        competences=[],
        level=None,
        municipality=ieper,
        address="Markt 1, 8900 Ieper",
        url="",
        dates=[],
    )
    EntryFactory(title="In Poperinge", municipality=poperinge, price_cents=500)
    EntryFactory(title="Voorbij", dates=[-5])
    EntryFactory(title="Concept", status=CatalogueEntry.DRAFT)
    return {"course": course, "workshop": workshop, "lending": lending, "partner": partner}


# --- JSON-LD ----------------------------------------------------------------------------------


def fetch_jsonld(client, params=None):
    response = client.get(JSONLD, params or {})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json; charset=utf-8"
    assert response["Access-Control-Allow-Origin"] == "*"
    return json.loads(response.content.decode("utf-8"))


def courses_by_name(data):
    return {item["item"]["name"]: item["item"] for item in data["itemListElement"]}


def iso(value: str) -> datetime.datetime:
    moment = datetime.datetime.fromisoformat(value)
    assert moment.tzinfo is not None, value  # an offset, never a naive time
    return moment


def test_jsonld_is_an_item_list_of_courses(client, catalogue):
    data = fetch_jsonld(client)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "ItemList"
    assert data["numberOfItems"] == len(data["itemListElement"]) == 4
    assert [item["position"] for item in data["itemListElement"]] == [1, 2, 3, 4]
    ids = set()
    for item in data["itemListElement"]:
        assert item["@type"] == "ListItem"
        course = item["item"]
        assert course["@type"] == "Course"
        for name in ("@id", "name", "description", "provider", "offers", "hasCourseInstance"):
            assert course[name], name
        ids.add(course["@id"])
        assert course["provider"]["@type"] == "Organization"
        assert course["offers"]["@type"] == "Offer"
        assert course["offers"]["priceCurrency"] == "EUR"
        for instance in course["hasCourseInstance"]:
            assert instance["@type"] == "CourseInstance"
            assert instance["courseMode"] in {"online", "onsite", "blended"}
            if "startDate" in instance:
                assert iso(instance["startDate"]) < iso(instance["endDate"])
    assert len(ids) == 4
    assert {"Voorbij", "Concept"}.isdisjoint(courses_by_name(data))


def test_jsonld_course_at_a_digipunt(client, catalogue):
    course = courses_by_name(fetch_jsonld(client))["Je smartphone, stap voor stap"]
    assert course["courseCode"] == "IEP-001"
    assert course["url"] == "https://bib.ieper.example/smartphone"
    assert course["provider"] == {
        "@type": "Organization",
        "name": "Bibliotheek Ieper",
        "url": "https://bib.ieper.example",
    }
    assert course["offers"]["price"] == "12.50"
    assert course["offers"]["category"] == "Paid"
    assert course["inLanguage"] == "nl"
    assert course["educationalLevel"] == "Niveau 1: ik begin"
    assert course["teaches"] == [
        "2.6 Je digitale identiteit beheren",
        "4.1 Je toestellen beschermen",
    ]
    assert course["accessibilitySummary"] == "Lift aanwezig"
    first, second = course["hasCourseInstance"]
    assert first["courseMode"] == "onsite"
    assert iso(first["startDate"]) == at(7)
    assert iso(first["endDate"]) == at(7, 11, 30)
    assert iso(second["startDate"]) == at(14)
    # The offset is Belgium's on that day (+01:00 in winter, +02:00 in summer).
    offset = timezone.localtime(at(7)).strftime("%z")
    assert first["startDate"].endswith(f"{offset[:3]}:{offset[3:]}")
    assert first["location"] == {
        "@type": "Place",
        "name": "Digipunt Bibliotheek Ieper",
        "address": {
            "@type": "PostalAddress",
            "streetAddress": "Nieuwstraat 6",
            "postalCode": "8900",
            "addressLocality": "Ieper",
            "addressCountry": "BE",
        },
    }


def test_jsonld_online_free_and_lending(client, catalogue):
    courses = courses_by_name(fetch_jsonld(client))
    online = courses["Veilig online"]
    assert online["offers"]["price"] == "0"
    assert online["offers"]["category"] == "Free"
    (instance,) = online["hasCourseInstance"]
    assert instance["courseMode"] == "online"
    assert instance["location"] == {
        "@type": "VirtualLocation",
        "url": "https://bib.ieper.example/online",
    }
    lending = courses["Een tablet lenen"]
    assert "teaches" not in lending and "educationalLevel" not in lending
    (instance,) = lending["hasCourseInstance"]
    assert "startDate" not in instance
    assert instance["location"]["address"]["streetAddress"] == "Markt 1, 8900 Ieper"
    assert instance["location"]["address"]["addressLocality"] == "Ieper"


def test_jsonld_honours_the_filters_not_the_cookie(client, catalogue):
    client.cookies[MUNICIPALITY_COOKIE] = "poperinge"
    assert set(courses_by_name(fetch_jsonld(client))) == {
        "Je smartphone, stap voor stap",
        "Veilig online",
        "Een tablet lenen",
        "In Poperinge",
    }
    data = fetch_jsonld(client, {"gemeente": "poperinge", "prijs": "betalend"})
    assert set(courses_by_name(data)) == {"In Poperinge"}
    assert data["url"].endswith("/verder-leren/?gemeente=poperinge&prijs=betalend")
    assert data["name"] == "Verder leren in Poperinge"
    data = fetch_jsonld(client, {"gebied": "4", "soort": "onbekend"})
    assert set(courses_by_name(data)) == {"Je smartphone, stap voor stap", "Veilig online"}


# --- CSV --------------------------------------------------------------------------------------


def fetch_csv(client, params=None) -> bytes:
    response = client.get(CSV, params or {})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="aanbod.csv"'
    return response.content


def parse(content: bytes) -> list[dict]:
    assert content.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs for UTF-8
    text = content.decode("utf-8-sig")
    assert "\r\n" in text
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=";")
    assert tuple(reader.fieldnames) == COLUMNS
    return list(reader)


def test_csv_has_the_import_columns_and_rows(client, catalogue):
    rows = parse(fetch_csv(client))
    by_code = {row["code"]: row for row in rows}
    entries = CatalogueEntry.objects.filter(organisation=catalogue["partner"]).prefetch_related(
        "sessions"
    )
    for entry in entries:
        assert by_code[entry.external_id] == entry_to_row(entry)
    course = by_code["IEP-001"]
    assert course["prijs"] == "€ 12,50"  # one cell, thanks to the semicolon
    assert course["uitleg"] == "Vier lessen over je smartphone; in kleine groep, met koffie."
    assert course["digipunt"] == "Digipunt Bibliotheek Ieper"
    assert course["datums"].count("|") == 1
    assert len(rows) == 4


def test_csv_round_trips_through_the_importer(client, catalogue):
    partner = catalogue["partner"]
    # A past date of a running course stays in the row: the row is the entry as a whole.
    CatalogueSession.objects.create(
        entry=catalogue["course"], starts_at=at(-7), ends_at=at(-7, 11, 30)
    )
    content = fetch_csv(client, {"gemeente": "ieper"})
    assert len(parse(content)) == 3  # the partner's entries in Ieper or online
    preview = importing.preview(partner, "aanbod.csv", content, full=True)
    assert preview.errors == []
    assert preview.counts == {"created": 0, "changed": 0, "unchanged": 3, "withdrawn": 0}
    assert preview.changes == []


def test_csv_cells_excel_would_run_are_neutralised(client, catalogue):
    EntryFactory(title='=HYPERLINK("https://evil.example")', signup="@SUM(1+1)")
    rows = parse(fetch_csv(client))
    row = next(row for row in rows if "HYPERLINK" in row["titel"])
    assert row["titel"] == '\'=HYPERLINK("https://evil.example")'
    assert row["inschrijven"] == "'@SUM(1+1)"


# --- iCalendar --------------------------------------------------------------------------------


def fetch_ics(client, params=None):
    response = client.get(ICS, params or {})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return response.content


def test_ics_has_every_upcoming_session(client, catalogue):
    lines = structure(fetch_ics(client))
    assert "BEGIN:VTIMEZONE" in lines and "TZID:Europe/Brussels" in lines
    assert "X-WR-CALNAME:Verder leren in de Westhoek" in lines
    found = events(lines)
    # Course (2), workshop (1), Poperinge (1); lending has no dates; past and draft are out.
    assert len(found) == 4
    uids = [event["UID"] for event in found]
    assert len(set(uids)) == len(uids)
    course = [event for event in found if event["SUMMARY"] == "Je smartphone\\, stap voor stap"]
    assert len(course) == 2
    first = course[0]
    assert first["DTSTART;TZID=Europe/Brussels"] == f"{timezone.localtime(at(7)):%Y%m%d}T093000"
    assert first["DTEND;TZID=Europe/Brussels"] == f"{timezone.localtime(at(7)):%Y%m%d}T113000"
    assert first["LOCATION"] == (
        "Digipunt Bibliotheek Ieper\\, Ieper\\, Nieuwstraat 6\\, 8900 Ieper"
    )
    assert "Prijs: € 12\\,50" in first["DESCRIPTION"]
    assert "Inschrijven: Bel 057 23 94 00\\, of kom langs." in first["DESCRIPTION"]
    assert first["URL"] == "https://bib.ieper.example/smartphone"
    session = catalogue["course"].sessions.order_by("starts_at").first()
    assert first["UID"] == f"verder-leren-{session.pk}@127.0.0.1"
    online = next(event for event in found if event["SUMMARY"] == "Veilig online")
    assert online["LOCATION"] == "online"


def test_ics_honours_the_filters(client, catalogue):
    found = events(structure(fetch_ics(client, {"gemeente": "poperinge"})))
    assert {event["SUMMARY"] for event in found} == {"In Poperinge", "Veilig online"}
    lines = structure(fetch_ics(client, {"gemeente": "poperinge"}))
    assert "X-WR-CALNAME:Verder leren in Poperinge" in lines
    assert events(structure(fetch_ics(client, {"soort": "lending"}))) == []


def test_exports_only_answer_get_and_head(client):
    for url in (JSONLD, CSV, ICS):
        assert client.post(url).status_code == 405
        assert client.head(url).status_code == 200
