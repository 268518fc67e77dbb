"""The Oefenbank's state machine (courses/sandboxes/oefenbank.py): every transition and
every error, on plain dicts, without a learner, a database or a clock."""

from datetime import timedelta

import pytest

from courses.sandboxes import checks, oefenbank
from courses.sandboxes.oefenbank import (
    ACCOUNT,
    COMPLETED,
    CONFIRM,
    DONE,
    ERROR,
    FREE,
    GUIDED,
    HINT_USED,
    LAUNCHED,
    LOGIN,
    RESET_DONE,
    STEP_PASSED,
    TRANSFER,
    Event,
    apply,
    start,
)

NOW = timedelta(0)  # no time passed since the last form
ENERGY = oefenbank.PAYEES[0]
GOOD_TRANSFER = {
    "name": ENERGY.name,
    "iban": ENERGY.iban,
    "amount": "48,75",
    "message_kind": "structured",
    "message": ENERGY.message,
}


def form(screen, **values):
    return {"scherm": screen, **values}


def at(screen, *, mode=GUIDED, balance=25000):
    """A run walked to ``screen`` the right way."""
    state = start(mode=mode, balance_cents=balance).state
    path = [
        (LOGIN, oefenbank.LOG_IN, {"code": oefenbank.USER_CODE}),
        (ACCOUNT, oefenbank.NEW_TRANSFER, {}),
        (TRANSFER, oefenbank.CHECK_TRANSFER, GOOD_TRANSFER),
        (CONFIRM, oefenbank.CONFIRM_CODE, {"itsme_code": oefenbank.ITSME_CODE}),
    ]
    for current, action, values in path:
        if state["screen"] == screen:
            return state
        state = apply(state, action, form(current, **values), idle=NOW).state
    assert state["screen"] == screen
    return state


def test_start_opens_the_login_in_the_authors_mode_and_records_launched():
    outcome = start(mode=FREE, balance_cents=25000)
    assert outcome.state["screen"] == LOGIN
    assert outcome.state["mode"] == FREE
    assert outcome.state["balance"] == 25000
    assert outcome.events == [Event(LAUNCHED, LOGIN)]


def test_the_whole_transfer_the_right_way():
    state = at(LOGIN)
    outcome = apply(state, oefenbank.LOG_IN, form(LOGIN, code="2468 1357"), idle=NOW)
    assert outcome.state["screen"] == ACCOUNT
    assert outcome.events == [Event(STEP_PASSED, LOGIN)]

    outcome = apply(outcome.state, oefenbank.NEW_TRANSFER, form(ACCOUNT), idle=NOW)
    assert outcome.state["screen"] == TRANSFER
    assert outcome.events == [Event(STEP_PASSED, ACCOUNT)]

    outcome = apply(
        outcome.state, oefenbank.CHECK_TRANSFER, form(TRANSFER, **GOOD_TRANSFER), idle=NOW
    )
    assert outcome.state["screen"] == CONFIRM
    assert outcome.events == [Event(STEP_PASSED, TRANSFER)]
    assert outcome.state["transfer"] == {
        "name": "Energie Westhoek",
        "iban": "BE74 9990 0000 3407",
        "amount": 4875,
        "message_kind": "structured",
        "message": "+++202/6120/40118+++",
    }

    outcome = apply(
        outcome.state, oefenbank.CONFIRM_CODE, form(CONFIRM, itsme_code="13579"), idle=NOW
    )
    assert outcome.state["screen"] == DONE
    assert outcome.state["balance"] == 25000 - 4875
    assert outcome.state["completed"]
    assert outcome.events == [Event(STEP_PASSED, CONFIRM), Event(COMPLETED, DONE)]


def test_a_wrong_user_code_stays_on_the_login_with_a_kind_error():
    outcome = apply(at(LOGIN), oefenbank.LOG_IN, form(LOGIN, code="1111"), idle=NOW)
    assert outcome.state["screen"] == LOGIN
    assert outcome.state["errors"] == {"code": oefenbank.WRONG_USER_CODE}
    assert outcome.events == [Event(ERROR, LOGIN, oefenbank.WRONG_USER_CODE)]
    assert "oefencode op het scherm" in oefenbank.message_for(oefenbank.WRONG_USER_CODE)


