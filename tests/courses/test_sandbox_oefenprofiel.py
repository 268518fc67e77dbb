"""Mijn Oefenprofiel's state machine (courses/sandboxes/oefenprofiel.py): every transition
and every error, on plain dicts, without a learner, a database or a clock."""

from datetime import timedelta

import pytest

from courses import sandboxes
from courses.sandboxes import common, oefenbank, oefenprofiel
from courses.sandboxes.oefenprofiel import (
    COMPLETED,
    CONFIRM,
    DOCUMENTS,
    DONE,
    ERROR,
    FREE,
    GUIDED,
    HINT_USED,
    HOME,
    ITSME,
    KEYS,
    LAUNCHED,
    PROFILE,
    RESET_DONE,
    STEP_PASSED,
    Event,
    apply,
    start,
)

NOW = timedelta(0)
PATH = [
    (HOME, oefenprofiel.LOG_IN, {}),
    (KEYS, oefenprofiel.CHOOSE_KEY, {"sleutel": "itsme"}),
    (ITSME, oefenprofiel.SEND_PHONE, {"phone": "0470 00 00 00"}),
    (CONFIRM, oefenprofiel.CONFIRM_CODE, {"itsme_code": "13579"}),
    (PROFILE, oefenprofiel.OPEN_MENU, {"menu": "documenten"}),
    (DOCUMENTS, oefenprofiel.DOWNLOAD, {"document": "gezinssamenstelling"}),
]


def form(screen, **values):
    return {"scherm": screen, **values}


def at(screen, *, mode=GUIDED):
    """A run walked to ``screen`` the right way."""
    state = start(mode=mode).state
    for current, action, values in PATH:
        if state["screen"] == screen:
            return state
        state = apply(state, action, form(current, **values), idle=NOW).state
    assert state["screen"] == screen
    return state


def test_the_scenario_is_registered_with_its_whole_interface():
    assert sandboxes.scenario("oefenprofiel-attest") is oefenprofiel
    assert ("oefenprofiel-attest", oefenprofiel.LABEL) in sandboxes.CHOICES
    for name in [
        "SCENARIO",
        "LABEL",
        "TEXTS",
        "TEMPLATE",
        "SCREENS",
        "ACTIONS",
        "CODES",
        "START",
        "start",
        "apply",
        "shown",
        "screen_context",
        "guide",
        "message_for",
        "passes",
        "right_walk",
        "download",
    ]:
        assert hasattr(oefenprofiel, name), name
    assert set(oefenprofiel.TEXTS) == set(oefenbank.TEXTS)
    assert oefenprofiel.SCREENS[0] == HOME
    assert oefenprofiel.CODES == ["0470 00 00 00", "13579"]


def test_start_opens_the_home_page_in_the_authors_mode_and_records_launched():
    outcome = start(mode=FREE, balance_cents=25000)  # another scenario's option is ignored
    assert outcome.state["screen"] == HOME
    assert outcome.state["mode"] == FREE
    assert outcome.events == [Event(LAUNCHED, HOME)]
    assert start(mode="hacker").state["mode"] == GUIDED


def test_the_whole_scenario_the_right_way():
    state = start(mode=GUIDED).state
    expected = [KEYS, ITSME, CONFIRM, PROFILE, DOCUMENTS, DONE]
    for (screen, action, values), after in zip(PATH, expected, strict=True):
        outcome = apply(state, action, form(screen, **values), idle=NOW)
        assert outcome.state["screen"] == after
        assert outcome.events[0] == Event(STEP_PASSED, screen)
        state = outcome.state
    assert outcome.events == [Event(STEP_PASSED, DOCUMENTS), Event(COMPLETED, DONE)]
    assert state["completed"] and state["document"] == "gezinssamenstelling"


def test_the_oefen_itsme_code_is_the_oefenbanks():
    assert oefenprofiel.ITSME_CODE == oefenbank.ITSME_CODE == common.ITSME_CODE


