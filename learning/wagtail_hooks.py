from wagtail import hooks

from courses.models import LessonPage
from learning import services
from learning.middleware import get_learner


@hooks.register("before_serve_page")
def remember_step(page, request, serve_args, serve_kwargs):
    """Remember the step a known learner is on, so "Ga verder waar je was" can find it.

    Only learners who already answered something exist; a first visit writes nothing.
    """
    if not isinstance(page, LessonPage) or request.method != "GET":
        return None
    step = serve_kwargs.get("step")
    learner = get_learner(request)
    if learner is not None and step:
        progress = services.step_view_record(learner=learner, lesson=page, step=step)
        # The lesson template needs this row too: hand it over instead of querying again.
        request.__dict__.setdefault("_lesson_progress", {})[page.pk] = progress
    return None
