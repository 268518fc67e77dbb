"""Every write about learners and their progress. Keyword-only, one transaction each."""

import uuid
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from wagtail import hooks

from courses.blocks import Grade
from courses.models import LessonPage
from learning.models import Attempt, Learner, LearningCard, LessonProgress
from learning.services import privacy

# Apps that keep things about a learner but that learning may not import (certificates
# imports learning) move them to the surviving learner here, inside the merge's transaction.
# Each hook is called as ``hook(source=..., target=...)`` before ``source`` is deleted.
LEARNER_MERGE_HOOK = "before_learner_merge"


class UnknownExercise(Exception):
    """The block id names no exercise in this lesson."""


class AttemptConflict(Exception):
    """The attempt id is already used by another learner or another exercise."""


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


def _refresh_completion(progress: LessonProgress, lesson: LessonPage) -> None:
    """Score and status follow the exercises; completion is set once and never undone.

    Only the required exercises count: an H5P exercise needs JavaScript and is extra
    practice, so a learner without JavaScript can still complete every lesson.
    """
    exercise_ids = list(lesson.required_exercises)
    if exercise_ids:
        passed = sum(1 for block_id in exercise_ids if progress.exercise_passed(block_id))
        progress.score = round(100 * passed / len(exercise_ids))
        done = passed == len(exercise_ids)
    else:
        # A lesson without required exercises is done when the learner has seen every step.
        progress.score = 100 if progress.furthest_step >= lesson.step_count else 0
        done = progress.furthest_step >= lesson.step_count
    if done and progress.completed_at is None:
        progress.completed_at = timezone.now()
    if progress.completed_at is not None:
        progress.status = LessonProgress.COMPLETED


@transaction.atomic
def attempt_record(
    *,
    learner: Learner | None,
    user=None,
    lesson: LessonPage,
    block_id: str,
    answer: list,
    attempt_id: uuid.UUID,
) -> AttemptResult:
    """Record one answer and update the lesson's progress.

    The caller has parsed ``answer`` with the exercise block. A repeated ``attempt_id`` from
    the same learner returns the first result and records nothing new. Without a learner
    (a first answer) one is made, for ``user`` if given, in the same transaction: if the
    answer is refused, no learner is left behind.
    """
    found = lesson.find_exercise(block_id)
    if found is None:
        raise UnknownExercise(block_id)
    number, exercise = found
    existing = Attempt.objects.filter(attempt_id=attempt_id).first()
    if existing is not None:
        return _replayed(existing, learner=learner, lesson=lesson, block_id=block_id)
    if learner is None:
        learner = learner_create(user=user)

    grade = exercise.block.grade(exercise.value, answer)
    try:
        with transaction.atomic():
            attempt = Attempt.objects.create(
                attempt_id=attempt_id,
                learner=learner,
                lesson=lesson,
                block_id=block_id,
                answer=answer,
                passed=grade.passed,
                score=grade.score,
            )
    except IntegrityError:
        # The same attempt arrived twice at the same moment; the other request recorded it.
        existing = Attempt.objects.get(attempt_id=attempt_id)
        return _replayed(existing, learner=learner, lesson=lesson, block_id=block_id)

    progress = _progress_for_update(learner=learner, lesson=lesson)
    state = progress.exercises.get(block_id, {})
    progress.exercises[block_id] = {
        "passed": bool(state.get("passed")) or grade.passed,
        "tries": int(state.get("tries", 0)) + 1,
        "answer": answer,
    }
    progress.last_step = number
    progress.furthest_step = max(progress.furthest_step, number)
    _refresh_completion(progress, lesson)
    progress.save()
    privacy.learner_activity_record(learner=learner)
    return AttemptResult(
        learner=learner, attempt=attempt, grade=grade, progress=progress, created=True
    )


def _replayed(existing: Attempt, *, learner, lesson, block_id) -> AttemptResult:
    if learner is None or (existing.learner_id, existing.lesson_id, existing.block_id) != (
        learner.pk,
        lesson.pk,
        block_id,
    ):
        raise AttemptConflict
    _number, exercise = lesson.find_exercise(block_id)
    grade = exercise.block.grade(exercise.value, existing.answer)
    progress = LessonProgress.objects.get(learner=learner, lesson=lesson)
    return AttemptResult(
        learner=learner, attempt=existing, grade=grade, progress=progress, created=False
    )


