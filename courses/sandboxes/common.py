"""What every sandbox scenario shares: modes, the common actions, step events and the
outcome of one form. A scenario module (``oefenbank.py`` and the ones after it) builds its
own screens on these; ``courses.sandboxes`` lists what a scenario module must offer.
"""

import copy
from dataclasses import dataclass, field

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
