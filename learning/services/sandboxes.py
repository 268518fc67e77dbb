"""Practice sandboxes in lessons: the learner's run, its step events, and progress.

The scenario itself (screens, checks, guardrails) is pure and lives in
``courses.sandboxes``; this module keeps the learner's run (``SandboxRun``) and records
its step events (``SandboxEvent``) on the one write path of exercise results,
``progress.exercise_result_record``: the form's event id makes a double click, a reload
of a POST or Back and resubmit count once, exactly like an answer's attempt id, and the
sandbox's step in ``LessonProgress.exercises`` is passed the way an exercise is.

What the learner types is never stored here: the scenario's guardrails keep real-looking
data out of the state, and events hold only kinds (step, error kind), never input.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from courses.models import LessonPage
from learning.models import Learner, SandboxEvent, SandboxPairing, SandboxRun
from learning.services.progress import (
    ExerciseResult,
    UnknownExercise,
    exercise_result_record,
    learner_create,
)


@dataclass
class SandboxResult:
    learner: Learner
    run: SandboxRun | None
    # False for a replayed or stale form: nothing changed.
    changed: bool


def sandbox_find(lesson: LessonPage, block_id: str):
    """(step number, bound SandboxBlock) of ``block_id`` in ``lesson``; ``UnknownExercise``
    when it names no sandbox there."""
    found = lesson.find_exercise(block_id)
    if found is None or not getattr(found[1].block, "is_sandbox", False):
        raise UnknownExercise(block_id)
    return found


def _derived_id(event_id: uuid.UUID, number: int) -> uuid.UUID:
    return event_id if number == 0 else uuid.uuid5(event_id, str(number))


@transaction.atomic
def sandbox_submit(
    *,
    learner: Learner | None,
    user=None,
    lesson: LessonPage,
    block_id: str,
    event_id: uuid.UUID,
    action: str,
    data,
) -> SandboxResult:
    """Apply one sandbox form and record its events; one transaction.

    ``action`` "start" makes the run (or leaves an existing one alone); the others act on
    the learner's run. Without a learner (the first form) one is made, for ``user`` if
    given. A form whose event id was recorded before changes nothing and returns the run
    as it is (``ResultConflict`` if the id is another learner's).
    """
    _number, child = sandbox_find(lesson, block_id)
    block, value = child.block, child.value
    scenario = block.scenario_module(value)
    if SandboxEvent.objects.filter(event_id=event_id).exists():
        outcome = exercise_result_record(
            learner=learner,
            user=user,
            lesson=lesson,
            block_id=block_id,
            record_model=SandboxEvent,
            record_key={"event_id": event_id},
            record_fields={},
            result=ExerciseResult(passed=None, is_answer=False),
        )
        return SandboxResult(outcome.learner, _run_of(outcome.learner, lesson, block_id), False)

    if learner is None:
        learner = learner_create(user=user)
    now = timezone.now()
    run = (
        SandboxRun.objects.select_for_update()
        .filter(learner=learner, lesson=lesson, block_id=block_id)
        .first()
    )
    if action == scenario.START:
        if run is not None:
            return SandboxResult(learner, run, False)  # already started: nothing to do
        step = scenario.start(mode=value["default_mode"], **block.start_options(value))
        run = SandboxRun.objects.create(
            learner=learner,
            lesson=lesson,
            block_id=block_id,
            scenario=value["scenario"],
            state=step.state,
            changed_at=now,
        )
    elif run is None or action not in scenario.ACTIONS:
        return SandboxResult(learner, run, False)
    else:
        step = scenario.apply(run.state, action, data, idle=now - run.changed_at)
        if step.ignored:
            return SandboxResult(learner, run, False)

    passed_before = block.passes(value, run.state) if action != scenario.START else False
    passed = block.passes(value, step.state)
    events = step.events or []
    if events:
        recorded = exercise_result_record(
            learner=learner,
            user=user,
            lesson=lesson,
            block_id=block_id,
            record_model=SandboxEvent,
            record_key={"event_id": event_id},
            record_fields=_event_fields(run, events[0], step.state),
            result=ExerciseResult(
                # Says something only when this form made the sandbox pass.
                passed=True if passed and not passed_before else None,
                is_answer=False,
                score=1.0 if passed and not passed_before else None,
            ),
        )
        if not recorded.created:
            # The same form arrived twice at the same moment; the other one applied it.
            return SandboxResult(learner, run, False)
        for number, event in enumerate(events[1:], start=1):
            SandboxEvent.objects.create(
                event_id=_derived_id(event_id, number),
                learner=learner,
                lesson=lesson,
                block_id=block_id,
                **_event_fields(run, event, step.state),
            )
    if run.state.get("screen") != step.state.get("screen"):
        # The run left its screen: a QR code made for it (learning.services.pairing) ends.
        SandboxPairing.objects.filter(run=run, used_at__isnull=True, ended_at__isnull=True).update(
            ended_at=now
        )
    run.state = step.state
    run.changed_at = now
    if step.state.get("completed") and run.completed_at is None:
        run.completed_at = now
    run.save(update_fields=["state", "changed_at", "completed_at"])
    return SandboxResult(learner, run, True)


def _event_fields(run: SandboxRun, event, state: dict) -> dict:
    return {
        "run": run,
        "kind": event.kind,
        "step": event.step,
        "error": event.error,
        "mode": state.get("mode", ""),
    }


def _run_of(learner: Learner, lesson: LessonPage, block_id: str) -> SandboxRun | None:
    return SandboxRun.objects.filter(learner=learner, lesson=lesson, block_id=block_id).first()


def sandbox_idle(run: SandboxRun) -> timedelta:
    return timezone.now() - run.changed_at


def merge_sandboxes(*, source: Learner, target: Learner) -> None:
    """Called by ``learner_merge``: events move; per sandbox the run changed last wins."""
    SandboxEvent.objects.filter(learner=source).update(learner=target)
    ours = {(run.lesson_id, run.block_id): run for run in SandboxRun.objects.filter(learner=target)}
    for theirs in SandboxRun.objects.filter(learner=source):
        mine = ours.get((theirs.lesson_id, theirs.block_id))
        if mine is None:
            theirs.learner = target
            theirs.save(update_fields=["learner"])
            continue
        if theirs.changed_at > mine.changed_at:
            mine.state, mine.changed_at = theirs.state, theirs.changed_at
        mine.completed_at = min(
            (when for when in (mine.completed_at, theirs.completed_at) if when), default=None
        )
        mine.save(update_fields=["state", "changed_at", "completed_at"])
        SandboxEvent.objects.filter(run=theirs).update(run=mine)
        theirs.delete()
