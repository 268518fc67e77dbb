"""The columns of a partner's catalogue file, shared by the import, the CSV export and the
admin form.

One row is one ``CatalogueEntry``. ``ENTRY_COLUMNS`` is the one list of an entry's fields:
each column names its model field, how a cell is read and how it is written. The column
names, the required columns, the fields an import compares (``ENTRY_FIELDS``), the export
(``entry_to_row``) and the admin form's fields are all derived from it. The export writes
exactly what the import reads back, so an exported file re-imported changes nothing. The
format is described for partners in docs/catalogue-format.md; keep both in step.

``COLUMNS`` and ``entry_to_row`` are imported by the public catalogue's export: keep those
names and the order of the columns stable.

The parse helpers take one cell (a string, already stripped of surrounding spaces) and
return the model value, or raise ``CellError`` with a message in easy Dutch. The importer
adds the line number and the column name.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.validators import URLValidator
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from catalogue.models import CatalogueEntry
from courses.vocabulary import DIGCOMP_COMPETENCES

# --- vocabularies --------------------------------------------------------------------------

# What partners write -> the model's code. The first word per code is the one the export and
# the template use.
KIND_WORDS = {
    "cursus": "course",
    "workshop": "workshop",
    "digimoment": "digimoment",
    "lenen": "lending",
    # Also understood:
    "opleiding": "course",
    "les": "course",
    "lessenreeks": "course",
    "vorming": "workshop",
    "infosessie": "workshop",
    "digicafé": "digimoment",
    "digicafe": "digimoment",
    "spreekuur": "digimoment",
    "toestel lenen": "lending",
    "uitlenen": "lending",
    "uitlening": "lending",
    "course": "course",
    "lending": "lending",
}
KIND_EXPORT = {
    "course": "cursus",
    "workshop": "workshop",
    "digimoment": "digimoment",
    "lending": "lenen",
}

LANGUAGE_WORDS = {
    "nederlands": "nl",
    "eenvoudig nederlands": "nl-easy",
    "frans": "fr",
    "engels": "en",
    "meertalig": "multi",
    # Also understood:
    "nl": "nl",
    "nl-easy": "nl-easy",
    "nl-eenvoudig": "nl-easy",
    "extra eenvoudig nederlands": "nl-easy",
    "nederlands, extra eenvoudig": "nl-easy",
    "klare taal": "nl-easy",
    "fr": "fr",
    "français": "fr",
    "francais": "fr",
    "en": "en",
    "english": "en",
    "multi": "multi",
    "verschillende talen": "multi",
}
LANGUAGE_EXPORT = {
    "nl": "nederlands",
    "nl-easy": "eenvoudig nederlands",
    "fr": "frans",
    "en": "engels",
    "multi": "meertalig",
}

YES_WORDS = {"ja", "j", "yes", "y", "true", "waar", "1", "x"}
NO_WORDS = {"nee", "neen", "n", "no", "false", "onwaar", "0", ""}
FREE_WORDS = {"gratis", "gratuit", "free", "kosteloos"}
LEVELS = {1, 2, 3}


class CellError(ValueError):
    """One cell could not be read; the message is for the partner, in easy Dutch."""


def _key(value: str) -> str:
    return " ".join(value.strip().lower().split())


def one_line(value: str) -> str:
    return " ".join(value.split())


def paragraphs(value: str) -> str:
    lines = [line.strip() for line in value.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return "\n".join(lines).strip()


def parse_text(value: str, *, column: str) -> str:
    text = value.strip()
    limit = MAX_LENGTHS.get(column)
    if limit is not None and len(text) > limit:
        raise CellError(f"Te lang: {len(text)} tekens. Het mag hoogstens {limit} tekens zijn.")
    return text


def parse_kind(value: str) -> str:
    kind = KIND_WORDS.get(_key(value))
    if kind is None:
        raise CellError(f"Onbekende soort '{value}'. Kies: cursus, workshop, digimoment of lenen.")
    return kind


def parse_language(value: str) -> str:
    if not value.strip():
        return "nl"
    language = LANGUAGE_WORDS.get(_key(value))
    if language is None:
        raise CellError(
            f"Onbekende taal '{value}'. Kies: nederlands, eenvoudig nederlands, frans, "
            "engels of meertalig."
        )
    return language


def parse_yes_no(value: str) -> bool:
    key = _key(value)
    if key in YES_WORDS:
        return True
    if key in NO_WORDS:
        return False
    raise CellError(f"Schrijf 'ja' of 'nee', niet '{value}'.")


def parse_level(value: str) -> int | None:
    key = _key(value).removeprefix("niveau").strip()
    if not key:
        return None
    if key.isdigit() and int(key) in LEVELS:
        return int(key)
    raise CellError(f"Het niveau is 1, 2 of 3 (of leeg), niet '{value}'.")


_COMPETENCE_SPLIT = re.compile(r"[\s,;|/]+")
# "2,3" written with a decimal comma, on its own (not the "3,4" in "2.3,4.2").
_DECIMAL_COMMA = re.compile(r"(?<![.,\d])(\d),(\d)(?![.,\d])")


def parse_competences(value: str) -> list[str]:
    """'2.3, 4.2' -> ['2.3', '4.2'], in DigComp order, each code once. '2,3' reads as 2.3."""
    text = _DECIMAL_COMMA.sub(r"\1.\2", value.strip())
    codes = [code for code in _COMPETENCE_SPLIT.split(text) if code]
    unknown = [code for code in codes if code not in DIGCOMP_COMPETENCES]
    if unknown:
        raise CellError(
            f"Geen DigComp-competentie: {', '.join(unknown)}. "
            "Schrijf codes zoals 2.3 of 4.2, gescheiden door een komma."
        )
    return [code for code in DIGCOMP_COMPETENCES if code in codes]


_PRICE = re.compile(r"^(?P<sign>-?)\s*(?P<number>\d+(?:[.,]\d+)*)$")


def parse_price(value: str) -> int:
    """'gratis', '0', '12,50', '€ 12,50', '12.50', '1.250,00' -> cents."""
    text = _key(value)
    if not text:
        raise CellError("Vul de prijs in: een bedrag, bv. 12,50, of gratis.")
    if text in FREE_WORDS:
        return 0
    for noise in ("€", "euro", "eur", " "):
        text = text.replace(noise, "")
    text = text.removesuffix(",-").removesuffix(".-")
    match = _PRICE.match(text)
    if match is None:
        raise CellError(f"Deze prijs kunnen we niet lezen: '{value}'. Schrijf bv. 12,50 of gratis.")
    number = match["number"]
    # The last separator is the decimal one; the others group thousands.
    last = max(number.rfind(","), number.rfind("."))
    if last == -1:
        whole, cents = number, ""
    else:
        whole, cents = number[:last], number[last + 1 :]
        whole = whole.replace(".", "").replace(",", "")
        if len(cents) > 2:
            raise CellError(
                f"Deze prijs kunnen we niet lezen: '{value}'. "
                "Schrijf hoogstens 2 cijfers na de komma, bv. 12,50."
            )
    try:
        amount = Decimal(f"{whole or '0'}.{cents or '0'}")
    except InvalidOperation as error:  # pragma: no cover - the regex already checked
        raise CellError(f"Deze prijs kunnen we niet lezen: '{value}'.") from error
    if match["sign"] and amount:
        raise CellError(f"Een prijs kan niet negatief zijn: '{value}'.")
    return int(amount * 100)


_url_validator = URLValidator(schemes=["http", "https"])


def parse_url(value: str) -> str:
    text = parse_text(value, column="website")
    if not text:
        return ""
    if "://" not in text:
        text = f"https://{text}"
    try:
        _url_validator(text)
    except ValidationError as error:
        raise CellError(f"Dit is geen geldig webadres: '{value}'.") from error
    if len(text) > MAX_LENGTHS["website"]:
        limit = MAX_LENGTHS["website"]
        raise CellError(f"Te lang: het webadres mag hoogstens {limit} tekens zijn.")
    return text


# --- dates ---------------------------------------------------------------------------------------

_DATE = r"(?:\d{1,2}[/.-]\d{1,2}[/.-]\d{4}|\d{4}-\d{1,2}-\d{1,2})"
_TIME = r"\d{1,2}(?:[:.uUhH]\d{2}|[uUhH])?"
_SESSION = re.compile(
    rf"^(?P<date>{_DATE})(?:\s+|T)(?:van\s+)?(?P<start>{_TIME})\s*(?:-|–|—|tot)\s*"
    rf"(?:(?P<end_date>{_DATE})(?:\s+|T))?(?P<end>{_TIME})(?:\s*uur)?$",
    re.IGNORECASE,
)
_SESSION_SPLIT = re.compile(r"\s*[|;\n]\s*")


def parse_date(value: str) -> datetime.date:
    """'12/01/2027', '12-01-2027', '12.01.2027' or '2027-01-12'."""
    text = value.strip()
    parts = re.split(r"[/.-]", text)
    try:
        if len(parts) == 3 and len(parts[0]) == 4:
            year, month, day = (int(part) for part in parts)
        elif len(parts) == 3 and len(parts[2]) == 4:
            day, month, year = (int(part) for part in parts)
        else:
            raise ValueError(text)
        return datetime.date(year, month, day)
    except ValueError as error:
        raise CellError(
            f"Deze datum bestaat niet of kunnen we niet lezen: '{value}'. "
            "Schrijf dag/maand/jaar, bv. 12/01/2027."
        ) from error


def parse_time(value: str) -> datetime.time:
    """'14:00', '14.00', '14u', '14u30', '9h30', '14'."""
    match = re.match(r"^(\d{1,2})(?:[:.uUhH](\d{2})?)?$", value.strip())
    try:
        if match is None:
            raise ValueError(value)
        return datetime.time(int(match[1]), int(match[2] or 0))
    except ValueError as error:
        raise CellError(f"Dit uur kunnen we niet lezen: '{value}'. Schrijf bv. 14:00.") from error


def _aware(date: datetime.date, time: datetime.time) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(date, time))


def parse_session(value: str) -> tuple[datetime.datetime, datetime.datetime]:
    """'12/01/2027 14:00-16:00' (or '12/01/2027 14:00 - 13/01/2027 16:00') -> (start, end).

    Times are Belgian time (the site's TIME_ZONE); the result is timezone-aware.
    """
    text = " ".join(value.split())
    match = _SESSION.match(text)
    if match is None:
        raise CellError(
            f"Deze datum kunnen we niet lezen: '{value}'. "
            "Schrijf dag/maand/jaar en het begin- en einduur, bv. 12/01/2027 14:00-16:00."
        )
    day = parse_date(match["date"])
    end_day = parse_date(match["end_date"]) if match["end_date"] else day
    start = _aware(day, parse_time(match["start"]))
    end = _aware(end_day, parse_time(match["end"]))
    if end <= start:
        raise CellError(f"Het einde ligt voor het begin: '{value}'.")
    return start, end


def parse_sessions(value: str) -> list[tuple[datetime.datetime, datetime.datetime]]:
    """Dates in one cell, separated by '|' (or ';' or a new line), sorted, each once."""
    parts = [part for part in _SESSION_SPLIT.split(value.strip()) if part]
    sessions = {parse_session(part) for part in parts}
    return sorted(sessions)


def format_session(starts_at: datetime.datetime, ends_at: datetime.datetime) -> str:
    start = timezone.localtime(starts_at)
    end = timezone.localtime(ends_at)
    if start.date() == end.date():
        return f"{start:%d/%m/%Y %H:%M}-{end:%H:%M}"
    return f"{start:%d/%m/%Y %H:%M} - {end:%d/%m/%Y %H:%M}"


def format_sessions(sessions) -> str:
    return " | ".join(format_session(start, end) for start, end in sorted(sessions))


def format_price(cents: int) -> str:
    """'gratis', '€ 12,50', '€ 1.250,00': Belgian notation, the one way a price is written.

    Learners read it on cards, in search results and in calendars; the file and the admin
    form write it too (``price_cell``), and ``parse_price`` reads every form of it back.
    """
    if not cents:
        return _("gratis")
    euros = f"{cents // 100:,}".replace(",", ".")
    return f"€ {euros},{cents % 100:02d}"


def price_cell(cents: int) -> str:
    """The price as the catalogue file and the admin form write it: in Dutch, whatever the
    interface language, because the file is Dutch ("free" reads back, "مجاني" would not)."""
    with translation.override(settings.LANGUAGE_CODE):
        return format_price(cents)


# --- the columns -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column of the file and the ``CatalogueEntry`` field it fills."""

    name: str  # in the file, in Dutch
    field: str  # the CatalogueEntry field; "sessions" are the CatalogueSession rows
    # A file without this column is refused as a whole, and every row needs a value.
    required: bool = False
    # Cell -> model value, or CellError. None: text on one line, at most the model's
    # max_length (``multiline`` keeps new lines between paragraphs).
    read: Callable[[str], Any] | None = None
    multiline: bool = False
    # Entry -> cell. None: the field's own text.
    write: Callable[[Any], str] | None = None
    # Digipunt and municipality: read by the importer against the names partners write
    # (``importing.Lookups``), then the place rule (``rules.catalogue_entry_place``).
    place: bool = False

    def parse(self, value: str):
        if self.place:
            raise TypeError(f"'{self.name}' is read with the importer's look-ups.")
        if self.read is not None:
            return self.read(value)
        clean = paragraphs(value) if self.multiline else one_line(value)
        return parse_text(clean, column=self.name)

    def cell(self, entry) -> str:
        return self.write(entry) if self.write is not None else getattr(entry, self.field)


def _sessions_cell(entry) -> str:
    return format_sessions((session.starts_at, session.ends_at) for session in entry.sessions.all())


# In this order in the template and in the export. The price is required too: an empty
# price must not show as "gratis" to a learner who then has to pay.
ENTRY_COLUMNS = (
    Column("code", "external_id", required=True),
    Column("titel", "title", required=True),
    Column("uitleg", "summary", required=True, multiline=True),
    Column(
        "soort",
        "kind",
        required=True,
        read=parse_kind,
        write=lambda entry: KIND_EXPORT.get(entry.kind, entry.kind),
    ),
    Column(
        "competenties",
        "competences",
        read=parse_competences,
        write=lambda entry: ", ".join(entry.competences or []),
    ),
    Column(
        "niveau",
        "level",
        read=parse_level,
        write=lambda entry: str(entry.level) if entry.level else "",
    ),
    Column(
        "taal",
        "language",
        read=parse_language,
        write=lambda entry: LANGUAGE_EXPORT.get(entry.language, entry.language),
    ),
    Column(
        "prijs",
        "price_cents",
        required=True,
        read=parse_price,
        write=lambda entry: price_cell(entry.price_cents),
    ),
    Column(
        "digipunt",
        "digipunt",
        place=True,
        write=lambda entry: entry.digipunt.name if entry.digipunt_id else "",
    ),
    Column("adres", "address"),
    Column(
        "gemeente",
        "municipality",
        place=True,
        write=lambda entry: entry.municipality.name if entry.municipality_id else "",
    ),
    Column(
        "online",
        "online",
        read=parse_yes_no,
        write=lambda entry: "ja" if entry.online else "nee",
    ),
    Column("inschrijven", "signup"),
    Column("website", "url", read=parse_url),
    Column("toegankelijkheid", "accessibility"),
    Column("datums", "sessions", read=parse_sessions, write=_sessions_cell),
)
COLUMNS = tuple(column.name for column in ENTRY_COLUMNS)
REQUIRED_COLUMNS = tuple(column.name for column in ENTRY_COLUMNS if column.required)


def _model_field(name: str):
    """The entry's own field, or None for "sessions" (rows of their own model)."""
    try:
        field = CatalogueEntry._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if field.concrete else None


# The longest text a column takes: its model field's max_length.
MAX_LENGTHS = {
    column.name: field.max_length
    for column in ENTRY_COLUMNS
    if (field := _model_field(column.field)) is not None and getattr(field, "max_length", None)
}
# The entry's values a row of the file carries, as model attributes ("digipunt_id"): what an
# import writes and compares to decide whether an entry changed. The code identifies the
# entry and the dates are CatalogueSession rows, so both are handled apart.
ENTRY_FIELDS = tuple(
    _model_field(column.field).attname
    for column in ENTRY_COLUMNS
    if column.field != "external_id" and _model_field(column.field) is not None
)
COLUMN_FOR_ATTRIBUTE = {
    _model_field(column.field).attname: column.name
    for column in ENTRY_COLUMNS
    if _model_field(column.field) is not None
}


# --- export --------------------------------------------------------------------------------------


def entry_to_row(entry) -> dict[str, str]:
    """One CatalogueEntry as a row of the catalogue file: {column: text}, every column present.

    For many entries, load them with ``select_related("digipunt", "municipality")`` and
    ``prefetch_related("sessions")``: this reads ``entry.sessions.all()``.
    """
    return {column.name: column.cell(entry) for column in ENTRY_COLUMNS}
