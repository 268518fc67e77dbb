"""Digihelpers: mandates decide who sees whom; every look is logged and shown; kiosk mode."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.formats import date_format

from catalogue.factories import DigipuntFactory
from catalogue.models import Digipunt
from learning import selectors
from learning.factories import DigihelperFactory, LearnerFactory, UserFactory
from learning.models import (
    AssistedSession,
    Digihelper,
    HelperMandate,
    Learner,
    LearningCard,
    MandateAccessLog,
)
from learning.services import cards, mandates, privacy
from tests.answers import post_answer

pytestmark = pytest.mark.django_db


@pytest.fixture
def places():
    """Two Digipunten in Ieper: a library and a local service centre."""
    return DigipuntFactory(name="Digipunt bib Ieper"), DigipuntFactory(name="Digipunt LDC")


def make_helper(digipunt, username=None):
    helper = DigihelperFactory(digipunt=digipunt)
    if username:
        helper.user.username = username
        helper.user.save()
    helper.user.groups.add(Group.objects.get_or_create(name="Digihelper")[0])
    return helper


def logged_in(helper):
    client = Client()
    client.force_login(helper.user)
    return client


def test_workspace_is_only_for_helpers(client, places):
    assert client.get("/helpers/").status_code == 302  # to the login page
    client.force_login(UserFactory())
    assert client.get("/helpers/").status_code == 404
    helper = make_helper(places[0])
    page = logged_in(helper).get("/helpers/")
    assert page.status_code == 200 and helper.helper_code in page.content.decode()


def test_every_helper_page_links_back_to_the_workspace_and_learner_pages_do_not(
    client, places, lesson
):
    helper = make_helper(places[0])
    mandate = mandates.mandate_grant(learner=LearnerFactory(), helper=helper)
    helper_client = logged_in(helper)
    back = '<li><a href="/helpers/">Werkplek</a></li>'
    assert back in helper_client.get("/helpers/").content.decode()
    assert back in mandate_page(helper_client, mandate).content.decode()
    # A learner's lesson page has no such link, nor does someone else's account.
    assert back not in client.get(lesson.url).content.decode()
    client.force_login(UserFactory())
    assert back not in client.get("/mijn/").content.decode()


def test_helper_makes_a_card_for_a_new_learner_and_prints_it(places):
    helper = make_helper(places[0])
    client = logged_in(helper)
    page = client.post("/helpers/leerkaart/", follow=True)
    code = page.context["code"]
    card = LearningCard.objects.get()
    assert card.issued_by == helper.user and Learner.objects.count() == 1
    pdf = client.post("/leerkaart/afdrukken/", {"code": code})
    assert pdf["Content-Type"] == "application/pdf"
    other = logged_in(make_helper(places[0]))
    assert other.post("/leerkaart/afdrukken/", {"code": code}).status_code == 404


def mandate_page(client, mandate):
    return client.get(f"/helpers/leerders/{mandate.pk}/")


def test_helper_sees_only_learners_whose_mandate_covers_them(places):
    bib, ldc = places
    mine, colleague, elsewhere = make_helper(bib), make_helper(bib), make_helper(ldc)
    learner = LearnerFactory()
    to_me = mandates.mandate_grant(learner=learner, helper=mine, label="Marie")
    to_bib = mandates.mandate_grant(learner=LearnerFactory(), digipunt=bib, label="Jan")

    assert mandate_page(logged_in(mine), to_me).status_code == 200
    assert mandate_page(logged_in(mine), to_bib).status_code == 200
    assert mandate_page(logged_in(colleague), to_bib).status_code == 200
    assert mandate_page(logged_in(colleague), to_me).status_code == 404  # another helper's
    assert mandate_page(logged_in(elsewhere), to_bib).status_code == 404  # other Digipunt


def test_expired_or_revoked_mandate_gives_404(places):
    helper = make_helper(places[0])
    learner = LearnerFactory()
    expired = mandates.mandate_grant(learner=learner, helper=helper)
    HelperMandate.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(1))
    revoked = mandates.mandate_grant(learner=learner, helper=helper)
    mandates.mandate_revoke(mandate=revoked, learner=learner)
    client = logged_in(helper)
    assert mandate_page(client, expired).status_code == 404
    assert mandate_page(client, revoked).status_code == 404
    assert not MandateAccessLog.objects.exists()


def test_each_look_is_logged_and_shown_to_the_learner(client, places, lesson):
    helper = make_helper(places[0], username="an.helper")
    post_answer(client, lesson, "1")
    page = client.post(
        "/mijn/meekijken/",
        {
            "who": "helper",
            "helper_code": helper.helper_code.lower(),
            "months": "3",
            "label": "Marie",
            "confirm": "on",
        },
    )
    assert page.status_code == 302
    mandate = HelperMandate.objects.get()
    assert mandate.helper == helper and mandate.learner_label == "Marie"
    assert 85 <= (mandate.expires_at - timezone.now()).days <= 91

    detail = mandate_page(logged_in(helper), mandate)
    assert "Je eID" in detail.content.decode()
    assert MandateAccessLog.objects.get().action == "bekeek de voortgang"
    mine = client.get("/mijn/meekijken/").content.decode()
    assert "Wie keek mee?" in mine and "an.helper" in mine and "bekeek de voortgang" in mine


def test_reloading_within_half_an_hour_is_one_visit_and_a_later_look_another(places, lesson):

    helper = make_helper(places[0])
    mandate = mandates.mandate_grant(learner=LearnerFactory(), helper=helper)
    client = logged_in(helper)
    for _reload in range(4):
        assert mandate_page(client, mandate).status_code == 200
    assert MandateAccessLog.objects.count() == 1
    # Other actions are always logged, and do not hide the next visit.
    client.post(f"/helpers/leerders/{mandate.pk}/", {"module": lesson.get_parent().pk})
    assert MandateAccessLog.objects.count() == 2
    MandateAccessLog.objects.update(at=timezone.now() - timedelta(minutes=31))
    mandate_page(client, mandate)
    assert MandateAccessLog.objects.filter(action="bekeek de voortgang").count() == 2


def test_learner_must_confirm_and_can_stop(client, places, lesson):
    post_answer(client, lesson, "1")
    refused = client.post(
        "/mijn/meekijken/", {"who": "digipunt", "digipunt": places[0].pk, "months": "6"}
    )
    assert "Vink aan dat je toestemming geeft." in refused.content.decode()
    assert not HelperMandate.objects.exists()
    unknown = client.post(
        "/mijn/meekijken/",
        {"who": "helper", "helper_code": "HXXXX", "months": "6", "confirm": "on"},
    )
    assert "Die helpercode kennen we niet" in unknown.content.decode()
    client.post(
        "/mijn/meekijken/",
        {"who": "digipunt", "digipunt": places[0].pk, "months": "6", "confirm": "on"},
    )
    mandate = HelperMandate.objects.get()
    assert Client().post(f"/mijn/meekijken/{mandate.pk}/stoppen/").status_code == 404
    client.post(f"/mijn/meekijken/{mandate.pk}/stoppen/")
    assert HelperMandate.objects.get().revoked_at is not None


def test_helper_sets_the_next_module(places, module):
    helper = make_helper(places[0])
    learner = LearnerFactory()
    mandate = mandates.mandate_grant(learner=learner, helper=helper)
    logged_in(helper).post(f"/helpers/leerders/{mandate.pk}/", {"module": module.pk})
    learner.refresh_from_db()
    assert learner.suggested_module_id == module.pk
    assert MandateAccessLog.objects.filter(action__startswith="zette klaar").exists()


def test_helper_records_an_assisted_session(places, module):
    helper = make_helper(places[0])
    client = logged_in(helper)
    empty = client.post(
        "/helpers/hulpmoment/", {"date": "2026-11-27", "minutes": "20", "outcome": "solved"}
    )
    assert "Kies een module of schrijf het onderwerp." in empty.content.decode()
    client.post(
        "/helpers/hulpmoment/",
        {"date": "27/11/2026", "minutes": "20", "outcome": "partly", "modules": [module.pk]},
    )
    session = AssistedSession.objects.get()
    assert session.digipunt == places[0] and list(session.modules.all()) == [module]


def test_the_session_date_field_is_filled_in_the_format_a_date_input_reads(places):
    """<input type="date"> shows a value only as yyyy-mm-dd, in every language."""
    client = logged_in(make_helper(places[0]))
    for language in ("nl-be", "fr", "ar"):
        client.cookies["taal"] = language
        html = client.get("/helpers/hulpmoment/").content.decode()
        field = re.search(r'<input type="date"[^>]*>', html).group(0)
        assert re.search(r'value="\d{4}-\d{2}-\d{2}"', field), (language, field)


def test_learner_list_queries_do_not_grow_with_learners(places):
    helper = make_helper(places[0])
    client = logged_in(helper)

    def grant(count):
        for _ in range(count):
            mandates.mandate_grant(learner=Learner.objects.create(), digipunt=places[0])

    grant(5)
    with CaptureQueriesContext(connection) as few:
        client.get("/helpers/")
    grant(495)
    with CaptureQueriesContext(connection) as many:
        response = client.get("/helpers/")
    assert response.content.decode().count("/helpers/leerders/") == 500
    assert len(many) == len(few), (len(few), len(many))


def test_kiosk_mode_ends_idle_sessions_and_forgets_the_learner(places, lesson, monkeypatch):
    helper = make_helper(places[0])
    browser = logged_in(helper)
    browser.post("/helpers/kioskmodus/")
    assert browser.cookies["kiosk"].value
    browser.post("/kiosk/afmelden/")  # the helper hands the computer over
    home = browser.get("/").content.decode()
    assert "Dit is een gedeelde computer" in home and "Ik ben er nog" in home

    clock = [1_000_000.0]
    monkeypatch.setattr("learning.kiosk.time.time", lambda: clock[0])
    post_answer(browser, lesson, "1")
    learner_cookie = browser.cookies["leerder"]
    assert learner_cookie.value and not learner_cookie["max-age"]  # dies with the browser
    clock[0] += 14 * 60
    assert "Ga verder waar je was" in browser.get("/").content.decode()
    clock[0] += 16 * 60
    response = browser.get("/mijn/", follow=True)
    assert "Je was een tijd niet actief" in response.content.decode()
    assert browser.cookies["leerder"].value == ""
    assert "Ga verder waar je was" not in browser.get("/").content.decode()


def test_kiosk_big_logout_forgets_everything(places, lesson):
    helper = make_helper(places[0])
    browser = logged_in(helper)
    browser.post("/helpers/kioskmodus/")
    browser.post("/kiosk/afmelden/")
    browser.post("/mijn/account-maken/", {"username": "piet", "password": "kaartlezer-2026"})
    done = browser.post("/kiosk/afmelden/", follow=True).content.decode()
    assert "De volgende persoon kan beginnen." in done
    assert "piet" not in browser.get("/mijn/").content.decode()


def test_idle_address_does_nothing_outside_kiosk_mode(client):
    client.post("/mijn/account-maken/", {"username": "els", "password": "kaartlezer-2026"})
    client.get("/kiosk/inactief/")
    assert "els" in client.get("/mijn/").content.decode()


def test_learner_sees_the_module_the_helper_set(client, places, module, lesson):
    post_answer(client, lesson, "1")
    learner = Learner.objects.get()
    helper = make_helper(places[0])
    mandate = mandates.mandate_grant(learner=learner, helper=helper)
    mandates.route_suggest(mandate=mandate, helper=helper, module=module)
    mine = client.get("/mijn/").content.decode()
    assert "Klaargezet door je digihelper" in mine and module.title in mine


def test_helper_replaces_a_lost_card_only_under_mandate(places):
    helper = make_helper(places[0])
    learner = LearnerFactory()
    _old, old_code = cards.learning_card_issue(learner=learner)
    mandate = mandates.mandate_grant(learner=learner, helper=helper)
    stranger = logged_in(make_helper(places[1]))
    assert stranger.post(f"/helpers/leerders/{mandate.pk}/leerkaart/").status_code == 404
    page = logged_in(helper).post(f"/helpers/leerders/{mandate.pk}/leerkaart/", follow=True)
    assert cards.learning_card_find(code=page.context["code"]).learner == learner
    assert cards.learning_card_find(code=old_code) is None
    assert MandateAccessLog.objects.filter(action="maakte een nieuwe leerkaart").exists()


def test_roles_include_administrator_and_digihelper(site_tree):
    from django.core.management import call_command

    call_command("seed_demo", "--no-translations")
    names = set(Group.objects.values_list("name", flat=True))
    assert {"Administrator", "Trainer", "Reviewer", "Digihelper"} <= names
    admin_group = Group.objects.get(name="Administrator")
    assert admin_group.permissions.filter(codename="revoke_certificate").exists()
    assert (
        not Group.objects.get(name="Reviewer")
        .permissions.filter(codename="revoke_certificate")
        .exists()
    )


# --- replacement cards are told to the learner ---------------------------------------------


def learner_browser_from_earlier(lesson, monkeypatch):
    """A learner's own browser that has known them for a while (its cookie is a minute old)."""
    browser = Client()
    earlier = timezone.now().timestamp() - 60
    with monkeypatch.context() as patch:
        patch.setattr("django.core.signing.time.time", lambda: earlier)
        post_answer(browser, lesson, "1")
    return browser, Learner.objects.get()


