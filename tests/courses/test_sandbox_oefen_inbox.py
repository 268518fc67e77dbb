"""The Oefen-inbox's state machine (courses/sandboxes/oplichting.py), the scam drill: every
transition and every error, on plain dicts, without a learner, a database or a clock."""

import re
from datetime import timedelta

import pytest

from courses import sandboxes
from courses.sandboxes import oplichting
from courses.sandboxes.oplichting import (
    COMPLETED,
    DONE,
    ERROR,
    FAKE,
    FEEDBACK,
    FREE,
    GUIDED,
    HINT_USED,
    INBOX,
    JUDGE,
    LAUNCHED,
    MESSAGE,
    MESSAGE_LIST,
    OPEN,
    REAL,
    RESET_DONE,
    STEP_PASSED,
    SUMMARY,
    TO_INBOX,
    Event,
    apply,
    start,
)

NOW = timedelta(0)
ITSME = oplichting.BY_ID["itsme-geblokkeerd"]
TOWN = oplichting.BY_ID["gemeente-afval"]
CARD_READER = oplichting.BY_ID["kaartlezer"]


def form(screen, **values):
    return {"scherm": screen, **values}


def right_values(message):
    return {"bericht": message.id, "oordeel": REAL if message.real else FAKE, "doe": message.right}


def opened(message, *, mode=GUIDED, state=None):
    state = state or start(mode=mode).state
    return apply(state, OPEN, form(INBOX, bericht=message.id), idle=NOW).state


def judged_right(message, state):
    state = opened(message, state=state)
    state = apply(state, JUDGE, form(MESSAGE, **right_values(message)), idle=NOW).state
    return apply(state, TO_INBOX, form(FEEDBACK), idle=NOW).state


def all_but_last(mode=GUIDED):
    state = start(mode=mode).state
    for message in MESSAGE_LIST[:-1]:
        state = judged_right(message, state)
    return state


def test_it_is_a_registered_scenario_with_the_whole_interface():
    assert sandboxes.scenario("oefen-inbox") is oplichting
    assert ("oefen-inbox", oplichting.LABEL) in sandboxes.CHOICES
    for name in ("TEXTS", "TEMPLATE", "SCREENS", "ACTIONS", "CODES", "LABEL", "START"):
        assert getattr(oplichting, name)
    for name in ("start", "apply", "shown", "screen_context", "guide", "message_for"):
        assert callable(getattr(oplichting, name))
    assert oplichting.SCREENS[0] == INBOX
    assert oplichting.CODES == ["070 344 344"]
    assert set(oplichting.TEXTS) >= {
        "title",
        "about",
        "open",
        "go_on",
        "go_to",
        "passed",
        "again",
        "guided_only",
    }


def test_the_messages_are_a_mix_of_sms_and_e_mail_fake_and_real():
    assert 5 <= len(MESSAGE_LIST) <= 6
    assert {message.channel for message in MESSAGE_LIST} == {oplichting.SMS, oplichting.EMAIL}
    assert 2 <= sum(message.real for message in MESSAGE_LIST) < len(MESSAGE_LIST)
    assert len(oplichting.BY_ID) == len(MESSAGE_LIST)
    for message in MESSAGE_LIST:
        assert len(message.id) <= 20  # SandboxEvent.step
        assert message.right in message.choices
        assert 3 <= len(message.choices) <= 4
        assert message.signs and message.advice and message.hint
        assert message.hint_target in ("afzender", "link", "tekst", "situatie")
        if message.hint_target == "link":
            assert message.link
        if message.hint_target == "situatie":
            assert message.situation
    fake_with_codes = [m for m in MESSAGE_LIST if m.right == oplichting.CARDSTOP_CALL]
    assert fake_with_codes == [CARD_READER]


def test_no_link_or_address_can_reach_a_real_site():
    """Links and e-mail addresses use the reserved .example top-level domain; the fake
    senders' numbers are in the UK's range for drama (+44 7700 900xxx)."""
    for message in MESSAGE_LIST:
        if message.link:
            host = re.match(r"https://([^/]+)", message.link).group(1)
            assert host.endswith(".example"), message.link
        if message.address:
            assert message.address.endswith(".example"), message.address
        if message.sender.startswith("+"):
            assert message.sender.startswith("+44 7700 900"), message.sender
        for text in message.body:
            assert "http" not in str(text) and "www." not in str(text)


