"""Reading and checking a partner's catalogue file, and comparing it with what is stored.

Nothing here writes to the database: ``preview`` returns what an import *would* do, and
``catalogue/services.py`` stores it on an ``ImportRun`` and applies it.

The steps:

1. ``read``: bytes -> records ``(line, {column: text})``. CSV (comma, semicolon or tab,
   found from the header; UTF-8 with or without BOM, UTF-16 with BOM, else Windows-1252) or
   JSON (a list of objects, or ``{"organisatie": ..., "aanbod": [...]}``). Problems with
   the whole file (no header, missing or unknown columns, unreadable bytes) are errors
   without a line number or with line 1.
2. ``validate``: records -> rows (the model's values, JSON-safe so an ``ImportRun`` can keep
   them) and errors. Every error names the line and the column, in easy Dutch. A row with
   any error is left out of the rows.
3. ``plan``: rows -> what changes against the organisation's stored entries: new, changed,
   unchanged, and (only for a full import) withdrawn.

The file format is described for partners in docs/catalogue-format.md.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import difflib
import io
import json
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from catalogue.columns import (
    COLUMN_FOR_ATTRIBUTE,
    COLUMNS,
    ENTRY_COLUMNS,
    ENTRY_FIELDS,
    REQUIRED_COLUMNS,
    CellError,
    one_line,
)
from catalogue.models import (
    CatalogueEntry,
    CatalogueSession,
    Digipunt,
    Municipality,
)
from catalogue.rules import PlaceUnknown, catalogue_entry_place

DELIMITERS = (";", ",", "\t")
DELIMITER_NAMES = {";": "puntkomma", ",": "komma", "\t": "tab"}
MAX_FILE_BYTES = 10 * 1024 * 1024

NEW, CHANGED, UNCHANGED, WITHDRAWN = "new", "changed", "unchanged", "withdrawn"
ACTION_LABELS = {
    NEW: "nieuw",
    CHANGED: "aangepast",
    UNCHANGED: "niet veranderd",
    WITHDRAWN: "ingetrokken",
}


def problem(line: int | None, column: str, message: str) -> dict:
    """One error as stored in ``ImportRun.errors``: line None (or 0) is about the whole file."""
    return {"line": line, "field": column, "message": message}


class FileUnreadable(Exception):
    """The file as a whole cannot be read; the message is for the partner."""


@dataclass
class Record:
    line: int
    cells: dict[str, str]
    errors: list[dict] = field(default_factory=list)


@dataclass
class ReadResult:
    file_format: str
    records: list[Record]
    errors: list[dict]
    encoding: str = ""
    delimiter: str = ""


@dataclass
class Preview:
    file_format: str
    rows: list[dict]
    errors: list[dict]
    changes: list[dict]
    counts: dict[str, int]
    records: int = 0

    @property
    def bad_lines(self) -> int:
        return bad_lines(self.errors)


def bad_lines(errors: list[dict]) -> int:
    """How many rows have at least one error (errors about the whole file do not count)."""
    return len({error["line"] for error in errors if error["line"]})


# --- 1. reading ------------------------------------------------------------------------------


def decode(content: bytes) -> tuple[str, str]:
    """Bytes -> (text, encoding). UTF-8 (with or without BOM), UTF-16 with BOM, else cp1252."""
    if not content.strip():
        raise FileUnreadable("Het bestand is leeg.")
    if content.startswith(b"PK\x03\x04"):
        raise FileUnreadable(
            "Dit is een Excel-bestand (.xlsx). Kies in Excel 'Opslaan als' en dan "
            "'CSV UTF-8 (door komma's gescheiden)', en laad dat bestand op."
        )
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return content.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as error:
            raise FileUnreadable("De tekens in dit bestand kunnen we niet lezen.") from error
    if content.startswith(codecs.BOM_UTF8):
        try:
            return content[len(codecs.BOM_UTF8) :].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as error:
            raise FileUnreadable(
                "De tekens in dit bestand kunnen we niet lezen. Bewaar het als 'CSV UTF-8'."
            ) from error
    try:
        return content.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        # Excel's "CSV (gescheiden door lijstscheidingsteken)" on a Belgian Windows PC.
        return content.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError as error:
        raise FileUnreadable(
            "De tekens in dit bestand kunnen we niet lezen. Bewaar het als 'CSV UTF-8'."
        ) from error


def guess_format(filename: str, text: str) -> str:
    name = filename.lower()
    if name.endswith(".json"):
        return "json"
    if name.endswith((".csv", ".txt", ".tsv")):
        return "csv"
    return "json" if text.lstrip()[:1] in ("[", "{") else "csv"


def header_key(name: str) -> str:
    return " ".join(name.replace("\ufeff", "").strip().strip('"').lower().split())


def _suggest(name: str) -> str:
    close = difflib.get_close_matches(name, COLUMNS, n=1, cutoff=0.7)
    return f" (bedoel je '{close[0]}'?)" if close else ""


def _column_errors(names: list[str], *, line: int | None) -> tuple[list[dict], bool]:
    """Errors about the columns; the bool says whether the rows can be read at all."""
    errors = []
    seen, twice = set(), []
    for name in names:
        if name in seen and name not in twice:
            twice.append(name)
        seen.add(name)
    for name in twice:
        errors.append(problem(line, name, f"De kolom '{name}' staat er twee keer in."))
    missing = [name for name in REQUIRED_COLUMNS if name not in seen]
    if missing:
        errors.append(
            problem(
                line,
                ", ".join(missing),
                f"Deze kolommen ontbreken: {', '.join(missing)}. De eerste regel van het "
                "bestand moet de namen van de kolommen hebben, zoals in het sjabloon.",
            )
        )
    unknown = [name for name in dict.fromkeys(names) if name and name not in COLUMNS]
    for name in unknown:
        errors.append(
            problem(
                line,
                name,
                f"Onbekende kolom '{name}'{_suggest(name)}. Gebruik alleen de kolommen uit "
                "het sjabloon; haal andere kolommen weg.",
            )
        )
    return errors, not missing and not twice


def choose_delimiter(header_line: str) -> str:
    def score(delimiter):
        cells = next(csv.reader([header_line], delimiter=delimiter), [])
        known = sum(header_key(cell) in COLUMNS for cell in cells)
        return (known, header_line.count(delimiter))

    return max(DELIMITERS, key=score)


def read_csv(text: str) -> ReadResult:
    result = ReadResult(file_format="csv", records=[], errors=[])
    lines = text.splitlines()
    header_index = 0
    delimiter = None
    # Excel sometimes writes "sep=;" above the header.
    if lines and lines[0].strip().lower().startswith("sep=") and len(lines[0].strip()) == 5:
        delimiter = lines[0].strip()[4]
        header_index = 1
    if len(lines) <= header_index or not lines[header_index].strip():
        result.errors.append(
            problem(
                header_index + 1,
                "",
                "De eerste regel is leeg. Daar moeten de namen van de kolommen staan, "
                "zoals in het sjabloon.",
            )
        )
        return result
    delimiter = delimiter or choose_delimiter(lines[header_index])
    result.delimiter = delimiter

    stream = io.StringIO(text, newline="")
    for _skip in range(header_index):
        stream.readline()
    reader = csv.reader(stream, delimiter=delimiter)
    try:
        header = [header_key(cell) for cell in next(reader)]
    except (StopIteration, csv.Error):
        result.errors.append(problem(1, "", "De eerste regel kunnen we niet lezen."))
        return result
    header_line = header_index + 1
    errors, readable = _column_errors([name for name in header if name], line=header_line)
    result.errors.extend(errors)
    if not readable:
        return result

    nameless = [index for index, name in enumerate(header) if not name]
    nameless_used = False
    previous = reader.line_num + header_index
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            result.errors.append(
                problem(
                    previous + 1,
                    "",
                    f"Deze regel kunnen we niet lezen ({error}). Staat er ergens een "
                    'aanhalingsteken (") te veel?',
                )
            )
            break
        line = previous + 1
        previous = reader.line_num + header_index
        if not any(cell.strip() for cell in cells):
            continue  # an empty line, or Excel's ";;;;;"
        record = Record(line=line, cells={})
        for index, value in enumerate(cells):
            if index >= len(header):
                if value.strip():
                    record.errors.append(
                        problem(
                            line,
                            "",
                            "Deze regel heeft meer vakjes dan er kolommen zijn. Staat er een "
                            f"{DELIMITER_NAMES[delimiter]} te veel, bv. in een prijs of tekst? "
                            "Zet zo'n tekst tussen aanhalingstekens.",
                        )
                    )
                    break
                continue
            name = header[index]
            if not name:
                nameless_used = nameless_used or bool(value.strip())
                continue
            if name in COLUMNS:
                record.cells[name] = value
        result.records.append(record)
    if nameless and nameless_used:
        result.errors.append(
            problem(
                header_line,
                "",
                "Een kolom heeft geen naam in de eerste regel, maar er staat wel iets in. "
                "Geef ze een naam uit het sjabloon of haal ze weg.",
            )
        )
    return result


def _json_datetime(value) -> str:
    if not isinstance(value, str):
        raise CellError('Schrijf begin en einde als tekst, bv. "2027-01-12T14:00".')
    try:
        moment = datetime.datetime.fromisoformat(value.strip())
    except ValueError as error:
        raise CellError(
            f"Dit tijdstip kunnen we niet lezen: '{value}'. Schrijf bv. 2027-01-12T14:00."
        ) from error
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return f"{moment:%d/%m/%Y %H:%M}"


def _json_session(value) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        unknown = set(value) - {"begin", "einde"}
        if unknown or "begin" not in value or "einde" not in value:
            raise CellError(
                'Een datum heeft "begin" en "einde", bv. {"begin": '
                '"2027-01-12T14:00", "einde": "2027-01-12T16:00"}.'
            )
        return f"{_json_datetime(value['begin'])} - {_json_datetime(value['einde'])}"
    raise CellError('Schrijf een datum als tekst of als {"begin": ..., "einde": ...}.')


def json_cell(column: str, value) -> str:
    """A JSON value -> the text the CSV would have in that cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, int | float):
        if column == "prijs":
            return format(Decimal(str(value)), "f")
        return str(value)
    if isinstance(value, str):
        return value
    if isinstance(value, list | dict) and column == "datums":
        items = value if isinstance(value, list) else [value]
        return " | ".join(_json_session(item) for item in items)
    if isinstance(value, list) and column == "competenties":
        if not all(isinstance(item, str | int | float) for item in value):
            raise CellError('Schrijf de competenties als een lijst van codes, bv. ["2.3"].')
        return ", ".join(str(item) for item in value)
    raise CellError("Hier hoort tekst, geen lijst of object.")