NOTICE = "maakte op"


def test_a_replacement_card_is_told_once_and_listed_under_wie_keek_mee(places, lesson, monkeypatch):
    own, learner = learner_browser_from_earlier(lesson, monkeypatch)
    _card, old_code = cards.learning_card_issue(learner=learner)
    helper = make_helper(places[0], username="an.helper")
    mandate = mandates.mandate_grant(learner=learner, digipunt=places[0])
    new_code = (
        logged_in(helper)
        .post(f"/helpers/leerders/{mandate.pk}/leerkaart/", follow=True)
        .context["code"]
    )
    assert cards.learning_card_find(code=old_code) is None

    first = own.get("/").content.decode()
    today = date_format(timezone.localtime(), "j F Y")
    assert (
        f"Een digihelper van Digipunt bib Ieper maakte op {today} een nieuwe leerkaart voor jou."
        in first
    )
    assert "Je oude kaart werkt niet meer. Was jij dit niet?" in first
    assert NOTICE not in own.get("/").content.decode()  # once
    learner.refresh_from_db()
    assert learner.helper_card_notice_at is None
    history = own.get("/mijn/meekijken/").content.decode()
    assert "maakte een nieuwe leerkaart" in history and "an.helper (Digipunt bib Ieper)" in history
    assert new_code not in history


