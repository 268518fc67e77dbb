"""Guardrails (courses/sandboxes/guardrails.py): real-looking personal data is refused
wherever it is typed in the Oefenbank; the practice data on the screen never is.

Property tests: Hypothesis makes valid national register numbers, card numbers that pass
the Luhn check and IBANs that pass mod-97, written the ways people write them.
"""

from datetime import timedelta

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from courses.sandboxes import checks, guardrails, oefenbank
from courses.sandboxes.guardrails import real_data_kind

PRACTICE = oefenbank.PRACTICE_IBANS
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# --- generators -----------------------------------------------------------------------


@st.composite
def national_numbers(draw):
    """11 digits: birth date (YYMMDD), a serial number, and the mod-97 check; the check of
    someone born from 2000 on counts a "2" in front."""
    year = draw(st.integers(0, 99))
    month = draw(st.integers(1, 12))
    day = draw(st.integers(1, 28))
    serial = draw(st.integers(1, 998))
    base = f"{year:02d}{month:02d}{day:02d}{serial:03d}"
    born_2000s = draw(st.booleans())
    check = 97 - int(("2" if born_2000s else "") + base) % 97
    return base + f"{check:02d}"


def national_written(digits: str, style: int) -> str:
    if style == 0:
        return digits
    if style == 1:  # as on the eID: 85.07.30-033.28
        return f"{digits[:2]}.{digits[2:4]}.{digits[4:6]}-{digits[6:9]}.{digits[9:]}"
    return f"{digits[:6]} {digits[6:9]} {digits[9:]}"


@st.composite
def card_numbers(draw):
    length = draw(st.integers(13, 19))
    body = draw(st.text(alphabet="0123456789", min_size=length - 1, max_size=length - 1))
    for check in "0123456789":
        if checks.luhn_valid(body + check):
            return body + check
    raise AssertionError("one check digit always fits")


def card_written(digits: str, separator: str) -> str:
    return separator.join(digits[i : i + 4] for i in range(0, len(digits), 4))


def iban_with_check(country: str, bban: str) -> str:
    number = "".join(str(int(char, 36)) for char in bban + country + "00")
    return f"{country}{98 - int(number) % 97:02d}{bban}"


@st.composite
def real_ibans(draw):
    country = draw(st.sampled_from(["BE", "NL", "FR", "DE", "LU"]))
    length = guardrails.IBAN_LENGTHS[country] - 4
    bban = draw(st.text(alphabet="0123456789", min_size=length, max_size=length))
    iban = iban_with_check(country, bban)
    return iban


# --- properties -----------------------------------------------------------------------


@FAST
@given(national_numbers(), st.integers(0, 2), st.sampled_from(["", "Mijn nummer is ", "rr: "]))
@example("85073003328", 1, "")
def test_a_valid_national_register_number_is_refused(digits, style, before):
    assert checks.national_number_valid(digits)
    assert real_data_kind(before + national_written(digits, style)) == guardrails.NATIONAL_NUMBER


@FAST
@given(card_numbers(), st.sampled_from(["", " ", "-"]))
@example("4111111111111111", " ")
def test_a_card_number_that_passes_luhn_is_refused(digits, separator):
    assert real_data_kind(card_written(digits, separator)) == guardrails.CARD


@FAST
@given(real_ibans(), st.booleans())
def test_an_iban_that_passes_mod_97_and_is_no_practice_iban_is_refused(iban, grouped):
    written = checks.iban_group(iban) if grouped else iban.lower()
    if checks.iban_normalise(iban) in {checks.iban_normalise(p) for p in PRACTICE}:
        return
    assert real_data_kind(written, practice_ibans=PRACTICE) == guardrails.IBAN


@given(st.sampled_from(PRACTICE), st.booleans())
def test_the_practice_ibans_are_accepted(iban, grouped):
    written = iban if grouped else checks.iban_normalise(iban)
    assert real_data_kind(written, practice_ibans=PRACTICE) is None


@st.composite
def typos(draw):
    """A practice IBAN with one digit changed, or two different neighbours swapped."""
    iban = checks.iban_normalise(draw(st.sampled_from(PRACTICE)))
    digits = list(iban)
    place = draw(st.integers(2, len(digits) - 1))
    if draw(st.booleans()) and place < len(digits) - 1 and digits[place] != digits[place + 1]:
        digits[place], digits[place + 1] = digits[place + 1], digits[place]
    else:
        digits[place] = draw(st.sampled_from([d for d in "0123456789" if d != digits[place]]))
    return checks.iban_group("".join(digits))


