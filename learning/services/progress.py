"""Answers, statements, steps and completion: every write about a learner's progress.

Keyword-only, one transaction each. ``exercise_result_record`` is the one write path for a
result of any kind of exercise (a native answer, an H5P statement, later others): the
idempotency, the exercise's state in the progress row and the lesson's completion are
decided here and nowhere else. Accounts and merging live in ``accounts.py``.
"""

import copy
import uuid
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import IntegrityError, models, transaction
from django.db.models.functions import Greatest
from django.utils import timezone

from courses.blocks import Grade
from courses.models import LessonPage
from learning.hot_path import progress_row
from learning.models import Attempt, Learner, LessonProgress
from learning.services import privacy


class UnknownExercise(Exception):
    """The block id names no exercise (of the expected kind) in this lesson."""


class ResultConflict(Exception):
    """The result's id (attempt or statement) is already used by another learner or exercise."""


@dataclass(frozen=True)
class ExerciseResult:
    """What one answer or statement says about its exercise, whatever kind the exercise is."""

    # None: it says nothing about passing (for example an H5P "answered" without a result).
    passed: bool | None
    # An answer is one more try. A report about the activity (H5P "completed", "scored")
    # is a try only when it is the first news of this exercise: some types send nothing else.
    is_answer: bool = True
    answer: list = field(default_factory=list)
    score: float | None = None
    # False for a part of a bigger activity (an H5P question inside a Question Set): the
    # record is kept and the learner's place moves, but only the activity itself decides.
    about_exercise: bool = True


@dataclass
class Recorded:
    learner: Learner
    record: models.Model
    progress: LessonProgress
    created: bool


@dataclass
class AttemptResult:
    learner: Learner
    attempt: Attempt
    grade: Grade
    progress: LessonProgress
    created: bool


def learner_create(*, user=None) -> Learner:
    return Learner.objects.create(user=user)


def _progress_for_update(*, learner: Learner, lesson: LessonPage) -> LessonProgress:
    progress, _created = LessonProgress.objects.select_for_update().get_or_create(
        learner=learner, lesson=lesson
    )
    return progress


def refresh_completion(progress: LessonProgress, lesson: LessonPage) -> None:
    """Score and status follow the exercises; completion is set once and never undone.

    Every exercise that counts for the lesson (``LessonPage.required_exercises``) must be
    done: passed, or skipped where the exercise allows it (an H5P activity that does not run
    on the learner's device). The score counts passed exercises only.
    """
    exercise_ids = list(lesson.required_exercises)
    if exercise_ids:
        passed = sum(1 for block_id in exercise_ids if progress.exercise_passed(block_id))
        progress.score = round(100 * passed / len(exercise_ids))
        done = all(progress.exercise_done(block_id) for block_id in exercise_ids)
    else:
        # A lesson without exercises that count is done when the learner has seen every step.
        progress.score = 100 if progress.furthest_step >= lesson.step_count else 0
        done = progress.furthest_step >= lesson.step_count
    if done and progress.completed_at is None:
        progress.completed_at = timezone.now()
    if progress.completed_at is not None:
        progress.status = LessonProgress.COMPLETED


def _exercise_state(state: dict, result: ExerciseResult) -> dict:
    """The exercise's entry in ``LessonProgress.exercises`` after one more result."""
    new = {
        "passed": bool(state.get("passed")) or bool(result.passed),
        "tries": int(state.get("tries", 0)) + (1 if result.is_answer or not state else 0),
        "answer": result.answer,
    }
    score = result.score if result.score is not None else state.get("score")
    if score is not None:
        new["score"] = score
    if state.get("skipped"):
        new["skipped"] = True
    return new


def _place_move(progress: LessonProgress, lesson: LessonPage, number: int) -> None:
    progress.last_step = number
    progress.furthest_step = max(progress.furthest_step, number)
    refresh_completion(progress, lesson)
    progress.save()


@transaction.atomic
def exercise_result_record(
    *,
    learner: Learner | None,
    user=None,
    lesson: LessonPage,
    block_id: str,
    record_model: type[models.Model],
    record_key: dict,
    record_fields: dict,
    result: ExerciseResult,
) -> Recorded:
    """Store one result of an exercise of any kind and update the lesson's progress.

    ``record_model`` is the append-only row for this kind (``Attempt``, ``XapiStatement``),
    found again by ``record_key`` (its unique id from the client): a double click, a retry
    after a network error or two requests at the same moment store it once and return the
    first outcome. The same id from another learner or exercise is a ``ResultConflict``,
    except for a double-clicked first answer (``_first_result_of_new_learner``).
    Without a learner (a first answer) one is made, for ``user`` if given, in the same
    transaction: if anything fails, no learner is left behind.
    """
    found = lesson.find_exercise(block_id)
    if found is None:
        raise UnknownExercise(block_id)
    number, _exercise = found
    existing = record_model.objects.filter(**record_key).first()
    if existing is None:
        made_here = learner is None
        if made_here:
            learner = learner_create(user=user)
        try:
            with transaction.atomic():
                record = record_model.objects.create(
                    **record_key, **record_fields, learner=learner, lesson=lesson, block_id=block_id
                )
        except IntegrityError:
            # The same result arrived twice at the same moment; the other request stored it.
            existing = record_model.objects.get(**record_key)
            if made_here:
                # Not needed after all: the learner of the other request is the one (or none).
                learner.delete()
                learner = None
    if existing is not None:
        return _replayed(
            existing,
            learner=learner,
            user=user,
            lesson=lesson,
            block_id=block_id,
            fields=record_fields,
        )

    progress = _progress_for_update(learner=learner, lesson=lesson)
    if result.about_exercise:
        progress.exercises[block_id] = _exercise_state(progress.exercises.get(block_id, {}), result)
    _place_move(progress, lesson, number)
    privacy.learner_activity_record(learner=learner)
    return Recorded(learner=learner, record=record, progress=progress, created=True)


