"""The demo catalogue and the template files go through the real importer."""

import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from catalogue import demo, importing
from catalogue.columns import COLUMNS
from catalogue.models import CatalogueEntry, CatalogueSession, ImportRun, Organisation

pytestmark = pytest.mark.django_db
MONDAY = datetime.date(2026, 12, 7)


def seed():
    out = StringIO()
    call_command("seed_catalogue", stdout=out)
    return out.getvalue()


def test_demo_files_are_one_per_partner_with_mixed_delimiters():
    files = demo.catalogue_files()
    assert 3 <= len(files) <= 5
    delimiters, encodings, total = set(), set(), 0
    for path in files:
        result = importing.read(path.name, path.read_bytes())
        assert result.errors == [], path.name
        delimiters.add(result.delimiter)
        encodings.add(result.encoding)
        total += len(result.records)
    assert delimiters == {",", ";"}
    assert {"utf-8", "windows-1252"} <= encodings
    assert 25 <= total <= 40


def test_seed_imports_the_demo_catalogue_in_the_coming_weeks():
    out = seed()
    assert "keer aanbod van partners" in out
    entries = CatalogueEntry.objects.all()
    assert entries.count() == sum(
        len(importing.read(p.name, p.read_bytes()).records) for p in demo.catalogue_files()
    )
    assert set(entries.values_list("status", flat=True)) == {"published"}
    assert Organisation.objects.filter(name="CVO Westhoek", kind="cvo").exists()
    kinds = set(entries.values_list("kind", flat=True))
    assert kinds == {"course", "workshop", "digimoment", "lending"}
    today = timezone.localdate()
    first = CatalogueSession.objects.order_by("starts_at").first().starts_at
    assert today < timezone.localtime(first).date() <= today + datetime.timedelta(days=7)
    last = CatalogueSession.objects.order_by("starts_at").last().starts_at
    assert timezone.localtime(last).date() <= today + datetime.timedelta(weeks=9)
    for entry in entries:
        entry.full_clean()


def test_seed_twice_changes_nothing():
    seed()
    before = (
        sorted(CatalogueEntry.objects.values_list()),
        sorted(CatalogueSession.objects.values_list()),
        ImportRun.objects.count(),
    )
    assert "niets veranderd" in seed()
    after = (
        sorted(CatalogueEntry.objects.values_list()),
        sorted(CatalogueSession.objects.values_list()),
        ImportRun.objects.count(),
    )
    assert after == before


def test_a_week_later_the_dates_move_along_weekdays_and_hours_kept():
    demo.load(today=MONDAY)
    cafe = CatalogueEntry.objects.get(external_id="BIB-IEP-DC01")
    before = [timezone.localtime(s.starts_at) for s in cafe.sessions.all()]
    assert before[0].date() == MONDAY + datetime.timedelta(days=8)  # next Tuesday
    assert demo.load(today=MONDAY + datetime.timedelta(days=3)).entries == 0  # same week
    demo.load(today=MONDAY + datetime.timedelta(weeks=1))
    after = [timezone.localtime(s.starts_at) for s in cafe.sessions.all()]
    assert [a - b for a, b in zip(after, before, strict=True)] == [
        datetime.timedelta(weeks=1)
    ] * len(before)
    assert {(a.weekday(), a.hour) for a in after} == {(1, 14)}


def test_shift_keeps_the_clock_time_across_summer_time():
    content = b"code;datums\nX;26/03/2027 14:00-16:00\n"
    shifted = demo.catalogue_shift(content, 1).decode()
    assert "02/04/2027 14:00-16:00" in shifted


@pytest.mark.parametrize("name", ["catalogus-sjabloon.csv", "catalogus-sjabloon.json"])
def test_templates_import_cleanly(name):
    seed()
    path = Path(demo.DATA_DIR) / name
    library = Organisation.objects.get(name="Bibliotheek Ieper")
    result = importing.preview(library, name, path.read_bytes(), full=False)
    assert result.errors == []
    assert result.counts["created"] == 2
    if name.endswith(".csv"):
        header = path.read_bytes().decode("utf-8-sig").splitlines()[0]
        assert tuple(header.split(";")) == COLUMNS
