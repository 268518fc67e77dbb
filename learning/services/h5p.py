"""H5P activities in lessons: xAPI statements onto ``LessonProgress``, and resume state.

An H5P step is an exercise like the native ones (``H5PBlock.is_exercise``): a statement is
one more result, recorded through ``progress.exercise_result_record`` with the same rules
for idempotency, progress and completion. Statements are append-only and stored once per
statement id.
"""

from __future__ import annotations

import json
import math
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from courses.models import LessonPage
from learning.models import H5PUserData, Learner, LessonProgress, XapiStatement
from learning.services import privacy
from learning.services.progress import (
    ExerciseResult,
    UnknownExercise,
    exercise_result_record,
    learner_create,
)

VERB_ROOT = "http://adlnet.gov/expapi/verbs/"
# Verbs that say something about the learner's result; the player sends only these.
PROGRESS_VERBS = {"answered", "completed", "passed", "failed", "scored"}
SUB_CONTENT = "http://h5p.org/x-api/h5p-subContentId"
MAX_IRI = 2048
MAX_RESPONSE = 4096


class StatementRefused(Exception):
    """The statement is not one we store; the message says why, in Dutch."""


@dataclass(frozen=True)
class ParsedStatement:
    statement_id: uuid.UUID
    verb: str
    score: float | None
    success: bool | None
    completion: bool | None
    sub_content: bool
    data: dict


@dataclass
class StatementResult:
    learner: Learner
    statement: XapiStatement
    progress: LessonProgress
    created: bool


def _refuse(detail: str):
    raise StatementRefused(detail)


def _number(value) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def clamp(value: float) -> float:
    return min(1.0, max(0.0, value))


def _score(score) -> float | None:
    """The scaled score, from ``scaled`` or else from raw/min/max; clamped to 0..1."""
    if score is None:
        return None
    if not isinstance(score, dict):
        _refuse("result.score is not an object")
    numbers = {key: _number(score.get(key)) for key in ("scaled", "raw", "min", "max")}
    for key in numbers:
        if key in score and numbers[key] is None:
            _refuse(f"result.score.{key} is not a number")
    if numbers["scaled"] is not None:
        return clamp(numbers["scaled"])
    raw, low, high = numbers["raw"], numbers["min"] or 0.0, numbers["max"]
    if raw is None or high is None or high <= low:
        return None
    return clamp((raw - low) / (high - low))


def _optional_bool(container: dict, key: str) -> bool | None:
    value = container.get(key)
    if value is not None and not isinstance(value, bool):
        _refuse(f"result.{key} is not true or false")
    return value


def statement_parse(raw) -> ParsedStatement:
    """Check the shape of a statement from the player. Pure; raises ``StatementRefused``."""
    if not isinstance(raw, dict):
        _refuse("statement is not an object")
    try:
        statement_id = uuid.UUID(str(raw.get("id", "")))
    except ValueError:
        _refuse("id is not a UUID")
    verb = raw.get("verb")
    verb_id = verb.get("id") if isinstance(verb, dict) else None
    if not isinstance(verb_id, str) or not verb_id.startswith(VERB_ROOT):
        _refuse("verb.id is missing or unknown")
    verb_name = verb_id.removeprefix(VERB_ROOT)
    if verb_name not in PROGRESS_VERBS:
        _refuse("verb is not one we record")
    target = raw.get("object")
    object_id = target.get("id") if isinstance(target, dict) else None
    if not isinstance(object_id, str) or not 0 < len(object_id) <= MAX_IRI:
        _refuse("object.id is missing")
    result = raw.get("result", {})
    if not isinstance(result, dict):
        _refuse("result is not an object")
    score = _score(result.get("score"))
    success = _optional_bool(result, "success")
    completion = _optional_bool(result, "completion")
    response = result.get("response")
    if response is not None and (not isinstance(response, str) or len(response) > MAX_RESPONSE):
        _refuse("result.response is not a short text")
    context = raw.get("context", {})
    if not isinstance(context, dict):
        _refuse("context is not an object")
    definition = target.get("definition", {})
    extensions = definition.get("extensions", {}) if isinstance(definition, dict) else {}
    # A part of a bigger activity (a question inside Question Set or Single Choice Set)
    # carries H5P's sub-content id and a parent in its context; the set reports its own
    # (top-level) result, and only that one counts.
    activities = context.get("contextActivities", {})
    parent = activities.get("parent") if isinstance(activities, dict) else None
    sub_content = (isinstance(extensions, dict) and SUB_CONTENT in extensions) or bool(parent)

    clean_result = {
        key: result[key]
        for key in ("success", "completion", "response", "duration")
        if key in result
    }
    if score is not None:
        clean_result["score"] = {**result["score"], "scaled": score}
    data = {
        "id": str(statement_id),
        "verb": {"id": verb_id, "display": verb.get("display", {})},
        "object": target,
        "result": clean_result,
        "context": context,
    }
    return ParsedStatement(
        statement_id=statement_id,
        verb=verb_name,
        score=score,
        success=success,
        completion=completion,
        sub_content=sub_content,
        data=data,
    )


