"""Municipalities and demo Digipunten from versioned source files, not a dump.

- ``data/westhoek.csv``: the 18 Westhoek municipalities and their Digibank cluster.
- ``data/digipunten.toml``: demo partners and Digipunten, and a weekly rule for the
  Poperinge mobile service.
- ``data/demo-aanbod/<partner-slug>.csv``: the partners' demo catalogues (courses,
  workshops, digimomenten, device lending), one file per partner as partners send them,
  imported through the real importer (catalogue/services.py). See ``catalogue_ensure``.
  The one exception to "only ever adds" below: when the demo dates move on to a new week,
  the importer updates those demo entries (a partial import: it withdraws nothing).

Loading is idempotent and only ever adds rows: a municipality (by slug), partner (by name),
Digipunt (by partner and name) or visit (by partner, village and date) that already exists
is left alone, so a second run changes nothing and never overwrites what staff edited in
the admin. Visits are generated relative to "today", so the demo never goes stale: a run
next week adds the week that came into view.
"""

import csv
import datetime
import io
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from catalogue import columns, importing, services
from catalogue.models import (
    CLUSTER_CHOICES,
    ORGANISATION_KINDS,
    SERVICE_CHOICES,
    Digipunt,
    MobileVisit,
    Municipality,
    Organisation,
)

DATA_DIR = Path(__file__).resolve().parent / "data"
MUNICIPALITIES_FILE = DATA_DIR / "westhoek.csv"
DEMO_FILE = DATA_DIR / "digipunten.toml"
DEMO_CATALOGUE_DIR = DATA_DIR / "demo-aanbod"
# The Monday of the first week in the demo catalogue files. DEMO ONLY: the loader moves every
# date by whole weeks so that this Monday becomes next Monday (see ``catalogue_ensure``).
DEMO_CATALOGUE_ANCHOR = datetime.date(2027, 1, 11)
# Partners of the demo catalogue that digipunten.toml does not list: file slug -> (name, kind).
DEMO_CATALOGUE_PARTNERS = {"cvo-westhoek": ("CVO Westhoek", "cvo")}

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
CLUSTERS = {code for code, _label in CLUSTER_CHOICES}
KINDS = {code for code, _label in ORGANISATION_KINDS}
SERVICES = {code for code, _label in SERVICE_CHOICES}
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
POSTCODE = re.compile(r"^[1-9][0-9]{3}$")


class CatalogueDataError(Exception):
    pass


@dataclass
class LoadResult:
    municipalities: int = 0
    organisations: int = 0
    digipunten: int = 0
    visits: int = 0
    entries: int = 0

    @property
    def changed(self) -> bool:
        return any(
            (self.municipalities, self.organisations, self.digipunten, self.visits, self.entries)
        )


@dataclass
class DemoData:
    organisations: list[dict] = field(default_factory=list)
    digipunten: list[dict] = field(default_factory=list)
    mobile_service: dict | None = None


# --- reading and checking the source files -----------------------------------------------------


def read_municipalities(path: Path = MUNICIPALITIES_FILE) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != ["name", "slug", "cluster"]:
            raise CatalogueDataError(f"{path.name}: kolommen moeten name,slug,cluster zijn.")
        rows = [{key: (value or "").strip() for key, value in row.items()} for row in reader]
    names, slugs = set(), set()
    for number, row in enumerate(rows, start=2):
        where = f"{path.name}, regel {number}"
        if not row["name"]:
            raise CatalogueDataError(f"{where}: naam ontbreekt.")
        if not SLUG.match(row["slug"]):
            raise CatalogueDataError(f"{where}: ongeldige slug {row['slug']!r}.")
        if row["cluster"] not in CLUSTERS:
            raise CatalogueDataError(f"{where}: onbekende Digibank {row['cluster']!r}.")
        if row["name"] in names or row["slug"] in slugs:
            raise CatalogueDataError(f"{where}: {row['name']} staat er twee keer in.")
        names.add(row["name"])
        slugs.add(row["slug"])
    return rows