@pytest.mark.parametrize("key", ["eid", "app", "sms", "wachtwoord"])
def test_another_digital_key_is_not_part_of_this_exercise(key):
    outcome = apply(at(KEYS), oefenprofiel.CHOOSE_KEY, form(KEYS, sleutel=key), idle=NOW)
    assert outcome.state["screen"] == KEYS
    kind = f"key_{key}"
    assert outcome.state["errors"] == {"key": kind}
    assert outcome.events == [Event(ERROR, KEYS, kind)]
    assert "in deze oefening kan dat" in oefenprofiel.message_for(kind).lower()
    assert "Kies oefen-itsme." in oefenprofiel.message_for(kind)
    # Then oefen-itsme works, and the message goes.
    again = apply(outcome.state, oefenprofiel.CHOOSE_KEY, form(KEYS, sleutel="itsme"), idle=NOW)
    assert again.state["screen"] == ITSME and again.state["errors"] == {}


def test_an_unknown_key_menu_item_or_document_changes_nothing():
    for screen, action, field in [
        (KEYS, oefenprofiel.CHOOSE_KEY, "sleutel"),
        (PROFILE, oefenprofiel.OPEN_MENU, "menu"),
        (DOCUMENTS, oefenprofiel.DOWNLOAD, "document"),
    ]:
        state = at(screen)
        outcome = apply(state, action, form(screen, **{field: "hacker"}), idle=NOW)
        assert outcome.ignored and outcome.state == state and outcome.events == []


@pytest.mark.parametrize(
    "typed", ["0470 00 00 00", "0470000000", "0470/00.00.00", "+32 470 00 00 00", "0032470000000"]
)
def test_the_practice_number_may_be_typed_the_usual_ways(typed):
    outcome = apply(at(ITSME), oefenprofiel.SEND_PHONE, form(ITSME, phone=typed), idle=NOW)
    assert outcome.state["screen"] == CONFIRM


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("", oefenprofiel.PHONE_MISSING),
        ("   ", oefenprofiel.PHONE_MISSING),
        ("1234", oefenprofiel.WRONG_PHONE),
        ("0470 00 00 01", oefenprofiel.WRONG_PHONE),  # a typo: one digit off
        ("0470 00 00", oefenprofiel.WRONG_PHONE),
        ("057 00 00 00", oefenprofiel.WRONG_PHONE),  # a landline, not a mobile
        ("0478 12 34 56", oefenprofiel.REAL_PHONE),  # most likely the learner's own
        ("+32 486 98 76 54", oefenprofiel.REAL_PHONE),
    ],
)
def test_a_wrong_phone_number_stays_on_the_screen_and_is_never_kept(typed, error):
    outcome = apply(at(ITSME), oefenprofiel.SEND_PHONE, form(ITSME, phone=typed), idle=NOW)
    assert outcome.state["screen"] == ITSME
    assert outcome.state["errors"] == {"phone": error}
    assert outcome.events == [Event(ERROR, ITSME, error)]
    assert oefenprofiel.message_for(error)
    if typed.strip():
        assert typed not in repr(outcome.state)
    assert "phone" not in outcome.state  # the number itself is never stored


@pytest.mark.parametrize(
    ("typed", "kind"),
    [
        ("85.07.30-033.28", "real_national_number"),
        ("4111 1111 1111 1111", "real_card"),
        ("BE68 5390 0754 7034", "real_iban"),
    ],
)
@pytest.mark.parametrize(
    ("screen", "action", "field"),
    [(ITSME, oefenprofiel.SEND_PHONE, "phone"), (CONFIRM, oefenprofiel.CONFIRM_CODE, "itsme_code")],
)
def test_real_data_is_refused_with_a_warning_and_never_kept(typed, kind, screen, action, field):
    outcome = apply(at(screen), action, form(screen, **{field: typed}), idle=NOW)
    assert outcome.state["screen"] == screen
    assert outcome.state["errors"] == {field: kind}
    assert outcome.state["notice"] == kind
    assert outcome.events == [Event(ERROR, screen, kind)]
    digits = "".join(char for char in typed if char.isdigit())
    assert digits not in "".join(char for char in repr(outcome.state) if char.isdigit())
    assert "Typ nooit je echte gegevens." in oefenprofiel.message_for(kind)


