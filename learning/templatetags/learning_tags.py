"""How lesson and module templates (in ``courses``) learn about the learner's progress.

``courses`` never imports ``learning``; its templates load these tags instead.
"""

import uuid

from django import template

from learning import selectors
from learning.middleware import get_learner

register = template.Library()


@register.simple_tag(takes_context=True)
def lesson_progress(context, lesson):
    request = context.get("request")
    if request is None:
        return None
    cache = request.__dict__.setdefault("_lesson_progress", {})
    if lesson.pk not in cache:
        cache[lesson.pk] = selectors.lesson_progress(get_learner(request), lesson)
    return cache[lesson.pk]


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
    return {
        "answer": answer,
        "answered": grade is not None,
        "passed": bool(state.get("passed")),
        "last_passed": bool(grade and grade.passed),
        "tries": int(state.get("tries", 0)),
        "feedback": grade.feedback if grade else [],
    }


@register.simple_tag(takes_context=True)
def module_summaries(context, modules):
    return selectors.module_summaries(get_learner(context["request"]), modules)


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


@register.simple_tag
def missing_exercise_steps(lesson, progress):
    """Step numbers whose exercise the learner has not passed yet, in lesson order."""
    return sorted(
        {
            number
            for block_id, (number, _exercise) in lesson.exercises.items()
            if progress is None or not progress.exercise_passed(block_id)
        }
    )


@register.simple_tag
def step_url(lesson, number):
    return lesson.step_url(number)
