"""H5P statements and resume state, posted by the lesson page (static/js/h5p-lesson.js).

Never called by the H5P frame itself: that document is sandboxed and has no access to the
learner's cookies or the CSRF token. The lesson page checks each message from the frame
and posts it here, CSRF-protected. Bad input gets a 400 with a Dutch message, never a 500.
"""

import json
import logging

from django.conf import settings
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from learning.middleware import get_learner, set_learner
from learning.selectors import learnable_lesson
from learning.services import h5p as services
from learning.services.progress import ResultConflict, UnknownExercise

logger = logging.getLogger(__name__)


class BadRequest(Exception):
    pass


def _refused(reason: str, status: int = 400):
    logger.warning("H5P request refused: %s", reason)
    message = _("Je antwoord kon niet bewaard worden. Laad de pagina opnieuw en probeer nog eens.")
    return JsonResponse({"error": message}, status=status)


def _payload(request, limit: int):
    try:
        length = int(request.headers.get("Content-Length") or 0)
    except ValueError:
        length = 0
    if length > limit:
        raise BadRequest("body too large")
    if request.content_type != "application/json":
        raise BadRequest("not JSON")
    try:
        payload = json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        raise BadRequest("invalid JSON") from error
    if not isinstance(payload, dict):
        raise BadRequest("not an object")
    lesson_id, block_id = payload.get("les"), payload.get("oefening")
    if isinstance(lesson_id, bool) or not isinstance(lesson_id, int):
        raise BadRequest("les is not a number")
    if not isinstance(block_id, str) or not 0 < len(block_id) <= 64:
        raise BadRequest("oefening is missing")
    lesson = learnable_lesson(lesson_id)
    if lesson is None:
        raise BadRequest("unknown lesson")
    return payload, lesson, block_id


def _learner_used(request, learner, result_learner):
    """A first statement or state made the learner: remember them, as a first answer does."""
    user = request.user if request.user.is_authenticated else None
    if learner is None:
        set_learner(request, result_learner, remember=user is None)


@require_POST
def statement_submit(request):
    learner = get_learner(request)
    user = request.user if request.user.is_authenticated else None
    try:
        payload, lesson, block_id = _payload(request, settings.H5P_MAX_STATEMENT_BYTES)
        statement = services.statement_parse(payload.get("statement"))
        result = services.xapi_statement_record(
            learner=learner, user=user, lesson=lesson, block_id=block_id, statement=statement
        )
    except (BadRequest, services.StatementRefused) as error:
        return _refused(str(error))
    except UnknownExercise:
        return _refused("no H5P activity with this id in the lesson")
    except ResultConflict:
        return _refused("statement id used by another learner or activity")
    _learner_used(request, learner, result.learner)
    return JsonResponse(
        {
            "stored": result.created,
            "passed": result.progress.exercise_passed(block_id),
            "lesson_completed": result.progress.is_completed,
        }
    )


@require_POST
def state_submit(request):
    learner = get_learner(request)
    user = request.user if request.user.is_authenticated else None
    try:
        payload, lesson, block_id = _payload(request, settings.H5P_MAX_STATE_BYTES + 1024)
        result_learner, _row = services.h5p_state_save(
            learner=learner, user=user, lesson=lesson, block_id=block_id, state=payload.get("state")
        )
    except (BadRequest, services.StatementRefused) as error:
        return _refused(str(error))
    except UnknownExercise:
        return _refused("no H5P activity with this id in the lesson")
    _learner_used(request, learner, result_learner)
    return JsonResponse({"saved": True})
