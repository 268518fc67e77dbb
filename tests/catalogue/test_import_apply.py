"""Applying an import: one transaction, idempotent, withdraws (never deletes), drafts for
partners; the command line; and 10,000 rows."""

import time
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from wagtail.search.backends import get_search_backend

from catalogue import services
from catalogue.models import CatalogueEntry, CatalogueSession, Digipunt, ImportRun
from courses.roles import REVIEWER
from tests.catalogue import test_import_helpers as helpers
from tests.catalogue.test_import_helpers import (
    csv_bytes,
    partner_editor,
    row,
    staff,
)

pytestmark = pytest.mark.django_db
places = helpers.places  # the fixture
roles = helpers.roles  # the fixture

THREE = [
    row(),
    row(code="BIB-2", titel="Laptop lenen", soort="lenen", datums=""),
    row(
        code="BIB-3",
        titel="Tax-on-web",
        prijs="5,00",
        digipunt="",
        gemeente="Poperinge",
        datums="2027-03-02 09:00-12:00",
    ),
]


def run_import(organisation, content, *, full=True, user=None, filename="aanbod.csv"):
    run = services.catalogue_import_preview(
        organisation=organisation, filename=filename, content=content, full=full, user=user
    )
    return services.catalogue_import_apply(run=run, user=user)


def snapshot():
    return (
        sorted(CatalogueEntry.objects.values_list()),
        sorted(CatalogueSession.objects.values_list()),
    )


def test_preview_writes_only_the_import_run(places):
    run = services.catalogue_import_preview(
        organisation=places["library"], filename="aanbod.csv", content=csv_bytes(THREE)
    )
    assert not CatalogueEntry.objects.exists()
    assert (run.created, run.changed, run.unchanged, run.withdrawn) == (3, 0, 0, 0)
    assert len(run.rows) == 3 and run.errors == [] and run.applied_at is None
    assert [change["action"] for change in run.changes] == ["new", "new", "new"]
    assert len(run.file_hash) == 64 and run.file_format == "csv"


def test_apply_creates_entries_with_their_dates(places):
    run = run_import(places["library"], csv_bytes(THREE))
    assert run.applied_at is not None and run.rows == []
    assert CatalogueEntry.objects.count() == 3
    cafe = CatalogueEntry.objects.get(external_id="BIB-1")
    assert cafe.status == CatalogueEntry.PUBLISHED  # the command line is trusted
    assert cafe.import_run == run
    assert cafe.digipunt == places["digipunt"] and cafe.municipality == places["ieper"]
    assert cafe.sessions.count() == 2
    tax = CatalogueEntry.objects.get(external_id="BIB-3")
    assert tax.price_cents == 500 and tax.municipality == places["poperinge"]
    for entry in CatalogueEntry.objects.all():
        entry.full_clean()
    # indexed for search, although written in bulk
    found = get_search_backend().search("Laptop", CatalogueEntry)
    assert [entry.external_id for entry in found] == ["BIB-2"]


def test_the_same_file_twice_changes_nothing(places):
    content = csv_bytes(THREE, delimiter=";")
    run_import(places["library"], content)
    before = snapshot()
    again = services.catalogue_import_preview(
        organisation=places["library"], filename="aanbod.csv", content=content
    )
    assert (again.created, again.changed, again.unchanged, again.withdrawn) == (0, 0, 3, 0)
    assert again.changes == []
    services.catalogue_import_apply(run=again)
    assert snapshot() == before  # updated_at, import_run and session ids untouched


def test_the_export_row_reads_back_unchanged(places):
    from catalogue.columns import entry_to_row

    run_import(places["library"], csv_bytes(THREE))
    entries = CatalogueEntry.objects.prefetch_related("sessions").select_related(
        "digipunt", "municipality"
    )
    CatalogueEntry.objects.filter(external_id="BIB-2").update(title="-50% op een laptop")
    rows = [entry_to_row(entry) for entry in entries]
    for exported_row in rows:  # as catalogue/exports.py protects cells from Excel formulas
        if exported_row["titel"].startswith("-"):
            exported_row["titel"] = "'" + exported_row["titel"]
    exported = csv_bytes(rows)
    again = services.catalogue_import_preview(
        organisation=places["library"], filename="export.csv", content=exported
    )
    assert (again.unchanged, again.changed, again.errors) == (3, 0, [])