def test_start_opens_the_inbox_in_the_authors_mode_and_records_launched():
    outcome = start(mode=FREE, balance_cents=25000)  # the Oefenbank's option is ignored
    assert outcome.state["screen"] == INBOX
    assert outcome.state["mode"] == FREE
    assert outcome.state["judged"] == {} and not outcome.state["completed"]
    assert outcome.events == [Event(LAUNCHED, INBOX)]
    assert start(mode="nonsense").state["mode"] == GUIDED


def test_opening_a_message_shows_it_and_records_nothing():
    state = start(mode=GUIDED).state
    outcome = apply(state, OPEN, form(INBOX, bericht=ITSME.id), idle=NOW)
    assert not outcome.ignored
    assert outcome.state["screen"] == MESSAGE and outcome.state["open"] == ITSME.id
    assert outcome.events == []


def test_an_unknown_message_id_is_ignored():
    state = start(mode=GUIDED).state
    for unknown in ("bestaat-niet", "", "itsme-geblokkeerd2"):
        outcome = apply(state, OPEN, form(INBOX, bericht=unknown), idle=NOW)
        assert outcome.ignored and outcome.events == []
        assert outcome.state["screen"] == INBOX
    # A judgement for another message than the one open: ignored too.
    state = opened(ITSME)
    outcome = apply(state, JUDGE, form(MESSAGE, **right_values(TOWN)), idle=NOW)
    assert outcome.ignored and outcome.state["screen"] == MESSAGE


def test_a_fake_message_judged_right():
    outcome = apply(opened(ITSME), JUDGE, form(MESSAGE, **right_values(ITSME)), idle=NOW)
    assert outcome.state["screen"] == FEEDBACK and outcome.state["open"] == ITSME.id
    assert outcome.events == [Event(STEP_PASSED, ITSME.id)]
    assert outcome.state["judged"][ITSME.id] == {
        "oordeel": FAKE,
        "doe": oplichting.FORWARD,
        "right": True,
    }
    assert outcome.state["first"] == {ITSME.id: True}
    assert not outcome.state["completed"]


def test_a_real_message_judged_right():
    outcome = apply(opened(TOWN), JUDGE, form(MESSAGE, **right_values(TOWN)), idle=NOW)
    assert outcome.events == [Event(STEP_PASSED, TOWN.id)]
    assert outcome.state["judged"][TOWN.id]["right"]


@pytest.mark.parametrize(
    ("message", "verdict", "action", "errors"),
    [
        (ITSME, REAL, oplichting.CLICK, ["fake_called_real", "wrong_action_clicked_link"]),
        (ITSME, FAKE, oplichting.CALL_SENDER, ["wrong_action_called_sender"]),
        (ITSME, REAL, oplichting.FORWARD, ["fake_called_real"]),
        (oplichting.BY_ID["pakje-kosten"], FAKE, oplichting.REPLY, ["wrong_action_replied"]),
        (TOWN, FAKE, oplichting.FORWARD, ["real_called_fake", "wrong_action_reported_real"]),
        (TOWN, REAL, oplichting.CARDSTOP_CALL, ["wrong_action_called_cardstop"]),
        (TOWN, FAKE, oplichting.DO, ["real_called_fake"]),
        (CARD_READER, FAKE, oplichting.WAIT, ["wrong_action_waited"]),
        (CARD_READER, FAKE, oplichting.FORWARD, ["wrong_action_only_forwarded"]),
        (CARD_READER, REAL, oplichting.CARDSTOP_CALL, ["fake_called_real"]),
    ],
)
def test_every_wrong_judgement_is_recorded_with_its_kinds(message, verdict, action, errors):
    values = {"bericht": message.id, "oordeel": verdict, "doe": action}
    outcome = apply(opened(message), JUDGE, form(MESSAGE, **values), idle=NOW)
    assert outcome.state["screen"] == FEEDBACK
    assert outcome.events == [Event(ERROR, message.id, error) for error in errors]
    assert outcome.state["judged"][message.id]["right"] is False
    assert outcome.state["first"] == {message.id: False}
    for error in errors:
        assert oplichting.message_for(error)
        assert len(error) <= 40  # SandboxEvent.error