def test_a_wrong_itsme_code_stays_on_the_confirm_screen():
    outcome = apply(
        at(CONFIRM), oefenprofiel.CONFIRM_CODE, form(CONFIRM, itsme_code="12345"), idle=NOW
    )
    assert outcome.state["screen"] == CONFIRM
    assert outcome.state["errors"] == {"itsme_code": oefenprofiel.WRONG_ITSME_CODE}
    assert outcome.events == [Event(ERROR, CONFIRM, "wrong_itsme_code")]
    assert oefenprofiel.message_for("wrong_itsme_code") == oefenbank.message_for("wrong_itsme_code")


def test_another_phone_number_goes_back_to_the_phone_screen():
    outcome = apply(at(CONFIRM), oefenprofiel.CHANGE_PHONE, form(CONFIRM), idle=NOW)
    assert outcome.state["screen"] == ITSME
    assert outcome.events == [] and not outcome.ignored


@pytest.mark.parametrize("item", ["gegevens", "berichten"])
def test_another_menu_item_opens_with_a_pointer_to_the_documents(item):
    outcome = apply(at(PROFILE), oefenprofiel.OPEN_MENU, form(PROFILE, menu=item), idle=NOW)
    assert outcome.state["screen"] == PROFILE
    assert outcome.state["opened"] == item
    assert outcome.state["errors"] == {"menu": oefenprofiel.WRONG_MENU}
    assert outcome.events == [Event(ERROR, PROFILE, "wrong_menu")]
    assert "Mijn documenten" in oefenprofiel.message_for("wrong_menu")
    then = apply(outcome.state, oefenprofiel.OPEN_MENU, form(PROFILE, menu="documenten"), idle=NOW)
    assert then.state["screen"] == DOCUMENTS and then.state["opened"] == ""


@pytest.mark.parametrize("document", ["strafregister", "woonst", "leven"])
def test_another_certificate_is_a_mistake_with_a_kind_message(document):
    outcome = apply(
        at(DOCUMENTS), oefenprofiel.DOWNLOAD, form(DOCUMENTS, document=document), idle=NOW
    )
    assert outcome.state["screen"] == DOCUMENTS
    assert not outcome.state["completed"] and outcome.state["document"] == ""
    assert outcome.events == [Event(ERROR, DOCUMENTS, "wrong_document")]
    assert "Attest gezinssamenstelling" in oefenprofiel.message_for("wrong_document")
    assert oefenprofiel.download(outcome.state) is None


@pytest.mark.parametrize("screen", [PROFILE, DOCUMENTS])
def test_after_ten_idle_minutes_the_portal_logs_out(screen):
    state = at(screen)
    idle = common.IDLE_LIMIT + timedelta(seconds=1)
    assert oefenprofiel.timed_out(state, idle)
    shown = oefenprofiel.shown(state, idle)
    assert shown["screen"] == HOME and shown["notice"] == oefenprofiel.TIMEOUT
    action, values = {s: (a, v) for s, a, v in PATH}[screen]
    outcome = apply(state, action, form(screen, **values), idle=idle)
    assert outcome.state["screen"] == HOME
    assert outcome.state["notice"] == oefenprofiel.TIMEOUT
    assert outcome.events == [Event(ERROR, screen, oefenprofiel.TIMEOUT)]
    message = oefenprofiel.message_for(oefenprofiel.TIMEOUT)
    assert message.startswith("Je was meer dan 10 minuten weg.")
    assert "Meld je opnieuw aan." in message
    # Logging in again works; the message goes on the way.
    again = apply(outcome.state, oefenprofiel.LOG_IN, form(HOME), idle=NOW)
    assert again.state["screen"] == KEYS and again.state["notice"] == ""


def test_the_home_page_the_login_and_done_never_time_out():
    for screen in [HOME, KEYS, ITSME, CONFIRM, DONE]:
        assert not oefenprofiel.timed_out(at(screen), timedelta(hours=5)), screen
    assert not oefenprofiel.timed_out(at(PROFILE), common.IDLE_LIMIT)


