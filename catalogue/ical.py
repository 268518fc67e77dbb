"""iCalendar (RFC 5545), written by hand, for the site's two feeds.

- /hulp/bezoeken.ics, the mobile service's visits: ``calendar`` and ``visit_event`` here.
- /verder-leren/aanbod.ics, the upcoming sessions of the partner catalogue:
  ``exports.sessions_calendar`` writes its events and wraps them with ``calendar_text``.

Small enough not to need a library: the rules that matter are CRLF line endings, text
escaping (backslash, comma, semicolon, newline) and folding lines longer than 75 octets
without splitting a UTF-8 character. Both feeds use them through ``calendar_text``,
``escape_text`` and ``stamp_for``. Times are local Brussels times with a VTIMEZONE, so a
calendar shows 9.30 also after the switch to summer time.
"""

import datetime
from collections.abc import Iterable

from catalogue.models import MobileVisit

CRLF = "\r\n"
MAX_OCTETS = 75
TZID = "Europe/Brussels"
# The visits feed's; the catalogue's feed names itself (exports.PRODID).
PRODID = "-//Digibank Westhoek//Leerplatform hulp in de buurt//NL"

# The EU rule since 1996: summer time from the last Sunday of March, 02:00 local, to the
# last Sunday of October, 03:00 local.
VTIMEZONE = [
    "BEGIN:VTIMEZONE",
    f"TZID:{TZID}",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "TZNAME:CEST",
    "DTSTART:19700329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "TZNAME:CET",
    "DTSTART:19701025T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
]


def escape_text(value: str) -> str:
    """TEXT value escaping (RFC 5545 3.3.11); the backslash goes first."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Split a content line into chunks of at most 75 octets (RFC 5545 3.1).

    Continuation lines start with one space, which counts towards their 75 octets.
    Characters are never cut in half.
    """
    if len(line.encode("utf-8")) <= MAX_OCTETS:
        return line
    chunks, current, size = [], [], 0
    limit = MAX_OCTETS
    for char in line:
        octets = len(char.encode("utf-8"))
        if size + octets > limit:
            chunks.append("".join(current))
            current, size, limit = [], 0, MAX_OCTETS - 1
        current.append(char)
        size += octets
    chunks.append("".join(current))
    return (CRLF + " ").join(chunks)


def _local(date: datetime.date, time: datetime.time) -> str:
    return datetime.datetime.combine(date, time).strftime("%Y%m%dT%H%M%S")


def visit_event(visit: MobileVisit, *, domain: str, stamp: str) -> list[str]:
    summary = f"Mobiele dienst in {visit.village}"
    location = f"{visit.place}, {visit.village}, {visit.municipality.name}"
    description = (
        f"{visit.organisation.name} helpt je met je smartphone, laptop of tablet. "
        "Je hoeft geen afspraak te maken."
    )
    return [
        "BEGIN:VEVENT",
        # The primary key never changes, so a calendar updates the event instead of
        # adding a copy when the time or place is edited.
        f"UID:mobiele-dienst-{visit.pk}@{domain}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;TZID={TZID}:{_local(visit.date, visit.start)}",
        f"DTEND;TZID={TZID}:{_local(visit.date, visit.end)}",
        f"SUMMARY:{escape_text(summary)}",
        f"LOCATION:{escape_text(location)}",
        f"DESCRIPTION:{escape_text(description)}",
        "END:VEVENT",
    ]


def stamp_for(now: datetime.datetime) -> str:
    """DTSTAMP value: when the feed was made, in UTC."""
    return now.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar_text(*, prodid: str, name: str, events: Iterable[list[str]]) -> str:
    """A whole VCALENDAR around the events' lines: header, time zone, folding, CRLF."""
    lines = [
        "BEGIN:VCALENDAR",
        f"PRODID:{prodid}",
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
        f"X-WR-TIMEZONE:{TZID}",
        *VTIMEZONE,
    ]
    for event in events:
        lines.extend(event)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines)


def calendar(
    visits: Iterable[MobileVisit], *, domain: str, name: str, now: datetime.datetime
) -> str:
    stamp = stamp_for(now)
    events = (visit_event(visit, domain=domain, stamp=stamp) for visit in visits)
    return calendar_text(prodid=PRODID, name=name, events=events)