def read_json(text: str, *, organisation=None) -> ReadResult:
    result = ReadResult(file_format="json", records=[], errors=[])
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        result.errors.append(
            problem(
                None,
                "",
                f"Dit is geen geldig JSON-bestand: fout op regel {error.lineno}, "
                f"teken {error.colno}.",
            )
        )
        return result
    if isinstance(data, dict):
        named = data.get("organisatie")
        if (
            organisation is not None
            and isinstance(named, str)
            and named.strip()
            and named.strip().lower() != organisation.name.lower()
        ):
            result.errors.append(
                problem(
                    None,
                    "organisatie",
                    f"Dit bestand is van '{named.strip()}', niet van '{organisation.name}'.",
                )
            )
        items = data.get("aanbod")
        other = set(data) - {"organisatie", "aanbod", "versie"}
        if other:
            names = ", ".join(sorted(other))
            result.errors.append(
                problem(None, names, f"Onbekende sleutels bovenaan het bestand: {names}.")
            )
    else:
        items = data
    if not isinstance(items, list):
        result.errors.append(
            problem(
                None,
                "aanbod",
                'Het bestand moet een lijst hebben: [ {...}, {...} ] of {"aanbod": [ ... ]}.',
            )
        )
        return result

    keys_seen: list[str] = []
    for number, item in enumerate(items, start=1):
        record = Record(line=number, cells={})
        if not isinstance(item, dict):
            record.errors.append(problem(number, "", "Dit item is geen object { ... }."))
            result.records.append(record)
            continue
        for key, value in item.items():
            name = header_key(key)
            if name not in keys_seen:
                keys_seen.append(name)
            if name not in COLUMNS:
                continue
            try:
                record.cells[name] = json_cell(name, value)
            except CellError as error:
                record.errors.append(problem(number, name, str(error)))
        result.records.append(record)
    unknown = [name for name in keys_seen if name not in COLUMNS]
    for name in unknown:
        result.errors.append(
            problem(
                None,
                name,
                f"Onbekende sleutel '{name}'{_suggest(name)}. Gebruik alleen de namen uit "
                "het sjabloon.",
            )
        )
    return result


