"""What every sandbox scenario shares: modes, the common actions, step events and the
outcome of one form. A scenario module (``oefenbank.py`` and the ones after it) builds its
own screens on these; ``courses.sandboxes`` lists what a scenario module must offer.
"""

import copy
from dataclasses import dataclass, field
from datetime import timedelta

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from courses.sandboxes import checks, guardrails

GUIDED, FREE = "guided", "free"
MODES = [(GUIDED, _("Met hulp")), (FREE, _("Zonder hulp"))]

# Actions (the forms' "actie") every scenario knows. START makes the run.
START = "start"
RESET = "reset"
SWITCH_MODE = "mode"
SHOW_HINT = "hint"
COMMON_ACTIONS = {START, RESET, SWITCH_MODE, SHOW_HINT}

# Event kinds (issue 18): what a digihelper reads back, step by step.
LAUNCHED = "launched"
STEP_PASSED = "step_passed"
ERROR = "error"
HINT_USED = "hint_used"
RESET_DONE = "reset"
COMPLETED = "completed"


# oefen-itsme, the practice copy of the itsme app every scenario confirms with: its code is
# shown on screen beside the field, never the learner's own.
ITSME_CODE = "13579"
WRONG_ITSME_CODE = "wrong_itsme_code"
WRONG_ITSME_MESSAGE = _("Deze code klopt niet. Kijk naar de oefencode en probeer opnieuw.")

# A logged-in app or website logs out after a few idle minutes, as the real ones do; the
# learner then logs in again. The error kind of an ERROR event and of the notice.
IDLE_LIMIT = timedelta(minutes=10)
TIMEOUT = "timeout"

# What the guardrails found -> the error kind (and message key) a scenario records.
REAL_DATA = {
    guardrails.NATIONAL_NUMBER: "real_national_number",
    guardrails.CARD: "real_card",
    guardrails.IBAN: "real_iban",
}
# The short names of the shared error kinds, for the helper's and the trainer's pages.
ERROR_LABELS = {
    WRONG_ITSME_CODE: _("verkeerde oefen-itsme-code"),
    TIMEOUT: _("te lang weg, afgemeld"),
    "real_national_number": _("leek op een echt rijksregisternummer (niet bewaard)"),
    "real_card": _("leek op een echt kaartnummer (niet bewaard)"),
    "real_iban": _("leek op een echt rekeningnummer (niet bewaard)"),
}
REAL_DATA_MESSAGES = {
    "real_national_number": _(
        "Dit lijkt op een echt rijksregisternummer. Typ nooit je echte gegevens. We hebben "
        "het niet bewaard. Gebruik de oefengegevens op het scherm."
    ),
    "real_card": _(
        "Dit lijkt op een echt kaartnummer. Typ nooit je echte gegevens. We hebben het niet "
        "bewaard. Gebruik de oefengegevens op het scherm."
    ),
}


@dataclass(frozen=True)
class Event:
    kind: str
    step: str
    error: str = ""


@dataclass
class Outcome:
    state: dict
    events: list[Event] = field(default_factory=list)
    # A form for another screen than the current one: nothing changed, nothing recorded.
    ignored: bool = False


@dataclass(frozen=True)
class SecondDevice:
    """What the learner's own smartphone may do on one screen (oefen-itsme on a real second
    device, the two-device pattern of the real itsme): send ``action`` with the one field
    ``field``, after showing the practice code ``code``. A scenario lists these in
    ``PAIRING`` (screen -> SecondDevice); ``learning.services.pairing`` sends the phone's
    form as ``{"scherm": screen, field: value}`` and nothing else."""

    action: str
    field: str
    code: str


def base_state(*, screen: str, mode: str) -> dict:
    """What every scenario's state holds, on ``screen`` (its first) in ``mode``."""
    return {
        "screen": screen,
        "mode": mode if mode in (GUIDED, FREE) else GUIDED,
        "errors": {},  # field -> error kind, on the current screen
        "notice": "",  # an error kind shown above the screen
        "hint": False,  # free mode: the learner asked for this screen's hint
        "guided_used": False,  # an action was done with the guide on
        "completed": False,
        "completed_free": False,
    }


def go(state: dict, screen: str) -> None:
    """To another screen: its errors, hint and notice do not come along."""
    state.update(screen=screen, errors={}, hint=False, notice="")