def test_a_home_page_form_sent_after_the_time_out_logs_in():
    outcome = apply(at(DOCUMENTS), oefenprofiel.LOG_IN, form(HOME), idle=timedelta(minutes=30))
    assert outcome.state["screen"] == KEYS
    assert outcome.events == [Event(ERROR, DOCUMENTS, "timeout"), Event(STEP_PASSED, HOME)]


@pytest.mark.parametrize("screen", [KEYS, ITSME, CONFIRM, PROFILE, DOCUMENTS, DONE])
def test_reset_starts_over_in_the_same_mode(screen):
    outcome = apply(at(screen, mode=FREE), oefenprofiel.RESET, form(screen), idle=NOW)
    assert outcome.state == oefenprofiel.new_state(mode=FREE)
    assert outcome.events == [Event(RESET_DONE, screen)]
    assert oefenprofiel.download(outcome.state) is None


def test_a_form_for_another_screen_changes_nothing():
    """Back and resubmit, or a second tab: the old form does not move the learner."""
    state = at(PROFILE)
    for screen, action, values in PATH:
        if screen == PROFILE:
            continue
        outcome = apply(state, action, form(screen, **values), idle=NOW)
        assert outcome.ignored and outcome.state == state and outcome.events == []
    # Without the screen at all, too.
    outcome = apply(state, oefenprofiel.OPEN_MENU, {"menu": "documenten"}, idle=NOW)
    assert outcome.ignored


def test_an_unknown_action_changes_nothing():
    state = at(PROFILE)
    outcome = apply(state, "steel-gegevens", form(PROFILE), idle=NOW)
    assert outcome.ignored and outcome.state == state


def test_guided_mode_shows_a_hint_per_screen_and_points_at_what_to_use():
    targets = {
        HOME: oefenprofiel.LOG_IN,
        KEYS: "itsme",
        ITSME: "phone",
        CONFIRM: "itsme_code",
        PROFILE: "documenten",
        DOCUMENTS: "gezinssamenstelling",
        DONE: "pdf",
    }
    for screen, target in targets.items():
        guide = oefenprofiel.guide(at(screen))
        assert guide["target"] == target, screen
        assert guide["text"]
    assert "0470 00 00 00" in oefenprofiel.guide(at(ITSME))["text"]
    assert "13579" in oefenprofiel.guide(at(CONFIRM))["text"]


def test_free_mode_shows_no_hint_until_asked_and_records_that_once():
    state = at(KEYS, mode=FREE)
    assert oefenprofiel.guide(state) == {}
    outcome = apply(state, oefenprofiel.SHOW_HINT, form(KEYS), idle=NOW)
    assert outcome.events == [Event(HINT_USED, KEYS)]
    assert oefenprofiel.guide(outcome.state)["target"] == "itsme"
    again = apply(outcome.state, oefenprofiel.SHOW_HINT, form(KEYS), idle=NOW)
    assert again.ignored
    moved = apply(outcome.state, oefenprofiel.CHOOSE_KEY, form(KEYS, sleutel="itsme"), idle=NOW)
    assert oefenprofiel.guide(moved.state) == {}


def test_switching_mode_changes_only_the_mode():
    state = at(ITSME, mode=GUIDED)
    outcome = apply(state, oefenprofiel.SWITCH_MODE, {"modus": FREE}, idle=NOW)
    assert outcome.state == {**state, "mode": FREE} and outcome.events == []


def test_passing_free_guided_and_switched_runs():
    assert oefenprofiel.passes(at(DONE, mode=FREE), guided_counts=False)
    assert oefenprofiel.passes(at(DONE, mode=GUIDED), guided_counts=True)
    assert not oefenprofiel.passes(at(DONE, mode=GUIDED), guided_counts=False)
    assert not oefenprofiel.passes(at(DOCUMENTS, mode=FREE), guided_counts=True)
    # One step with the guide on makes it a guided run.
    state = at(DOCUMENTS, mode=GUIDED)
    state = apply(state, oefenprofiel.SWITCH_MODE, {"modus": FREE}, idle=NOW).state
    state = apply(
        state, oefenprofiel.DOWNLOAD, form(DOCUMENTS, document="gezinssamenstelling"), idle=NOW
    ).state
    assert state["completed"] and not oefenprofiel.passes(state, guided_counts=False)