@transaction.atomic
def step_view_record(*, learner: Learner, lesson: LessonPage, step: int) -> LessonProgress:
    """Remember where the learner is, so they can continue there later."""
    progress = _progress_for_update(learner=learner, lesson=lesson)
    progress.last_step = step
    progress.furthest_step = max(progress.furthest_step, step)
    _refresh_completion(progress, lesson)
    progress.save()
    privacy.learner_activity_record(learner=learner)
    return progress


def _merge_into(target: LessonProgress, source: LessonProgress) -> None:
    """Both devices worked on the same lesson: the furthest wins, nothing is lost."""
    for block_id, theirs in source.exercises.items():
        ours = target.exercises.get(block_id)
        if ours is None:
            target.exercises[block_id] = theirs
            continue
        newest = theirs if source.updated_at > target.updated_at else ours
        target.exercises[block_id] = {
            "passed": bool(ours.get("passed")) or bool(theirs.get("passed")),
            "tries": int(ours.get("tries", 0)) + int(theirs.get("tries", 0)),
            "answer": newest.get("answer", []),
        }
    if source.furthest_step > target.furthest_step or (
        source.furthest_step == target.furthest_step and source.updated_at > target.updated_at
    ):
        target.last_step = source.last_step
    target.furthest_step = max(target.furthest_step, source.furthest_step)
    target.started_at = min(target.started_at, source.started_at)
    completions = [when for when in (target.completed_at, source.completed_at) if when]
    target.completed_at = min(completions) if completions else None


@transaction.atomic
def learner_merge(*, source: Learner, target: Learner) -> Learner:
    """Move all of ``source``'s progress and attempts to ``target`` and delete ``source``."""
    if source.pk == target.pk:
        return target
    Attempt.objects.filter(learner=source).update(learner=target)
    # Rows of deleted lessons (no lesson, only a title) cannot be merged with anything: they
    # all move as they are.
    LessonProgress.objects.filter(learner=source, lesson__isnull=True).update(learner=target)
    theirs = {
        p.lesson_id: p for p in LessonProgress.objects.select_for_update().filter(learner=source)
    }
    ours = {
        p.lesson_id: p
        for p in LessonProgress.objects.select_for_update().filter(
            learner=target, lesson_id__in=theirs
        )
    }
    for lesson_id, source_progress in theirs.items():
        target_progress = ours.get(lesson_id)
        if target_progress is None:
            source_progress.learner = target
            source_progress.save(update_fields=["learner"])
            continue
        _merge_into(target_progress, source_progress)
        lesson = LessonPage.objects.get(pk=lesson_id)
        _refresh_completion(target_progress, lesson)
        source_progress.delete()
        target_progress.save()
    # Imported here: learning.services.h5p builds on this module.
    from learning.services.h5p import merge_h5p

    merge_h5p(source=source, target=target)
    # A card printed for either learner keeps working: it now opens the merged progress.
    LearningCard.objects.filter(learner=source).update(learner=target)
    for move in hooks.get_hooks(LEARNER_MERGE_HOOK):
        move(source=source, target=target)
    source.delete()
    return target


@transaction.atomic
def learner_claim(*, user, anonymous: Learner | None) -> Learner:
    """Attach the progress made on this device to the user's account."""
    learner = _claim(user=user, anonymous=anonymous)
    privacy.learner_activity_record(learner=learner)
    return learner


def _claim(*, user, anonymous: Learner | None) -> Learner:
    own = Learner.objects.select_for_update().filter(user=user).first()
    if anonymous is not None and anonymous.user_id not in (None, user.pk):
        anonymous = None  # someone else's learner: never merged
    if own is None:
        if anonymous is not None:
            anonymous.user = user
            anonymous.save(update_fields=["user"])
            return anonymous
        return learner_create(user=user)
    if anonymous is not None:
        learner_merge(source=anonymous, target=own)
    return own


@transaction.atomic
def account_create(*, username: str, password: str, anonymous: Learner | None):
    """A learner account: username and password, no e-mail. Claims this device's progress."""
    user = get_user_model().objects.create_user(username=username, password=password)
    learner = learner_claim(user=user, anonymous=anonymous)
    return user, learner
