"""Reviewers see what waits on their dashboard and publish or reject partner entries in bulk;
the partner sees the outcome and the reason on theirs."""

import re
from html import unescape

import pytest
from django.core.exceptions import PermissionDenied

from catalogue import services
from catalogue.admin_views.dashboard import ReviewOutcomePanel, ReviewWaitingPanel
from catalogue.factories import OrganisationFactory
from catalogue.models import CatalogueEntry
from catalogue.rules import CatalogueRefused
from courses.roles import ADMINISTRATOR, REVIEWER, TRAINER
from tests.catalogue import test_import_helpers as helpers
from tests.catalogue.test_import_helpers import csv_bytes, partner_editor, row, staff

pytestmark = pytest.mark.django_db
places = helpers.places  # the fixture
roles = helpers.roles  # the fixture
REVIEW = "/admin/aanbod-nakijken/"


def import_as(editor, organisation, titles, *, prefix="X"):
    """The partner editor imports these entries: they wait for review (drafts)."""
    rows = [
        row(code=f"{prefix}-{number}", titel=title, digipunt="")
        | {"gemeente": "Ieper", "adres": "Markt 1"}
        for number, title in enumerate(titles, start=1)
    ]
    run = services.catalogue_import_preview(
        organisation=organisation,
        filename="aanbod.csv",
        content=csv_bytes(rows),
        full=False,
        user=editor,
    )
    assert not run.errors, run.errors
    services.catalogue_import_apply(run=run, user=editor)
    return list(
        CatalogueEntry.objects.filter(organisation=organisation, title__in=titles).order_by("title")
    )


@pytest.fixture
def waiting(places, roles):
    library, cvo = places["library"], places["cvo"]
    editor_a, editor_b = partner_editor(library, roles), partner_editor(cvo, roles)
    entries_a = import_as(editor_a, library, ["Café A1", "Café A2", "Café A3"], prefix="A")
    entries_b = import_as(editor_b, cvo, ["Cursus B1", "Cursus B2"], prefix="B")
    assert {entry.status for entry in entries_a + entries_b} == {CatalogueEntry.DRAFT}
    return {
        "a": editor_a,
        "b": editor_b,
        "entries_a": entries_a,
        "entries_b": entries_b,
        "reviewer": staff(REVIEWER, roles),
        **places,
    }


def panel(html: str, marker: str) -> str:
    start = html.index(marker)
    return html[start : html.index("</section>", start)]


def messages_of(response) -> list[str]:
    """Wagtail renders a message as HTML (escaped, with white space around it)."""
    return [unescape(str(message)).strip() for message in response.context["messages"]]


def statuses(entries) -> list[str]:
    return [CatalogueEntry.objects.get(pk=entry.pk).status for entry in entries]


def public_titles(client) -> str:
    return client.get("/verder-leren/").content.decode()


# --- the dashboard -------------------------------------------------------------------------


def test_reviewer_sees_what_waits_per_partner(client, waiting):
    client.force_login(waiting["reviewer"])
    html = panel(client.get("/admin/").content.decode(), "data-review-waiting")
    assert "Wacht op nakijken" in client.get("/admin/").content.decode()
    counts = dict(
        re.findall(
            r'data-partner="([^"]+)">\s*<td><a [^>]+>[^<]+</a></td>\s*<td data-count>(\d+)', html
        )
    )
    assert counts == {"Bibliotheek Ieper": "3", "CVO Westhoek": "2"}
    assert f'href="{REVIEW}?partner={waiting["library"].pk}"' in html
    assert "Alles nakijken (5 aanbiedingen)" in html
    assert "Er wacht geen pagina op jouw nakijken." in html


def test_administrator_sees_the_panel_too_but_a_trainer_does_not(client, waiting, roles):
    client.force_login(staff(ADMINISTRATOR, roles))
    assert "data-review-waiting" in client.get("/admin/").content.decode()
    client.force_login(staff(TRAINER, roles))
    html = client.get("/admin/").content.decode()
    assert "data-review-waiting" not in html and "data-review-outcome" not in html


