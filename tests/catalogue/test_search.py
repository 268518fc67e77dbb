"""/zoeken/: one results page over live modules and lessons and the partners' courses."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.search.backends import get_search_backend

from catalogue import next_steps
from catalogue.models import CatalogueEntry
from courses.factories import LessonPageFactory, ModulePageFactory
from tests.catalogue.next_steps_factories import EntryFactory, index

pytestmark = pytest.mark.django_db
URL = "/zoeken/"


def search(client, query=None, status=200):
    response = client.get(URL, {} if query is None else {"q": query})
    assert response.status_code == status
    return response.content.decode()


def section(html, heading_id):
    start = html.index(f'id="{heading_id}"')
    end = html.find("</section>", start)
    return html[start:end]


def card_titles(html):
    return [
        re.sub(r"<[^>]+>", "", text).strip()
        for text in re.findall(r'<h3 class="card-title">(.*?)</h3>', html, flags=re.S)
    ]


@pytest.fixture
def content(module_index):
    module = ModulePageFactory(
        parent=module_index,
        title="Je eID en de kaartlezer",
        slug="je-eid",
        summary="Je leert je pincode veilig gebruiken met een kaartlezer.",
    )
    LessonPageFactory(
        parent=module, title="De kaartlezer aansluiten", slug="aansluiten", intro="Stap voor stap."
    )
    draft = ModulePageFactory(
        parent=module_index, title="Kaartlezer voor gevorderden", slug="concept"
    )
    draft.unpublish()
    entry = EntryFactory(
        title="Digimoment eID", summary="Breng je kaartlezer mee, we helpen je met de pincode."
    )
    EntryFactory(title="Oude kaartlezer-cursus", summary="Over de kaartlezer.", dates=[-3])
    EntryFactory(title="Concept kaartlezer", summary="Kaartlezer.", status=CatalogueEntry.DRAFT)
    index(entry)
    return module


def test_finds_a_module_by_a_word_in_its_summary(client, content):
    html = search(client, "pincode")
    pages = section(html, "modules-en-lessen")
    assert card_titles(pages) == ["Je eID en de kaartlezer"]
    assert 'href="/modules/je-eid/"' in pages
    assert "Je leert je pincode veilig gebruiken met een kaartlezer." in pages
    assert "<title>Zoeken: pincode – Digibank Leerplatform</title>" in html


def test_finds_an_entry_by_a_word_in_its_summary(client, content):
    html = search(client, "mee")
    assert card_titles(section(html, "cursussen")) == ["Digimoment eID"]
    assert "Geen modules of lessen met dit woord." in section(html, "modules-en-lessen")


def test_results_are_grouped_and_only_live_and_published(client, content):
    html = search(client, "kaartlezer")
    assert html.index("Modules en lessen") < html.index("Cursussen en workshops")
    assert card_titles(section(html, "modules-en-lessen")) == [
        "Je eID en de kaartlezer",
        "De kaartlezer aansluiten",
    ]
    assert '<p class="meta">Module</p>' in html and '<p class="meta">Les</p>' in html
    assert card_titles(section(html, "cursussen")) == ["Digimoment eID"]
    for hidden in ("Kaartlezer voor gevorderden", "Oude kaartlezer-cursus", "Concept kaartlezer"):
        assert hidden not in html
    assert "Dit vonden we voor „kaartlezer”." in html


def test_many_entries_link_to_the_whole_catalogue(client, content):
    for number in range(21):
        EntryFactory(title=f"Kaartlezer {number:02d}", summary="Met de kaartlezer.")
    html = search(client, "kaartlezer")
    assert len(card_titles(section(html, "cursussen"))) == 20
    assert 'href="/verder-leren/?gemeente=&amp;zoek=kaartlezer"' in html


def test_nothing_found_is_said_kindly(client, content):
    html = search(client, "zeppelin")
    assert "We vonden niets voor „zeppelin”. Probeer een ander woord." in html


@pytest.mark.parametrize("query", [None, "", "   "])
def test_empty_query_shows_only_the_form(client, content, query):
    html = search(client, query)
    assert '<input type="search" id="zoekterm" name="q" value=""' in html
    assert "Modules en lessen" not in html
    assert "<title>Zoeken – Digibank Leerplatform</title>" in html


def test_too_long_query_is_refused_kindly(client, content):
    html = search(client, "kaartlezer " * 20)
    assert "Je zoekwoorden zijn te lang. Typ hoogstens 100 tekens." in html
    assert "Modules en lessen" not in html
    assert 'name="q" value=""' in html


@pytest.mark.parametrize("query", ['"', "*", "(kaartlezer", "kaart-lezer OR", "<script>", "'"])
def test_search_syntax_and_markup_never_break_the_page(client, content, query):
    html = search(client, query)
    assert "<script>" not in html


def test_punctuation_only_asks_for_a_word(client, content):
    assert "Typ een woord met letters of cijfers" in search(client, "?!")


def test_search_costs_a_fixed_number_of_queries(client, content):
    search(client, "kaartlezer")  # warm the content-type cache
    with CaptureQueriesContext(connection) as few:
        search(client, "kaartlezer")
    for number in range(30):
        EntryFactory(title=f"Kaartlezer {number:02d}", summary="Met de kaartlezer.")
    with CaptureQueriesContext(connection) as many:
        search(client, "kaartlezer")
    assert len(few) == len(many)


@pytest.mark.parametrize(
    "query", ["kaartlezer", "pincode kaartlezer", "mee", "Kaartlezer", "zeppelin", "kaart"]
)
def test_fast_sqlite_search_finds_what_the_backend_finds(content, query):
    """next_steps matches full text first (``_sqlite_fts_first``, ``_postgres_match_first``);
    same rows as Wagtail's."""
    for number in range(5):
        EntryFactory(title=f"Pincode {number}", summary="Met de kaartlezer en je pincode.")
    results = get_search_backend().search(query, CatalogueEntry, order_by_relevance=False)
    if connection.vendor == "sqlite":
        assert next_steps._sqlite_fts_first(results) is not None  # the fast path is taken
    if connection.vendor == "postgresql":
        assert next_steps._postgres_match_first(results) is not None
    expected = {entry.pk for entry in results}
    assert set(next_steps.search_entries(query).values_list("pk", flat=True)) == expected
    # Whole words only: "kaart" is not "kaartlezer".
    assert (query in {"zeppelin", "kaart"}) == (not expected)


def test_only_get_and_head(client):
    assert client.post(URL, {"q": "x"}).status_code == 405
    assert client.head(URL).status_code == 200
