"""Recommendations after a module: one test per rule of ``next_steps.recommendations``, and
the include ``catalogue/_recommendations.html``."""

import datetime

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from catalogue.factories import DigipuntFactory, MunicipalityFactory
from catalogue.models import CatalogueEntry
from catalogue.next_steps import MUNICIPALITY_COOKIE, recommendation_block, recommendations
from tests.catalogue.next_steps_factories import EntryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ieper():
    return MunicipalityFactory(name="Ieper", cluster="ieper")


@pytest.fixture
def zonnebeke():
    return MunicipalityFactory(name="Zonnebeke", cluster="ieper")


@pytest.fixture
def poperinge():
    return MunicipalityFactory(name="Poperinge", cluster="poperinge")


def titles(entries):
    return [entry.title for entry in entries]


def recommend(**kwargs):
    kwargs.setdefault("competences", ["2.6"])
    kwargs.setdefault("level", 1)
    kwargs.setdefault("limit", 10)
    return titles(recommendations(**kwargs))


def test_only_available_entries(ieper):
    EntryFactory(title="Komt eraan")
    EntryFactory(title="Nog na te lezen", status=CatalogueEntry.DRAFT)
    EntryFactory(title="Ingetrokken", withdrawn_at=timezone.now())
    EntryFactory(title="Voorbij", dates=[-2])
    EntryFactory(title="Geen datum", dates=[])
    EntryFactory(title="Lenen", kind="lending", dates=[])
    assert recommend() == ["Komt eraan", "Lenen"]


def test_an_area_in_common_is_required(ieper):
    EntryFactory(title="Zelfde competentie", competences=["2.6"])
    EntryFactory(title="Zelfde gebied", competences=["2.1"])
    EntryFactory(title="Ander gebied", competences=["4.1"])
    EntryFactory(title="Geen competenties", competences=[])
    assert recommend(competences=["2.6"]) == ["Zelfde competentie", "Zelfde gebied"]
    # Without competences (nothing finished yet) every entry may be shown, soonest first.
    assert len(recommend(competences=[])) == 4


def test_exact_competence_counts_more_than_the_same_area(ieper):
    EntryFactory(title="Zelfde gebied, eerder", competences=["2.3"], dates=[2])
    EntryFactory(title="Zelfde competentie, later", competences=["2.6"], dates=[30])
    EntryFactory(title="Beide competenties", competences=["2.6", "4.1"], dates=[40])
    EntryFactory(title="Twee gebieden", competences=["2.3", "4.2"], dates=[50])
    assert recommend(competences=["2.6", "4.1"]) == [
        "Beide competenties",  # 2 + 2
        "Zelfde competentie, later",  # 2 + 0 ... ties with "Twee gebieden" (1 + 1): sooner
        "Twee gebieden",
        "Zelfde gebied, eerder",  # 1
    ]


def test_level_equal_or_one_higher(ieper):
    EntryFactory(title="Niveau 1", level=1, dates=[5])
    EntryFactory(title="Niveau 2", level=2, dates=[3])
    EntryFactory(title="Niveau 3", level=3, dates=[1])
    EntryFactory(title="Geen niveau", level=None, dates=[2])
    # Lower repeats what you just did; two higher is too big a step.
    assert recommend(level=2) == ["Niveau 3", "Niveau 2", "Geen niveau"]
    # Equal and one higher count the same (soonest first); an unknown level comes after.
    assert recommend(level=1) == ["Niveau 2", "Niveau 1", "Geen niveau"]
    assert recommend(level=None) == ["Niveau 3", "Geen niveau", "Niveau 2", "Niveau 1"]


def test_competences_weigh_more_than_level(ieper):
    EntryFactory(title="Precies, niveau onbekend", competences=["2.6"], level=None)
    EntryFactory(title="Gebied, niveau past", competences=["2.1"], level=1)
    assert recommend(level=1) == ["Precies, niveau onbekend", "Gebied, niveau past"]


