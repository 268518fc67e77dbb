"""A learner looks for a free course near home on /verder-leren/, remembers the
municipality, and searches the site on /zoeken/; axe and sizes on every page."""

from io import StringIO

import pytest
from django.core.management import call_command

from catalogue.models import Municipality, Organisation
from tests.catalogue.next_steps_factories import EntryFactory
from tests.journeys.helpers import run_axe, size_problems

pytestmark = pytest.mark.browser


def check(page, axe_source, label):
    assert page.locator("html").get_attribute("lang") == "nl-BE", label
    violations = run_axe(page, axe_source)
    assert violations == [], f"{label}: {violations}"
    sizes = size_problems(page)
    assert sizes["small"] == [], f"{label}: tap targets under 44 px: {sizes['small']}"
    assert sizes["tiny"] == [], f"{label}: text under 18 px: {sizes['tiny']}"


@pytest.fixture
def catalogue(transactional_db):
    # The live server's database is transactional: the fixtures' rows are gone, load ours.
    call_command("seed_catalogue", stdout=StringIO())
    poperinge = Municipality.objects.get(slug="poperinge")
    ieper = Municipality.objects.get(slug="ieper")
    library = Organisation.objects.get(name="Bibliotheek Poperinge")
    EntryFactory(
        organisation=library,
        title="Werken met je smartphone",
        summary="In vier lessen leer je bellen, foto's maken en apps gebruiken.",
        municipality=poperinge,
        address="Guido Gezellestraat 7, 8970 Poperinge",
        price_cents=0,
        dates=[7, 14],
    )
    EntryFactory(
        organisation=library,
        title="Tablet voor gevorderden",
        summary="Je maakt een fotoboek op je tablet.",
        municipality=poperinge,
        price_cents=1500,
    )
    EntryFactory(
        title="Digimoment in Ieper",
        summary="Stel je vragen over itsme.",
        kind="digimoment",
        municipality=ieper,
    )


def test_find_a_free_course_and_search(live_server, page_for_axe, axe_source, catalogue):
    # Until catalogue/urls.py includes urls_public; the live server reads this setting.
    page = page_for_axe

    page.goto(live_server.url + "/verder-leren/")
    assert page.title() == "Verder leren – Digibank Leerplatform"
    check(page, axe_source, "/verder-leren/")

    # The filters are folded (a phone shows the offer first); the summary opens them.
    page.get_by_text("Kies een gemeente, een onderwerp of een prijs").click()
    page.get_by_label("Waar?").select_option(label="Poperinge")
    page.get_by_label("Alleen gratis").check()
    page.get_by_role("button", name="Toon het aanbod").click()
    page.wait_for_url("**/verder-leren/?gemeente=poperinge*prijs=gratis*")
    assert page.get_by_role("heading", level=3, name="Werken met je smartphone").is_visible()
    assert page.get_by_role("heading", level=3, name="Tablet voor gevorderden").count() == 0
    assert page.get_by_role("heading", level=3, name="Digimoment in Ieper").count() == 0
    link = page.get_by_role("link", name="Meer info bij Bibliotheek Poperinge")
    assert link.get_attribute("rel") == "noopener"
    assert page.get_by_role("link", name="Zoek nog meer opleidingen in het Opleidingskompas")
    check(page, axe_source, "/verder-leren/?gemeente=poperinge&prijs=gratis")

    # Remember the municipality: it becomes the default filter, prijs=gratis stays.
    page.get_by_role("button", name="Onthoud Poperinge als mijn gemeente").click()
    page.wait_for_url("**/verder-leren/?prijs=gratis")
    assert page.get_by_text("We onthouden je gemeente: Poperinge.").is_visible()
    assert page.get_by_text("Je woont in Poperinge.").is_visible()
    assert page.get_by_role("heading", level=3, name="Werken met je smartphone").is_visible()
    check(page, axe_source, "/verder-leren/ with a remembered municipality")

    page.goto(live_server.url + "/zoeken/?q=itsme")
    assert page.title() == "Zoeken: itsme – Digibank Leerplatform"
    assert page.get_by_role("heading", level=2, name="Modules en lessen").is_visible()
    assert page.get_by_role("heading", level=3, name="itsme installeren en gebruiken").is_visible()
    assert page.get_by_role("heading", level=3, name="Digimoment in Ieper").is_visible()
    check(page, axe_source, "/zoeken/?q=itsme")

    page.goto(live_server.url + "/zoeken/")
    page.get_by_label("Wat zoek je?").fill("fotoboek")
    page.get_by_role("button", name="Zoek", exact=True).click()
    page.wait_for_url("**/zoeken/?q=fotoboek")
    assert page.get_by_role("heading", level=3, name="Tablet voor gevorderden").is_visible()
    check(page, axe_source, "/zoeken/?q=fotoboek")
