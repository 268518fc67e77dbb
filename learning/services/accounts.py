"""Accounts and merging: one learner's progress, attempts and statements moved to another.

Built on ``progress`` (completion) and ``h5p`` (statements and resume state), which do not
import this module: the arrows go one way.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from wagtail import hooks

from courses.models import LessonPage
from learning.models import Attempt, Learner, LearningCard, LessonProgress
from learning.services import privacy
from learning.services.h5p import merge_h5p
from learning.services.progress import learner_create, refresh_completion
from learning.services.sandboxes import merge_sandboxes

# Apps that keep things about a learner but that learning may not import (certificates
# imports learning) move them to the surviving learner here, inside the merge's transaction.
# Each hook is called as ``hook(source=..., target=...)`` before ``source`` is deleted.
LEARNER_MERGE_HOOK = "before_learner_merge"


def _exercise_merged(ours: dict, theirs: dict, *, theirs_newer: bool) -> dict:
    """One exercise worked on from two devices: passed or skipped on either stays so."""
    newest = theirs if theirs_newer else ours
    merged = {
        "passed": bool(ours.get("passed")) or bool(theirs.get("passed")),
        "tries": int(ours.get("tries", 0)) + int(theirs.get("tries", 0)),
        "answer": newest.get("answer", []),
    }
    scores = [s for s in (ours.get("score"), theirs.get("score")) if s is not None]
    if scores:
        merged["score"] = max(scores)
    if ours.get("skipped") or theirs.get("skipped"):
        merged["skipped"] = True
    return merged


def _merge_into(target: LessonProgress, source: LessonProgress) -> None:
    """Both devices worked on the same lesson: the furthest wins, nothing is lost."""
    theirs_newer = source.updated_at > target.updated_at
    for block_id, theirs in source.exercises.items():
        ours = target.exercises.get(block_id)
        target.exercises[block_id] = (
            theirs if ours is None else _exercise_merged(ours, theirs, theirs_newer=theirs_newer)
        )
    if source.furthest_step > target.furthest_step or (
        source.furthest_step == target.furthest_step and theirs_newer
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
        refresh_completion(target_progress, LessonPage.objects.get(pk=lesson_id))
        source_progress.delete()
        target_progress.save()
    merge_h5p(source=source, target=target)
    merge_sandboxes(source=source, target=target)
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
