"""The columns of a partner's catalogue file, shared by the import and the CSV export.

One row is one ``CatalogueEntry``. The export (``entry_to_row``) writes exactly what the
import reads back, so an exported file re-imported changes nothing. The format is described
for partners in docs/catalogue-format.md; keep both in step.

``COLUMNS`` and ``entry_to_row`` are imported by the public catalogue's export: keep those
names and the order of the columns stable.

The parse helpers take one cell (a string, already stripped of surrounding spaces) and
return the model value, or raise ``CellError`` with a message in easy Dutch. The importer
adds the line number and the column name.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone

from courses.vocabulary import DIGCOMP_COMPETENCES

# --- the columns -----------------------------------------------------------------------------

# In this order in the template and in the export.
COLUMNS = (
    "code",
    "titel",
    "uitleg",
    "soort",
    "competenties",
    "niveau",
    "taal",
    "prijs",
    "digipunt",
    "adres",
    "gemeente",
    "online",
    "inschrijven",
    "website",
    "toegankelijkheid",
    "datums",
)
# A file without one of these columns is refused as a whole; in every row they need a value.
# The price too: an empty price must not show as "gratis" to a learner who then has to pay.
REQUIRED_COLUMNS = ("code", "titel", "uitleg", "soort", "prijs")

# Column -> CatalogueEntry field (``datums`` becomes CatalogueSession rows).
FIELD_FOR_COLUMN = {
    "code": "external_id",
    "titel": "title",
    "uitleg": "summary",
    "soort": "kind",
    "competenties": "competences",
    "niveau": "level",
    "taal": "language",
    "prijs": "price_cents",
    "digipunt": "digipunt",
    "adres": "address",
    "gemeente": "municipality",
    "online": "online",
    "inschrijven": "signup",
    "website": "url",
    "toegankelijkheid": "accessibility",
    "datums": "sessions",
}
COLUMN_FOR_FIELD = {field: column for column, field in FIELD_FOR_COLUMN.items()}

# The longest text a column takes (the model's max_length).
MAX_LENGTHS = {
    "code": 80,
    "titel": 150,
    "uitleg": 600,
    "adres": 200,
    "inschrijven": 300,
    "website": 200,
    "toegankelijkheid": 300,
}

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
    if not cents:
        return "gratis"
    return f"{cents // 100},{cents % 100:02d}"


# --- export --------------------------------------------------------------------------------------


def entry_to_row(entry) -> dict[str, str]:
    """One CatalogueEntry as a row of the catalogue file: {column: text}, every column present.

    For many entries, load them with ``select_related("digipunt", "municipality")`` and
    ``prefetch_related("sessions")``: this reads ``entry.sessions.all()``.
    """
    return {
        "code": entry.external_id,
        "titel": entry.title,
        "uitleg": entry.summary,
        "soort": KIND_EXPORT.get(entry.kind, entry.kind),
        "competenties": ", ".join(entry.competences or []),
        "niveau": str(entry.level) if entry.level else "",
        "taal": LANGUAGE_EXPORT.get(entry.language, entry.language),
        "prijs": format_price(entry.price_cents),
        "digipunt": entry.digipunt.name if entry.digipunt_id else "",
        "adres": entry.address,
        "gemeente": entry.municipality.name if entry.municipality_id else "",
        "online": "ja" if entry.online else "nee",
        "inschrijven": entry.signup,
        "website": entry.url,
        "toegankelijkheid": entry.accessibility,
        "datums": format_sessions(
            (session.starts_at, session.ends_at) for session in entry.sessions.all()
        ),
    }