def _require(item: dict, keys: tuple[str, ...], where: str) -> None:
    missing = [key for key in keys if item.get(key) in (None, "")]
    if missing:
        raise CatalogueDataError(f"{where}: {', '.join(missing)} ontbreekt.")


def read_demo(path: Path = DEMO_FILE, *, municipality_slugs: set[str]) -> DemoData:
    """Parse and check the demo file against the known municipalities; raise on any error."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise CatalogueDataError(f"{path.name}: {error}") from error
    data = DemoData(
        organisations=raw.get("organisation", []),
        digipunten=raw.get("digipunt", []),
        mobile_service=raw.get("mobile_service"),
    )

    organisation_names = set()
    for number, organisation in enumerate(data.organisations, start=1):
        where = f"{path.name}, partner {number}"
        _require(organisation, ("name", "kind"), where)
        if organisation["kind"] not in KINDS:
            raise CatalogueDataError(f"{where}: onbekende soort {organisation['kind']!r}.")
        if organisation["name"] in organisation_names:
            raise CatalogueDataError(f"{where}: {organisation['name']} staat er twee keer in.")
        organisation_names.add(organisation["name"])

    seen, covered = set(), set()
    for number, digipunt in enumerate(data.digipunten, start=1):
        where = f"{path.name}, Digipunt {number} ({digipunt.get('name', '?')})"
        keys = ("organisation", "name", "municipality", "street", "postcode", "opening_hours")
        _require(digipunt, keys, where)
        if digipunt["organisation"] not in organisation_names:
            raise CatalogueDataError(f"{where}: onbekende partner {digipunt['organisation']!r}.")
        if digipunt["municipality"] not in municipality_slugs:
            raise CatalogueDataError(f"{where}: onbekende gemeente {digipunt['municipality']!r}.")
        if not POSTCODE.match(str(digipunt["postcode"])):
            raise CatalogueDataError(f"{where}: een postcode heeft 4 cijfers.")
        unknown = set(digipunt.get("services", [])) - SERVICES
        if unknown:
            raise CatalogueDataError(f"{where}: onbekende diensten {sorted(unknown)}.")
        if digipunt.get("phone"):
            # A made-up number may ring a real person: demo rows never carry one.
            raise CatalogueDataError(f"{where}: geen telefoonnummer in voorbeeldgegevens.")
        key = (digipunt["organisation"], digipunt["name"])
        if key in seen:
            raise CatalogueDataError(f"{where}: staat er twee keer in.")
        seen.add(key)
        covered.add(digipunt["municipality"])
    if data.digipunten and covered != municipality_slugs:
        missing = ", ".join(sorted(municipality_slugs - covered))
        raise CatalogueDataError(f"{path.name}: geen Digipunt in {missing}.")

    service = data.mobile_service
    if service is not None:
        where = f"{path.name}, mobile_service"
        _require(service, ("organisation", "weeks"), where)
        if service["organisation"] not in organisation_names:
            raise CatalogueDataError(f"{where}: onbekende partner {service['organisation']!r}.")
        if not isinstance(service["weeks"], int) or not 1 <= service["weeks"] <= 52:
            raise CatalogueDataError(f"{where}: weeks moet tussen 1 en 52 liggen.")
        for number, stop in enumerate(service.get("stops", []), start=1):
            stop_where = f"{where}, halte {number}"
            _require(stop, ("municipality", "village", "place", "weekday", "start", "end"), where)
            if stop["municipality"] not in municipality_slugs:
                raise CatalogueDataError(f"{stop_where}: onbekende gemeente.")
            if stop["weekday"] not in WEEKDAYS:
                raise CatalogueDataError(f"{stop_where}: onbekende dag {stop['weekday']!r}.")
            if not all(isinstance(stop[key], datetime.time) for key in ("start", "end")):
                raise CatalogueDataError(f"{stop_where}: start en end zijn uren, bv. 09:30:00.")
            if stop["end"] <= stop["start"]:
                raise CatalogueDataError(f"{stop_where}: het einde moet na het begin liggen.")
    return data


def check() -> tuple[list[dict], DemoData]:
    """Read and validate both files without touching the database."""
    municipalities = read_municipalities(MUNICIPALITIES_FILE)
    demo = read_demo(DEMO_FILE, municipality_slugs={row["slug"] for row in municipalities})
    return municipalities, demo


# --- the weekly rule ---------------------------------------------------------------------


def visit_dates(weekday: str, *, today: datetime.date, weeks: int) -> list[datetime.date]:
    """Every `weekday` in [today, today + weeks), today included."""
    ahead = (WEEKDAYS.index(weekday) - today.weekday()) % 7
    first = today + datetime.timedelta(days=ahead)
    return [first + datetime.timedelta(weeks=week) for week in range(weeks)]


# --- loading -------------------------------------------------------------------------------


@transaction.atomic
def load(*, today: datetime.date | None = None, with_demo: bool = True) -> LoadResult:
    """Add what is missing; never change or delete an existing row."""
    rows, demo = check()
    result = LoadResult()

    existing = set(Municipality.objects.values_list("slug", flat=True))
    existing_names = set(Municipality.objects.values_list("name", flat=True))
    # A row staff renamed (same slug) or re-slugged (same name) counts as present.
    new = [
        Municipality(name=row["name"], slug=row["slug"], cluster=row["cluster"])
        for row in rows
        if row["slug"] not in existing and row["name"] not in existing_names
    ]
    Municipality.objects.bulk_create(new)
    result.municipalities = len(new)
    if not with_demo:
        return result

    municipalities = {m.slug: m for m in Municipality.objects.all()}
    result.organisations = _organisations_ensure(demo)
    organisations = {o.name: o for o in Organisation.objects.all()}
    result.digipunten = _digipunten_ensure(demo, organisations, municipalities)
    if demo.mobile_service:
        result.visits = _visits_ensure(
            demo.mobile_service,
            organisations,
            municipalities,
            today=today or timezone.localdate(),
        )
    result.organisations += _catalogue_partners_ensure()
    result.entries = catalogue_ensure(today=today or timezone.localdate())
    return result


def _organisations_ensure(demo: DemoData) -> int:
    existing = set(Organisation.objects.values_list("name", flat=True))
    new = [
        Organisation(name=item["name"], kind=item["kind"], website=item.get("website", ""))
        for item in demo.organisations
        if item["name"] not in existing
    ]
    Organisation.objects.bulk_create(new)
    return len(new)


def _digipunten_ensure(demo: DemoData, organisations, municipalities) -> int:
    existing = set(Digipunt.objects.values_list("organisation__name", "name"))
    new = []
    for item in demo.digipunten:
        if (item["organisation"], item["name"]) in existing:
            continue
        municipality = municipalities.get(item["municipality"])
        if municipality is None:
            continue  # staff changed the slug: the demo row has nowhere to go
        new.append(
            Digipunt(
                organisation=organisations[item["organisation"]],
                name=item["name"],
                street=item["street"],
                postcode=str(item["postcode"]),
                municipality=municipality,
                opening_hours=item["opening_hours"].strip(),
                # Stored in the order of SERVICE_CHOICES, as the admin form saves them.
                services=[code for code, _label in SERVICE_CHOICES if code in item["services"]],
                accessibility=item.get("accessibility", "").strip(),
                phone="",
                is_demo=True,
            )
        )
    Digipunt.objects.bulk_create(new)
    return len(new)


def _visits_ensure(service: dict, organisations, municipalities, *, today) -> int:
    organisation = organisations[service["organisation"]]
    weeks = service["weeks"]
    window_end = today + datetime.timedelta(weeks=weeks)
    existing = set(
        MobileVisit.objects.filter(
            organisation=organisation, date__gte=today, date__lt=window_end
        ).values_list("village", "date")
    )
    new = []
    for stop in service.get("stops", []):
        municipality = municipalities.get(stop["municipality"])
        if municipality is None:
            continue
        for date in visit_dates(stop["weekday"], today=today, weeks=weeks):
            if (stop["village"], date) in existing:
                continue
            new.append(
                MobileVisit(
                    organisation=organisation,
                    municipality=municipality,
                    village=stop["village"],
                    place=stop["place"],
                    date=date,
                    start=stop["start"],
                    end=stop["end"],
                )
            )
    MobileVisit.objects.bulk_create(new)
    return len(new)


# --- the demo catalogue ---------------------------------------------------------------------


def catalogue_files() -> list[Path]:
    return sorted(DEMO_CATALOGUE_DIR.glob("*.csv"))


def catalogue_shift_weeks(today: datetime.date) -> int:
    """Weeks to add so that DEMO_CATALOGUE_ANCHOR becomes the first Monday after today."""
    next_monday = today + datetime.timedelta(days=7 - today.weekday())
    return (next_monday - DEMO_CATALOGUE_ANCHOR).days // 7


def catalogue_shift(content: bytes, weeks: int) -> bytes:
    """DEMO ONLY: the same file with every date in 'datums' moved by ``weeks`` weeks.

    The files keep real, absolute dates (the format partners use); only the demo moves them,
    by whole weeks so each session keeps its weekday and its hours. The result is UTF-8 with
    the file's own delimiter.
    """
    text, _encoding = importing.decode(content)
    lines = text.splitlines()
    delimiter = importing.choose_delimiter(lines[0]) if lines else ","
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    header = [importing.header_key(name) for name in rows[0]]
    if "datums" in header:
        index = header.index("datums")
        for row in rows[1:]:
            if index < len(row) and row[index].strip():
                sessions = columns.parse_sessions(row[index])
                step = datetime.timedelta(weeks=weeks)
                # Wall-clock arithmetic: 14:00 stays 14:00 across a change to summer time.
                row[index] = columns.format_sessions(
                    (timezone.localtime(start) + step, timezone.localtime(end) + step)
                    for start, end in sessions
                )
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def catalogue_check() -> list[tuple[Path, int]]:
    """Read every demo catalogue file (no database): -> [(path, rows)]; raise on any error."""
    checked = []
    for path in catalogue_files():
        result = importing.read(path.name, path.read_bytes())
        if result.errors or any(record.errors for record in result.records):
            errors = result.errors + [e for record in result.records for e in record.errors]
            first = importing.error_text(errors[0], result.file_format)
            raise CatalogueDataError(f"demo-aanbod/{path.name}: {first}")
        checked.append((path, len(result.records)))
    return checked


def _catalogue_partners_ensure() -> int:
    existing = set(Organisation.objects.values_list("name", flat=True))
    new = [
        Organisation(name=name, kind=kind)
        for name, kind in DEMO_CATALOGUE_PARTNERS.values()
        if name not in existing
    ]
    Organisation.objects.bulk_create(new)
    return len(new)


def catalogue_ensure(*, today: datetime.date) -> int:
    """Import each partner's demo catalogue through the importer; -> entries added or changed.

    A partial import (it never withdraws what staff added). A file whose rows are all
    unchanged writes nothing at all, not even an ImportRun, so a second run on the same day
    (or in the same week) changes nothing. A run in a later week moves the dates along.
    Entries are published: the demo loader is trusted like the command line.
    """
    weeks = catalogue_shift_weeks(today)
    organisations = {slugify(o.name): o for o in Organisation.objects.all()}
    touched = 0
    for path in catalogue_files():
        organisation = organisations.get(path.stem)
        if organisation is None:
            raise CatalogueDataError(
                f"demo-aanbod/{path.name}: geen partner met slug '{path.stem}'."
            )
        content = catalogue_shift(path.read_bytes(), weeks)
        preview = importing.preview(organisation, path.name, content, full=False)
        if preview.errors:
            first = importing.error_text(preview.errors[0], preview.file_format)
            raise CatalogueDataError(f"demo-aanbod/{path.name}: {first}")
        if not (preview.counts["created"] or preview.counts["changed"]):
            continue
        run = services.catalogue_import_preview(
            organisation=organisation, filename=path.name, content=content, full=False
        )
        run = services.catalogue_import_apply(run=run)
        touched += run.created + run.changed
    return touched
