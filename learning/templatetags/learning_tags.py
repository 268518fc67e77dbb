"""How lesson and module templates (in ``courses``) learn about the learner's progress.

``courses`` never imports ``learning``; its templates load these tags instead.
"""

import uuid

from django import template
from django.utils.translation import gettext

from learning import selectors
from learning.middleware import get_learner

register = template.Library()


@register.simple_tag(takes_context=True)
def lesson_progress(context, lesson):
    request = context.get("request")
    if request is None:
        return None
    return selectors.lesson_progress_for_request(request, lesson)


# The first words of the feedback title (templates/learning/_feedback.html).
OPENERS = {True: "Goed zo!", False: "Dat is nog niet juist."}


def _words(text) -> str:
    return " ".join("".join(c if c.isalnum() else " " for c in str(text).casefold()).split())


def _repeats_opener(grade, passed: bool) -> bool:
    """Does the trainer's explanation start with the title's opening words? ("Goed zo! Dat
    is juist." above "Goed zo! Zo log je in." says it twice.)"""
    if not grade.feedback:
        return False
    first = _words(grade.feedback[0])
    dutch = OPENERS[passed]
    return any(
        opener and (first + " ").startswith(opener + " ")
        for opener in {_words(dutch), _words(gettext(dutch))}
    )


@register.simple_tag
def exercise_state(progress, exercise):
    """The learner's last answer to one exercise, graded again for its feedback."""
    state = (progress.exercises.get(exercise.id) if progress else None) or {}
    answer = state.get("answer") or []
    grade = None
    if answer:
        try:
            grade = exercise.block.grade(exercise.value, answer)
        except (IndexError, KeyError, TypeError, ValueError):
            # The trainer changed the exercise since this answer; show it fresh.
            answer = []
    last_passed = bool(grade and grade.passed)
    return {
        "answer": answer,
        "answered": grade is not None,
        "repeats_opener": bool(grade and _repeats_opener(grade, last_passed)),
        "passed": bool(state.get("passed")),
        "skipped": bool(state.get("skipped")),
        "last_passed": last_passed,
        "tries": int(state.get("tries", 0)),
        "feedback": grade.feedback if grade else [],
    }


@register.simple_tag(takes_context=True)
def theme_summaries(context, themes):
    """[(theme label, [ModuleSummary])] for [(theme label, [ModulePage])], in two queries."""
    modules = [module for _label, group in themes for module in group]
    summaries = iter(selectors.module_summaries(get_learner(context["request"]), modules))
    return [(label, [next(summaries) for _module in group]) for label, group in themes]


@register.simple_tag(takes_context=True)
def module_summary(context, module):
    return selectors.module_summary(get_learner(context["request"]), module)


@register.simple_tag(takes_context=True)
def continue_point(context):
    return selectors.continue_point(get_learner(context["request"]))


@register.simple_tag
def new_attempt_id():
    return str(uuid.uuid4())


@register.filter
def progress_of(progress_map, lesson):
    return progress_map.get(lesson.pk) if progress_map else None


def _steps_where(lesson, exercises, keep):
    numbers = sorted({number for block_id, (number, _ex) in exercises.items() if keep(block_id)})
    return [
        {"number": number, "title": lesson.step_title(number), "url": lesson.step_url(number)}
        for number in numbers
    ]


@register.simple_tag
def missing_exercise_steps(lesson, progress):
    """The steps whose exercise the learner must still do (pass, or skip where allowed), in
    lesson order: [{"number", "title", "url"}]."""
    return _steps_where(
        lesson,
        lesson.required_exercises,
        lambda block_id: progress is None or not progress.exercise_done(block_id),
    )


@register.simple_tag
def skipped_exercise_steps(lesson, progress):
    """The steps whose exercise the learner skipped and has not passed since."""
    if progress is None:
        return []
    return _steps_where(
        lesson,
        lesson.required_exercises,
        lambda block_id: (
            progress.exercise_skipped(block_id) and not progress.exercise_passed(block_id)
        ),
    )


@register.simple_tag
def optional_exercise_steps(lesson, progress):
    """The steps with an extra exercise (H5P content with nothing to pass) not done yet."""
    return _steps_where(
        lesson,
        lesson.optional_exercises,
        lambda block_id: progress is None or not progress.exercise_passed(block_id),
    )


@register.simple_tag
def lesson_can_finish(lesson, progress):
    """True when "Les afronden" leads to a finished lesson: then it is the main button."""
    if progress is not None and progress.is_completed:
        return True
    return all(
        progress is not None and progress.exercise_done(block_id)
        for block_id in lesson.required_exercises
    )


ANSWER_ERROR_KEY = "oefening-fout"


@register.simple_tag(takes_context=True)
def answer_error(context, lesson, exercise=None):
    """An incomplete answer sent without JavaScript: {"message", "answer"} or None.

    The answer view keeps it in the session for one view of the lesson: it is taken out on
    the first lesson page shown after it, and remembered on the request so the page title
    and the exercise both see it.
    """
    request = context.get("request")
    if request is None or not hasattr(request, "session"):
        return None
    if "_answer_error" not in request.__dict__:
        request._answer_error = request.session.pop(ANSWER_ERROR_KEY, None)
    error = request._answer_error
    if not error or error.get("lesson") != lesson.pk:
        return None
    if exercise is not None and error.get("exercise") != exercise.id:
        return None
    return error


@register.simple_tag
def step_url(lesson, number):
    return lesson.step_url(number)


@register.simple_tag(takes_context=True)
def h5p_resume_state(context, package):
    """This learner's resume state for an H5P package, or "" (no query without a learner)."""
    return selectors.h5p_state(get_learner(context["request"]), package) or ""


@register.simple_tag(takes_context=True)
def sandbox_status(context, lesson, exercise):
    """A sandbox step in a lesson: the address of its screens and the learner's run."""
    from django.urls import reverse

    request = context.get("request")
    learner = get_learner(request) if request is not None else None
    run = selectors.sandbox_run(learner, lesson, exercise.id)
    state = run.state if run else {}
    return {
        "url": reverse("learning:sandbox", args=[lesson.pk, exercise.id]),
        "started": run is not None,
        "completed": bool(state.get("completed")),
        "passes": bool(run) and exercise.block.passes(exercise.value, state),
        "texts": exercise.block.scenario_module(exercise.value).TEXTS,
    }
