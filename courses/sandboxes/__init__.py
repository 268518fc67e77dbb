"""Practice sandboxes: safe copies of apps a learner will meet at home (issue 18).

Pure and learner-free, like the blocks: each scenario is a state machine over plain dicts
(the bank ``oefenbank.py``, the citizen portal ``oefenprofiel.py``, the scam drill
``oplichting.py``), the checks on what a learner types are pure functions (``checks.py``,
``guardrails.py``), and what all scenarios share is in ``common.py``. Who runs a sandbox,
its stored state and its step events live in ``learning``
(``learning.models.SandboxRun``, ``learning.services.sandboxes``);
``courses.blocks.SandboxBlock`` puts a sandbox in a lesson step.

A scenario module offers:

- ``SCENARIO`` (its key, stored in lessons and runs), ``LABEL`` (the author's choice),
  ``TEXTS`` (title, about, open, go_on, go_to, passed, again, guided_only: what the
  learner reads around the screens), ``TEMPLATE`` (its screens, included by
  learning/sandbox.html), ``SCREENS`` (the first one is where a run starts), ``ACTIONS``
  and ``CODES`` (practice codes shown on screen, always set left to right);
- ``start(mode=..., **options)`` and ``apply(state, action, data, idle=...)``, returning a
  ``common.Outcome`` (new state and step events); a form carries ``scherm``, the screen
  it was made for, and a form for another screen is ignored;
- ``shown(state, idle)`` (the state as the learner sees it now), ``screen_context(state)``,
  ``guide(state)``, ``message_for(kind)``, ``passes(state, guided_counts=...)`` and
  ``right_walk()`` (the forms of a learner without a mistake, for tests and load tests);
- optionally ``download(state)``: a practice document (a PDF) the run may download now,
  as {template, filename, context}, or None (``oefenprofiel``'s certificate).
- ``PAIRING`` and ``pairing_question(state)``: what a screen lets the learner's own
  smartphone do, the two-device pattern of the real itsme (``learning.services.pairing``).
  ``PAIRING`` maps a screen to a ``common.SecondDevice(action, field, code)``: the phone
  shows ``pairing_question(state)`` (one sentence, e.g. "Klaproos Bank vraagt: bevestig een
  overschrijving van € 48,75.") and the practice ``code``, and sends ``action`` with the
  one ``field``, through ``apply`` like the form on the computer. An empty dict: the
  scenario offers no second device. The Oefenbank's is ``{CONFIRM: SecondDevice(CONFIRM_CODE,
  "itsme_code", ITSME_CODE)}``; a portal logging in with oefen-itsme adds its login screen.
- optionally ``can_reset(state)``, when starting over can change something on the first
  screen too (the Oefen-inbox remembers which messages were judged).
"""

from courses.sandboxes import oefenbank, oefenprofiel, oplichting

# Scenario key -> its module. A choice in the block, so more scenarios come later without
# a migration of the lessons that use one.
SCENARIOS = {module.SCENARIO: module for module in (oefenbank, oefenprofiel, oplichting)}
CHOICES = [(key, module.LABEL) for key, module in SCENARIOS.items()]


def scenario(key: str):
    return SCENARIOS[key]


# --- labels for helpers and trainers ------------------------------------------------------
#
# Events are stored as plain keys (a screen, an error kind) so that they outlive changes in
# wording. A scenario names them for people in optional dicts: ``TITLE``, ``MODES``,
# ``STEP_LABELS`` (screen, or (screen, field) where one screen asks for several things),
# ``ERROR_FIELDS`` (error kind -> field) and ``ERROR_LABELS``. A scenario that lacks a
# label, or a key from a scenario since removed, falls back to the key itself: a page for
# helpers never fails over a missing label.


def _module(key: str):
    return SCENARIOS.get(key)


def scenario_title(key: str) -> str:
    return str(getattr(_module(key), "TITLE", "") or key)


def error_field(key: str, error: str) -> str:
    """The field ``error`` belongs to in scenario ``key``; "" when it has none."""
    return getattr(_module(key), "ERROR_FIELDS", {}).get(error, "") if error else ""


def step_label(key: str, step: str, error: str = "", *, field: str = "") -> str:
    """The easy-Dutch name of a step; with an error kind (or a field) the part of the
    screen it belongs to when the scenario names that part, e.g. "bedrag invullen"."""
    labels = getattr(_module(key), "STEP_LABELS", {})
    field = field or error_field(key, error)
    if field and (step, field) in labels:
        return str(labels[(step, field)])
    return str(labels.get(step, step))


def step_part(key: str, step: str, error: str = "") -> tuple[str, str]:
    """(step, field) that ``step_label`` names for this error: the field only when the
    scenario has a label for it. Mistakes are counted per part."""
    field = error_field(key, error)
    if field and (step, field) in getattr(_module(key), "STEP_LABELS", {}):
        return step, field
    return step, ""


def step_parts() -> list[tuple[str, str, str, list[str]]]:
    """(scenario, step, field, error kinds) of every labelled part of a screen, in every
    scenario: lets the trainers' figures count learners per part in SQL."""
    parts = []
    for key, module in SCENARIOS.items():
        fields = getattr(module, "ERROR_FIELDS", {})
        for label_key in getattr(module, "STEP_LABELS", {}):
            if isinstance(label_key, tuple):
                step, field = label_key
                errors = sorted(error for error, of in fields.items() if of == field)
                if errors:
                    parts.append((key, step, field, errors))
    return parts


def error_label(key: str, error: str) -> str:
    return str(getattr(_module(key), "ERROR_LABELS", {}).get(error, error))


def mode_label(key: str, mode: str) -> str:
    return str(dict(getattr(_module(key), "MODES", [])).get(mode, mode))


def step_order(key: str, step: str) -> int:
    """Where ``step`` comes in the scenario (its ``SCREENS``); unknown steps last."""
    screens = list(getattr(_module(key), "SCREENS", []))
    return screens.index(step) if step in screens else len(screens)