def read(filename: str, content: bytes, *, organisation=None) -> ReadResult:
    if len(content) > MAX_FILE_BYTES:
        raise FileUnreadable(
            f"Het bestand is te groot: hoogstens {MAX_FILE_BYTES // (1024 * 1024)} MB."
        )
    text, encoding = decode(content)
    file_format = guess_format(filename, text)
    is_json = file_format == "json"
    result = read_json(text, organisation=organisation) if is_json else read_csv(text)
    result.encoding = encoding
    return result


# --- 2. checking every row -----------------------------------------------------------------------


# The CSV export (catalogue/exports.py) puts "'" before a cell Excel would run as a formula.
FORMULA_START = ("=", "+", "-", "@")


def unescape_formula(value: str) -> str:
    """ "'=A1" -> "=A1": undo the export's protection, so an exported file imports unchanged."""
    if value.startswith("'") and value[1:2] in FORMULA_START:
        return value[1:]
    return value


class Lookups:
    """Municipalities and Digipunten by the names partners write; read once per file."""

    def __init__(self, organisation):
        self.organisation_id = organisation.pk
        self.municipalities: dict[str, int] = {}
        for pk, name, slug in Municipality.objects.values_list("pk", "name", "slug"):
            self.municipalities[header_key(name)] = pk
            self.municipalities[slug] = pk
        self.digipunten: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
        rows = Digipunt.objects.values_list(
            "pk", "name", "organisation_id", "municipality_id", "municipality__name"
        )
        for pk, name, organisation_id, municipality_id, municipality_name in rows:
            value = (pk, organisation_id, municipality_id)
            self.digipunten[header_key(name)].append(value)
            self.digipunten[header_key(f"{name} ({municipality_name})")].append(value)

    def municipality(self, value: str) -> int:
        pk = self.municipalities.get(header_key(value))
        if pk is None:
            raise CellError(
                f"Onbekende gemeente '{value}'. Schrijf een gemeente uit de Westhoek, bv. Ieper."
            )
        return pk

    def digipunt(self, value: str) -> tuple[int, int]:
        """-> (digipunt id, its municipality id)."""
        found = self.digipunten.get(header_key(value), [])
        own = [item for item in found if item[1] == self.organisation_id]
        candidates = own or found
        if not candidates:
            raise CellError(
                f"Onbekend Digipunt '{value}'. Schrijf de naam zoals op de pagina "
                "'Hulp in de buurt', of laat het vakje leeg en vul adres en gemeente in."
            )
        if len(candidates) > 1:
            raise CellError(
                f"Er zijn meer Digipunten met de naam '{value}'. Schrijf de gemeente erbij, "
                f"bv. '{value} (Ieper)'."
            )
        pk, _organisation_id, municipality_id = candidates[0]
        return pk, municipality_id