def test_the_user_code_may_be_typed_without_the_space():
    outcome = apply(at(LOGIN), oefenbank.LOG_IN, form(LOGIN, code="24681357"), idle=NOW)
    assert outcome.state["screen"] == ACCOUNT


@pytest.mark.parametrize(
    ("changes", "field", "error"),
    [
        ({"name": "  "}, "name", oefenbank.NAME_MISSING),
        ({"name": "x" * 71}, "name", oefenbank.NAME_TOO_LONG),
        ({"iban": ""}, "iban", oefenbank.IBAN_MISSING),
        ({"iban": "NL74 9990 0000 3407"}, "iban", oefenbank.IBAN_SHAPE),
        ({"iban": "BE74 9990 0000 34"}, "iban", oefenbank.IBAN_SHAPE),
        ({"iban": "BE74 9990 0000 3408"}, "iban", oefenbank.IBAN_TYPO),
        ({"iban": "BE47 9990 0000 3407"}, "iban", oefenbank.IBAN_TYPO),
        ({"amount": ""}, "amount", oefenbank.AMOUNT_FORMAT),
        ({"amount": "twaalf"}, "amount", oefenbank.AMOUNT_FORMAT),
        ({"amount": "12,505"}, "amount", oefenbank.AMOUNT_FORMAT),
        ({"amount": "0"}, "amount", oefenbank.AMOUNT_NOT_POSITIVE),
        ({"amount": "0,00"}, "amount", oefenbank.AMOUNT_NOT_POSITIVE),
        ({"amount": "-5"}, "amount", oefenbank.AMOUNT_NOT_POSITIVE),
        ({"amount": "250,01"}, "amount", oefenbank.AMOUNT_ABOVE_BALANCE),
        ({"amount": "1.000"}, "amount", oefenbank.AMOUNT_ABOVE_BALANCE),
        ({"message": "+++123/4567/8901+++"}, "message", oefenbank.OGM_SHAPE),
        ({"message": "Huur maart"}, "message", oefenbank.OGM_SHAPE),
        # The example from the lesson text has the right shape, but its check is wrong.
        ({"message": "+++123/4567/89012+++"}, "message", oefenbank.OGM_TYPO),
        ({"message_kind": "free", "message": "x" * 141}, "message", oefenbank.MESSAGE_TOO_LONG),
    ],
)
def test_every_mistake_in_the_transfer_form(changes, field, error):
    values = {**GOOD_TRANSFER, **changes}
    outcome = apply(at(TRANSFER), oefenbank.CHECK_TRANSFER, form(TRANSFER, **values), idle=NOW)
    assert outcome.state["screen"] == TRANSFER
    assert outcome.state["errors"] == {field: error}
    assert outcome.events == [Event(ERROR, TRANSFER, error)]
    assert oefenbank.message_for(error)
    # What was typed comes back in the form, to put right.
    assert outcome.state["draft"][field] == values[field][:200]


def test_several_mistakes_are_all_shown_and_all_recorded():
    values = {**GOOD_TRANSFER, "iban": "BE74 9990 0000 3408", "amount": "999"}
    outcome = apply(at(TRANSFER), oefenbank.CHECK_TRANSFER, form(TRANSFER, **values), idle=NOW)
    assert outcome.state["errors"] == {
        "iban": oefenbank.IBAN_TYPO,
        "amount": oefenbank.AMOUNT_ABOVE_BALANCE,
    }
    assert {event.error for event in outcome.events} == {"iban_typo", "amount_above_balance"}


@pytest.mark.parametrize("amount", ["12,50", "12.50", "€ 12,50", "12,5"])
def test_amounts_the_belgian_way(amount):
    values = {**GOOD_TRANSFER, "amount": amount}
    outcome = apply(at(TRANSFER), oefenbank.CHECK_TRANSFER, form(TRANSFER, **values), idle=NOW)
    assert outcome.state["transfer"]["amount"] == 1250


