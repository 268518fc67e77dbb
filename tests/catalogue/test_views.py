"""/hulp/: Digipunten by municipality, filters without JavaScript, the mobile service."""

import datetime
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from catalogue.models import Digipunt, MobileVisit, Municipality, Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    call_command("seed_catalogue", stdout=StringIO())


def page(client, url, data=None, status=200):
    response = client.get(url, data or {})
    assert response.status_code == status, response.status_code
    return response.content.decode()


def headings(html, level):
    return [
        re.sub(r"<[^>]+>", "", text).strip()
        for text in re.findall(rf"<h{level}[^>]*>(.*?)</h{level}>", html, flags=re.S)
    ]


def test_lists_every_digipunt_grouped_by_municipality(client, seeded):
    html = page(client, "/hulp/")
    assert "<title>Hulp in de buurt – Digibank Leerplatform</title>" in html
    assert headings(html, 1) == ["Hulp in de buurt"]
    # 31 Digipunten: 20 on the first page, 11 on the second; a municipality cut by the
    # page break has its heading on both.
    second = page(client, "/hulp/", {"pagina": 2})
    assert "Pagina 1 van 2" in html and "Pagina 2 van 2" in second
    assert "Hulp in de buurt – pagina 2 – Digibank Leerplatform" in second
    assert len(headings(html, 3)) == 20 and len(headings(second, 3)) == 11
    shown = headings(html, 2)[:-1] + headings(second, 2)[:-1]
    municipalities = list(Municipality.objects.values_list("name", flat=True))
    assert list(dict.fromkeys(shown)) == municipalities
    assert headings(html, 2)[-1] == headings(second, 2)[-1] == "De mobiele dienst komt langs"
    names = headings(html, 3) + headings(second, 3)
    assert sorted(names) == sorted(Digipunt.objects.values_list("name", flat=True))
    assert "We vonden 31 Digipunten." in html and "We vonden 31 Digipunten." in second
    # A Digipunt shows its address, hours in easy Dutch, services as words and access.
    assert "Nieuwstraat 6, 8900 Ieper" in html
    assert "<li>dinsdag: 10 tot 18 uur</li>" in html
    assert "eID en pincode, itsme, Tax-on-web, Mijn Burgerprofiel" in html
    assert "<li>Lift aanwezig</li>" in html
    assert "Telefoon:" not in html  # demo rows have no phone number
    assert "dit zijn voorbeelden" in html
    # The plain GET form works without JavaScript.
    assert 'method="get" action="/hulp/"' in html
    assert '<label for="id_gemeente">In welke gemeente zoek je hulp?</label>' in html
    assert '<label for="id_hulp">Waarvoor heb je hulp nodig?</label>' in html


def test_filter_by_municipality(client, seeded):
    html = page(client, "/hulp/", {"gemeente": "wervik"})
    assert headings(html, 2) == ["Wervik", "De mobiele dienst komt langs"]
    assert set(headings(html, 3)) == {"Bibliotheek Wervik", "LDC Wervik"}
    assert '<option value="wervik" selected>Wervik</option>' in html
    assert "Toon alle Digipunten" in html


def test_filter_by_service(client, seeded):
    html = page(client, "/hulp/", {"hulp": "lending"})
    assert set(headings(html, 3)) == {
        "Uitleenpunt Digibank Diksmuide",
        "Uitleenpunt Digibank Ieper",
        "Uitleenpunt Digibank Poperinge",
        "Uitleenpunt Digibank Westkust",
    }
    assert "Ze helpen je met: toestel lenen." in html
    both = page(client, "/hulp/", {"gemeente": "ieper", "hulp": "banking"})
    assert set(headings(both, 3)) == {"Sociaal huis Ieper", "LDC Ieper"}


