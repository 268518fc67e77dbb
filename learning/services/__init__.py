"""Every write about learners: one module per subject, keyword-only, one transaction each.

``progress`` (answers, steps, accounts and merging) is re-exported here because most callers
need it; the other subjects are imported by name (``from learning.services import cards``).
"""

from learning.services.progress import (
    AttemptConflict,
    AttemptResult,
    UnknownExercise,
    account_create,
    attempt_record,
    learner_claim,
    learner_create,
    learner_merge,
    step_view_record,
)

__all__ = [
    "AttemptConflict",
    "AttemptResult",
    "UnknownExercise",
    "account_create",
    "attempt_record",
    "learner_claim",
    "learner_create",
    "learner_merge",
    "step_view_record",
]