@FAST
@given(typos())
def test_a_typo_in_a_practice_iban_gets_the_kind_typo_message(typed):
    assert real_data_kind(typed, practice_ibans=PRACTICE) is None
    state = _at_transfer()
    values = {
        "name": "Tom Peeters",
        "iban": typed,
        "amount": "10",
        "message_kind": "free",
        "message": "",
        "scherm": "transfer",
    }
    outcome = oefenbank.apply(state, oefenbank.CHECK_TRANSFER, values, idle=timedelta(0))
    assert outcome.state["errors"] == {"iban": oefenbank.IBAN_TYPO}


def _at_transfer():
    state = oefenbank.start(mode="free", balance_cents=25000).state
    state["screen"] = "transfer"
    return state


@FAST
@given(
    st.sampled_from(["name", "iban", "amount", "message"]),
    st.one_of(
        national_numbers().map(lambda d: national_written(d, 1)),
        card_numbers().map(lambda d: card_written(d, " ")),
        real_ibans().filter(lambda i: i not in {checks.iban_normalise(p) for p in PRACTICE}),
    ),
)
def test_real_data_in_any_field_is_refused_and_never_kept(field, real):
    values = {
        "name": "Tom Peeters",
        "iban": "BE26 9990 0000 5629",
        "amount": "10,00",
        "message_kind": "free",
        "message": "Voor jou",
        field: real,
        "scherm": "transfer",
    }
    outcome = oefenbank.apply(_at_transfer(), oefenbank.CHECK_TRANSFER, values, idle=timedelta(0))
    assert outcome.state["screen"] == "transfer"
    assert outcome.state["errors"][field].startswith("real_")
    assert real not in repr(outcome.state)
    assert checks.digits_only(real) not in checks.digits_only(repr(outcome.state))
    assert real not in repr(outcome.events)
    assert [event.error for event in outcome.events] == [outcome.state["errors"][field]]


@FAST
@given(card_numbers().map(lambda d: card_written(d, " ")))
def test_real_data_typed_as_a_login_code_or_itsme_code_is_refused(card):
    state = oefenbank.start(mode="free", balance_cents=25000).state
    outcome = oefenbank.apply(
        state, oefenbank.LOG_IN, {"scherm": "login", "code": card}, idle=timedelta(0)
    )
    assert outcome.state["screen"] == "login"
    assert outcome.state["errors"]["code"].startswith("real_")
    assert checks.digits_only(card) not in checks.digits_only(repr(outcome.state))


def test_what_the_oefenbank_itself_shows_is_no_real_data():
    for text in [
        oefenbank.USER_CODE,
        oefenbank.ITSME_CODE,
        "+++202/6120/40118+++",
        "+++123/4567/89012+++",
        "48,75",
        "1.250,00",
        "Taart zaterdag",
        "Huur maart 2026",
    ]:
        assert real_data_kind(text, practice_ibans=PRACTICE) is None, text
    for payee in oefenbank.PAYEES:
        text = f"{payee.name} {payee.iban} {payee.amount} {payee.message}"
        assert real_data_kind(text, practice_ibans=PRACTICE) is None


def test_real_data_typed_as_the_itsme_code_keeps_the_transfer_to_change():
    state = _at_transfer()
    values = {
        "name": "Tom Peeters",
        "iban": "BE26 9990 0000 5629",
        "amount": "10",
        "message_kind": "free",
        "message": "",
        "scherm": "transfer",
    }
    state = oefenbank.apply(state, oefenbank.CHECK_TRANSFER, values, idle=timedelta(0)).state
    outcome = oefenbank.apply(
        state,
        oefenbank.CONFIRM_CODE,
        {"scherm": "confirm", "itsme_code": "85.07.30-033.28"},
        idle=timedelta(0),
    )
    assert outcome.state["errors"] == {"itsme_code": "real_national_number"}
    assert "85073003328" not in checks.digits_only(repr(outcome.state))
    assert outcome.state["draft"]["iban"] == "BE26 9990 0000 5629"


@given(national_numbers())
@settings(max_examples=50)
def test_a_national_number_in_arabic_indic_digits_is_refused_too(digits):
    """The digits a phone set to Arabic types are digits too: a real number typed that
    way is still a real number."""
    typed = digits.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    assert real_data_kind(typed) == guardrails.NATIONAL_NUMBER
