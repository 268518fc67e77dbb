"""Query counts of /hulp/ and the feed do not grow with the number of Digipunten or visits."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from catalogue.models import Digipunt, MobileVisit, Municipality, Organisation

pytestmark = pytest.mark.django_db
URLS = ["/hulp/", "/hulp/?hulp=eid", "/hulp/?gemeente=gemeente-1", "/hulp/gemeente-2/"]


def build(digipunten: int, visits: int) -> None:
    """Rows spread over 18 municipalities and 20 partners, with bulk_create."""
    municipalities = Municipality.objects.bulk_create(
        Municipality(name=f"Gemeente {n}", slug=f"gemeente-{n}", cluster="ieper") for n in range(18)
    )
    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"Partner {n}", kind="library") for n in range(20)
    )
    Digipunt.objects.bulk_create(
        Digipunt(
            organisation=organisations[n % 20],
            municipality=municipalities[n % 18],
            name=f"Digipunt {n}",
            street=f"Kerkstraat {n}",
            postcode="8900",
            opening_hours="maandag: 9 tot 12 uur\nwoensdag: 14 tot 17 uur",
            services=["eid", "itsme"] if n % 2 else ["wifi"],
            accessibility="Toegankelijk met rolstoel",
            is_demo=True,
        )
        for n in range(digipunten)
    )
    today = timezone.localdate()
    MobileVisit.objects.bulk_create(
        MobileVisit(
            organisation=organisations[n % 20],
            municipality=municipalities[n % 18],
            village=f"Dorp {n % 40}",
            place="aan de kerk",
            date=today + datetime.timedelta(days=1 + n % 55),
            start=datetime.time(9, 30),
            end=datetime.time(11, 30),
        )
        for n in range(visits)
    )


def counts(client) -> dict[str, int]:
    result = {}
    for url in [*URLS, "/hulp/bezoeken.ics", "/hulp/bezoeken.ics?gemeente=gemeente-3"]:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, url
        result[url] = len(captured)
    return result


def test_queries_do_not_grow_with_rows(client):
    build(digipunten=10, visits=20)
    few = counts(client)
    Digipunt.objects.all().delete()
    MobileVisit.objects.all().delete()
    Organisation.objects.all().delete()
    Municipality.objects.all().delete()
    build(digipunten=200, visits=2000)
    many = counts(client)
    assert many == few, (few, many)
    assert max(few.values()) <= 3, few
    page = client.get("/hulp/").content.decode()
    assert "We vonden 200 Digipunten." in page
    assert page.count("van 9.30 tot 11.30 uur") == 30  # the next visits only


def test_help_page_comes_in_pages_of_twenty(client):
    build(digipunten=45, visits=0)
    first = client.get("/hulp/?hulp=eid").content.decode()
    # 22 of the 45 help with the eID: two pages, the filter kept in "Volgende".
    assert "We vonden 22 Digipunten." in first
    assert first.count('class="card digipunt') == 20
    assert "Pagina 1 van 2" in first
    assert "?hulp=eid&amp;pagina=2" in first
    second = client.get("/hulp/?hulp=eid&pagina=2").content.decode()
    assert second.count('class="card digipunt') == 2
    assert "?hulp=eid&amp;pagina=1" in second and "pagina 2" in second  # "Vorige", title
    # A page number that does not exist shows the last or the first page, never an error.
    assert client.get("/hulp/?hulp=eid&pagina=99").content.decode().count("Pagina 2 van 2") == 1
    assert "Pagina 1 van 2" in client.get("/hulp/?hulp=eid&pagina=nee").content.decode()
    # One municipality with few Digipunten: one page, no page links.
    one = client.get("/hulp/gemeente-1/").content.decode()
    assert "Pagina 1 van" not in one