def test_place_own_then_neighbour_then_online_then_elsewhere(ieper, zonnebeke, poperinge):
    EntryFactory(title="Elders", municipality=poperinge, dates=[1])
    EntryFactory(title="Online", municipality=None, address="", online=True, dates=[2])
    EntryFactory(title="Buurgemeente", municipality=zonnebeke, dates=[3])
    EntryFactory(title="Eigen gemeente", municipality=ieper, dates=[4])
    digipunt = DigipuntFactory(municipality=ieper)
    EntryFactory(
        title="Digipunt in eigen gemeente", municipality=None, digipunt=digipunt, dates=[5]
    )
    assert recommend(municipality=ieper) == [
        "Eigen gemeente",
        "Digipunt in eigen gemeente",
        "Buurgemeente",
        "Online",
        "Elders",
    ]
    # Without a municipality the place does not matter: the soonest first.
    assert recommend()[:2] == ["Elders", "Online"]


def test_level_weighs_more_than_place(ieper, poperinge):
    EntryFactory(title="Hier, niveau onbekend", municipality=ieper, level=None)
    EntryFactory(title="Ver, niveau past", municipality=poperinge, level=2)
    assert recommend(level=1, municipality=ieper) == ["Ver, niveau past", "Hier, niveau onbekend"]


def test_soonest_first_then_lending_and_limit(ieper):
    EntryFactory(title="Later", dates=[20])
    EntryFactory(title="Lenen", kind="lending", dates=[])
    EntryFactory(title="Eerst", dates=[20, 3])
    EntryFactory(title="Midden", dates=[9])
    assert recommend() == ["Eerst", "Midden", "Later", "Lenen"]
    assert recommend(limit=3) == ["Eerst", "Midden", "Later"]
    assert titles(recommendations(competences=["2.6"], level=1)) == ["Eerst", "Midden", "Later"]


def test_today_moves_what_counts_as_upcoming(ieper):
    EntryFactory(title="Over 5 dagen", dates=[5])
    EntryFactory(title="Over 20 dagen", dates=[20])
    later = timezone.localdate() + datetime.timedelta(days=10)
    assert recommend(today=later) == ["Over 20 dagen"]
    assert recommend(today=timezone.localdate()) == ["Over 5 dagen", "Over 20 dagen"]


def test_two_queries_whatever_the_number(ieper, zonnebeke):
    for number in range(30):
        EntryFactory(title=f"Cursus {number}", dates=[1 + number, 40 + number])
    with CaptureQueriesContext(connection) as captured:
        found = recommendations(competences=["2.6", "4.1"], level=1, municipality=ieper)
        [entry.upcoming_sessions for entry in found]
        [(entry.organisation.name, entry.municipality) for entry in found]
    assert len(found) == 3
    assert len(captured) == 2


# --- the include ----------------------------------------------------------------------------


def render_block(request, **kwargs):
    block = recommendation_block(request, **kwargs)
    return block, render_to_string(
        "catalogue/_recommendations.html", {"next_steps": block}, request=request
    )


def test_include_shows_three_entries_and_links_to_the_area(ieper, zonnebeke):
    for number in range(5):
        EntryFactory(title=f"Veilig online {number}", competences=["4.2"], dates=[1 + number])
    EntryFactory(title="In mijn gemeente", competences=["4.1"], municipality=zonnebeke, dates=[30])
    request = RequestFactory().get("/mijn/")
    request.COOKIES[MUNICIPALITY_COOKIE] = "zonnebeke"
    block, html = render_block(request, competences=["4.2", "2.6"], level=1)
    assert block.municipality == zonnebeke
    assert '<h2 id="verder-leren-titel">Verder leren</h2>' in html
    assert html.count('<li class="card entry"') == 3
    # Exact competence first (4.2), the municipality breaks the ties after that.
    assert titles(card.entry for card in block.cards) == [
        "Veilig online 0",
        "Veilig online 1",
        "Veilig online 2",
    ]
    assert '<a href="/verder-leren/?gebied=4">Meer aanbod over Veiligheid</a>' in html
    assert "Meer info bij" in html


def test_include_without_matches_still_links_to_the_catalogue(ieper):
    request = RequestFactory().get("/mijn/")
    block, html = render_block(request, competences=["3.4"], level=3)
    assert block.cards == []
    assert "We vonden nu geen cursus die hierbij past." in html
    assert 'href="/verder-leren/?gebied=3"' in html
    _block, nothing = render_block(request, competences=[], level=None)
    assert 'href="/verder-leren/">Bekijk al het aanbod</a>' in nothing


def test_include_renders_nothing_without_a_block():
    assert render_to_string("catalogue/_recommendations.html", {}).strip() == ""
