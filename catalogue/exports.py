"""The catalogue as data: JSON-LD (schema.org), CSV (the import format) and iCalendar.

The views pass entries already filtered like the page (``next_steps.filtered_entries``), so
every export shows what /verder-leren/ shows for the same query string. All three are
plain functions of the entries and write no files.
"""

import csv
import datetime
import io
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _

from catalogue import ical
from catalogue.columns import COLUMNS, entry_to_row, format_price
from catalogue.models import CatalogueEntry, CatalogueSession
from catalogue.next_steps import KIND_LABELS, LEVEL_LABELS, where
from courses.vocabulary import DIGCOMP_COMPETENCES

SCHEMA_CONTEXT = "https://schema.org"
# BCP 47 tags for inLanguage. "multi" says nothing about which languages: left out.
LANGUAGE_TAGS = {"nl": "nl", "nl-easy": "nl", "fr": "fr", "en": "en"}
PRODID = "-//Digibank Westhoek//Leerplatform verder leren//NL"

# --- JSON-LD ------------------------------------------------------------------------------


def _iso(moment: datetime.datetime) -> str:
    """ISO 8601 in Belgian time with its offset: '2027-01-12T14:00:00+01:00'."""
    return timezone.localtime(moment).isoformat()


def _organisation(entry: CatalogueEntry) -> dict:
    organisation = entry.organisation
    data = {"@type": "Organization", "name": organisation.name}
    if organisation.website:
        data["url"] = organisation.website
    return data


def _place(entry: CatalogueEntry) -> dict | None:
    """Where the entry happens, or None when it is only online."""
    digipunt = entry.digipunt
    if digipunt is not None:
        return {
            "@type": "Place",
            "name": digipunt.name,
            "address": {
                "@type": "PostalAddress",
                "streetAddress": digipunt.street,
                "postalCode": digipunt.postcode,
                "addressLocality": digipunt.municipality.name,
                "addressCountry": "BE",
            },
        }
    town = entry.municipality.name if entry.municipality_id else ""
    if not entry.address and not town:
        return None
    address = {"@type": "PostalAddress", "addressCountry": "BE"}
    if entry.address:
        address["streetAddress"] = entry.address
    if town:
        address["addressLocality"] = town
    return {"@type": "Place", "name": entry.address or town, "address": address}


def _course_mode(online: bool, place: dict | None) -> str:
    if online and place is not None:
        return "blended"
    return "online" if online else "onsite"


def _location(entry: CatalogueEntry, place: dict | None):
    locations = [place] if place is not None else []
    if entry.online:
        virtual = {"@type": "VirtualLocation"}
        if entry.url:
            virtual["url"] = entry.url
        locations.append(virtual)
    return locations[0] if len(locations) == 1 else locations


def _instance(entry, place, session: CatalogueSession | None) -> dict:
    data = {"@type": "CourseInstance", "courseMode": _course_mode(entry.online, place)}
    if session is not None:
        data["startDate"] = _iso(session.starts_at)
        data["endDate"] = _iso(session.ends_at)
    location = _location(entry, place)
    if location:
        data["location"] = location
    return data


def course(entry: CatalogueEntry, *, base_url: str) -> dict:
    """One entry as a schema.org Course with one CourseInstance per upcoming session.

    Device lending without dates gets one CourseInstance without dates: it still says where.
    Needs ``next_steps.with_upcoming_sessions``.
    """
    place = _place(entry)
    sessions = getattr(entry, "upcoming_sessions", [])
    data = {
        "@type": "Course",
        # An identifier, stable as long as the row exists; there is no page per entry.
        "@id": f"{base_url}/verder-leren/aanbod.jsonld#aanbod-{entry.pk}",
        "name": entry.title,
        "description": entry.summary,
        "courseCode": entry.external_id,
        "learningResourceType": str(KIND_LABELS.get(entry.kind, entry.kind)),
        "provider": _organisation(entry),
        "offers": {
            "@type": "Offer",
            # schema.org wants a dot as decimal separator, and "0" for free.
            "price": "0" if entry.is_free else f"{entry.price_cents / 100:.2f}",
            "priceCurrency": "EUR",
            "category": "Free" if entry.is_free else "Paid",
        },
        "hasCourseInstance": [_instance(entry, place, session) for session in sessions]
        or [_instance(entry, place, None)],
    }
    if entry.url:
        data["url"] = entry.url
    if entry.language in LANGUAGE_TAGS:
        data["inLanguage"] = LANGUAGE_TAGS[entry.language]
    if entry.level:
        data["educationalLevel"] = str(LEVEL_LABELS.get(entry.level, entry.level))
    teaches = [
        f"{code} {DIGCOMP_COMPETENCES[code]}"
        for code in entry.competences or []
        if code in DIGCOMP_COMPETENCES
    ]
    if teaches:
        data["teaches"] = teaches
    if entry.accessibility:
        data["accessibilitySummary"] = entry.accessibility
    return data