def _iso(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).isoformat()


def validate_record(record: Record, lookups: Lookups) -> tuple[dict | None, list[dict]]:
    """One record -> (row or None, errors). Every column is checked, so all errors show."""
    errors = list(record.errors)
    cells = {name: unescape_formula((record.cells.get(name) or "").strip()) for name in COLUMNS}
    row: dict = {"line": record.line}

    def cell(column, parse):
        try:
            return parse(cells[column])
        except CellError as error:
            errors.append(problem(record.line, column, str(error)))
            return None

    # The price's own parser says how to fill it in.
    missing = {
        column.name
        for column in ENTRY_COLUMNS
        if column.required and column.name != "prijs" and not cells[column.name]
    }
    for name in REQUIRED_COLUMNS:
        if name in missing:
            errors.append(problem(record.line, name, f"Vul '{name}' in."))
    for column in ENTRY_COLUMNS:
        if not column.place and column.name not in missing:
            row[column.field] = cell(column.name, column.parse)
    row["sessions"] = [[_iso(start), _iso(end)] for start, end in row.get("sessions") or []]

    row["digipunt_id"] = None
    digipunt_municipality = None
    unreadable_place = False
    if cells["digipunt"]:
        found = cell("digipunt", lookups.digipunt)
        if found:
            row["digipunt_id"], digipunt_municipality = found
        unreadable_place = found is None
    row["municipality_id"] = None
    if cells["gemeente"]:
        row["municipality_id"] = cell("gemeente", lookups.municipality)
        unreadable_place = unreadable_place or row["municipality_id"] is None

    # A Digipunt or municipality that could not be read has its own error already.
    if not unreadable_place:
        try:
            row["municipality_id"] = catalogue_entry_place(
                digipunt_municipality_id=digipunt_municipality,
                municipality_id=row["municipality_id"],
                online=bool(row["online"]),
            )
        except PlaceUnknown:
            errors.append(
                problem(
                    record.line,
                    "gemeente",
                    "Waar gaat het door? Vul 'digipunt' of 'gemeente' in, of zet 'online' op ja.",
                )
            )
    if errors:
        return None, errors
    return row, []


