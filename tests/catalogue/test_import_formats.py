"""Reading a partner's file: CSV variants, JSON, every cell type, and every kind of error.

Nothing here writes entries: ``importing.preview`` only reads and compares.
"""

import datetime
import json
import zoneinfo

import pytest

from catalogue import columns, importing
from catalogue.columns import CellError
from catalogue.models import CatalogueEntry
from tests.catalogue import test_import_helpers as helpers
from tests.catalogue.test_import_helpers import csv_bytes, row

pytestmark = pytest.mark.django_db
places = helpers.places  # the fixture
BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")


def preview(organisation, content, filename="aanbod.csv", full=True):
    return importing.preview(organisation, filename, content, full=full)


def messages(result) -> list[str]:
    return [f"{e['line']}|{e['field']}|{e['message']}" for e in result.errors]


# --- cells -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "cents"),
    [
        ("gratis", 0),
        ("Gratis", 0),
        ("0", 0),
        ("12,50", 1250),
        ("€ 12,50", 1250),
        ("€12,50", 1250),
        ("12.50", 1250),
        ("12", 1200),
        ("12,-", 1200),
        ("12 euro", 1200),
        ("1.250,00", 125000),
        ("EUR 7,5", 750),
    ],
)
def test_prices(text, cents):
    assert columns.parse_price(text) == cents


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("-5", "niet negatief"),
        ("- 12,50", "niet negatief"),
        ("twaalf", "kunnen we niet lezen"),
        ("12.500", "hoogstens 2 cijfers"),
        ("", "Vul de prijs in"),
    ],
)
def test_bad_prices(text, message):
    with pytest.raises(CellError, match=message):
        columns.parse_price(text)


def test_sessions_dutch_and_iso_dates_in_belgian_time():
    sessions = columns.parse_sessions(
        "19/01/2027 14u-16u30 | 12/01/2027 14:00-16:00; 2027-06-02 9.30-12.00\n"
        "2027-01-26T10:00 - 27/01/2027 12:00"
    )
    local = [(start.astimezone(BRUSSELS), end.astimezone(BRUSSELS)) for start, end in sessions]
    assert [(s.strftime("%d/%m/%Y %H:%M"), e.strftime("%H:%M")) for s, e in local] == [
        ("12/01/2027 14:00", "16:00"),
        ("19/01/2027 14:00", "16:30"),
        ("26/01/2027 10:00", "12:00"),
        ("02/06/2027 09:30", "12:00"),  # summer time: 07:30 UTC
    ]
    assert sessions[3][0].astimezone(datetime.UTC).hour == 7
    assert local[2][1].date() == datetime.date(2027, 1, 27)  # over two days


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("31/02/2027 14:00-16:00", "bestaat niet"),
        ("12/01/2027 16:00-14:00", "einde ligt voor het begin"),
        ("12/01/27 14:00-16:00", "kunnen we niet lezen"),
        ("volgende dinsdag", "kunnen we niet lezen"),
        ("12/01/2027 25:00-26:00", "uur kunnen we niet lezen"),
    ],
)
def test_bad_sessions(text, message):
    with pytest.raises(CellError, match=message):
        columns.parse_sessions(text)


def test_words_for_kind_language_yes_no_level_and_competences():
    assert [columns.parse_kind(w) for w in ("Cursus", "workshop", "digimoment", "lenen")] == [
        "course",
        "workshop",
        "digimoment",
        "lending",
    ]
    assert columns.parse_language("Eenvoudig Nederlands") == "nl-easy"
    assert columns.parse_language("") == "nl"
    assert columns.parse_yes_no("Ja") is True and columns.parse_yes_no("") is False
    assert columns.parse_level("niveau 2") == 2 and columns.parse_level("") is None
    assert columns.parse_competences("4.2; 2.3 2.3") == ["2.3", "4.2"]
    assert columns.parse_competences("2,3") == ["2.3"]  # a decimal comma
    assert columns.parse_competences("2.3,4.2") == ["2.3", "4.2"]
    with pytest.raises(CellError, match="Geen DigComp-competentie: 6.1, 23"):
        columns.parse_competences("6.1, 23, 2.3")
    with pytest.raises(CellError, match="Onbekende soort"):
        columns.parse_kind("webinar")