def test_apply_never_changes_the_state_it_was_given():
    state = at(PROFILE)
    before = repr(state)
    apply(state, oefenprofiel.OPEN_MENU, form(PROFILE, menu="gegevens"), idle=NOW)
    apply(state, oefenprofiel.OPEN_MENU, form(PROFILE, menu="documenten"), idle=timedelta(hours=1))
    assert repr(state) == before


def test_the_certificate_is_there_only_on_the_done_screen():
    for screen in [HOME, KEYS, ITSME, CONFIRM, PROFILE, DOCUMENTS]:
        assert oefenprofiel.download(at(screen)) is None, screen
    document = oefenprofiel.download(at(DONE))
    assert document["filename"].endswith(".pdf")
    assert document["context"]["person"]["name"] == "Sam Oefenaar"
    assert str(document["context"]["title"]) == "Attest gezinssamenstelling"


def test_every_error_kind_has_a_message():
    kinds = {
        *oefenprofiel.KEY_NOT_HERE.values(),
        oefenprofiel.PHONE_MISSING,
        oefenprofiel.WRONG_PHONE,
        oefenprofiel.REAL_PHONE,
        oefenprofiel.WRONG_ITSME_CODE,
        oefenprofiel.WRONG_MENU,
        oefenprofiel.WRONG_DOCUMENT,
        oefenprofiel.TIMEOUT,
        *common.REAL_DATA.values(),
    }
    assert kinds == set(oefenprofiel.MESSAGES)
    assert all(str(message) for message in oefenprofiel.MESSAGES.values())


def test_what_the_portal_shows_is_no_real_data():
    from courses.sandboxes.guardrails import real_data_kind, real_mobile

    assert not real_mobile(oefenprofiel.PHONE, practice=oefenprofiel.PHONE)
    for text in [oefenprofiel.PHONE, oefenprofiel.ITSME_CODE, *oefenprofiel.PERSON.values()]:
        assert real_data_kind(str(text)) is None, text


def test_the_right_walk_reaches_done_without_a_mistake():
    state = start(mode=FREE).state
    for action, values in oefenprofiel.right_walk():
        outcome = apply(state, action, form(state["screen"], **values), idle=NOW)
        assert not outcome.ignored
        assert all(event.kind != ERROR for event in outcome.events), outcome.events
        state = outcome.state
    assert state["screen"] == DONE
    assert oefenprofiel.passes(state, guided_counts=False)


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("0470 12 34 56", "0470123456"),
        ("0470/12.34.56", "0470123456"),
        ("+32 470 12 34 56", "0470123456"),
        ("0032 (0)470 12 34 56", None),  # a stray 0 after the country code: not a number
        ("0032 470 12 34 56", "0470123456"),
        ("057 12 34 56", None),  # a landline
        ("0470 12 34 5", None),
        ("", None),
    ],
)
def test_belgian_mobile_numbers_as_people_type_them(typed, number):
    from courses.sandboxes.checks import belgian_mobile

    assert belgian_mobile(typed) == number


def test_a_mobile_number_far_from_the_practice_one_is_taken_for_the_learners_own():
    from courses.sandboxes.guardrails import real_mobile

    practice = oefenprofiel.PHONE
    assert not real_mobile("0470 00 00 00", practice=practice)
    assert not real_mobile("0470 00 00 12", practice=practice)  # two digits off: a typo
    assert real_mobile("0470 00 01 23", practice=practice)
    assert real_mobile("+32 499 12 34 56", practice=practice)
    assert not real_mobile("12345", practice=practice)
    assert not real_mobile("85.07.30-033.28", practice=practice)  # the other guardrails' job


def test_screens_and_error_kinds_fit_the_event_columns():
    """SandboxEvent.step holds 20 characters, .error 40 (PostgreSQL refuses longer)."""
    assert all(len(screen) <= 20 for screen in oefenprofiel.SCREENS)
    assert all(len(kind) <= 40 for kind in oefenprofiel.MESSAGES)
    assert len(oefenprofiel.SCENARIO) <= 40