def test_changed_rows_are_updated_and_their_dates_replaced(places):
    run_import(places["library"], csv_bytes(THREE))
    before = {e.external_id: e.updated_at for e in CatalogueEntry.objects.all()}
    changed = [
        row(titel="Digitaal Café (nieuw)"),
        THREE[1],
        {**THREE[2], "datums": "2027-03-09 09:00-12:00"},
    ]
    run = services.catalogue_import_preview(
        organisation=places["library"], filename="aanbod.csv", content=csv_bytes(changed)
    )
    assert (run.created, run.changed, run.unchanged) == (0, 2, 1)
    assert {c["code"]: c["fields"] for c in run.changes} == {
        "BIB-1": ["titel"],
        "BIB-3": ["datums"],
    }
    services.catalogue_import_apply(run=run)
    after = {e.external_id: e for e in CatalogueEntry.objects.all()}
    assert after["BIB-1"].title == "Digitaal Café (nieuw)"
    assert after["BIB-1"].updated_at > before["BIB-1"]
    assert after["BIB-2"].updated_at == before["BIB-2"]
    (session,) = after["BIB-3"].sessions.all()
    assert session.starts_at.isoformat() == "2027-03-09T08:00:00+00:00"
    assert after["BIB-1"].sessions.count() == 2


def test_full_import_withdraws_missing_entries_and_never_deletes(places):
    run_import(places["library"], csv_bytes(THREE))
    other_partner = run_import(places["cvo"], csv_bytes([row(code="CVO-1")]))
    assert other_partner.created == 1

    partial = run_import(places["library"], csv_bytes(THREE[:1]), full=False)
    assert partial.withdrawn == 0
    assert not CatalogueEntry.objects.filter(withdrawn_at__isnull=False).exists()

    full = run_import(places["library"], csv_bytes(THREE[:1]))
    assert (full.withdrawn, full.unchanged) == (2, 1)
    assert {c["code"] for c in full.changes if c["action"] == "withdrawn"} == {"BIB-2", "BIB-3"}
    assert CatalogueEntry.objects.count() == 4  # nothing deleted
    withdrawn = set(
        CatalogueEntry.objects.filter(withdrawn_at__isnull=False).values_list(
            "external_id", flat=True
        )
    )
    assert withdrawn == {"BIB-2", "BIB-3"}  # the CVO's entry is not touched

    back = run_import(places["library"], csv_bytes(THREE))
    assert (back.changed, back.withdrawn) == (2, 0)
    assert all("terug in het aanbod" in c["fields"] for c in back.changes)
    assert not CatalogueEntry.objects.filter(withdrawn_at__isnull=False).exists()


def test_a_file_with_a_bad_row_is_refused_whole(places):
    run_import(places["library"], csv_bytes(THREE))
    before = snapshot()
    bad = [row(titel="Nieuwe titel"), row(code="BIB-9", prijs="-2"), *THREE[1:]]
    run = services.catalogue_import_preview(
        organisation=places["library"], filename="aanbod.csv", content=csv_bytes(bad)
    )
    assert run.errors and run.changed == 1
    with pytest.raises(services.CatalogueRefused, match="fouten in het bestand"):
        services.catalogue_import_apply(run=run)
    assert snapshot() == before
    assert ImportRun.objects.get(pk=run.pk).applied_at is None


def test_a_failure_while_writing_rolls_everything_back(places, monkeypatch):
    run = services.catalogue_import_preview(
        organisation=places["library"], filename="aanbod.csv", content=csv_bytes(THREE)
    )

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(CatalogueSession.objects, "bulk_create", broken)
    with pytest.raises(RuntimeError):
        services.catalogue_import_apply(run=run)
    assert not CatalogueEntry.objects.exists()  # the entries written before it are gone
    assert ImportRun.objects.get(pk=run.pk).applied_at is None


def test_a_run_is_applied_once(places):
    run = run_import(places["library"], csv_bytes(THREE))
    with pytest.raises(services.CatalogueRefused, match="al toegepast"):
        services.catalogue_import_apply(run=run)


def test_a_digipunt_deleted_after_the_preview_refuses_the_apply(places):
    run = services.catalogue_import_preview(
        organisation=places["library"], filename="aanbod.csv", content=csv_bytes(THREE)
    )
    Digipunt.objects.all().delete()
    with pytest.raises(services.CatalogueRefused, match="Regel 2"):
        services.catalogue_import_apply(run=run)
    assert not CatalogueEntry.objects.exists()


