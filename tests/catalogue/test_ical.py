"""/hulp/bezoeken.ics: a valid RFC 5545 feed of the upcoming visits, filtered by municipality."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from catalogue import ical
from catalogue.models import MobileVisit, Municipality, Organisation
from catalogue.selectors import upcoming_visits

pytestmark = pytest.mark.django_db
FEED = "/hulp/bezoeken.ics"


@pytest.fixture
def seeded():
    call_command("seed_catalogue", stdout=StringIO())


def fetch(client, params=None):
    response = client.get(FEED, params or {})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return response.content


def structure(body: bytes) -> list[str]:
    """Check the wire format, then return the unfolded content lines."""
    assert body.endswith(b"\r\n")
    assert b"\n" not in body.replace(b"\r\n", b"")  # no bare LF
    assert b"\r" not in body.replace(b"\r\n", b"")  # no bare CR
    raw_lines = body[:-2].split(b"\r\n")
    assert all(len(line) <= 75 for line in raw_lines), max(map(len, raw_lines))
    text = body.decode("utf-8")  # folding never cut a character in half
    lines = text[:-2].replace("\r\n ", "").split("\r\n")
    stack = []
    for line in lines:
        name, _sep, value = line.partition(":")
        assert _sep, line
        if name == "BEGIN":
            stack.append(value)
        elif name == "END":
            assert stack.pop() == value, line
    assert stack == []
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines and any(line.startswith("PRODID:") for line in lines)
    return lines


def events(lines: list[str]) -> list[dict[str, str]]:
    found, current = [], None
    for line in lines:
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            found.append(current)
            current = None
        elif current is not None:
            name, _sep, value = line.partition(":")
            current[name] = value
    return found


def test_feed_has_every_upcoming_visit(client, seeded):
    lines = structure(fetch(client))
    found = events(lines)
    today = timezone.localdate()
    upcoming = MobileVisit.objects.filter(date__gte=today + datetime.timedelta(days=1))
    assert len(found) >= upcoming.count() > 0
    assert "BEGIN:VTIMEZONE" in lines and "TZID:Europe/Brussels" in lines
    uids = [event["UID"] for event in found]
    assert len(set(uids)) == len(uids)
    first = found[0]
    assert set(first) >= {"UID", "DTSTAMP", "DTSTART;TZID=Europe/Brussels", "SUMMARY", "LOCATION"}
    assert first["DTSTAMP"].endswith("Z")
    assert first["SUMMARY"].startswith("Mobiele dienst in ")


def test_uid_is_stable_between_requests(client, seeded):
    first = [event["UID"] for event in events(structure(fetch(client)))]
    second = [event["UID"] for event in events(structure(fetch(client)))]
    assert first == second
    # The feed holds what is still to come: a visit earlier today may already be over.
    visit = upcoming_visits()[0]
    assert f"mobiele-dienst-{visit.pk}@127.0.0.1" in first


def test_feed_filters_by_municipality(client, seeded):
    vleteren = events(structure(fetch(client, {"gemeente": "vleteren"})))
    villages = {event["SUMMARY"].removeprefix("Mobiele dienst in ") for event in vleteren}
    assert villages == {"Oostvleteren", "Westvleteren", "Woesten"}
    assert events(structure(fetch(client, {"gemeente": "ieper"}))) == []
    everything = events(structure(fetch(client)))
    unknown = events(structure(fetch(client, {"gemeente": "atlantis"})))
    assert len(unknown) == len(everything) > len(vleteren)


def test_text_is_escaped_and_long_lines_folded(client):
    organisation = Organisation.objects.create(name="Digibank Poperinge", kind="digibank")
    poperinge = Municipality.objects.create(name="Poperinge", slug="poperinge", cluster="poperinge")
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    MobileVisit.objects.create(
        organisation=organisation,
        municipality=poperinge,
        village="Watou",
        place="Café 't Hommelhof; zaal achteraan, eerste verdieping\\links\nbel aan " + "é" * 40,
        date=tomorrow,
        start=datetime.time(9, 30),
        end=datetime.time(11, 30),
    )
    body = fetch(client)
    lines = structure(body)
    (event,) = events(lines)
    assert event["LOCATION"] == (
        "Café 't Hommelhof\\; zaal achteraan\\, eerste verdieping\\\\links\\nbel aan "
        + "é" * 40
        + "\\, Watou\\, Poperinge"
    )
    assert event["DTSTART;TZID=Europe/Brussels"] == f"{tomorrow:%Y%m%d}T093000"
    assert event["DTEND;TZID=Europe/Brussels"] == f"{tomorrow:%Y%m%d}T113000"
    assert b"\r\n " in body  # the long LOCATION line was folded


def test_past_visits_are_not_in_the_feed(client):
    organisation = Organisation.objects.create(name="Digibank Poperinge", kind="digibank")
    poperinge = Municipality.objects.create(name="Poperinge", slug="poperinge", cluster="poperinge")
    MobileVisit.objects.create(
        organisation=organisation,
        municipality=poperinge,
        village="Proven",
        place="aan de kerk",
        date=timezone.localdate() - datetime.timedelta(days=1),
        start=datetime.time(9),
        end=datetime.time(11),
    )
    assert events(structure(fetch(client))) == []


@pytest.mark.parametrize("width", [1, 2, 3, 4])
def test_fold_never_splits_a_character(width):
    char = {1: "a", 2: "é", 3: "€", 4: "😀"}[width]
    line = "DESCRIPTION:" + char * 100
    folded = ical.fold(line)
    parts = folded.split("\r\n")
    assert all(len(part.encode("utf-8")) <= 75 for part in parts)
    assert all(part.startswith(" ") for part in parts[1:])
    assert "".join([parts[0], *(part[1:] for part in parts[1:])]) == line


def test_escape_text():
    assert ical.escape_text("a,b;c\\d\ne\r\nf") == "a\\,b\\;c\\\\d\\ne\\nf"
