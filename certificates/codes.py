"""Verification codes: random, unambiguous when read aloud, with a check character.

Eleven random symbols from Crockford's base32 alphabet (55 bits) and one check symbol,
grouped in threes of four: ``K7QM-2WXD-9TP4``. The check symbol uses the Luhn mod N
algorithm over the same alphabet (instead of Crockford's mod 37, whose extra symbols
``*~$=U`` are awkward to read aloud and to put in an address): it catches every single
mistyped symbol and almost every swap of two neighbours.
"""

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U
RANDOM_SYMBOLS = 11  # 55 bits
LENGTH = RANDOM_SYMBOLS + 1
GROUP = 4
# What people type for what they see: O for zero, I and L for one.
LOOK_ALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_VALUE = {symbol: index for index, symbol in enumerate(ALPHABET)}


def check_symbol(payload: str) -> str:
    """Luhn mod 32 over ``payload``."""
    factor, total, base = 2, 0, len(ALPHABET)
    for symbol in reversed(payload):
        addend = factor * _VALUE[symbol]
        factor = 1 if factor == 2 else 2
        total += addend // base + addend % base
    return ALPHABET[(base - total % base) % base]


def generate() -> str:
    payload = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_SYMBOLS))
    return payload + check_symbol(payload)


def normalise(typed: str) -> str | None:
    """The canonical 12-symbol code, or None if ``typed`` cannot be a valid code.

    Forgives case, spaces, dashes and look-alike letters. Never raises.
    """
    if not isinstance(typed, str) or len(typed) > 40:
        return None
    cleaned = "".join(typed.split()).replace("-", "").upper().translate(LOOK_ALIKES)
    if len(cleaned) != LENGTH or any(symbol not in _VALUE for symbol in cleaned):
        return None
    if check_symbol(cleaned[:-1]) != cleaned[-1]:
        return None
    return cleaned


def display(code: str) -> str:
    """``K7QM2WXD9TP4`` → ``K7QM-2WXD-9TP4``."""
    return "-".join(code[start : start + GROUP] for start in range(0, len(code), GROUP))
