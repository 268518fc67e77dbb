"""Certificate verification codes: 11 random symbols (55 bits) and a check symbol.

Shown as ``K7QM-2WXD-9TP4``; see toolkit/codes.py for the alphabet and the check.
"""

from toolkit import codes as _codes
from toolkit.codes import ALPHABET, check_symbol, display  # noqa: F401 - part of this API

RANDOM_SYMBOLS = 11  # 55 bits
LENGTH = RANDOM_SYMBOLS + 1


def generate() -> str:
    return _codes.generate(RANDOM_SYMBOLS)


def normalise(typed) -> str | None:
    return _codes.normalise(typed, LENGTH)