def test_a_free_message_may_be_empty():
    values = {**GOOD_TRANSFER, "message_kind": "free", "message": ""}
    outcome = apply(at(TRANSFER), oefenbank.CHECK_TRANSFER, form(TRANSFER, **values), idle=NOW)
    assert outcome.state["screen"] == CONFIRM


def test_the_whole_balance_may_be_sent():
    values = {**GOOD_TRANSFER, "amount": "250,00"}
    outcome = apply(at(TRANSFER), oefenbank.CHECK_TRANSFER, form(TRANSFER, **values), idle=NOW)
    assert outcome.state["screen"] == CONFIRM


def test_a_structured_message_typed_without_plusses_is_shown_in_the_usual_form():
    values = {**GOOD_TRANSFER, "message": "202 6120 40118"}
    outcome = apply(at(TRANSFER), oefenbank.CHECK_TRANSFER, form(TRANSFER, **values), idle=NOW)
    assert outcome.state["transfer"]["message"] == "+++202/6120/40118+++"


def test_a_wrong_itsme_code_stays_on_the_confirm_screen():
    outcome = apply(
        at(CONFIRM), oefenbank.CONFIRM_CODE, form(CONFIRM, itsme_code="12345"), idle=NOW
    )
    assert outcome.state["screen"] == CONFIRM
    assert outcome.state["errors"] == {"itsme_code": oefenbank.WRONG_ITSME_CODE}
    assert outcome.state["balance"] == 25000
    assert outcome.events == [Event(ERROR, CONFIRM, oefenbank.WRONG_ITSME_CODE)]


def test_change_goes_back_to_the_filled_in_form():
    outcome = apply(at(CONFIRM), oefenbank.CHANGE_TRANSFER, form(CONFIRM), idle=NOW)
    assert outcome.state["screen"] == TRANSFER
    assert outcome.state["draft"]["iban"] == ENERGY.iban
    assert outcome.events == []
    assert not outcome.ignored


@pytest.mark.parametrize("screen", [ACCOUNT, TRANSFER, CONFIRM])
def test_after_ten_idle_minutes_the_login_starts_again(screen):
    state = at(screen)
    idle = oefenbank.IDLE_LIMIT + timedelta(seconds=1)
    assert oefenbank.timed_out(state, idle)
    outcome = apply(state, oefenbank.NEW_TRANSFER, form(screen), idle=idle)
    assert outcome.state["screen"] == LOGIN
    assert outcome.state["notice"] == oefenbank.TIMEOUT
    assert outcome.state["transfer"] is None
    assert outcome.events == [Event(ERROR, screen, oefenbank.TIMEOUT)]
    assert "10 minuten" in oefenbank.message_for(oefenbank.TIMEOUT)
    # The login works as before; the message goes with it.
    again = apply(outcome.state, oefenbank.LOG_IN, form(LOGIN, code=oefenbank.USER_CODE), idle=NOW)
    assert again.state["screen"] == ACCOUNT and again.state["notice"] == ""


def test_ten_minutes_exactly_and_the_login_and_done_screens_never_time_out():
    assert not oefenbank.timed_out(at(TRANSFER), oefenbank.IDLE_LIMIT)
    assert not oefenbank.timed_out(at(LOGIN), timedelta(hours=5))
    assert not oefenbank.timed_out(at(DONE), timedelta(hours=5))


def test_a_login_form_sent_after_the_time_out_logs_in():
    idle = timedelta(minutes=30)
    state = at(TRANSFER)
    outcome = apply(state, oefenbank.LOG_IN, form(LOGIN, code=oefenbank.USER_CODE), idle=idle)
    # The learner saw the login (the page shows it for an idle run) and logged in.
    assert outcome.state["screen"] == ACCOUNT
    assert outcome.events == [Event(ERROR, TRANSFER, oefenbank.TIMEOUT), Event(STEP_PASSED, LOGIN)]


@pytest.mark.parametrize("screen", [ACCOUNT, TRANSFER, CONFIRM, DONE])
def test_reset_starts_over_with_the_starting_balance_in_the_same_mode(screen):
    state = at(screen, mode=FREE)
    outcome = apply(state, oefenbank.RESET, form(screen), idle=NOW)
    assert outcome.state == oefenbank.new_state(mode=FREE, balance_cents=25000)
    assert outcome.events == [Event(RESET_DONE, screen)]