def test_a_learner_who_obeys_a_fake_is_told_so():
    values = {"bericht": TOWN.id, "oordeel": REAL, "doe": oplichting.DO}
    assert apply(opened(TOWN), JUDGE, form(MESSAGE, **values), idle=NOW).events == [
        Event(STEP_PASSED, TOWN.id)
    ]
    assert oplichting.judgement_errors(ITSME, FAKE, oplichting.DO) == ["wrong_action_obeyed_fake"]


@pytest.mark.parametrize(
    ("values", "errors"),
    [
        ({"doe": oplichting.FORWARD}, {"oordeel": "verdict_missing"}),
        ({"oordeel": FAKE}, {"doe": "action_missing"}),
        ({}, {"oordeel": "verdict_missing", "doe": "action_missing"}),
        (
            {"oordeel": "misschien", "doe": "iets"},
            {"oordeel": "verdict_missing", "doe": "action_missing"},
        ),
        # A choice this message does not offer counts as no choice.
        ({"oordeel": FAKE, "doe": oplichting.DO}, {"doe": "action_missing"}),
    ],
)
def test_a_missing_choice_stays_on_the_message_with_a_kind_message(values, errors):
    outcome = apply(opened(ITSME), JUDGE, form(MESSAGE, bericht=ITSME.id, **values), idle=NOW)
    assert outcome.state["screen"] == MESSAGE
    assert outcome.state["errors"] == errors
    assert outcome.events == [Event(ERROR, ITSME.id, kind) for kind in errors.values()]
    assert outcome.state["judged"] == {}
    assert oplichting.message_for("verdict_missing") == "Kies echt of vals."
    assert oplichting.message_for("action_missing") == "Kies wat je doet."
    # What was chosen (and allowed) is shown again.
    kept = outcome.state["draft"]
    assert kept["oordeel"] == (values.get("oordeel") if values.get("oordeel") == FAKE else "")


def test_the_next_judgement_clears_the_errors():
    state = apply(opened(ITSME), JUDGE, form(MESSAGE, bericht=ITSME.id), idle=NOW).state
    outcome = apply(state, JUDGE, form(MESSAGE, **right_values(ITSME)), idle=NOW)
    assert outcome.state["errors"] == {} and outcome.state["draft"] == {}
    assert outcome.state["screen"] == FEEDBACK


def test_judging_the_same_message_twice_counts_once():
    state = opened(ITSME)
    judge = form(MESSAGE, **right_values(ITSME))
    state = apply(state, JUDGE, judge, idle=NOW).state
    # The same form again (Back, a double click): for the message screen, ignored.
    again = apply(state, JUDGE, judge, idle=NOW)
    assert again.ignored and again.events == []
    # Opened again from the inbox, a message judged right shows its feedback to read.
    state = apply(state, TO_INBOX, form(FEEDBACK), idle=NOW).state
    reopened = apply(state, OPEN, form(INBOX, bericht=ITSME.id), idle=NOW)
    assert reopened.state["screen"] == FEEDBACK and reopened.events == []
    # And a judgement sent anyway (a hand-made form) changes nothing.
    forced = {**reopened.state, "screen": MESSAGE}
    assert apply(forced, JUDGE, judge, idle=NOW).ignored


def test_a_message_judged_wrong_is_judged_again_and_the_first_try_is_kept():
    wrong = {"bericht": ITSME.id, "oordeel": REAL, "doe": oplichting.CLICK}
    state = apply(opened(ITSME), JUDGE, form(MESSAGE, **wrong), idle=NOW).state
    state = apply(state, TO_INBOX, form(FEEDBACK), idle=NOW).state
    context = oplichting.screen_context(state)
    assert [item["status"] for item in context["inbox"]][0] == "retry"
    state = apply(state, OPEN, form(INBOX, bericht=ITSME.id), idle=NOW).state
    assert state["screen"] == MESSAGE
    outcome = apply(state, JUDGE, form(MESSAGE, **right_values(ITSME)), idle=NOW)
    assert outcome.events == [Event(STEP_PASSED, ITSME.id)]
    assert outcome.state["judged"][ITSME.id]["right"]
    assert outcome.state["first"] == {ITSME.id: False}


