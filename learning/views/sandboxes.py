"""Practice sandboxes (the Oefenbank): one address per sandbox, GET shows the learner's
screen, POST applies one form and redirects back (Post/Redirect/Get).

Every screen is a plain form, so the whole scenario works without JavaScript. What a
learner types may be their real data by mistake: POST values are hidden from Django's
error reports (``sensitive_post_parameters``) and never logged here; the guardrails in
``courses.sandboxes`` keep them out of what is stored. The page is never cached, so Back
shows the run as it is now, not an old form.
"""

import uuid

from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from courses.sandboxes import common
from courses.sandboxes.common import GUIDED
from learning import selectors
from learning.middleware import get_learner, set_learner
from learning.services import sandboxes as services
from learning.services.progress import ResultConflict, UnknownExercise

ANCHOR = "#oefenapp"


def sandbox_url(lesson, block_id: str) -> str:
    return reverse("learning:sandbox", args=[lesson.pk, block_id])


@sensitive_post_parameters()
@never_cache
@require_http_methods(["GET", "POST"])
def sandbox_screen(request, lesson_id: int, block_id: str):
    lesson = selectors.learnable_lesson(lesson_id)
    if lesson is None:
        raise Http404
    try:
        step_number, child = services.sandbox_find(lesson, block_id)
    except UnknownExercise as error:
        raise Http404 from error
    learner = get_learner(request)
    if request.method == "POST":
        return _submit(request, lesson, block_id, learner)
    run = selectors.sandbox_run(learner, lesson, block_id)
    scenario = child.block.scenario_module(child.value)
    context = {
        "lesson": lesson,
        "step_url": lesson.step_url(step_number),
        "sandbox": child,
        "run": run,
        "form_url": sandbox_url(lesson, block_id),
        "texts": scenario.TEXTS,
    }
    if run is not None:
        context.update(_screen(scenario, run, child))
    return render(request, "learning/sandbox.html", context)


def _submit(request, lesson, block_id, learner):
    try:
        event_id = uuid.UUID(request.POST.get("stap_id", ""))
    except ValueError:
        return HttpResponseBadRequest(
            render_to_string(
                "learning/bad_answer.html",
                {"message": _("Dit formulier konden we niet lezen. Laad de pagina opnieuw.")},
                request=request,
            )
        )
    user = request.user if request.user.is_authenticated else None
    try:
        result = services.sandbox_submit(
            learner=learner,
            user=user,
            lesson=lesson,
            block_id=block_id,
            event_id=event_id,
            action=request.POST.get("actie", ""),
            data=request.POST,
        )
    except ResultConflict:
        return HttpResponseBadRequest(
            render_to_string(
                "learning/bad_answer.html",
                {"message": _("Dit formulier konden we niet lezen. Laad de pagina opnieuw.")},
                request=request,
            )
        )
    if learner is None:
        set_learner(request, result.learner, remember=user is None)
    return redirect(sandbox_url(lesson, block_id) + ANCHOR)


def _codes_left_to_right(guide: dict, scenario) -> dict:
    """The hint with the scenario's practice codes in it isolated left to right."""
    if not guide:
        return guide
    return {**guide, "text": common.codes_left_to_right(guide["text"], scenario.CODES)}


def _screen(scenario, run, child) -> dict:
    """What the templates show for the run's state: the common parts here, the
    scenario's own from its ``screen_context``, with its practice codes left to right."""
    state = scenario.shown(run.state, services.sandbox_idle(run))
    errors = {name: scenario.message_for(kind) for name, kind in state["errors"].items()}
    own = {
        name: common.left_to_right(value)
        if isinstance(value, str) and value in scenario.CODES
        else value
        for name, value in scenario.screen_context(state).items()
    }
    return {
        **own,
        "state": state,
        "screen": state["screen"],
        "guided": state["mode"] == GUIDED,
        "guide": _codes_left_to_right(scenario.guide(state), scenario),
        "errors": errors,
        "notice": scenario.message_for(state["notice"]) if state["notice"] else "",
        "passes": child.block.passes(child.value, state),
        # Starting over from the first screen would change nothing, unless the scenario
        # keeps more than its screen (its own ``can_reset``).
        "can_reset": (
            scenario.can_reset(state)
            if hasattr(scenario, "can_reset")
            else state["screen"] != scenario.SCREENS[0]
        ),
        "screen_template": scenario.TEMPLATE,
        "screens": scenario,
    }