def test_a_form_for_another_screen_changes_nothing():
    """Back and resubmit, or a second tab: the old form does not move the learner."""
    state = at(CONFIRM)
    for action, screen in [
        (oefenbank.LOG_IN, LOGIN),
        (oefenbank.NEW_TRANSFER, ACCOUNT),
        (oefenbank.CHECK_TRANSFER, TRANSFER),
    ]:
        outcome = apply(
            state, action, form(screen, **GOOD_TRANSFER, code=oefenbank.USER_CODE), idle=NOW
        )
        assert outcome.ignored
        assert outcome.state == state
        assert outcome.events == []


def test_an_unknown_action_changes_nothing():
    state = at(ACCOUNT)
    outcome = apply(state, "steel-geld", form(ACCOUNT), idle=NOW)
    assert outcome.ignored and outcome.state == state


def test_switching_mode_changes_only_the_mode_and_records_nothing():
    state = at(TRANSFER, mode=GUIDED)
    outcome = apply(state, oefenbank.SWITCH_MODE, {"modus": FREE}, idle=NOW)
    assert outcome.state == {**state, "mode": FREE}
    assert outcome.events == []
    bad = apply(state, oefenbank.SWITCH_MODE, {"modus": "hacker"}, idle=NOW)
    assert bad.state["mode"] == GUIDED


def test_guided_mode_shows_the_hint_and_points_at_the_field_to_use():
    state = at(LOGIN, mode=GUIDED)
    assert oefenbank.guide(state)["target"] == "code"
    assert oefenbank.guide(at(ACCOUNT))["target"] == oefenbank.NEW_TRANSFER
    assert oefenbank.guide(at(TRANSFER))["target"] == "name"
    assert oefenbank.guide(at(CONFIRM))["target"] == "itsme_code"
    assert oefenbank.guide(at(DONE))["target"] == oefenbank.RESET
    # After a mistake, the guide points at the field to put right.
    values = {**GOOD_TRANSFER, "iban": "BE74 9990 0000 3408"}
    wrong = apply(at(TRANSFER), oefenbank.CHECK_TRANSFER, form(TRANSFER, **values), idle=NOW)
    assert oefenbank.guide(wrong.state)["target"] == "iban"


def test_free_mode_shows_no_hint_until_asked_and_records_that_once():
    state = at(ACCOUNT, mode=FREE)
    assert oefenbank.guide(state) == {}
    outcome = apply(state, oefenbank.SHOW_HINT, form(ACCOUNT), idle=NOW)
    assert outcome.events == [Event(HINT_USED, ACCOUNT)]
    assert oefenbank.guide(outcome.state)["target"] == oefenbank.NEW_TRANSFER
    again = apply(outcome.state, oefenbank.SHOW_HINT, form(ACCOUNT), idle=NOW)
    assert again.ignored and again.events == []
    # The next screen starts without the hint again.
    moved = apply(outcome.state, oefenbank.NEW_TRANSFER, form(ACCOUNT), idle=NOW)
    assert oefenbank.guide(moved.state) == {}


def test_in_guided_mode_the_hint_button_does_nothing():
    outcome = apply(at(ACCOUNT, mode=GUIDED), oefenbank.SHOW_HINT, form(ACCOUNT), idle=NOW)
    assert outcome.ignored and outcome.events == []


