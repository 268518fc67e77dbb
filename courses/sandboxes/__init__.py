"""Practice sandboxes: safe copies of apps a learner will meet at home (issue 18).

Pure and learner-free, like the blocks: each scenario is a state machine over plain dicts
(``oefenbank.py``), the checks on what a learner types are pure functions
(``checks.py``, ``guardrails.py``). Who runs a sandbox, its stored state and its step
events live in ``learning`` (``learning.models.SandboxRun``, ``learning.services.sandboxes``);
``courses.blocks.SandboxBlock`` puts a sandbox in a lesson step.
"""

from courses.sandboxes import oefenbank

# Scenario key -> its module. A choice in the block, so more scenarios come later (the
# citizen portal, the scam drill) without a migration of the lessons that use this one.
SCENARIOS = {oefenbank.SCENARIO: oefenbank}


def scenario(key: str):
    return SCENARIOS[key]
