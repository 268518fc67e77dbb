"""Human-friendly random codes: Crockford base32 with a check symbol, grouped in fours.

Used for certificate verification codes and learning-card codes. The check symbol uses the
Luhn mod N algorithm over the same alphabet (instead of Crockford's mod 37, whose extra
symbols ``*~$=U`` are awkward to read aloud and to put in an address): it catches every
single mistyped symbol and almost every swap of two neighbours.
"""

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U
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


def generate(random_symbols: int) -> str:
    """``random_symbols`` × 5 bits of randomness, then the check symbol."""
    payload = "".join(secrets.choice(ALPHABET) for _ in range(random_symbols))
    return payload + check_symbol(payload)


def normalise(typed, length: int) -> str | None:
    """The canonical code of ``length`` symbols, or None if ``typed`` cannot be one.

    Forgives case, spaces, dashes and look-alike letters. Never raises.
    """
    if not isinstance(typed, str) or len(typed) > 3 * length:
        return None
    cleaned = "".join(typed.split()).replace("-", "").upper().translate(LOOK_ALIKES)
    if len(cleaned) != length or any(symbol not in _VALUE for symbol in cleaned):
        return None
    if check_symbol(cleaned[:-1]) != cleaned[-1]:
        return None
    return cleaned


def prefix(typed: str, length: int = GROUP) -> str:
    """The first symbols of a typed code as the code would read them (case, spaces, dashes
    and look-alikes forgiven), so K0Q1, KOQ1 and k0qi count as one card in rate limits."""
    cleaned = "".join(str(typed).split()).replace("-", "").upper().translate(LOOK_ALIKES)
    return cleaned[:length]


def display(code: str) -> str:
    """``K7QM2WXD9TP4`` → ``K7QM-2WXD-9TP4``."""
    return "-".join(code[start : start + GROUP] for start in range(0, len(code), GROUP))