def test_passing_free_guided_and_switched_runs():
    assert oefenbank.passes(at(DONE, mode=FREE), guided_counts=False)
    assert oefenbank.passes(at(DONE, mode=GUIDED), guided_counts=True)
    assert not oefenbank.passes(at(DONE, mode=GUIDED), guided_counts=False)
    assert not oefenbank.passes(at(CONFIRM, mode=FREE), guided_counts=True)
    # One step with the guide on makes it a guided run.
    state = at(TRANSFER, mode=GUIDED)
    state = apply(state, oefenbank.SWITCH_MODE, {"modus": FREE}, idle=NOW).state
    state = apply(state, oefenbank.CHECK_TRANSFER, form(TRANSFER, **GOOD_TRANSFER), idle=NOW).state
    state = apply(state, oefenbank.CONFIRM_CODE, form(CONFIRM, itsme_code="13579"), idle=NOW).state
    assert state["completed"] and not oefenbank.passes(state, guided_counts=False)
    # Asking for a hint in free mode is no guided run: the learner still did it alone.
    state = at(ACCOUNT, mode=FREE)
    state = apply(state, oefenbank.SHOW_HINT, form(ACCOUNT), idle=NOW).state
    state = apply(state, oefenbank.NEW_TRANSFER, form(ACCOUNT), idle=NOW).state
    state = apply(state, oefenbank.CHECK_TRANSFER, form(TRANSFER, **GOOD_TRANSFER), idle=NOW).state
    state = apply(state, oefenbank.CONFIRM_CODE, form(CONFIRM, itsme_code="13579"), idle=NOW).state
    assert oefenbank.passes(state, guided_counts=False)


def test_apply_never_changes_the_state_it_was_given():
    state = at(TRANSFER)
    copy = {**state, "draft": dict(state["draft"])}
    apply(state, oefenbank.CHECK_TRANSFER, form(TRANSFER, **GOOD_TRANSFER), idle=NOW)
    assert state == copy


def test_the_practice_data_passes_its_own_checks():
    for payee in oefenbank.PAYEES:
        assert checks.iban_checksum_ok(payee.iban), payee
        assert checks.belgian_iban_shape_ok(payee.iban)
        if payee.structured:
            assert checks.ogm_valid(payee.message)
    assert checks.ogm_check("0000000097") == 97  # a remainder of 0 is written 97
    assert checks.ogm_valid("+++000/0000/09797+++")


def test_every_error_kind_has_a_message():
    kinds = {
        value
        for name, value in vars(oefenbank).items()
        if name.isupper() and isinstance(value, str) and value in oefenbank.MESSAGES
    }
    assert set(oefenbank.MESSAGES) <= kinds | set(oefenbank.REAL_DATA.values())
    assert all(str(message) for message in oefenbank.MESSAGES.values())


def test_the_right_walk_reaches_done_without_a_mistake():
    """The sandbox's "right answer" (for the tests and the load test) passes in free mode."""
    state = start(mode=FREE, balance_cents=25000).state
    for action, values in oefenbank.right_walk():
        outcome = apply(state, action, form(state["screen"], **values), idle=NOW)
        assert not outcome.ignored
        assert all(event.kind != ERROR for event in outcome.events), outcome.events
        state = outcome.state
    assert state["screen"] == DONE
    assert oefenbank.passes(state, guided_counts=False)


ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


@pytest.mark.parametrize("digits", [ARABIC_INDIC, PERSIAN], ids=["arabic-indic", "persian"])
def test_codes_typed_in_the_phones_own_digits_are_accepted(digits):
    """A phone set to Arabic types ٢٤٦٨ for 2468: the right code, so it logs in and confirms."""
    state = start(mode=FREE, balance_cents=25000).state
    typed = oefenbank.USER_CODE.translate(digits)
    assert typed != oefenbank.USER_CODE
    state = apply(state, oefenbank.LOG_IN, form(LOGIN, code=typed), idle=NOW).state
    assert state["screen"] == ACCOUNT
    confirm = at(CONFIRM, mode=FREE)
    code = oefenbank.ITSME_CODE.translate(digits)
    outcome = apply(confirm, oefenbank.CONFIRM_CODE, form(CONFIRM, itsme_code=code), idle=NOW)
    assert outcome.state["screen"] == DONE


def test_an_amount_in_arabic_indic_digits_is_read_as_euros():
    state = at(TRANSFER, mode=FREE)
    values = {**GOOD_TRANSFER, "amount": "٤٨,٧٥"}
    outcome = apply(state, oefenbank.CHECK_TRANSFER, form(TRANSFER, **values), idle=NOW)
    assert outcome.state["screen"] == CONFIRM
    assert outcome.state["transfer"]["amount"] == 4875