# --- CSV variants --------------------------------------------------------------------------------


def test_comma_csv(places):
    result = preview(places["library"], csv_bytes([row()]))
    assert result.errors == []
    (parsed,) = result.rows
    assert parsed["title"] == "Digitaal Café"
    assert parsed["digipunt_id"] == places["digipunt"].pk
    assert parsed["municipality_id"] == places["ieper"].pk  # from the Digipunt
    assert parsed["competences"] == ["2.1", "5.1"]
    assert parsed["language"] == "nl-easy"
    assert len(parsed["sessions"]) == 2
    assert result.counts == {"created": 1, "changed": 0, "unchanged": 0, "withdrawn": 0}


def test_semicolon_csv_with_comma_prices(places):
    content = csv_bytes([row(prijs="12,50"), row(code="BIB-2", prijs="€ 3,00")], delimiter=";")
    result = preview(places["library"], content)
    assert result.errors == []
    assert [r["price_cents"] for r in result.rows] == [1250, 300]


def test_utf8_with_bom(places):
    content = b"\xef\xbb\xbf" + csv_bytes([row(titel="Café één")], delimiter=";")
    result = preview(places["library"], content)
    assert result.errors == []
    assert result.rows[0]["title"] == "Café één"


def test_windows_1252_with_accents_and_euro(places):
    content = csv_bytes(
        [row(titel="Café voor beginners", prijs="€ 12,50", uitleg="Je leert e-mails lezen.")],
        delimiter=";",
        encoding="cp1252",
    )
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")
    result = preview(places["library"], content)
    assert result.errors == []
    assert result.rows[0]["title"] == "Café voor beginners"
    assert result.rows[0]["price_cents"] == 1250


def test_iso_dates_and_tab_delimiter(places):
    content = csv_bytes([row(datums="2027-01-12 14:00-16:00")], delimiter="\t")
    result = preview(places["library"], content, filename="aanbod.txt")
    assert result.errors == []
    start, end = result.rows[0]["sessions"][0]
    assert start == "2027-01-12T13:00:00+00:00" and end == "2027-01-12T15:00:00+00:00"


def test_columns_in_any_order_and_case_and_quoted(places):
    header = ["Titel", "CODE", "soort", "uitleg", "prijs", "gemeente"]
    content = csv_bytes(
        [
            {
                "titel": "Les",
                "code": "X1",
                "soort": "cursus",
                "uitleg": "Uitleg, met komma.",
                "prijs": "12,50",
                "gemeente": "poperinge",
            }
        ],
        columns=["titel", "code", "soort", "uitleg", "prijs", "gemeente"],
        header=header,
        quote_all=True,
    )
    result = preview(places["library"], content)
    assert result.errors == []
    assert result.rows[0]["municipality_id"] == places["poperinge"].pk
    assert result.rows[0]["summary"] == "Uitleg, met komma."


def test_excel_sep_line_and_empty_rows_are_skipped(places):
    content = b"sep=;\r\n" + csv_bytes([row()], delimiter=";") + b";;;;\r\n\r\n"
    result = preview(places["library"], content)
    assert result.errors == []
    assert len(result.rows) == 1


def test_unquoted_comma_price_in_a_comma_file_names_the_cause(places):
    content = csv_bytes([row()]).replace(b",gratis,", b",12,50,")
    result = preview(places["library"], content)
    assert any("meer vakjes" in e["message"] and e["line"] == 2 for e in result.errors)


def test_excel_file_is_refused_with_advice(places):
    result = preview(places["library"], b"PK\x03\x04rest-of-a-zip", filename="aanbod.xlsx")
    assert "Excel-bestand" in result.errors[0]["message"]


# --- JSON ----------------------------------------------------------------------------------------


