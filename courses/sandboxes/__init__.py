"""Practice sandboxes: safe copies of apps a learner will meet at home (issue 18).

Pure and learner-free, like the blocks: each scenario is a state machine over plain dicts
(the bank ``oefenbank.py``, the scam drill ``oplichting.py``), the checks on what a
learner types are pure functions (``checks.py``, ``guardrails.py``), and what all
scenarios share is in ``common.py``. Who runs a sandbox, its stored state and its step
events live in ``learning``
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
- optionally ``can_reset(state)``, when starting over can change something on the first
  screen too (the Oefen-inbox remembers which messages were judged).
"""

from courses.sandboxes import oefenbank, oplichting

# Scenario key -> its module. A choice in the block, so more scenarios come later without
# a migration of the lessons that use one.
SCENARIOS = {module.SCENARIO: module for module in (oefenbank, oplichting)}
CHOICES = [(key, module.LABEL) for key, module in SCENARIOS.items()]


def scenario(key: str):
    return SCENARIOS[key]
