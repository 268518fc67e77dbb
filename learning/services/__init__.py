"""Every write about learners: one module per subject, keyword-only, one transaction each.

``progress`` (answers, steps, skipping, completion) and ``accounts`` (accounts, claiming and
merging) are re-exported here because most callers need them; the other subjects are
imported by name (``from learning.services import cards``).
"""

from learning.services.accounts import account_create, learner_claim, learner_merge
from learning.services.progress import (
    AttemptResult,
    ExerciseResult,
    ResultConflict,
    UnknownExercise,
    attempt_record,
    exercise_result_record,
    exercise_skip,
    learner_create,
    step_view_record,
)

__all__ = [
    "AttemptResult",
    "ExerciseResult",
    "ResultConflict",
    "UnknownExercise",
    "account_create",
    "attempt_record",
    "exercise_result_record",
    "exercise_skip",
    "learner_claim",
    "learner_create",
    "learner_merge",
    "step_view_record",
]