def test_json_with_natural_types(places):
    data = {
        "organisatie": "Bibliotheek Ieper",
        "aanbod": [
            {
                "code": "J1",
                "titel": "Computer voor beginners",
                "uitleg": "Je leert de muis gebruiken.",
                "soort": "cursus",
                "competenties": ["1.1", "2.1"],
                "niveau": 1,
                "prijs": 36.5,
                "gemeente": "Ieper",
                "online": False,
                "datums": [
                    {"begin": "2027-01-11T13:30", "einde": "2027-01-11T16:00"},
                    "18/01/2027 13:30-16:00",
                ],
            },
            {
                "code": "J2",
                "titel": "Laptop lenen",
                "uitleg": "Leen een laptop.",
                "soort": "lenen",
                "prijs": "gratis",
                "digipunt": "Bibliotheek Ieper",
            },
        ],
    }
    result = preview(places["library"], json.dumps(data).encode(), filename="aanbod.json")
    assert result.errors == []
    assert result.file_format == "json"
    first, second = result.rows
    assert first["price_cents"] == 3650 and first["level"] == 1
    assert first["sessions"][0][0] == "2027-01-11T12:30:00+00:00"
    assert len(first["sessions"]) == 2
    assert second["kind"] == "lending" and second["sessions"] == []


def test_json_list_without_wrapper_and_its_errors(places):
    data = [
        {
            "code": "J1",
            "titel": "Les",
            "uitleg": "Uitleg",
            "soort": "cursus",
            "prijs": -3,
            "gemeente": "Ieper",
            "kleur": "rood",
        },
        "geen object",
        {
            "code": "J3",
            "titel": ["lijst"],
            "uitleg": "Uitleg",
            "soort": "cursus",
            "prijs": 0,
            "online": True,
        },
    ]
    result = preview(places["library"], json.dumps(data).encode(), filename="x.json")
    found = messages(result)
    assert any(m.startswith("1|prijs|") and "negatief" in m for m in found)
    assert "2||Dit item is geen object { ... }." in found
    assert any(m.startswith("3|titel|") for m in found)
    assert any(m.startswith("None|kleur|Onbekende sleutel") for m in found)
    assert importing.error_text(result.errors[-1], "json").startswith("Item 3, kolom titel")


def test_json_of_another_organisation_and_broken_json(places):
    data = {"organisatie": "CVO Westhoek", "aanbod": []}
    result = preview(places["library"], json.dumps(data).encode(), filename="x.json")
    assert "niet van 'Bibliotheek Ieper'" in result.errors[0]["message"]
    broken = preview(places["library"], b'[{"code": "x",}]', filename="x.json")
    assert "geen geldig JSON-bestand" in broken.errors[0]["message"]


# --- file-level errors ---------------------------------------------------------------------------


def test_missing_required_columns_is_one_error_for_the_file(places):
    content = csv_bytes([row()], columns=["code", "uitleg", "digipunt"])
    result = preview(places["library"], content)
    assert len(result.errors) == 1
    (error,) = result.errors
    assert error["line"] == 1
    assert "Deze kolommen ontbreken: titel, soort, prijs" in error["message"]
    assert result.rows == [] and result.counts["withdrawn"] == 0


def test_unknown_columns_are_errors_naming_them(places):
    columns_with_extra = [*row().keys(), "gemeete", "opmerking intern"]
    content = csv_bytes([row()], columns=columns_with_extra)
    result = preview(places["library"], content)
    found = messages(result)
    assert (
        "1|gemeete|Onbekende kolom 'gemeete' (bedoel je 'gemeente'?). Gebruik alleen"
        in (
            found[0][
                : len("1|gemeete|Onbekende kolom 'gemeete' (bedoel je 'gemeente'?). Gebruik alleen")
            ]
        )
    )
    assert any("'opmerking intern'" in m for m in found)
    assert len(result.rows) == 1  # the rows are still checked and shown