def test_the_helper_cannot_hide_the_notice_by_signing_in_with_the_card(places, lesson, monkeypatch):
    own, learner = learner_browser_from_earlier(lesson, monkeypatch)
    helper = make_helper(places[0])
    mandate = mandates.mandate_grant(learner=learner, helper=helper)
    code = (
        logged_in(helper)
        .post(f"/helpers/leerders/{mandate.pk}/leerkaart/", follow=True)
        .context["code"]
    )

    with_the_card = Client()
    shown = with_the_card.post("/leerkaart/", {"code": code}, follow=True).content.decode()
    assert NOTICE in shown  # whoever holds the new card reads it too, once per session
    assert NOTICE not in with_the_card.get("/mijn/").content.decode()
    learner.refresh_from_db()
    assert learner.helper_card_notice_at is not None  # still waiting for the learner's own
    assert NOTICE in own.get("/mijn/").content.decode()
    learner.refresh_from_db()
    assert learner.helper_card_notice_at is None


# --- deleting a helper or a Digipunt keeps the learner's history ---------------------------


def history_of(learner_browser):
    return learner_browser.get("/mijn/meekijken/").content.decode()


@pytest.fixture
def looked_along(client, places, lesson):
    """A learner (this test's client) who let a helper and a whole Digipunt look along."""
    bib = places[0]
    post_answer(client, lesson, "1")
    learner = Learner.objects.get()
    helper = make_helper(bib, username="an.helper")
    to_helper = mandates.mandate_grant(learner=learner, helper=helper)
    to_bib = mandates.mandate_grant(learner=learner, digipunt=bib)
    logged_in(helper).get(f"/helpers/leerders/{to_helper.pk}/")
    logged_in(helper).get(f"/helpers/leerders/{to_bib.pk}/")
    assert MandateAccessLog.objects.count() == 2
    return learner, helper, to_helper, to_bib