def test_a_form_for_another_screen_is_ignored():
    state = opened(ITSME)
    for action, values in [
        (OPEN, form(INBOX, bericht=TOWN.id)),
        (TO_INBOX, form(FEEDBACK)),
        (JUDGE, form(FEEDBACK, **right_values(ITSME))),
        (JUDGE, {**right_values(ITSME)}),  # no screen at all
        ("transfer", form(MESSAGE)),  # not an action of this screen
    ]:
        outcome = apply(state, action, values, idle=NOW)
        assert outcome.ignored and outcome.events == []
        assert outcome.state == state


def test_back_to_the_inbox_from_a_message_without_judging():
    outcome = apply(opened(ITSME), TO_INBOX, form(MESSAGE), idle=NOW)
    assert outcome.state["screen"] == INBOX and outcome.state["open"] == ""
    assert outcome.events == []


def test_the_summary_only_when_every_message_is_right():
    state = start(mode=GUIDED).state
    assert apply(state, SUMMARY, form(INBOX), idle=NOW).ignored
    state = all_but_last()
    assert apply(state, SUMMARY, form(INBOX), idle=NOW).ignored


def test_the_last_message_right_completes_the_drill():
    state = opened(CARD_READER, state=all_but_last())
    outcome = apply(state, JUDGE, form(MESSAGE, **right_values(CARD_READER)), idle=NOW)
    assert outcome.state["completed"]
    assert outcome.events == [Event(STEP_PASSED, CARD_READER.id), Event(COMPLETED, DONE)]
    assert outcome.state["screen"] == FEEDBACK
    done = apply(outcome.state, SUMMARY, form(FEEDBACK), idle=NOW)
    assert done.state["screen"] == DONE and done.events == []
    context = oplichting.screen_context(done.state)
    assert context["recognised"] == context["total"] == len(MESSAGE_LIST)
    # From the summary back to the inbox, to read the messages again; then the summary.
    inbox = apply(done.state, TO_INBOX, form(DONE), idle=NOW).state
    assert inbox["screen"] == INBOX
    assert apply(inbox, SUMMARY, form(INBOX), idle=NOW).state["screen"] == DONE


def test_the_summary_counts_the_messages_recognised_at_the_first_try():
    state = start(mode=FREE).state
    for number, message in enumerate(MESSAGE_LIST):
        state = opened(message, state=state)
        if number < 2:
            wrong = {
                "bericht": message.id,
                "oordeel": FAKE if message.real else REAL,
                "doe": message.right,
            }
            state = apply(state, JUDGE, form(MESSAGE, **wrong), idle=NOW).state
            state = apply(state, TO_INBOX, form(FEEDBACK), idle=NOW).state
            state = opened(message, state=state)
        state = apply(state, JUDGE, form(MESSAGE, **right_values(message)), idle=NOW).state
        state = apply(state, TO_INBOX, form(FEEDBACK), idle=NOW).state
    assert state["completed"] and state["completed_free"]
    assert oplichting.screen_context(state)["recognised"] == len(MESSAGE_LIST) - 2
    assert oplichting.passes(state, guided_counts=False)


def test_passes_follows_the_common_rule():
    guided = start(mode=GUIDED).state
    for message in MESSAGE_LIST:
        guided = judged_right(message, guided)
    assert guided["completed"] and not guided["completed_free"]
    assert oplichting.passes(guided, guided_counts=True)
    assert not oplichting.passes(guided, guided_counts=False)
    assert not oplichting.passes(start(mode=FREE).state, guided_counts=True)