def validate(records: list[Record], organisation) -> tuple[list[dict], list[dict]]:
    lookups = Lookups(organisation)
    rows, errors = [], []
    first_line: dict[str, int] = {}
    for record in records:
        row, row_errors = validate_record(record, lookups)
        code = one_line(record.cells.get("code") or "")
        if code:
            if code in first_line:
                row = None
                row_errors.append(
                    problem(
                        record.line,
                        "code",
                        f"De code '{code}' staat ook op regel {first_line[code]}. "
                        "Elke code mag maar één keer in het bestand staan.",
                    )
                )
            else:
                first_line[code] = record.line
        errors.extend(row_errors)
        if row is not None:
            rows.append(row)
    return rows, errors


def codes_in_file(records: list[Record]) -> set[str]:
    """Every code in the file, also on rows with errors: those are not withdrawn."""
    return {one_line(record.cells.get("code") or "") for record in records} - {""}


# --- 3. comparing with what is stored -----------------------------------------------------------


def stored_entries(organisation) -> dict[str, dict]:
    """The organisation's entries by code, in the same shape as a row."""
    entries = {
        values["external_id"]: values
        for values in CatalogueEntry.objects.filter(organisation=organisation).values(
            "id", "external_id", "withdrawn_at", "status", *ENTRY_FIELDS
        )
    }
    sessions = defaultdict(list)
    rows = CatalogueSession.objects.filter(entry__organisation=organisation).values_list(
        "entry_id", "starts_at", "ends_at"
    )
    for entry_id, starts_at, ends_at in rows:
        sessions[entry_id].append([_iso(starts_at), _iso(ends_at)])
    for values in entries.values():
        values["sessions"] = sorted(sessions.get(values["id"], []))
    return entries


def row_changes(row: dict, stored: dict) -> list[str]:
    """The columns whose value differs between a row and a stored entry."""
    changed = [COLUMN_FOR_ATTRIBUTE[name] for name in ENTRY_FIELDS if row[name] != stored[name]]
    if sorted(row["sessions"]) != stored["sessions"]:
        changed.append("datums")
    return changed