def test_partner_editor_sees_no_review_panel_but_their_own_waiting(client, waiting):
    client.force_login(waiting["a"])
    html = client.get("/admin/").content.decode()
    assert "Wacht op nakijken" not in html and "data-review-waiting" not in html
    outcome = panel(html, "data-review-outcome")
    assert "Er wachten nog 3 aanbiedingen op nakijken." in outcome
    assert "CVO Westhoek" not in html and "Cursus B1" not in html


def test_page_tasks_waiting_for_the_reviewer_are_counted(client, waiting, roles, site_tree):
    from courses.factories import ModulePageFactory
    from courses.roles import roles_ensure

    home, index = site_tree
    roles_ensure(tree_root=home)
    trainer = staff(TRAINER, roles)
    module = ModulePageFactory(parent=index, title="Je eID", slug="je-eid")
    module.save_revision(user=trainer)
    module.get_workflow().start(module, trainer)
    client.force_login(waiting["reviewer"])
    html = panel(client.get("/admin/").content.decode(), "data-review-waiting")
    assert '<a href="/admin/#awaiting-review-section">1 pagina wacht op jouw nakijken.</a>' in html


def test_the_panel_stays_cheap_with_fifty_entries(places, roles, django_assert_max_num_queries):
    reviewer = staff(REVIEWER, roles)
    for number in range(5):
        organisation = OrganisationFactory(name=f"Partner {number}")
        editor = partner_editor(organisation, roles)
        import_as(editor, organisation, [f"Aanbod {number}-{n}" for n in range(10)], prefix="P")
    assert CatalogueEntry.objects.filter(status=CatalogueEntry.DRAFT).count() == 50
    reviewer = type(reviewer).objects.get(pk=reviewer.pk)  # no cached groups
    # The role check, the page tasks (the active tasks, their groups, the count) and one
    # aggregate for every partner's entries.
    with django_assert_max_num_queries(7):
        html = ReviewWaitingPanel(reviewer).render_html({})
    assert html.count("data-count>10<") == 5
    editor = type(reviewer).objects.filter(partner_editor__isnull=False).first()
    with django_assert_max_num_queries(4):
        ReviewOutcomePanel(editor).render_html({})


# --- publishing in bulk --------------------------------------------------------------------


def test_bulk_publish_publishes_exactly_the_chosen_entries(client, waiting):
    first, second, third = waiting["entries_a"]
    assert "Café A1" not in public_titles(client)
    client.force_login(waiting["reviewer"])
    page = client.get(REVIEW, {"partner": waiting["library"].pk}).content.decode()
    assert "Café A1" in page and "Cursus B1" not in page
    response = client.post(
        f"{REVIEW}?partner={waiting['library'].pk}",
        {"aanbod": [first.pk, second.pk], "actie": "publiceren"},
        follow=True,
    )
    assert "2 aanbiedingen zijn gepubliceerd." in " ".join(messages_of(response))
    # Something of this partner still waits: back to their list.
    assert response.redirect_chain == [(f"{REVIEW}?partner={waiting['library'].pk}", 302)]
    assert statuses([first, second, third]) == ["published", "published", "draft"]
    assert statuses(waiting["entries_b"]) == ["draft", "draft"]
    first.refresh_from_db()
    assert first.reviewed_by == waiting["reviewer"] and first.reviewed_at is not None
    shown = public_titles(client)
    assert "Café A1" in shown and "Café A2" in shown and "Café A3" not in shown
    # The partner sees it on their dashboard.
    client.force_login(waiting["a"])
    outcome = panel(client.get("/admin/").content.decode(), "data-review-outcome")
    assert "Café A1" in outcome and "Gepubliceerd" in outcome
    assert "Er wacht nog 1 aanbod op nakijken." in outcome