def actor_for(learner: Learner) -> dict:
    """A pseudonymous xAPI actor: the site and the learner's public id. Never an e-mail."""
    return {
        "objectType": "Agent",
        "account": {"homePage": settings.SITE_BASE_URL, "name": str(learner.public_id)},
    }


def _h5p_exercise(lesson: LessonPage, block_id: str):
    found = lesson.find_exercise(block_id)
    if found is None or not getattr(found[1].block, "is_h5p", False):
        raise UnknownExercise(block_id)
    number, child = found
    package = child.value.get("package")
    if package is None:
        raise UnknownExercise(block_id)
    return number, package


def _passed(parsed: ParsedStatement) -> bool | None:
    """True or False when the statement says how it went; None when it does not."""
    if parsed.verb == "passed":
        return True
    if parsed.verb == "failed":
        return False
    if parsed.success is not None:
        return parsed.success
    if parsed.score is not None:
        return parsed.score >= settings.H5P_PASS_SCORE
    if parsed.verb == "completed":
        return True  # completed, without a score: an activity with nothing to get wrong
    return None


@transaction.atomic
def xapi_statement_record(
    *,
    learner: Learner | None,
    user=None,
    lesson: LessonPage,
    block_id: str,
    statement: ParsedStatement,
) -> StatementResult:
    """Store one statement and update the lesson's progress like a native answer would.

    A statement id seen before from the same learner and activity returns the first result
    and changes nothing (``ResultConflict`` from another). Without a learner one is made
    (for ``user`` if given).
    """
    _number, package = _h5p_exercise(lesson, block_id)
    if learner is None:
        # Made first, so the stored statement names its actor; a refused statement rolls
        # this back with the rest of the transaction.
        learner = learner_create(user=user)
    now = timezone.now().isoformat()
    outcome = exercise_result_record(
        learner=learner,
        user=user,
        lesson=lesson,
        block_id=block_id,
        record_model=XapiStatement,
        record_key={"statement_id": statement.statement_id},
        record_fields={
            "package": package,
            "verb": statement.verb,
            "score": statement.score,
            "success": statement.success,
            "completion": statement.completion,
            "data": {
                **statement.data,
                "actor": actor_for(learner),
                "timestamp": now,
                "stored": now,
            },
        },
        result=ExerciseResult(
            passed=_passed(statement),
            is_answer=statement.verb == "answered",
            score=statement.score,
            # Parts of a bigger activity report too; only the activity itself counts.
            about_exercise=not statement.sub_content,
        ),
    )
    return StatementResult(
        learner=outcome.learner,
        statement=outcome.record,
        progress=outcome.progress,
        created=outcome.created,
    )


def state_check(state) -> str:
    if not isinstance(state, str):
        _refuse("state is not text")
    if len(state.encode()) > settings.H5P_MAX_STATE_BYTES:
        _refuse("state is too long")
    try:
        json.loads(state)
    except (json.JSONDecodeError, RecursionError):
        _refuse("state is not JSON")
    return state


@transaction.atomic
def h5p_state_save(
    *, learner: Learner | None, user=None, lesson: LessonPage, block_id: str, state: str
) -> tuple[Learner, H5PUserData]:
    """Remember where the learner is in an H5P activity (per learner and package)."""
    _number_, package = _h5p_exercise(lesson, block_id)
    state = state_check(state)
    if learner is None:
        learner = learner_create(user=user)
    row, _created = H5PUserData.objects.update_or_create(
        learner=learner, package=package, defaults={"state": state}
    )
    privacy.learner_activity_record(learner=learner)
    return learner, row


def merge_h5p(*, source: Learner, target: Learner) -> None:
    """Called by ``learner_merge``: statements move; per package the newest state wins."""
    XapiStatement.objects.filter(learner=source).update(learner=target)
    ours = {row.package_id: row for row in H5PUserData.objects.filter(learner=target)}
    for theirs in H5PUserData.objects.filter(learner=source):
        mine = ours.get(theirs.package_id)
        if mine is None:
            theirs.learner = target
            theirs.save(update_fields=["learner"])
        elif theirs.updated_at > mine.updated_at:
            # .update(): keep the source's time, so a later merge still compares fairly.
            H5PUserData.objects.filter(pk=mine.pk).update(
                state=theirs.state, updated_at=theirs.updated_at
            )
            theirs.delete()
        else:
            theirs.delete()