GONE = "an.helper, een digihelper van Digipunt bib Ieper (niet meer actief)"


def test_deleting_a_helper_keeps_their_looks_and_mandates(client, looked_along):
    learner, helper, to_helper, to_bib = looked_along
    helper.user.delete()  # the account goes, and with it the Digihelper row
    assert HelperMandate.objects.filter(learner=learner).count() == 2
    assert MandateAccessLog.objects.filter(helper__isnull=True).count() == 2
    to_helper.refresh_from_db()
    assert to_helper.helper is None and to_helper.helper_name == "an.helper"
    page = history_of(client)
    assert page.count(GONE) == 2
    # The helper's mandate covers nobody now; the Digipunt's still stands.
    assert "Stop de toestemming" in page and page.count("/stoppen/") == 1
    export = client.get("/mijn/gegevens/download.json").json()
    by_helper = next(item for item in export["mandates"]["items"] if item["helper"])
    assert by_helper["helper"] == "an.helper" and by_helper["helper_still_active"] is False
    assert by_helper["looks"][0]["digipunt"] == "Digipunt bib Ieper"


def test_deleting_a_helper_and_a_digipunt_in_the_admin_keeps_the_history(
    client, admin_client, looked_along
):
    from django.urls import reverse

    learner, helper, to_helper, to_bib = looked_along
    bib = helper.digipunt
    response = admin_client.post(reverse("digihelpers:delete", args=[helper.pk]))
    assert response.status_code == 302 and not Digihelper.objects.exists()
    response = admin_client.post(reverse("digipunten:delete", args=[bib.pk]))
    assert response.status_code == 302 and not Digipunt.objects.filter(pk=bib.pk).exists()
    to_bib.refresh_from_db()
    assert to_bib.digipunt is None and to_bib.digipunt_name == "Digipunt bib Ieper"
    assert MandateAccessLog.objects.filter(mandate__learner=learner).count() == 2
    page = history_of(client)
    assert page.count(GONE) == 2
    assert "Niemand. Alleen jij ziet je voortgang." in page  # no mandate covers anyone now