def test_bulk_reject_needs_a_reason_and_the_partner_reads_it(client, waiting):
    first, second = waiting["entries_b"]
    client.force_login(waiting["reviewer"])
    response = client.post(REVIEW, {"aanbod": [first.pk, second.pk], "actie": "afwijzen"})
    assert response.status_code == 200
    assert "Schrijf waarom je het aanbod afwijst." in " ".join(messages_of(response))
    assert statuses([first, second]) == ["draft", "draft"]
    # the choice is kept
    html = response.content.decode()
    ticked = re.findall(r'<input type="checkbox" name="aanbod" value="(\d+)"[^>]* checked>', html)
    assert ticked == [str(first.pk), str(second.pk)]

    reason = "Geef een datum en een adres in Ieper. <b>Dank!</b>"
    response = client.post(
        REVIEW, {"aanbod": [first.pk, second.pk], "actie": "afwijzen", "reden": reason}, follow=True
    )
    assert "2 aanbiedingen zijn afgewezen." in " ".join(messages_of(response))
    assert statuses([first, second]) == ["rejected", "rejected"]
    first.refresh_from_db()
    assert first.review_reason == reason
    assert "Cursus B1" not in public_titles(client)

    client.force_login(waiting["b"])
    outcome = panel(client.get("/admin/").content.decode(), "data-review-outcome")
    assert "Cursus B1" in outcome and "Afgewezen" in outcome
    assert "Geef een datum en een adres in Ieper. &lt;b&gt;Dank!&lt;/b&gt;" in outcome
    # Another partner sees nothing of it.
    client.force_login(waiting["a"])
    assert "Cursus B1" not in client.get("/admin/").content.decode()


def test_a_rejected_entry_that_the_partner_changes_waits_again(client, waiting):
    entry = waiting["entries_a"][0]
    services.catalogue_entries_reject(
        entry_ids=[entry.pk], user=waiting["reviewer"], reason="Te vaag."
    )
    import_as(waiting["a"], waiting["library"], ["Café A1, duidelijker"], prefix="A")
    entry.refresh_from_db()
    assert entry.title == "Café A1, duidelijker" and entry.status == "draft"
    assert entry in services.catalogue_user_entries(waiting["reviewer"]).filter(status="draft")


# --- bad input -----------------------------------------------------------------------------


def test_nothing_chosen(client, waiting):
    client.force_login(waiting["reviewer"])
    response = client.post(REVIEW, {"actie": "publiceren"})
    assert response.status_code == 200
    assert messages_of(response) == ["Je koos geen aanbod. Vink minstens één aanbod aan."]
    assert CatalogueEntry.objects.filter(status="draft").count() == 5


def test_an_entry_already_published_refuses_the_whole_choice(client, waiting):
    first, second, _third = waiting["entries_a"]
    services.catalogue_entries_publish(entry_ids=[first.pk], user=waiting["reviewer"])
    client.force_login(waiting["reviewer"])
    for action, reason in (("publiceren", ""), ("afwijzen", "Nee.")):
        response = client.post(
            REVIEW, {"aanbod": [first.pk, second.pk], "actie": action, "reden": reason}
        )
        assert response.status_code == 200
        [message] = messages_of(response)
        assert "wacht niet meer op nakijken" in message and "Café A1" in message
        assert "Er is niets veranderd." in message
        assert statuses([second]) == ["draft"]
    # The reason typed is kept.
    assert ">Nee.</textarea>" in response.content.decode()


def test_unknown_or_bad_entries_and_actions(client, waiting):
    client.force_login(waiting["reviewer"])
    entry = waiting["entries_a"][0]
    for data, expected in (
        ({"aanbod": [entry.pk, 99999], "actie": "publiceren"}, "bestaat niet meer"),
        ({"aanbod": ["drie"], "actie": "publiceren"}, "Kies aanbod uit de lijst."),
        ({"aanbod": [entry.pk], "actie": "wissen"}, "Kies 'Publiceren' of 'Afwijzen'."),
        ({"aanbod": [entry.pk]}, "Kies 'Publiceren' of 'Afwijzen'."),
    ):
        response = client.post(REVIEW, data)
        assert response.status_code == 200
        assert any(expected in message for message in messages_of(response)), data
    assert CatalogueEntry.objects.filter(status="draft").count() == 5


def test_a_withdrawn_entry_is_not_waiting(client, waiting):
    entry = waiting["entries_a"][0]
    CatalogueEntry.objects.filter(pk=entry.pk).update(withdrawn_at="2026-01-01T00:00:00Z")
    client.force_login(waiting["reviewer"])
    assert "Café A1" not in client.get(REVIEW).content.decode()
    response = client.post(REVIEW, {"aanbod": [entry.pk], "actie": "publiceren"})
    assert "wacht niet meer op nakijken" in messages_of(response)[0]
    assert statuses([entry]) == ["draft"]