def mark_completed(state: dict) -> None:
    """The scenario is done; without the guide on any action, it was done without help."""
    state["completed"] = True
    state["completed_free"] = state["completed_free"] or not state["guided_used"]


def hint_shown(state: dict) -> bool:
    """The guide is on (guided mode), or the learner asked for this screen's hint."""
    return state["mode"] == GUIDED or bool(state["hint"])


def left_to_right(code: str) -> SafeString:
    """A practice code or phone number, always left to right: in an Arabic sentence "2468
    1357" is otherwise shown as "1357 2468", and the learner types the wrong code.
    ``<bdi>`` isolates it without adding characters to what is copied."""
    return format_html('<bdi dir="ltr">{}</bdi>', code)


def codes_left_to_right(text, codes) -> SafeString:
    """``text`` escaped, with every one of ``codes`` in it set left to right."""
    text = escape(text)
    for code in codes:
        text = text.replace(escape(code), left_to_right(code))
    return mark_safe(text)  # noqa: S308 - escaped above, then our <bdi>


def common_action(state: dict, action: str, data, *, fresh: dict, events=()) -> Outcome | None:
    """Reset, switching the mode and asking for a hint work the same in every scenario.

    ``state`` carries ``screen``, ``mode`` and ``hint``; ``fresh`` is the scenario's new
    state in the same mode (used by a reset). None when ``action`` is not one of these.
    ``events`` are events the caller already made for this form (a time-out).
    """
    events = list(events)
    if action == RESET:
        return Outcome(fresh, [*events, Event(RESET_DONE, state["screen"])])
    if action == SWITCH_MODE:
        state = copy.deepcopy(state)
        mode = str(data.get("modus", ""))
        if mode in (GUIDED, FREE):
            state["mode"] = mode
        return Outcome(state, events)
    if action == SHOW_HINT:
        if hint_shown(state):
            return Outcome(state, events, ignored=not events)
        state = copy.deepcopy(state)
        state["hint"] = True
        return Outcome(state, [*events, Event(HINT_USED, state["screen"])])
    return None


def timed_out(state: dict, idle: timedelta, *, active) -> bool:
    """Whether a run on one of the ``active`` (logged-in) screens was idle too long."""
    return state["screen"] in active and idle > IDLE_LIMIT


def logged_out(state: dict, *, to: str, cleared: dict) -> dict:
    """A copy of ``state`` after a time-out: on screen ``to`` with the time-out message,
    and ``cleared`` (what a logged-in screen had open) put back."""
    return {**state, "screen": to, "notice": TIMEOUT, "errors": {}, "hint": False, **cleared}


def time_out_first(state: dict, action: str, idle: timedelta, *, active, to: str, cleared: dict):
    """(state, events) before a form is applied: a run idle too long on a logged-in screen
    is logged out first, with an ERROR event, unless the form starts over anyway. The form
    is then applied to the logged-out state (a login form logs in again)."""
    if action == RESET or not timed_out(state, idle, active=active):
        return state, []
    return logged_out(state, to=to, cleared=cleared), [Event(ERROR, state["screen"], TIMEOUT)]


def form_values(data, names) -> dict[str, str]:
    """The named fields of a form as text, cut at 200 characters, with any script's digits
    read as 0-9 (``checks.ascii_digits``) before the checks and the guardrails see them."""
    return {name: checks.ascii_digits(str(data.get(name, ""))[:200]) for name in names}


def refuse_real_data(state: dict, values: dict, events, *, practice_ibans=()) -> Outcome | None:
    """The outcome when a field holds real-looking data (``guardrails``): the form does
    nothing, the field shows a warning and nothing of what was typed is kept. None when
    all is practice data. The caller keeps none of ``values`` in the state after this."""
    real = guardrails.first_real_data(values, practice_ibans=practice_ibans)
    if real is None:
        return None
    name, kind = real
    error = REAL_DATA[kind]
    state["errors"] = {name: error}
    state["notice"] = error
    return Outcome(state, [*events, Event(ERROR, state["screen"], error)])


def itsme_code_ok(text: str) -> bool:
    return checks.digits_only(text) == ITSME_CODE


def passes(state: dict, *, guided_counts: bool) -> bool:
    """Whether a run passes its sandbox step: completed without the guide, or with it when
    the author allows that (``SandboxBlock.guided_counts``)."""
    return bool(state.get("completed")) and (bool(state.get("completed_free")) or guided_counts)
