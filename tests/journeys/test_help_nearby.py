"""A visitor finds a Digipunt near home on /hulp/, with and without a filter; axe and sizes."""

from io import StringIO

import pytest
from django.core.management import call_command

from tests.journeys.helpers import run_axe, size_problems

pytestmark = pytest.mark.browser


def check(page, axe_source, label):
    assert page.locator("html").get_attribute("lang") == "nl-BE", label
    violations = run_axe(page, axe_source)
    assert violations == [], f"{label}: {violations}"
    sizes = size_problems(page)
    assert sizes["small"] == [], f"{label}: tap targets under 44 px: {sizes['small']}"
    assert sizes["tiny"] == [], f"{label}: text under 18 px: {sizes['tiny']}"


def test_find_a_digipunt_in_my_municipality(live_server, page_for_axe, axe_source):
    # Until config/urls.py includes catalogue.urls; the live server reads this setting.
    # The live server's database is transactional: the fixtures' rows are gone, load ours.
    call_command("seed_catalogue", stdout=StringIO())
    page = page_for_axe

    page.goto(live_server.url + "/hulp/")
    assert page.title() == "Hulp in de buurt – Digibank Leerplatform"
    check(page, axe_source, "/hulp/")
    # 31 demo Digipunten come in two pages; "Volgende" leads to the rest, "Vorige" back.
    assert page.locator(".card.digipunt").count() == 20
    page.get_by_role("link", name="Volgende").click()
    page.wait_for_url("**/hulp/?pagina=2")
    assert page.locator(".card.digipunt").count() == 11
    assert page.title() == "Hulp in de buurt – pagina 2 – Digibank Leerplatform"
    check(page, axe_source, "/hulp/?pagina=2")
    page.go_back()
    page.wait_for_url("**/hulp/")
    assert page.locator(".card.digipunt").count() == 20

    page.get_by_label("In welke gemeente zoek je hulp?").select_option(label="Vleteren")
    page.get_by_role("button", name="Zoek hulp").click()
    page.wait_for_url("**/hulp/?gemeente=vleteren*")
    assert page.get_by_role("heading", level=3, name="Bibliotheek Vleteren").is_visible()
    assert page.get_by_role("heading", level=3, name="Bibliotheek Ieper").count() == 0
    visits = page.locator(".visits li")
    assert visits.count() > 0
    assert "Woesten" in page.locator(".visits").inner_text()
    check(page, axe_source, "/hulp/?gemeente=vleteren")

    page.goto(live_server.url + "/hulp/bestaat-niet/")
    assert page.title().startswith("Deze gemeente vinden we niet")
    check(page, axe_source, "unknown municipality")
