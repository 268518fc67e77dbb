"""Checks on what a learner types in a sandbox: pure functions, no Django models.

Belgian IBAN (ISO 13616 mod-97), the structured message ("OGM", mod 97 with 97 for a
remainder of 0), the national register number (mod 97 on the first nine digits, with a
"2" in front for births from 2000), card numbers (Luhn) and amounts written the Belgian
way ("12,50", "1.250,00").
"""

import re
import unicodedata
from decimal import Decimal, InvalidOperation

SEPARATORS = re.compile(r"[\s.\-/+]")


def ascii_digits(text: str) -> str:
    """Any decimal digit as 0-9: a phone set to Arabic types ٢٤٦٨ (and Persian ones ۲۴۶۸)
    for 2468. Without this a learner typing the right code in their own digits is told
    it is wrong, and a real number typed that way slips past the guardrails."""
    if (text or "").isascii():
        return text or ""
    return "".join(
        str(digit)
        if not char.isascii() and (digit := unicodedata.decimal(char, None)) is not None
        else char
        for char in text
    )


def digits_only(text: str) -> str:
    return SEPARATORS.sub("", text or "")


def iban_normalise(text: str) -> str:
    return re.sub(r"\s", "", text or "").upper()


def iban_checksum_ok(iban: str) -> bool:
    """ISO 13616: country and check digits moved to the end, letters as 10..35, mod 97 == 1."""
    iban = iban_normalise(iban)
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{8,30}", iban):
        return False
    moved = iban[4:] + iban[:4]
    number = "".join(str(int(char, 36)) for char in moved)
    return int(number) % 97 == 1


def belgian_iban_shape_ok(iban: str) -> bool:
    """BE, two check digits, twelve digits: 16 characters."""
    return re.fullmatch(r"BE\d{14}", iban_normalise(iban)) is not None


def iban_group(iban: str) -> str:
    """In groups of four, as printed on an invoice: BE68 5390 0754 7034."""
    iban = iban_normalise(iban)
    return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))


def ogm_digits(text: str) -> str | None:
    """The 12 digits of a structured message, typed with or without +++ and slashes."""
    digits = digits_only(text)
    return digits if re.fullmatch(r"\d{12}", digits) else None


def ogm_check(first_ten: str) -> int:
    remainder = int(first_ten) % 97
    return remainder or 97


def ogm_valid(text: str) -> bool:
    digits = ogm_digits(text)
    return digits is not None and ogm_check(digits[:10]) == int(digits[10:])


def ogm_format(digits: str) -> str:
    return f"+++{digits[:3]}/{digits[3:7]}/{digits[7:]}+++"


def national_number_valid(digits: str) -> bool:
    """A Belgian national register number: 11 digits, the last two 97 - (first 9 mod 97);
    for someone born from 2000 on, the 9 digits get a "2" in front first."""
    if not re.fullmatch(r"\d{11}", digits or ""):
        return False
    base, check = digits[:9], int(digits[9:])
    return check in (97 - int(base) % 97, 97 - int("2" + base) % 97)


def luhn_valid(digits: str) -> bool:
    if not re.fullmatch(r"\d+", digits or ""):
        return False
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


class AmountError(ValueError):
    """The amount is not a number of euros with at most two decimals."""


def amount_cents(text: str) -> int:
    """Euros typed the Belgian way (comma for cents), as whole cents.

    "12,50" and "12.50" are twelve euros fifty; "1.250" and "1.250,00" are one thousand two
    hundred and fifty (a dot before three digits groups thousands). Raises ``AmountError``.
    """
    raw = re.sub(r"[\s€]", "", text or "").removeprefix("EUR")
    if not raw:
        raise AmountError("empty")
    if "," in raw:
        whole, _sep, cents = raw.rpartition(",")
        whole = whole.replace(".", "")
    elif re.fullmatch(r"\d{1,3}(\.\d{3})+", raw):
        whole, cents = raw.replace(".", ""), ""
    elif "." in raw:
        whole, _sep, cents = raw.rpartition(".")
    else:
        whole, cents = raw, ""
    if not re.fullmatch(r"-?\d+", whole or "0") or not re.fullmatch(r"\d{0,2}", cents):
        raise AmountError("not a number")
    try:
        value = Decimal(f"{whole or '0'}.{cents or '0'}")
    except InvalidOperation as error:
        raise AmountError("not a number") from error
    return int(value * 100)


def euros(cents: int) -> str:
    """€ 1.250,50: the Belgian way, for the screens."""
    sign = "-" if cents < 0 else ""
    whole, rest = divmod(abs(cents), 100)
    grouped = f"{whole:,}".replace(",", ".")
    return f"{sign}€ {grouped},{rest:02d}"


def belgian_mobile(text: str) -> str | None:
    """A Belgian mobile number as people type it (0470 12 34 56, 0470/12.34.56,
    +32 470 12 34 56, 0032 470 ...), as ten digits from 04; None for anything else."""
    raw = re.sub(r"[\s.\-/()]", "", text or "")
    if raw.startswith("+32"):
        raw = "0" + raw[3:]
    elif raw.startswith("0032"):
        raw = "0" + raw[4:]
    return raw if re.fullmatch(r"04\d{8}", raw) else None
