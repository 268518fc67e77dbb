"""/verder-leren/: what is listed, the filters without JavaScript, an entry's card, pages,
and the remembered municipality (cookie)."""

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone

from catalogue.factories import DigipuntFactory, MunicipalityFactory, OrganisationFactory
from catalogue.models import CatalogueEntry, CatalogueSession
from catalogue.next_steps import MUNICIPALITY_COOKIE, format_price
from tests.catalogue.next_steps_factories import EntryFactory, at, index

pytestmark = pytest.mark.django_db
URL = "/verder-leren/"
MONTHS = [
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
WEEKDAYS = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"]


def page(client, data=None, status=200, url=URL):
    response = client.get(url, data or {})
    assert response.status_code == status, response.status_code
    return response.content.decode()


def titles(html):
    return [
        re.sub(r"<[^>]+>", "", text).strip()
        for text in re.findall(r'<h3 class="card-title">(.*?)</h3>', html, flags=re.S)
    ]


@pytest.fixture
def places():
    return {
        "ieper": MunicipalityFactory(name="Ieper", cluster="ieper"),
        "zonnebeke": MunicipalityFactory(name="Zonnebeke", cluster="ieper"),
        "poperinge": MunicipalityFactory(name="Poperinge", cluster="poperinge"),
    }


# --- what is listed ---------------------------------------------------------------------------


def test_only_published_not_withdrawn_with_an_upcoming_session(client, places):
    EntryFactory(title="Komt eraan")
    EntryFactory(title="Nog na te lezen", status=CatalogueEntry.DRAFT)
    EntryFactory(title="Ingetrokken", withdrawn_at=timezone.now())
    EntryFactory(title="Voorbij", dates=[-3])
    EntryFactory(title="Geen datum", dates=[])
    EntryFactory(title="Toestel lenen", kind="lending", dates=[])
    EntryFactory(title="Lenen voorbij", kind="lending", dates=[-1])
    started = EntryFactory(title="Al begonnen", dates=[])
    now = timezone.now()
    CatalogueSession.objects.create(
        entry=started,
        starts_at=now - datetime.timedelta(minutes=5),
        ends_at=now + datetime.timedelta(hours=1),
    )
    html = page(client)
    assert titles(html) == ["Komt eraan", "Toestel lenen"]
    assert "We vonden 2 activiteiten." in html


def test_soonest_first_and_lending_last(client, places):
    EntryFactory(title="B later", dates=[20])
    EntryFactory(title="Lenen", kind="lending", dates=[])
    EntryFactory(title="A eerst", dates=[30, 2])
    EntryFactory(title="C midden", dates=[10])
    assert titles(page(client)) == ["A eerst", "C midden", "B later", "Lenen"]


def test_an_entry_shows_what_a_learner_needs(client, places):
    digipunt = DigipuntFactory(
        name="Bibliotheek Ieper",
        street="Nieuwstraat 6",
        postcode="8900",
        municipality=places["ieper"],
        organisation=OrganisationFactory(name="Bib Ieper", website="https://bib.ieper.example"),
    )
    EntryFactory(
        title="Veilig bankieren",
        summary="Je leert betalen met je smartphone.",
        organisation=digipunt.organisation,
        digipunt=digipunt,
        municipality=places["ieper"],
        address="",
        kind="workshop",
        competences=["2.3", "4.2"],
        level=2,
        price_cents=1250,
        signup="Schrijf in aan de balie.",
        url="",
        accessibility="Rolstoeltoegankelijk",
        dates=[7, 14, 21, 28, 35],
    )
    EntryFactory(
        title="Online les",
        summary="Van thuis uit.",
        municipality=None,
        address="",
        online=True,
        language="fr",
        url="https://partner.example/les",
        organisation=OrganisationFactory(name="CVO Westhoek"),
    )
    html = page(client)
    assert '<h3 class="card-title">Veilig bankieren</h3>' in html
    assert "Workshop · Bib Ieper · Niveau 2: ik ken de basis" in html
    assert "Je leert betalen met je smartphone." in html
    assert "Bibliotheek Ieper, Ieper<br>" in html and "Nieuwstraat 6, 8900 Ieper" in html
    first = timezone.localtime(at(7))
    day = f"{WEEKDAYS[first.weekday()]} {first.day} {MONTHS[first.month - 1]}"
    if first.year != timezone.localdate().year:
        day += f" {first.year}"
    assert f"<li>{day}, van 9.30 tot 11.30 uur</li>" in html
    assert "en nog 2 andere datums" in html
    assert "<dd>€ 12,50</dd>" in html and "<dd>gratis</dd>" in html
    assert "Communiceren en samenwerken, Veiligheid" in html
    assert "Schrijf in aan de balie." in html
    assert "Rolstoeltoegankelijk" in html
    # The entry's own page, else the partner's website; never a new window.
    assert (
        '<a class="entry-link" href="https://bib.ieper.example" rel="noopener">'
        'Meer info bij Bib Ieper<span class="visually-hidden">: Veilig bankieren</span></a>'
    ) in html
    assert 'href="https://partner.example/les" rel="noopener">Meer info bij CVO Westhoek' in html
    assert 'target="_blank"' not in html
    assert "<dd>online</dd>" in re.sub(r"\s+", "", html)  # only online: no place
    assert "<dd>Frans</dd>" in html
    # The Opleidingskompas closes the page.
    kompas = html.index("Zoek nog meer opleidingen in het Opleidingskompas")
    assert 'href="https://www.vlaanderen.be/opleidingskompas" rel="noopener"' in html
    assert kompas > html.index("Meer info bij CVO Westhoek")
    assert kompas > html.index('id="agenda"')


def test_dates_in_another_year_say_the_year(client, places):
    entry = EntryFactory(title="Volgend jaar", dates=[])
    start = timezone.make_aware(datetime.datetime(timezone.localdate().year + 1, 1, 12, 14, 0))
    CatalogueSession.objects.create(
        entry=entry, starts_at=start, ends_at=start + datetime.timedelta(hours=2)
    )
    weekday = WEEKDAYS[start.weekday()]
    assert f"{weekday} 12 januari {start.year}, van 14.00 tot 16.00 uur" in page(client)


def test_price_in_belgian_notation():
    assert format_price(0) == "gratis"
    assert format_price(1250) == "€ 12,50"
    assert format_price(500) == "€ 5,00"
    assert format_price(125000) == "€ 1.250,00"


# --- filters ---------------------------------------------------------------------------------


def test_filter_by_municipality_keeps_online(client, places):
    EntryFactory(title="In Ieper", municipality=places["ieper"])
    EntryFactory(title="In Poperinge", municipality=places["poperinge"])
    EntryFactory(title="Online", municipality=None, address="", online=True)
    digipunt = DigipuntFactory(municipality=places["poperinge"])
    EntryFactory(title="In een Digipunt in Poperinge", municipality=None, digipunt=digipunt)
    html = page(client, {"gemeente": "poperinge"})
    assert sorted(titles(html)) == ["In Poperinge", "In een Digipunt in Poperinge", "Online"]
    assert "In Poperinge of online." in html
    assert '<option value="poperinge" selected>Poperinge</option>' in html
    assert "Toon al het aanbod" in html


def test_filter_by_digcomp_area(client, places):
    EntryFactory(title="Veiligheid", competences=["4.1"])
    EntryFactory(title="Twee gebieden", competences=["1.1", "4.2"])
    EntryFactory(title="Identiteit", competences=["2.6"])
    EntryFactory(title="Zonder competenties", competences=[])
    assert sorted(titles(page(client, {"gebied": "4"}))) == ["Twee gebieden", "Veiligheid"]
    assert titles(page(client, {"gebied": "2"})) == ["Identiteit"]
    assert titles(page(client, {"gebied": "3"})) == []


def test_filter_by_kind_price_and_language(client, places):
    EntryFactory(title="Gratis cursus", price_cents=0)
    EntryFactory(title="Betalende cursus", price_cents=2000)
    EntryFactory(title="Gratis workshop in het Frans", kind="workshop", language="fr")
    assert sorted(titles(page(client, {"prijs": "gratis"}))) == [
        "Gratis cursus",
        "Gratis workshop in het Frans",
    ]
    assert titles(page(client, {"prijs": "betalend"})) == ["Betalende cursus"]
    assert titles(page(client, {"soort": "workshop"})) == ["Gratis workshop in het Frans"]
    assert titles(page(client, {"taal": "fr"})) == ["Gratis workshop in het Frans"]
    assert titles(page(client, {"soort": "course", "prijs": "gratis"})) == ["Gratis cursus"]
    html = page(client, {"prijs": "gratis"})
    assert 'value="gratis" id="id_prijs_1" checked' in html


def test_search_word_uses_the_search_index(client, places):
    EntryFactory(title="Betalen", summary="Je leert overschrijven met de bankapp.")
    EntryFactory(title="Foto's", summary="Je leert foto's maken.")
    # Saving a row indexes it (Wagtail's post_save handler); a bulk write does not.
    (bulk,) = CatalogueEntry.objects.bulk_create(
        [
            CatalogueEntry(
                organisation=OrganisationFactory(),
                external_id="bulk",
                title="Ook bankapp",
                summary="Over de bankapp.",
                kind="course",
                status=CatalogueEntry.PUBLISHED,
            )
        ]
    )
    CatalogueSession.objects.create(entry=bulk, starts_at=at(3), ends_at=at(3, 11))
    assert titles(page(client, {"zoek": "bankapp"})) == ["Betalen"]
    assert titles(page(client, {"zoek": "bankapp", "prijs": "betalend"})) == []
    assert titles(page(client, {"zoek": "BANKAPP overschrijven"})) == ["Betalen"]
    # Punctuation is not search syntax: no error, the words still match.
    assert titles(page(client, {"zoek": '"bankapp*) ('})) == ["Betalen"]
    assert titles(page(client, {"zoek": "NEAR("})) == []
    index(bulk)
    assert sorted(titles(page(client, {"zoek": "bankapp"}))) == ["Betalen", "Ook bankapp"]


@pytest.mark.parametrize(
    ("query", "note"),
    [
        ({"gemeente": "atlantis"}, "We kennen die gemeente niet."),
        ({"gebied": "9"}, "We kennen dat onderwerp niet."),
        ({"gebied": "2.6"}, "We kennen dat onderwerp niet."),
        ({"soort": "<script>"}, "We kennen die soort aanbod niet."),
        ({"prijs": "goedkoop"}, "Kies gratis of betalend."),
        ({"taal": "klingon"}, "We kennen die taal niet."),
        ({"zoek": "x" * 101}, "Je zoekwoord is te lang."),
        ({"pagina": "veel"}, None),
        ({"pagina": "999"}, None),
    ],
)
def test_unknown_filter_values_are_dropped_with_a_kind_note(client, places, query, note):
    EntryFactory(title="Eén cursus")
    html = page(client, query)
    if note:
        assert note in html
    assert "<script>" not in html
    assert titles(html) == ["Eén cursus"]


def test_exports_are_linked_with_the_filters(client, places):
    html = page(client, {"gemeente": "ieper", "prijs": "gratis", "soort": "nonsense"})
    for name in ("aanbod.ics", "aanbod.csv", "aanbod.jsonld"):
        assert f'href="/verder-leren/{name}?gemeente=ieper&amp;prijs=gratis"' in html


# --- pages -----------------------------------------------------------------------------------


def test_six_entries_a_page_and_the_filters_stay(client, places):
    # Six: twenty cards made the page 24,000 px tall on a phone (test_learner_path.py).
    for number in range(15):
        EntryFactory(title=f"Cursus {number:02d}", dates=[1 + number], price_cents=0)
    first = page(client, {"prijs": "gratis"})
    assert titles(first) == [f"Cursus {number:02d}" for number in range(6)]
    assert "We vonden 15 activiteiten." in first
    assert "Pagina 1 van 3" in first
    assert 'href="?prijs=gratis&amp;pagina=2">Volgende</a>' in first
    assert "Vorige" not in first
    third = page(client, {"prijs": "gratis", "pagina": "3"})
    assert titles(third) == [f"Cursus {number:02d}" for number in range(12, 15)]
    assert "<title>Verder leren – pagina 3 – Digibank Leerplatform</title>" in third
    assert "Volgende</a>" not in third


def test_empty_catalogue_still_answers(client):
    html = page(client)
    assert "We vonden niets." in html
    assert "Opleidingskompas" in html


def test_only_get_and_head(client):
    assert client.post(URL).status_code == 405
    assert client.head(URL).status_code == 200


# --- the remembered municipality ----------------------------------------------------------------


def test_choose_municipality_sets_a_cookie_and_goes_back(client, places):
    response = client.post(
        "/verder-leren/gemeente/",
        {
            "gemeente": "zonnebeke",
            "terug": "/verder-leren/?gemeente=ieper&prijs=gratis&pagina=2&taal=&zoek=",
        },
    )
    assert response.status_code == 302
    # Back without gemeente and pagina (the remembered municipality applies at once) and
    # without the empty fields a GET form sends.
    assert response["Location"] == "/verder-leren/?prijs=gratis"
    cookie = response.cookies[MUNICIPALITY_COOKIE]
    assert cookie.value == "zonnebeke"
    assert cookie["max-age"] == 365 * 24 * 60 * 60
    assert cookie["samesite"] == "Lax"
    assert cookie["httponly"]


def test_the_remembered_municipality_is_the_default_filter(client, places):
    EntryFactory(title="In Ieper", municipality=places["ieper"])
    EntryFactory(title="In Zonnebeke", municipality=places["zonnebeke"])
    client.cookies[MUNICIPALITY_COOKIE] = "zonnebeke"
    html = page(client)
    assert titles(html) == ["In Zonnebeke"]
    assert "Je woont in Zonnebeke." in html
    assert '<option value="zonnebeke" selected>Zonnebeke</option>' in html
    assert 'href="/verder-leren/aanbod.ics?gemeente=zonnebeke"' in html
    # An explicit choice in the address wins; "gemeente=" (empty) means all municipalities.
    assert titles(page(client, {"gemeente": "ieper"})) == ["In Ieper"]
    assert sorted(titles(page(client, {"gemeente": ""}))) == ["In Ieper", "In Zonnebeke"]
    # A stale or forged cookie is ignored.
    client.cookies[MUNICIPALITY_COOKIE] = "atlantis"
    assert len(titles(page(client))) == 2


def test_choose_nothing_forgets_the_municipality(client, places):
    client.cookies[MUNICIPALITY_COOKIE] = "ieper"
    response = client.post("/verder-leren/gemeente/", {"gemeente": "", "terug": URL})
    assert response.status_code == 302
    assert response.cookies[MUNICIPALITY_COOKIE].value == ""
    assert response.cookies[MUNICIPALITY_COOKIE]["max-age"] == 0


def test_unknown_municipality_is_refused_kindly(client, places):
    response = client.post("/verder-leren/gemeente/", {"gemeente": "atlantis"}, follow=True)
    assert response.redirect_chain == [("/verder-leren/", 302)]
    assert (
        MUNICIPALITY_COOKIE not in response.cookies
        or not response.cookies[MUNICIPALITY_COOKIE].value
    )
    assert "We kennen die gemeente niet. Kies een gemeente uit de lijst." in (
        response.content.decode()
    )


@pytest.mark.parametrize(
    "back",
    ["https://evil.example/", "//evil.example/verder-leren/", "javascript:alert(1)", ""],
)
def test_never_redirects_elsewhere(client, places, back):
    response = client.post("/verder-leren/gemeente/", {"gemeente": "ieper", "terug": back})
    assert response["Location"] == "/verder-leren/"


def test_choice_needs_csrf_and_post(places):
    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/verder-leren/gemeente/", {"gemeente": "ieper"}).status_code == 403
    assert strict.get("/verder-leren/gemeente/").status_code == 405
    html = strict.get(URL + "?gemeente=ieper").content.decode()  # "Onthoud Ieper …"
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]
    response = strict.post(
        "/verder-leren/gemeente/", {"gemeente": "ieper", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    assert response.cookies[MUNICIPALITY_COOKIE].value == "ieper"


def test_kiosk_choice_ends_with_the_browser(client, places, monkeypatch):
    from learning import kiosk

    monkeypatch.setattr(kiosk, "is_kiosk", lambda request: True)
    response = client.post("/verder-leren/gemeente/", {"gemeente": "ieper"})
    assert response.cookies[MUNICIPALITY_COOKIE].value == "ieper"
    assert response.cookies[MUNICIPALITY_COOKIE]["max-age"] == ""


def test_the_municipality_is_asked_once_and_remembered_with_one_button(client, places):
    html = page(client)
    # One field asks for the municipality: "Waar?" in the filters (it used to be asked
    # twice, once more in a form of its own).
    assert html.count('name="gemeente"') == 1
    assert '<label for="id_gemeente">Waar?</label>' in html
    assert 'method="get" action="/verder-leren/"' in html
    assert "In welke gemeente woon je?" not in html
    assert 'action="/verder-leren/gemeente/"' not in html  # nothing chosen, nothing to keep
    # A municipality in the filter: one button remembers it, and comes back here.
    html = page(client, {"gemeente": "ieper", "prijs": "gratis"})
    assert html.count('<select name="gemeente"') == 1
    assert 'method="post" action="/verder-leren/gemeente/"' in html
    assert '<input type="hidden" name="gemeente" value="ieper">' in html
    assert 'name="terug" value="/verder-leren/?gemeente=ieper&amp;prijs=gratis"' in html
    assert "Onthoud Ieper als mijn gemeente" in html
    # Remembered: the page says so and offers to forget it.
    client.cookies[MUNICIPALITY_COOKIE] = "ieper"
    html = page(client)
    assert "Je woont in Ieper." in html and "Vergeet mijn gemeente" in html
    assert '<input type="hidden" name="gemeente" value="">' in html


def test_filters_fold_and_count_what_is_chosen(client, places):
    html = page(client)
    assert '<details class="filters">' in html and "gekozen:" not in html
    html = page(client, {"gemeente": "ieper", "prijs": "gratis", "zoek": "itsme"})
    assert "(gekozen: 3)" in html


def test_data_exports_stay_out_of_the_learners_way(client, places):
    html = page(client, {"gemeente": "ieper"})
    head, body = html.split("</head>")
    assert (
        '<link rel="alternate" type="text/csv" href="/verder-leren/aanbod.csv?gemeente=ieper"'
        in (head)
    )
    assert 'type="application/ld+json" href="/verder-leren/aanbod.jsonld?gemeente=ieper"' in head
    # In the page only folded at the very end, after everything a learner looks for.
    note = body.index("Voor partners en websites")
    assert body.rindex("<details", 0, note) > body.index("Opleidingskompas")


def test_more_info_links_name_their_course(client, places):
    organisation = OrganisationFactory(name="Bib Ieper", website="https://bib.ieper.example")
    EntryFactory(title="Veilig bankieren", organisation=organisation, url="")
    EntryFactory(title="Werken met itsme", organisation=organisation, url="")
    html = page(client)
    links = re.findall(r'<a class="entry-link"[^>]*>(.*?)</a>', html, flags=re.S)
    names = {re.sub(r"<[^>]+>", "", link).strip() for link in links}
    assert {
        "Meer info bij Bib Ieper: Veilig bankieren",
        "Meer info bij Bib Ieper: Werken met itsme",
    } <= (names)
    assert '<span class="visually-hidden">: Veilig bankieren</span>' in html


def test_the_cached_filter_form_follows_filters_language_and_municipalities(client, places):
    """The form's HTML is kept per choice of filters (views_public._filter_form_fields)."""
    html = page(client, {"gemeente": "ieper", "prijs": "gratis"})
    assert '<option value="ieper" selected>Ieper</option>' in html
    assert re.search(r'value="gratis"[^>]*checked', html)
    html = page(client, {"gemeente": "zonnebeke"})  # other filters, other form
    assert '<option value="zonnebeke" selected>Zonnebeke</option>' in html
    assert '<option value="ieper" selected>' not in html
    assert not re.search(r'value="gratis"[^>]*checked', html)
    MunicipalityFactory(name="Heuvelland", cluster="ieper")  # a new one shows at once
    assert '<option value="heuvelland">Heuvelland</option>' in page(
        client, {"gemeente": "zonnebeke"}
    )
    client.cookies["taal"] = "fr"
    assert "Alle gemeenten" not in page(client, {"gemeente": "zonnebeke"})
