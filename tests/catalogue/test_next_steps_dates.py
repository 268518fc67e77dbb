"""The dates an entry stores (``last_start``, ``upcoming_start``) and the cached exports:
/verder-leren/ stays exact as time passes and after every kind of write, and an export is
made once, then served from the cache until the catalogue changes or its first date starts."""

import datetime
import time

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from catalogue import services
from catalogue.models import NO_DATE, CatalogueEntry, CatalogueSession
from catalogue.next_steps import Filters, Listing, available_entries, filtered_entries
from tests.catalogue import test_import_helpers as helpers
from tests.catalogue.next_steps_factories import EntryFactory, at
from tests.catalogue.test_import_apply import run_import
from tests.catalogue.test_import_helpers import csv_bytes, row

pytestmark = pytest.mark.django_db
places = helpers.places  # the fixture
MINUTE = datetime.timedelta(minutes=1)


def listing(now) -> list[tuple[str, datetime.datetime | None]]:
    return [(entry.title, entry.next_start) for entry in filtered_entries(Filters(), now=now)]


def stored(entry) -> tuple:
    entry.refresh_from_db()
    return entry.last_start, entry.upcoming_start


def test_the_listing_follows_the_clock_without_a_catch_up():
    twice = EntryFactory(title="Twee keer", dates=[1, 10])
    EntryFactory(title="Een keer", dates=[3])
    EntryFactory(title="Lenen", kind="lending", dates=[])
    assert stored(twice) == (at(10), at(1))

    assert listing(timezone.now()) == [
        ("Twee keer", at(1)),
        ("Een keer", at(3)),
        ("Lenen", None),
    ]
    # The first date of "Twee keer" has started: its stored next date is stale, the listing
    # looks its next one up (and orders by it).
    assert listing(at(1) + MINUTE) == [
        ("Een keer", at(3)),
        ("Twee keer", at(10)),
        ("Lenen", None),
    ]
    assert listing(at(3) + MINUTE) == [("Twee keer", at(10)), ("Lenen", None)]
    assert listing(at(10) + MINUTE) == [("Lenen", None)]
    # Before the moment the dates were stored (a day given to recommendations): the same.
    earlier = timezone.now() - datetime.timedelta(days=2)
    CatalogueSession.objects.create(entry=twice, starts_at=at(-1), ends_at=at(-1, 11))
    assert listing(earlier)[0] == ("Twee keer", at(-1))
    assert listing(timezone.now())[0] == ("Twee keer", at(1))


def pages(now) -> tuple[list[list[str]], bool]:
    """Every page of two entries, through a Paginator as /verder-leren/ reads it."""
    listing = Listing(filtered_entries(Filters(), now=now), now, filters=Filters())
    paginator = Paginator(listing, 2)
    titles = [
        [entry.title for entry in paginator.page(number).object_list]
        for number in paginator.page_range
    ]
    return titles, listing.stored_order_is_exact


def test_the_pages_read_in_the_stored_order_only_when_it_is_exact():
    EntryFactory(title="B twee keer", dates=[1, 10])
    EntryFactory(title="A een keer", dates=[3])
    EntryFactory(title="C ook na 3", dates=[3])
    EntryFactory(title="Lenen", kind="lending", dates=[])
    EntryFactory(title="Al lenen", kind="lending", dates=[])
    assert pages(timezone.now()) == (
        [["B twee keer", "A een keer"], ["C ook na 3", "Al lenen"], ["Lenen"]],
        True,
    )
    # The first date of "B twee keer" has started, its stored date is stale: sorted by the
    # looked-up next date, with the same result as the catch-up would give.
    later = at(1) + MINUTE
    stale = pages(later)
    assert stale == (
        [["A een keer", "C ook na 3"], ["B twee keer", "Al lenen"], ["Lenen"]],
        False,
    )
    services.catalogue_entry_dates_catch_up(now=later, force=True)
    assert pages(later) == (stale[0], True)


def test_the_count_is_kept_until_a_date_passes_or_the_catalogue_changes(client):
    EntryFactory(title="Eerste", dates=[2])
    EntryFactory(title="Tweede", dates=[5])
    assert b"We vonden 2 activiteiten." in client.get("/verder-leren/").content
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/verder-leren/").content.decode()
    # Municipalities, the page, its sessions: no count.
    assert len(queries) == 3, [query["sql"] for query in queries]
    assert "We vonden 2 activiteiten." in html
    EntryFactory(title="Derde", dates=[9])
    assert b"We vonden 3 activiteiten." in client.get("/verder-leren/").content
    # Once the first date has passed, that entry is gone from the count.
    later = at(2) + MINUTE
    listing = Listing(filtered_entries(Filters(), now=later), later, filters=Filters())
    assert listing.count() == 2


def test_the_catch_up_moves_only_started_next_dates():
    twice = EntryFactory(title="Twee keer", dates=[1, 10])
    once = EntryFactory(title="Een keer", dates=[3])
    later = at(1) + MINUTE
    assert services.catalogue_entry_dates_catch_up(now=later, force=True) == 1
    assert stored(twice) == (at(10), at(10))
    assert stored(once) == (at(3), at(3))
    assert listing(later) == [("Een keer", at(3)), ("Twee keer", at(10))]
    assert services.catalogue_entry_dates_catch_up(now=later, force=True) == 0