@dataclass
class Plan:
    new: list[dict] = field(default_factory=list)
    changed: list[tuple[dict, dict, list[str]]] = field(default_factory=list)
    unchanged: list[dict] = field(default_factory=list)
    withdrawn: list[dict] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        return {
            "created": len(self.new),
            "changed": len(self.changed),
            "unchanged": len(self.unchanged),
            "withdrawn": len(self.withdrawn),
        }

    def changes(self) -> list[dict]:
        """For the preview: every new, changed and withdrawn entry, in file order."""
        listed = [
            {
                "line": row["line"],
                "code": row["external_id"],
                "title": row["title"],
                "action": NEW,
                "fields": [],
            }
            for row in self.new
        ]
        listed += [
            {
                "line": row["line"],
                "code": row["external_id"],
                "title": row["title"],
                "action": CHANGED,
                "fields": fields,
            }
            for row, _stored, fields in self.changed
        ]
        listed.sort(key=lambda change: change["line"])
        listed += [
            {
                "line": None,
                "code": stored["external_id"],
                "title": stored["title"],
                "action": WITHDRAWN,
                "fields": [],
            }
            for stored in sorted(self.withdrawn, key=lambda stored: stored["external_id"])
        ]
        return listed


def plan(organisation, rows: list[dict], *, full: bool, codes: set[str] | None = None) -> Plan:
    """What applying ``rows`` would change. ``codes``: every code in the file (bad rows too)."""
    stored = stored_entries(organisation)
    result = Plan()
    for row in rows:
        old = stored.get(row["external_id"])
        if old is None:
            result.new.append(row)
            continue
        fields = row_changes(row, old)
        if old["withdrawn_at"] is not None:
            result.changed.append((row, old, [*fields, "terug in het aanbod"]))
        elif fields:
            result.changed.append((row, old, fields))
        else:
            result.unchanged.append(row)
    if full:
        in_file = codes if codes is not None else {row["external_id"] for row in rows}
        result.withdrawn = [
            old
            for code, old in stored.items()
            if code not in in_file and old["withdrawn_at"] is None
        ]
    return result


def preview(organisation, filename: str, content: bytes, *, full: bool = True) -> Preview:
    """Read, check and compare one file. Writes nothing."""
    try:
        read_result = read(filename, content, organisation=organisation)
    except FileUnreadable as error:
        return Preview(
            file_format="json" if filename.lower().endswith(".json") else "csv",
            rows=[],
            errors=[problem(None, "", str(error))],
            changes=[],
            counts={"created": 0, "changed": 0, "unchanged": 0, "withdrawn": 0},
        )
    rows, row_errors = validate(read_result.records, organisation)
    errors = read_result.errors + row_errors
    if not read_result.records and not errors:
        errors.append(problem(None, "", "Er staan geen rijen in het bestand, alleen de kolommen."))
    if errors and full and not rows and not read_result.records:
        # Nothing readable: do not announce that everything will be withdrawn.
        comparison = Plan()
    else:
        comparison = plan(organisation, rows, full=full, codes=codes_in_file(read_result.records))
    errors.sort(key=lambda error: error["line"] or 0)
    return Preview(
        file_format=read_result.file_format,
        rows=rows,
        errors=errors,
        changes=comparison.changes(),
        counts=comparison.counts,
        records=len(read_result.records),
    )


def error_location(error: dict, file_format: str) -> str:
    """'Regel 12, kolom prijs' (CSV), 'Item 3, kolom prijs' (JSON) or 'Bestand'."""
    parts = []
    if error.get("line"):
        parts.append(f"{'Item' if file_format == 'json' else 'Regel'} {error['line']}")
    else:
        parts.append("Bestand")
    if error.get("field"):
        parts.append(f"kolom {error['field']}")
    return ", ".join(parts)


def error_text(error: dict, file_format: str) -> str:
    return f"{error_location(error, file_format)}: {error['message']}"
