"""/verder-leren/, its exports and /zoeken/ cost the same number of queries for 10 or 500
entries: sessions are prefetched, the next date and the search are subqueries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.search.backends import get_search_backend

from catalogue.models import CatalogueEntry, CatalogueSession, Digipunt, Municipality, Organisation
from catalogue.next_steps import MUNICIPALITY_COOKIE, PER_PAGE, recommendations
from catalogue.services import catalogue_entry_dates_refresh
from tests.catalogue.next_steps_factories import at

pytestmark = pytest.mark.django_db
URLS = [
    "/verder-leren/",
    "/verder-leren/?pagina=2",
    "/verder-leren/?gemeente=gemeente-1&prijs=gratis",
    "/verder-leren/?gebied=4&soort=workshop&taal=nl",
    "/verder-leren/?zoek=smartphone",
    "/verder-leren/aanbod.jsonld",
    "/verder-leren/aanbod.csv",
    "/verder-leren/aanbod.ics",
    "/verder-leren/aanbod.ics?gemeente=gemeente-2",
    "/zoeken/?q=smartphone",
]
KINDS = ["course", "workshop", "digimoment", "lending"]
COMPETENCES = [["2.6"], ["4.1", "4.2"], ["1.1", "2.3"], ["5.1"]]


def build(entries: int) -> None:
    """Entries over 6 municipalities and 5 partners, 3 dates each (lending: none)."""
    municipalities = Municipality.objects.bulk_create(
        Municipality(name=f"Gemeente {n}", slug=f"gemeente-{n}", cluster="ieper") for n in range(6)
    )
    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"Partner {n}", kind="library", website=f"https://p{n}.example")
        for n in range(5)
    )
    digipunten = Digipunt.objects.bulk_create(
        Digipunt(
            organisation=organisations[n % 5],
            municipality=municipalities[n % 6],
            name=f"Digipunt {n}",
            street="Markt 1",
            postcode="8900",
            opening_hours="maandag 9 tot 12 uur",
        )
        for n in range(6)
    )
    rows = CatalogueEntry.objects.bulk_create(
        CatalogueEntry(
            organisation=organisations[n % 5],
            external_id=f"code-{n}",
            title=f"Cursus {n}",
            summary="Je leert werken met je smartphone.",
            kind=KINDS[n % 4],
            competences=COMPETENCES[n % 4],
            level=1 + n % 3,
            price_cents=0 if n % 2 else 1500,
            digipunt=digipunten[n % 6] if n % 3 == 0 else None,
            municipality=municipalities[n % 6],
            address="" if n % 3 == 0 else "Kerkstraat 1",
            online=n % 5 == 0,
            status=CatalogueEntry.PUBLISHED,
        )
        for n in range(entries)
    )
    CatalogueSession.objects.bulk_create(
        CatalogueSession(
            entry=row, starts_at=at(1 + (n + k) % 60), ends_at=at(1 + (n + k) % 60, 11)
        )
        for n, row in enumerate(rows)
        if row.kind != "lending"
        for k in range(3)
    )
    # bulk_create sends no signals: store the entries' dates and index the rows as the
    # importer does.
    catalogue_entry_dates_refresh(entry_ids=[row.pk for row in rows])
    get_search_backend().add_bulk(CatalogueEntry, rows)


def counts(client) -> dict[str, int]:
    # Warm the per-process caches (content types for the search) before counting.
    for url in URLS:
        client.get(url)
    result = {}
    for url in URLS:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, url
        result[url] = len(captured)
    client.cookies[MUNICIPALITY_COOKIE] = "gemeente-3"
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/verder-leren/").status_code == 200
    result["cookie"] = len(captured)
    del client.cookies[MUNICIPALITY_COOKIE]
    municipality = Municipality.objects.get(slug="gemeente-1")
    with CaptureQueriesContext(connection) as captured:
        found = recommendations(competences=["4.1", "2.6"], level=1, municipality=municipality)
    assert found
    result["recommendations"] = len(captured)
    return result


def test_queries_do_not_grow_with_entries(client, site_tree):
    build(10)
    few = counts(client)
    CatalogueEntry.objects.all().delete()
    Digipunt.objects.all().delete()
    Organisation.objects.all().delete()
    Municipality.objects.all().delete()
    build(500)
    many = counts(client)
    assert many == few, (few, many)
    # municipalities, count, page, sessions (+ the session and the Wagtail site for a page)
    assert few["/verder-leren/"] <= 4, few
    assert few["recommendations"] == 2, few
    # The page search also looks up the Dutch locale, so translations stay out: 7 there.
    assert max(few.values()) <= 7, few
    html = client.get("/verder-leren/").content.decode()
    assert "We vonden 500 activiteiten." in html
    assert html.count('<li class="card entry"') == PER_PAGE
    html = client.get("/verder-leren/?zoek=smartphone").content.decode()
    assert "We vonden 500 activiteiten." in html
