"""What a sandbox refuses to take in: anything that looks like a learner's real data.

A learner who practises may type their own national register number, bank card or IBAN
out of habit. Such input is refused with a warning and never kept: the caller drops the
whole field before it stores state or events (``learning.services.sandboxes``), and the
views hide POST data from Django's error reports (``sensitive_post_parameters``).

Pure: ``real_data_kind`` looks at one text and says what it resembles, or None.
"""

import re

from courses.sandboxes.checks import (
    ascii_digits,
    belgian_mobile,
    digits_only,
    iban_checksum_ok,
    iban_normalise,
    luhn_valid,
    national_number_valid,
)

NATIONAL_NUMBER = "national_number"
CARD = "card"
IBAN = "iban"

# An IBAN as people type it: two letters, two digits, then letters or digits, maybe in groups.
IBAN_CANDIDATE = re.compile(r"\b[A-Za-z]{2}\s*\d{2}(?:\s*[A-Za-z0-9]){8,30}")
# The IBAN length of the countries learners here bank in (SEPA countries; ISO 13616 registry).
IBAN_LENGTHS = {
    "AT": 20, "BE": 16, "BG": 22, "CH": 21, "CY": 28, "CZ": 24, "DE": 22, "DK": 18,
    "EE": 20, "ES": 24, "FI": 18, "FR": 27, "GB": 22, "GR": 27, "HR": 21, "HU": 28,
    "IE": 22, "IS": 26, "IT": 27, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27,
    "MT": 31, "NL": 18, "NO": 15, "PL": 28, "PT": 25, "RO": 24, "SE": 24, "SI": 19,
    "SK": 24, "SM": 27, "TR": 26, "UA": 29,
}  # fmt: skip
# A run of digits, with the separators people put in national numbers (85.07.30-033.28)
# and card numbers (4111 1111 1111 1111, 4111-1111-…).
DIGIT_RUN = re.compile(r"\d(?:[\s.\-/]*\d)*")


def real_data_kind(text: str, *, practice_ibans=()) -> str | None:
    """NATIONAL_NUMBER, CARD or IBAN when ``text`` holds something that passes the real
    check of one of them (and, for an IBAN, is none of ``practice_ibans``); else None.

    An IBAN with a wrong check is a typo, not real data: the form says so kindly.
    """
    if not text:
        return None
    text = ascii_digits(text)
    practice = {iban_normalise(iban) for iban in practice_ibans}
    rest = text
    for match in IBAN_CANDIDATE.finditer(text):
        candidate = iban_normalise(match.group())
        # Each country's IBAN has one length; the match may have swallowed a next word.
        length = IBAN_LENGTHS.get(candidate[:2])
        if not length or len(candidate) < length:
            continue
        iban = candidate[:length]
        if iban_checksum_ok(iban) and iban not in practice:
            return IBAN
        # Its digits are an IBAN's, not a card's or a national number's.
        rest = rest.replace(match.group(), " ")
    for match in DIGIT_RUN.finditer(rest):
        digits = digits_only(match.group())
        if len(digits) == 11 and national_number_valid(digits):
            return NATIONAL_NUMBER
        if 13 <= len(digits) <= 19 and luhn_valid(digits):
            return CARD
    return None


def first_real_data(fields: dict, *, practice_ibans=()) -> tuple[str, str] | None:
    """(field name, kind) of the first field that holds real-looking data, or None."""
    for name, value in fields.items():
        kind = real_data_kind(str(value or ""), practice_ibans=practice_ibans)
        if kind:
            return name, kind
    return None


def real_mobile(text: str, *, practice: str) -> bool:
    """Whether ``text`` is a Belgian mobile number other than the ``practice`` one shown on
    screen: most likely the learner's own. One or two digits off the practice number is a
    typo, not someone's number."""
    number = belgian_mobile(text)
    if number is None:
        return False
    differ = sum(a != b for a, b in zip(number, belgian_mobile(practice) or "", strict=True))
    return differ > 2