def test_the_right_walk_takes_a_learner_to_the_summary_without_a_mistake():
    state = start(mode=FREE).state
    events = []
    for action, values in oplichting.right_walk():
        outcome = apply(state, action, form(state["screen"], **values), idle=NOW)
        assert not outcome.ignored, (action, values)
        state, events = outcome.state, events + outcome.events
    assert state["screen"] == DONE and state["completed_free"]
    assert [event.kind for event in events].count(STEP_PASSED) == len(MESSAGE_LIST)
    assert ERROR not in {event.kind for event in events}


def test_mode_hint_and_reset():
    state = start(mode=FREE).state
    assert oplichting.guide(state) == {}
    outcome = apply(state, oplichting.SHOW_HINT, form(INBOX), idle=NOW)
    assert outcome.events == [Event(HINT_USED, INBOX)]
    assert oplichting.guide(outcome.state)["target"] == f"bericht-{MESSAGE_LIST[0].id}"
    state = opened(ITSME, state=outcome.state)
    assert state["hint"] is False  # the hint was for the inbox
    switched = apply(state, oplichting.SWITCH_MODE, {"modus": GUIDED}, idle=NOW).state
    assert switched["mode"] == GUIDED
    assert oplichting.guide(switched) == {"text": str(ITSME.hint), "target": "afzender"}
    state = judged_right(ITSME, switched)
    reset = apply(state, oplichting.RESET, form(INBOX), idle=NOW)
    assert reset.events == [Event(RESET_DONE, INBOX)]
    assert reset.state["judged"] == {} and reset.state["mode"] == GUIDED


def test_the_guide_points_at_the_next_message_then_at_the_summary():
    state = judged_right(ITSME, start(mode=GUIDED).state)
    assert oplichting.guide(state)["target"] == f"bericht-{MESSAGE_LIST[1].id}"
    feedback = apply(
        opened(TOWN, state=state), JUDGE, form(MESSAGE, **right_values(TOWN)), idle=NOW
    )
    assert oplichting.guide(feedback.state)["target"] == TO_INBOX
    last = opened(CARD_READER, state=all_but_last())
    assert oplichting.guide(last)["target"] == "situatie"
    done = apply(last, JUDGE, form(MESSAGE, **right_values(CARD_READER)), idle=NOW).state
    assert oplichting.guide(done)["target"] == SUMMARY
    summary = apply(done, SUMMARY, form(FEEDBACK), idle=NOW).state
    assert oplichting.guide(summary)["target"] == oplichting.RESET


def test_guided_use_is_remembered_for_passing():
    state = opened(ITSME, mode=FREE)
    assert not state["guided_used"]
    state = apply(state, oplichting.SWITCH_MODE, {"modus": GUIDED}, idle=NOW).state
    state = apply(state, TO_INBOX, form(MESSAGE), idle=NOW).state
    assert state["guided_used"]


def test_shown_is_the_state_and_a_removed_message_goes_back_to_the_inbox():
    state = opened(ITSME)
    assert oplichting.shown(state, timedelta(hours=5)) is state  # no time-out
    gone = {**state, "open": "bestaat-niet-meer"}
    assert oplichting.shown(gone, NOW)["screen"] == INBOX
    gone_judged = {**state, "screen": INBOX, "judged": {"oud": {"right": True}}}
    assert oplichting.screen_context(gone_judged)["to_judge"] == len(MESSAGE_LIST)


def test_the_screen_context_sets_cardstop_left_to_right():
    context = oplichting.screen_context(opened(CARD_READER))
    labels = dict(context["choices"])
    assert '<bdi dir="ltr">070 344 344</bdi>' in labels[oplichting.CARDSTOP_CALL]
    assert "suspicious@safeonweb.be" in labels[oplichting.FORWARD]
    assert context["message"] is CARD_READER
    sms = dict(oplichting.screen_context(opened(ITSME))["choices"])
    assert "schermafbeelding" in sms[oplichting.FORWARD]


def test_starting_over_is_offered_once_a_message_was_judged():
    state = start(mode=GUIDED).state
    assert not oplichting.can_reset(state)
    assert oplichting.can_reset(opened(ITSME))
    back_with_a_judgement = judged_right(ITSME, state)
    assert back_with_a_judgement["screen"] == INBOX
    assert oplichting.can_reset(back_with_a_judgement)