def test_the_catch_up_runs_at_most_every_few_minutes(monkeypatch):
    EntryFactory(title="Twee keer", dates=[1, 10])
    monkeypatch.setattr(services, "_catch_up_next_look", 0.0)
    services.cache.delete(services.CATCH_UP_KEY)
    assert services.catalogue_entry_dates_catch_up(now=at(1) + MINUTE) == 1
    # Another process (its own next look) finds the shared key: not due.
    monkeypatch.setattr(services, "_catch_up_next_look", 0.0)
    assert services.catalogue_entry_dates_catch_up(now=at(10) + MINUTE) == 0
    # This process does not even ask the cache again within the minute.
    services.cache.delete(services.CATCH_UP_KEY)
    assert services.catalogue_entry_dates_catch_up(now=at(10) + MINUTE) == 0


def test_import_and_admin_writes_keep_the_stored_dates(places):
    run_import(places["library"], csv_bytes([row()]))
    entry = CatalogueEntry.objects.get(external_id="BIB-1")
    first, last = (
        datetime.datetime(2027, 1, 12, 13, tzinfo=datetime.UTC),
        datetime.datetime(2027, 1, 26, 13, tzinfo=datetime.UTC),
    )
    assert stored(entry) == (last, first)
    assert [title for title, _start in listing(timezone.now())] == ["Digitaal Café"]

    # New dates in the file: stored again.
    run_import(places["library"], csv_bytes([row(datums="02/02/2027 10:00-12:00")]))
    new = datetime.datetime(2027, 2, 2, 9, tzinfo=datetime.UTC)
    assert stored(entry) == (new, new)

    # The admin form (the service behind it) removes every date: a course without dates
    # is no longer listed.
    services.catalogue_entry_save(entry=entry, sessions=[])
    assert stored(entry) == (None, NO_DATE)
    assert listing(timezone.now()) == []

    # A date in the past only: stored, but not listed.
    services.catalogue_entry_save(entry=entry, sessions=[(at(-2), at(-2, 11))])
    assert stored(entry) == (at(-2), NO_DATE)
    assert not available_entries().filter(pk=entry.pk).exists()


def test_the_migration_fills_what_the_service_stores():
    from importlib import import_module

    from django.apps import apps

    migration = import_module("catalogue.migrations.0005_catalogue_entry_stored_dates")
    entry = EntryFactory(dates=[-1, 4, 8])
    expected = stored(entry)
    CatalogueEntry.objects.update(last_start=None, upcoming_start=NO_DATE, upcoming_from=None)
    migration.fill_dates(apps, None)
    assert stored(entry) == expected == (at(8), at(4))


# --- the cached exports ----------------------------------------------------------------------

EXPORTS = ["/verder-leren/aanbod.jsonld", "/verder-leren/aanbod.csv", "/verder-leren/aanbod.ics"]


def fetch(client, url) -> tuple[bytes, int, dict]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    headers = {
        name: response[name]
        for name in ("Content-Type", "Content-Disposition", "Access-Control-Allow-Origin")
    }
    return response.content, len(queries), headers


@pytest.mark.parametrize("url", EXPORTS)
def test_an_export_is_made_once_then_served_from_the_cache(client, url):
    EntryFactory(title="Eerste cursus", dates=[2, 9])
    body, made_queries, headers = fetch(client, url)
    again, queries, again_headers = fetch(client, url)
    assert again == body
    assert again_headers == headers
    # Only the municipalities (the filters are checked against them); no entries, no sessions.
    assert queries == 1 < made_queries

    # A change anywhere in the catalogue: made again at once.
    EntryFactory(title="Nieuwe cursus", dates=[5])
    changed, queries, _headers = fetch(client, url)
    assert b"Nieuwe cursus" in changed and changed != body
    assert queries == made_queries
    # Another filter is another export.
    filtered, _queries, _headers = fetch(client, url + "?soort=lending")
    assert b"Nieuwe cursus" not in filtered


def test_a_cached_export_ends_when_its_first_date_starts(client):
    soon = EntryFactory(title="Zo dadelijk", dates=[])
    CatalogueSession.objects.create(
        entry=soon,
        starts_at=timezone.now() + datetime.timedelta(seconds=2),
        ends_at=timezone.now() + datetime.timedelta(hours=2),
    )
    EntryFactory(title="Volgende week", dates=[7])
    body, _queries, _headers = fetch(client, "/verder-leren/aanbod.ics")
    assert body.count(b"BEGIN:VEVENT") == 2
    time.sleep(2.1)
    body, queries, _headers = fetch(client, "/verder-leren/aanbod.ics")
    assert queries > 1  # made again
    assert body.count(b"BEGIN:VEVENT") == 1 and b"Volgende week" in body


def test_a_change_to_a_partner_makes_the_exports_again(client):
    entry = EntryFactory(title="Cursus", dates=[4])
    body, _queries, _headers = fetch(client, EXPORTS[0])
    entry.organisation.name = "Bibliotheek Nieuwe Naam"
    entry.organisation.save()
    changed, _queries, _headers = fetch(client, EXPORTS[0])
    assert b"Bibliotheek Nieuwe Naam" in changed and changed != body