def test_duplicate_column_and_empty_file(places):
    content = csv_bytes([row()], columns=[*row().keys(), "titel"])
    assert "staat er twee keer in" in preview(places["library"], content).errors[0]["message"]
    assert preview(places["library"], b"").errors[0]["message"] == "Het bestand is leeg."
    only_header = preview(places["library"], csv_bytes([]))
    assert "geen rijen" in only_header.errors[0]["message"]


# --- row errors ----------------------------------------------------------------------------------


def test_duplicate_codes_name_the_first_line(places):
    content = csv_bytes([row(), row(titel="Ander"), row(code="BIB-2")])
    result = preview(places["library"], content)
    assert messages(result) == [
        "3|code|De code 'BIB-1' staat ook op regel 2. Elke code mag maar één keer in het "
        "bestand staan."
    ]
    assert [r["external_id"] for r in result.rows] == ["BIB-1", "BIB-2"]


def test_every_bad_cell_is_named_with_line_and_column(places):
    content = csv_bytes(
        [
            row(),
            row(
                code="BIB-2",
                titel="",
                soort="webinar",
                prijs="-5",
                competenties="9.9",
                niveau="4",
                taal="Klingon",
                online="misschien",
                website="niet een adres",
                datums="31/02/2027 14:00-16:00",
            ),
            row(code="BIB-3", datums="12/01/2027 16:00-14:00", digipunt="Nergens"),
            row(code="BIB-4", digipunt="", gemeente="Atlantis"),
            row(code="BIB-5", digipunt="", titel="x" * 151, uitleg="y" * 601),
        ]
    )
    result = preview(places["library"], content)
    fields = {(e["line"], e["field"]) for e in result.errors}
    assert fields == {
        (3, "titel"),
        (3, "soort"),
        (3, "prijs"),
        (3, "competenties"),
        (3, "niveau"),
        (3, "taal"),
        (3, "online"),
        (3, "website"),
        (3, "datums"),
        (4, "datums"),
        (4, "digipunt"),
        (5, "gemeente"),
        (6, "titel"),
        (6, "uitleg"),
        (6, "gemeente"),  # no Digipunt, no municipality, not online: where is it?
    }
    text = {(e["line"], e["field"]): e["message"] for e in result.errors}
    assert text[(3, "prijs")] == "Een prijs kan niet negatief zijn: '-5'."
    assert text[(4, "datums")] == "Het einde ligt voor het begin: '12/01/2027 16:00-14:00'."
    assert text[(6, "titel")] == "Te lang: 151 tekens. Het mag hoogstens 150 tekens zijn."
    assert "Onbekende gemeente 'Atlantis'" in text[(5, "gemeente")]
    assert [r["external_id"] for r in result.rows] == ["BIB-1"]
    assert result.bad_lines == 4
    assert importing.error_text(result.errors[0], "csv").startswith("Regel 3, kolom ")


def test_a_bad_row_is_not_reported_as_withdrawn(places):
    CatalogueEntry.objects.create(
        organisation=places["library"],
        external_id="BIB-1",
        title="Oud",
        summary="x",
        kind="workshop",
        online=True,
    )
    result = preview(places["library"], csv_bytes([row(prijs="-1")]))
    assert result.counts["withdrawn"] == 0


def test_digipunt_of_another_partner_and_ambiguous_names(places):
    from catalogue.factories import DigipuntFactory

    # The CVO gives a course in the library's Digipunt: found by name.
    result = preview(places["cvo"], csv_bytes([row()]))
    assert result.rows[0]["digipunt_id"] == places["digipunt"].pk
    # Two other partners with a Digipunt of the same name: the municipality decides.
    DigipuntFactory(name="LDC", municipality=places["ieper"])
    other = DigipuntFactory(name="LDC", municipality=places["poperinge"])
    result = preview(places["cvo"], csv_bytes([row(digipunt="LDC")]))
    assert "meer Digipunten met de naam 'LDC'" in result.errors[0]["message"]
    result = preview(places["cvo"], csv_bytes([row(digipunt="ldc (Poperinge)")]))
    assert result.rows[0]["digipunt_id"] == other.pk