def test_partner_imports_become_drafts_and_a_reviewer_publishes(places, roles):
    editor = partner_editor(places["library"], roles)
    run = run_import(places["library"], csv_bytes(THREE), user=editor)
    assert run.user == editor
    assert set(CatalogueEntry.objects.values_list("status", flat=True)) == {"draft"}

    entry = CatalogueEntry.objects.get(external_id="BIB-1")
    with pytest.raises(PermissionDenied):
        services.catalogue_entry_publish(entry=entry, user=editor)
    reviewer = staff(REVIEWER, roles)
    assert services.catalogue_entry_publish(entry=entry, user=reviewer).status == "published"

    # The partner changes it again: back to a draft, waiting for the reviewer.
    run_import(places["library"], csv_bytes([row(titel="Nieuw"), *THREE[1:]]), user=editor)
    assert CatalogueEntry.objects.get(external_id="BIB-1").status == "draft"
    # A reviewer's import publishes at once.
    run_import(places["library"], csv_bytes([row(titel="Nieuwer"), *THREE[1:]]), user=reviewer)
    assert CatalogueEntry.objects.get(external_id="BIB-1").status == "published"


@pytest.mark.slow
def test_ten_thousand_rows(places):
    rows = [
        row(
            code=f"R{number:05d}",
            titel=f"Workshop {number}",
            prijs=f"{number % 50},50",
            datums=f"{1 + number % 28:02d}/02/2027 14:00-16:00 | "
            f"{1 + number % 28:02d}/03/2027 14:00-16:00",
        )
        for number in range(10_000)
    ]
    content = csv_bytes(rows, delimiter=";")

    started = time.perf_counter()
    run = services.catalogue_import_preview(
        organisation=places["library"], filename="groot.csv", content=content
    )
    previewed = time.perf_counter()
    assert run.errors == [] and run.created == 10_000
    run = services.catalogue_import_apply(run=run)
    applied = time.perf_counter()
    assert CatalogueEntry.objects.count() == 10_000
    assert CatalogueSession.objects.count() == 20_000

    again = services.catalogue_import_preview(
        organisation=places["library"], filename="groot.csv", content=content
    )
    repeated = time.perf_counter()
    assert again.unchanged == 10_000 and again.created == again.changed == 0
    print(  # shown with pytest -s; no timing assertions
        f"\n10,000 rows: preview {previewed - started:.1f} s, apply {applied - previewed:.1f} s, "
        f"second preview {repeated - applied:.1f} s"
    )


# --- the command line ------------------------------------------------------------------------


def command(*args):
    out = StringIO()
    call_command("import_catalogue", *args, stdout=out)
    return out.getvalue()


def test_command_dry_run_then_apply(places, tmp_path):
    path = tmp_path / "aanbod.csv"
    path.write_bytes(csv_bytes(THREE, delimiter=";"))
    out = command(str(path), "--organisation", "bibliotheek ieper")
    assert "nieuw: 3, aangepast: 0, niet veranderd: 0, ingetrokken: 0" in out
    assert "nieuw        BIB-1: Digitaal Café [regel 2]" in out
    assert "Dit was een proef: er is niets veranderd." in out
    assert not CatalogueEntry.objects.exists()

    out = command(str(path), "--organisation", str(places["library"].pk), "--apply")
    assert "Toegepast:" in out
    assert CatalogueEntry.objects.count() == 3

    path.write_bytes(csv_bytes(THREE[:1], delimiter=";"))
    out = command(str(path), "--organisation", "Bibliotheek Ieper", "--partial", "--apply")
    assert "ingetrokken: 0" in out and "gedeeltelijke import" in out


def test_command_prints_every_error_and_fails(places, tmp_path):
    path = tmp_path / "aanbod.csv"
    path.write_bytes(
        csv_bytes([row(prijs="-1"), row(code="BIB-2", datums="30/02/2027 9:00-10:00")])
    )
    out = StringIO()
    with pytest.raises(CommandError, match="niets veranderd"):
        call_command(
            "import_catalogue",
            str(path),
            "--organisation",
            "Bibliotheek Ieper",
            "--apply",
            stdout=out,
        )
    text = out.getvalue()
    assert "Regel 2, kolom prijs: Een prijs kan niet negatief zijn: '-1'." in text
    assert "Regel 3, kolom datums: Deze datum bestaat niet" in text
    assert not CatalogueEntry.objects.exists()


def test_command_unknown_organisation_suggests_names(places, tmp_path):
    path = tmp_path / "aanbod.csv"
    path.write_bytes(csv_bytes(THREE))
    with pytest.raises(CommandError, match="Bedoel je: Bibliotheek Ieper"):
        command(str(path), "--organisation", "Bibliotheek Iepr")