def test_municipality_page_is_prefiltered(client, seeded):
    html = page(client, "/hulp/poperinge/")
    assert "<title>Hulp in Poperinge – Digibank Leerplatform</title>" in html
    assert headings(html, 1) == ["Hulp in Poperinge"]
    assert headings(html, 2)[0] == "Poperinge"
    assert "Bibliotheek Ieper" not in html
    assert '<option value="poperinge" selected>Poperinge</option>' in html
    assert "/hulp/bezoeken.ics?gemeente=poperinge" in html


@pytest.mark.parametrize(
    ("query", "note"),
    [
        ({"gemeente": "atlantis"}, "We kennen die gemeente niet."),
        ({"hulp": "teleportatie"}, "We kennen die soort hulp niet."),
        ({"gemeente": "<script>", "hulp": ["eid", "x"]}, "We kennen die gemeente niet."),
    ],
)
def test_unknown_filter_shows_everything_with_a_kind_note(client, seeded, query, note):
    html = page(client, "/hulp/", query)
    assert note in html
    assert "<script>" not in html  # never echoed
    assert "Bibliotheek Alveringem" in html and "We vonden 31 Digipunten." in html


def test_unknown_municipality_is_a_dutch_404(client, seeded):
    html = page(client, "/hulp/atlantis/", status=404)
    assert "Deze gemeente vinden we niet" in html
    assert 'href="/hulp/vleteren/"' in html


def test_empty_catalogue_still_answers(client):
    html = page(client, "/hulp/")
    assert "We vonden geen Digipunt." in html
    assert "De mobiele dienst komt de komende weken niet langs." in html


def test_only_upcoming_visits_in_dutch(client, seeded):
    organisation = Organisation.objects.get(name="Digibank Poperinge")
    poperinge = Municipality.objects.get(slug="poperinge")
    now = timezone.localtime()
    today = now.date()
    MobileVisit.objects.all().delete()
    common = {"organisation": organisation, "municipality": poperinge, "place": "aan de kerk"}
    MobileVisit.objects.create(
        village="Gisteren",
        date=today - datetime.timedelta(days=1),
        start=datetime.time(9),
        end=datetime.time(11),
        **common,
    )
    MobileVisit.objects.create(
        village="Verlopen",
        date=today,
        start=datetime.time(0, 0),
        end=datetime.time(0, 1),
        **common,
    )
    MobileVisit.objects.create(
        village="Straks",
        date=today,
        start=datetime.time(23, 58),
        end=datetime.time(23, 59, 59),
        **common,
    )
    tuesday = today + datetime.timedelta(days=(1 - today.weekday()) % 7 or 7)
    MobileVisit.objects.create(
        village="Watou",
        date=tuesday,
        start=datetime.time(9, 30),
        end=datetime.time(11, 30),
        **common,
    )
    MobileVisit.objects.create(
        village="Te ver",
        date=today + datetime.timedelta(days=90),
        start=datetime.time(9),
        end=datetime.time(11),
        **common,
    )
    html = page(client, "/hulp/")
    assert "Gisteren" not in html and "Te ver" not in html
    if now.time() < datetime.time(0, 1):
        pytest.skip("run just after midnight")
    assert "Verlopen" not in html
    assert "Straks (Poperinge), aan de kerk" in html
    assert "<strong>vandaag, " in html
    months = [
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ]
    assert f"<strong>dinsdag {tuesday.day} {months[tuesday.month - 1]}</strong>" in html
    assert "van 9.30 tot 11.30 uur" in html
    assert "Watou (Poperinge), aan de kerk" in html
    assert html.index("Straks") < html.index("Watou")


def test_visits_follow_the_municipality_filter(client, seeded):
    vleteren = page(client, "/hulp/vleteren/")
    assert "Woesten" in vleteren and "Krombeke" not in vleteren
    ieper = page(client, "/hulp/ieper/")
    assert "De mobiele dienst komt de komende weken niet naar Ieper." in ieper


def test_only_get_and_head(client, seeded):
    assert client.post("/hulp/").status_code == 405
    assert client.head("/hulp/").status_code == 200