def _replayed(existing, *, learner, user, lesson, block_id, fields) -> Recorded:
    if (existing.lesson_id, existing.block_id) != (lesson.pk, block_id):
        raise ResultConflict
    same = all(getattr(existing, name) == value for name, value in fields.items())
    if learner is None and same and _first_result_of_new_learner(existing, user=user):
        learner = existing.learner
    if learner is None or existing.learner_id != learner.pk:
        raise ResultConflict
    progress = LessonProgress.objects.get(learner=learner, lesson=lesson)
    return Recorded(learner=learner, record=existing, progress=progress, created=False)


# A double click on a first answer without JavaScript sends two requests without a learner:
# the first makes one and stores the answer, the second finds that answer. The browser keeps
# the cookie of whichever response arrives last, so the second is given the same learner, or
# the learner's answer would be under a cookie the browser no longer has. Only for a learner
# this young, without an account or a learning card, whose only result this is, and for the
# very same answer: the result's id (a random UUID in the learner's own page) then gives
# nothing more than that one answer.
FIRST_RESULT_HANDOVER = timedelta(seconds=60)


def _first_result_of_new_learner(existing, *, user) -> bool:
    owner = existing.learner
    if user is not None:
        return owner.user_id == user.pk  # the same account: its learner, made a moment ago
    if owner.user_id is not None or owner.created_at < timezone.now() - FIRST_RESULT_HANDOVER:
        return False
    if owner.cards.exists():
        return False
    return type(existing).objects.filter(learner=owner).count() == 1


def attempt_record(
    *,
    learner: Learner | None,
    user=None,
    lesson: LessonPage,
    block_id: str,
    answer: list,
    attempt_id: uuid.UUID,
) -> AttemptResult:
    """Record one answer to a native exercise (the caller parsed it with the block)."""
    found = lesson.find_exercise(block_id)
    if found is None or getattr(found[1].block, "is_h5p", False):
        raise UnknownExercise(block_id)
    exercise = found[1]
    grade = exercise.block.grade(exercise.value, answer)
    outcome = exercise_result_record(
        learner=learner,
        user=user,
        lesson=lesson,
        block_id=block_id,
        record_model=Attempt,
        record_key={"attempt_id": attempt_id},
        record_fields={"answer": answer, "passed": grade.passed, "score": grade.score},
        result=ExerciseResult(passed=grade.passed, answer=answer),
    )
    if not outcome.created:
        # A replay answers with the first answer's grade, not with the one sent again.
        grade = exercise.block.grade(exercise.value, outcome.record.answer)
    return AttemptResult(
        learner=outcome.learner,
        attempt=outcome.record,
        grade=grade,
        progress=outcome.progress,
        created=outcome.created,
    )


@transaction.atomic
def exercise_skip(
    *, learner: Learner | None, user=None, lesson: LessonPage, block_id: str
) -> tuple[Learner, LessonProgress]:
    """The learner goes on without an exercise that does not work on their device.

    Only exercises that allow it (``skippable``: H5P, which needs JavaScript and a player
    that runs) can be skipped; a skipped exercise is done but not passed, and the learner
    can still make it later. Skipping twice changes nothing more.
    """
    found = lesson.find_exercise(block_id)
    if found is None or not getattr(found[1].block, "skippable", False):
        raise UnknownExercise(block_id)
    number, _exercise = found
    if learner is None:
        learner = learner_create(user=user)
    progress = _progress_for_update(learner=learner, lesson=lesson)
    state = progress.exercises.get(block_id, {"passed": False, "tries": 0, "answer": []})
    progress.exercises[block_id] = {**state, "skipped": True}
    _place_move(progress, lesson, number)
    privacy.learner_activity_record(learner=learner)
    return learner, progress


def step_view_record(*, learner: Learner, lesson: LessonPage, step: int) -> LessonProgress:
    """Remember where the learner is, so they can continue there later.

    Every step view of a learner lands here, so the usual case costs two queries: read the
    row (the page shows it too), then one UPDATE of the place alone, which cannot overwrite
    an answer saved meanwhile (``exercises`` is not written) and never moves the furthest
    step back (``Greatest``). A first visit, or a view that changes score or completion (the
    last step of a lesson without exercises), takes the locked path of the answers.
    """
    progress = progress_row(learner, lesson)
    if progress is None or _view_changes_result(progress, lesson, step):
        return _step_view_record_locked(learner=learner, lesson=lesson, step=step)
    now = timezone.now()
    LessonProgress.objects.filter(pk=progress.pk).update(
        last_step=step, furthest_step=Greatest(models.F("furthest_step"), step), updated_at=now
    )
    progress.last_step, progress.updated_at = step, now
    progress.furthest_step = max(progress.furthest_step, step)
    privacy.learner_activity_record(learner=learner)
    return progress


def _view_changes_result(progress: LessonProgress, lesson: LessonPage, step: int) -> bool:
    before = (progress.score, progress.status, progress.completed_at)
    after = copy.copy(progress)
    after.furthest_step = max(progress.furthest_step, step)
    refresh_completion(after, lesson)
    return (after.score, after.status, after.completed_at) != before


@transaction.atomic
def _step_view_record_locked(*, learner: Learner, lesson: LessonPage, step: int):
    progress = _progress_for_update(learner=learner, lesson=lesson)
    _place_move(progress, lesson, step)
    privacy.learner_activity_record(learner=learner)
    return progress