def test_a_partner_editor_reviews_nothing_not_even_their_own(client, waiting):
    own, other = waiting["entries_a"][0], waiting["entries_b"][0]
    client.force_login(waiting["a"])
    response = client.get(REVIEW)
    assert response.status_code == 302 and response.url == "/admin/"
    client.get("/admin/")  # shows (and so empties) the message
    for entry in (own, other):
        response = client.post(REVIEW, {"aanbod": [entry.pk], "actie": "publiceren"}, follow=True)
        assert messages_of(response) == [
            "Alleen een reviewer of beheerder mag aanbod publiceren of afwijzen."
        ]
    assert statuses([own, other]) == ["draft", "draft"]
    with pytest.raises(PermissionDenied):
        services.catalogue_entries_publish(entry_ids=[own.pk], user=waiting["a"])
    with pytest.raises(PermissionDenied):
        services.catalogue_entries_reject(entry_ids=[other.pk], user=waiting["a"], reason="x")
    # And no menu item leads there.
    assert REVIEW not in client.get("/admin/").content.decode()


def test_get_never_writes(client, waiting):
    entry = waiting["entries_a"][0]
    client.force_login(waiting["reviewer"])
    response = client.get(REVIEW, {"aanbod": entry.pk, "actie": "publiceren", "reden": "x"})
    assert response.status_code == 200
    assert statuses([entry]) == ["draft"]


def test_an_unknown_partner_shows_everything_that_waits(client, waiting):
    client.force_login(waiting["reviewer"])
    response = client.get(REVIEW, {"partner": "abc"})
    assert response.status_code == 200
    assert "Van deze partner wacht er niets meer op nakijken." in messages_of(response)[0]
    html = response.content.decode()
    assert "Café A1" in html and "Cursus B1" in html


def test_everything_reviewed(client, waiting):
    client.force_login(waiting["reviewer"])
    ids = [entry.pk for entry in waiting["entries_a"] + waiting["entries_b"]]
    services.catalogue_entries_publish(entry_ids=ids, user=waiting["reviewer"])
    assert "Er wacht geen aanbod op nakijken." in client.get(REVIEW).content.decode()
    html = client.get("/admin/").content.decode()
    assert "Er wacht geen aanbod van partners op nakijken." in html


def test_all_or_nothing_when_the_database_fails(waiting, monkeypatch):
    entries = waiting["entries_a"]

    def broken(ids):
        raise RuntimeError("search index down")

    monkeypatch.setattr(services, "_reindex", broken)
    with pytest.raises(RuntimeError):
        services.catalogue_entries_publish(
            entry_ids=[entry.pk for entry in entries], user=waiting["reviewer"]
        )
    assert statuses(entries) == ["draft", "draft", "draft"]


def test_service_refuses_an_empty_reason_made_of_spaces(waiting):
    with pytest.raises(CatalogueRefused):
        services.catalogue_entries_reject(
            entry_ids=[waiting["entries_a"][0].pk], user=waiting["reviewer"], reason="   \n"
        )


def test_single_publish_button_records_the_review(client, waiting):
    entry = waiting["entries_a"][0]
    client.force_login(waiting["reviewer"])
    client.post(f"/admin/aanbod/publish/{entry.pk}/")
    entry.refresh_from_db()
    assert entry.status == "published" and entry.reviewed_by == waiting["reviewer"]


def test_after_the_last_entry_of_a_partner_every_partner_is_shown(client, waiting):
    client.force_login(waiting["reviewer"])
    cvo = waiting["cvo"].pk
    response = client.post(
        f"{REVIEW}?partner={cvo}",
        {"aanbod": [entry.pk for entry in waiting["entries_b"]], "actie": "publiceren"},
        follow=True,
    )
    assert response.redirect_chain == [(REVIEW, 302)]
    assert messages_of(response) == [
        "2 aanbiedingen zijn gepubliceerd. Leerders zien ze nu op 'Verder leren'."
    ]
    assert "Café A1" in response.content.decode()
