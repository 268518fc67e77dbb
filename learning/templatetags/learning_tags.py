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
    return selectors.lesson_progress_for_request(request, lesson)


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


@register.simple_tag(takes_context=True)
def h5p_resume_state(context, package):
    """This learner's resume state for an H5P package, or "" (no query without a learner)."""
    return selectors.h5p_state(get_learner(context["request"]), package) or ""