def jsonld(entries: Iterable[CatalogueEntry], *, base_url: str, page_url: str, name: str) -> dict:
    """An ItemList of Courses, in the page's order."""
    items = [
        {"@type": "ListItem", "position": position, "item": course(entry, base_url=base_url)}
        for position, entry in enumerate(entries, start=1)
    ]
    return {
        "@context": SCHEMA_CONTEXT,
        "@type": "ItemList",
        "name": name,
        "url": page_url,
        "numberOfItems": len(items),
        "itemListElement": items,
    }


# --- CSV -----------------------------------------------------------------------------------

# Excel runs a cell that starts with one of these as a formula, even from a CSV file.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe_cell(value: str) -> str:
    """Neutralise a cell Excel would run as a formula (CSV injection) with a leading "'".

    Only partner text can start like this (the columns the site writes itself never do),
    so a normal file round-trips unchanged.
    """
    if value and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_text(entries: Iterable[CatalogueEntry]) -> str:
    """The entries in the import template's format (``catalogue.columns``): one row each.

    - **UTF-8 with a byte order mark**: without it Excel reads the file as Windows-1252
      and "café" becomes "cafÃ©".
    - **Semicolon as delimiter**: Excel with Belgian (Flemish) regional settings uses the
      comma as decimal separator, so it expects ";" between columns and would put a
      comma-separated file in one column. Prices such as "12,50" then stay one cell.
    - CRLF line ends, cells quoted only when needed (``csv.QUOTE_MINIMAL``).

    ``entry_to_row`` reads ``entry.sessions.all()``: prefetch ``sessions`` (all of them,
    so that the row is the entry as the partner describes it and re-imports unchanged).
    """
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, delimiter=";", lineterminator="\r\n")
    writer.writeheader()
    for entry in entries:
        row = entry_to_row(entry)
        writer.writerow({column: _safe_cell(row.get(column, "")) for column in COLUMNS})
    return buffer.getvalue()


# --- iCalendar -----------------------------------------------------------------------------


def _local(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y%m%dT%H%M%S")


def _location_text(entry: CatalogueEntry) -> str:
    place, address = where(entry)
    parts = [part for part in (place, address) if part]
    if entry.online:
        parts.append(_("online"))
    return ", ".join(parts)


def session_event(entry: CatalogueEntry, session, *, domain: str, stamp: str) -> list[str]:
    price = _("Prijs: %(price)s") % {"price": format_price(entry.price_cents)}
    description = [entry.summary, price]
    if entry.signup:
        description.append(_("Inschrijven: %(how)s") % {"how": entry.signup})
    description.append(_("Door %(name)s") % {"name": entry.organisation.name})
    lines = [
        "BEGIN:VEVENT",
        # The session row's primary key: it stays while the entry's dates stay the same
        # (services.catalogue_entry_sessions_replace), so saving or re-importing an entry
        # never turns its dates into new events. A changed date is a new row, a new event.
        f"UID:verder-leren-{session.pk}@{domain}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;TZID={ical.TZID}:{_local(session.starts_at)}",
        f"DTEND;TZID={ical.TZID}:{_local(session.ends_at)}",
        f"SUMMARY:{ical.escape_text(entry.title)}",
    ]
    location = _location_text(entry)
    if location:
        lines.append(f"LOCATION:{ical.escape_text(location)}")
    lines.append(f"DESCRIPTION:{ical.escape_text(chr(10).join(description))}")
    if entry.url:
        lines.append(f"URL:{entry.url}")
    lines.append("END:VEVENT")
    return lines


def sessions_calendar(
    entries: Iterable[CatalogueEntry], *, domain: str, name: str, now: datetime.datetime
) -> str:
    """Every upcoming session of the entries (``upcoming_sessions``), with ical.py's rules."""
    stamp = ical.stamp_for(now)
    events = (
        session_event(entry, session, domain=domain, stamp=stamp)
        for entry in entries
        for session in getattr(entry, "upcoming_sessions", [])
    )
    return ical.calendar_text(prodid=PRODID, name=name, events=events)