def test_deleting_a_digipunt_keeps_the_mandates_given_to_it(client, places, lesson):
    post_answer(client, lesson, "1")
    learner = Learner.objects.get()
    mandate = mandates.mandate_grant(learner=learner, digipunt=places[1])
    places[1].delete()
    mandate.refresh_from_db()
    assert mandate.digipunt is None and mandate.digipunt_name == "Digipunt LDC"
    assert not selectors.mandates_covering(make_helper(places[0])).exists()
    export = client.get("/mijn/gegevens/download.json").json()
    assert export["mandates"]["items"][0]["digipunt"] == "Digipunt LDC"


def test_looks_of_a_deleted_helper_still_go_after_twelve_months(looked_along):
    learner, helper, to_helper, _to_bib = looked_along
    old = MandateAccessLog.objects.order_by("pk").first()
    MandateAccessLog.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=400))
    helper.user.delete()
    assert privacy.access_logs_purge(dry_run=False) == 1
    assert list(MandateAccessLog.objects.values_list("helper_name", flat=True)) == ["an.helper"]


def test_reloading_a_new_cards_page_makes_no_other_card(places):
    """The code is shown once: a reload (or Back) neither shows it again nor makes a card."""
    helper = make_helper(places[0])
    client = logged_in(helper)
    made = client.post("/helpers/leerkaart/")
    assert made.status_code == 302 and made["Location"] == "/helpers/leerkaart/klaar/"
    shown = client.get("/helpers/leerkaart/klaar/")
    assert shown.status_code == 200 and shown["Cache-Control"] == "no-store"
    code = shown.context["code"]
    reloaded = client.get("/helpers/leerkaart/klaar/", follow=True)
    assert code not in reloaded.content.decode()
    assert "maar één keer" in reloaded.content.decode()
    assert LearningCard.objects.count() == 1 and Learner.objects.count() == 1
    assert cards.learning_card_find(code=code) is not None
