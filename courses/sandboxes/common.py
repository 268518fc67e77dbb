"""What every sandbox scenario shares: modes, the common actions, step events and the
outcome of one form. A scenario module (``oefenbank.py`` and the ones after it) builds its
own screens on these; ``courses.sandboxes`` lists what a scenario module must offer.
"""

import copy
from dataclasses import dataclass, field

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

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
        if state["hint"] or state["mode"] == GUIDED:
            return Outcome(state, events, ignored=not events)
        state = copy.deepcopy(state)
        state["hint"] = True
        return Outcome(state, [*events, Event(HINT_USED, state["screen"])])
    return None


def passes(state: dict, *, guided_counts: bool) -> bool:
    """Whether a run passes its sandbox step: completed without the guide, or with it when
    the author allows that (``SandboxBlock.guided_counts``)."""
    return bool(state.get("completed")) and (bool(state.get("completed_free")) or guided_counts)
