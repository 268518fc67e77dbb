"""A reviewer sees on the admin dashboard what waits, publishes a partner's entries in bulk
and rejects one with a reason; learners find the published ones on /verder-leren/, and the
partner reads the outcome on their own dashboard. axe checks our own panels and screen
(Wagtail's chrome around them is not ours)."""

import pytest
from django.test import Client

from catalogue.models import CatalogueEntry, Municipality, Organisation
from catalogue.services import PARTNER_EDITOR
from courses.roles import REVIEWER
from tests.catalogue import test_import_helpers as helpers
from tests.catalogue.next_steps_factories import EntryFactory
from tests.catalogue.test_import_helpers import partner_editor, staff
from tests.journeys.conftest import new_context
from tests.journeys.helpers import run_axe

pytestmark = pytest.mark.browser
roles = helpers.roles  # the fixture
DESKTOP = {"width": 1280, "height": 900}
TITLES = ["Werken met je smartphone", "Veilig online bankieren", "Je eID op de computer"]


@pytest.fixture
def waiting(transactional_db, site_tree, roles):
    # The live server's database is transactional: our rows are made here.
    poperinge = Municipality.objects.create(name="Poperinge", slug="poperinge", cluster="poperinge")
    library = Organisation.objects.create(name="Bibliotheek Poperinge", kind="library")
    other = Organisation.objects.create(name="CVO Westhoek", kind="cvo")
    for title in TITLES:
        EntryFactory(
            organisation=library, title=title, municipality=poperinge, status=CatalogueEntry.DRAFT
        )
    EntryFactory(organisation=other, title="Excel voor beginners", status=CatalogueEntry.DRAFT)
    assert roles[PARTNER_EDITOR]
    return {
        "reviewer": staff(REVIEWER, roles),
        "editor": partner_editor(library, roles),
        "library": library,
    }


@pytest.fixture
def page(browser, live_server):
    # bypass_csp only for axe-core, injected as an inline script (see tests/journeys/conftest).
    context = new_context(browser, javascript=True, bypass_csp=True)
    context.set_default_timeout(15000)
    page = context.new_page()
    page.set_viewport_size(DESKTOP)
    yield page
    context.close()


def log_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_reviewer_publishes_in_bulk_and_the_partner_sees_it(page, live_server, axe_source, waiting):
    log_in(page, live_server, waiting["reviewer"])
    page.goto(f"{live_server.url}/admin/")
    panel = page.locator("#catalogue-review-section")
    assert panel.get_by_role("heading", name="Wacht op nakijken").is_visible()
    row = panel.locator("[data-partner='Bibliotheek Poperinge']")
    assert row.locator("[data-count]").inner_text() == "3"
    assert panel.locator("[data-partner='CVO Westhoek'] [data-count]").inner_text() == "1"
    assert run_axe(page, axe_source, include="#catalogue-review-section") == []

    row.get_by_role("link", name="Bibliotheek Poperinge").click()
    page.wait_for_url(f"**/admin/aanbod-nakijken/?partner={waiting['library'].pk}")
    screen = page.locator("[data-review-screen]")
    assert screen.locator("tbody tr").count() == 3
    assert screen.get_by_text("Excel voor beginners").count() == 0
    assert run_axe(page, axe_source, include="[data-review-screen]") == []

    # "Alles" ticks every entry (Wagtail's own bulk controller); untick the one to reject.
    screen.get_by_label("Alles", exact=True).check()
    for title in TITLES:
        assert screen.get_by_label(title, exact=True).is_checked()
    screen.get_by_label("Je eID op de computer", exact=True).uncheck()
    screen.get_by_role("button", name="Publiceren").click()
    page.wait_for_load_state()
    assert page.get_by_text("2 aanbiedingen zijn gepubliceerd.").is_visible()
    assert screen.locator("tbody tr").count() == 1

    # Rejecting without a reason is refused; with one it works.
    screen.get_by_label("Je eID op de computer", exact=True).check()
    screen.get_by_role("button", name="Afwijzen").click()
    page.wait_for_load_state()
    assert page.get_by_text("Schrijf waarom je het aanbod afwijst.").is_visible()
    assert screen.get_by_label("Je eID op de computer", exact=True).is_checked()
    screen.get_by_label("Reden van de afwijzing").fill("Zet er een datum bij.")
    screen.get_by_role("button", name="Afwijzen").click()
    page.wait_for_load_state()
    assert page.get_by_text("1 aanbod is afgewezen.").is_visible()
    # Nothing of this partner waits any more: back to what every partner has waiting.
    page.wait_for_url("**/admin/aanbod-nakijken/")
    assert [row.inner_text() for row in screen.locator("tbody tr td:nth-child(2)").all()] == [
        "Excel voor beginners"
    ]
    assert run_axe(page, axe_source, include="[data-review-screen]") == []

    page.goto(f"{live_server.url}/verder-leren/")
    assert page.get_by_role("heading", name="Werken met je smartphone").count() == 1
    assert page.get_by_role("heading", name="Veilig online bankieren").count() == 1
    assert page.get_by_role("heading", name="Je eID op de computer").count() == 0

    log_in(page, live_server, waiting["editor"])
    page.goto(f"{live_server.url}/admin/")
    assert page.locator("#catalogue-review-section").count() == 0
    outcome = page.locator("#catalogue-review-outcome-section")
    assert outcome.get_by_role("heading", name="Uitkomst van het nakijken").is_visible()
    published = outcome.locator("tr[data-outcome='published']")
    assert published.count() == 2
    rejected = outcome.locator("tr[data-outcome='rejected']")
    assert "Je eID op de computer" in rejected.inner_text()
    assert "Zet er een datum bij." in rejected.inner_text()
    assert run_axe(page, axe_source, include="#catalogue-review-outcome-section") == []
