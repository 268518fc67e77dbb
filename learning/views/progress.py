"""Thin views: parse the request, call a service or selector, render or redirect."""

import logging
import uuid

from django.contrib import messages
from django.contrib.auth import login, logout
from django.db import DatabaseError, InterfaceError
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from courses.blocks import IncompleteAnswer, InvalidAnswer
from courses.listing import learnable_modules
from learning import selectors, services
from learning.forms import AccountCreateForm, LoginForm
from learning.middleware import get_learner, set_learner
from learning.templatetags.learning_tags import ANSWER_ERROR_KEY, exercise_state
from toolkit.ratelimit import failure_record, failures_blocked
from toolkit.redirects import local_path

logger = logging.getLogger(__name__)


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _bad_answer(request, message):
    if _wants_json(request):
        return JsonResponse({"error": message}, status=400)
    return HttpResponseBadRequest(
        render_to_string("learning/bad_answer.html", {"message": message}, request=request)
    )


def _not_saved(request, step_url):
    """The database is locked or down: say honestly that the answer was NOT saved."""
    message = _("Je antwoord is niet bewaard. Dat is onze fout, niet de jouwe.")
    again = _("Probeer het over een minuut opnieuw.")
    if _wants_json(request):
        response = JsonResponse({"error": f"{message} {again}"}, status=503)
    else:
        # No base template, no request context: they could need the database too.
        response = HttpResponse(
            render_to_string(
                "learning/answer_not_saved.html",
                {"message": message, "again": again, "step_url": step_url},
            ),
            status=503,
        )
    response["Retry-After"] = "60"
    return response


@require_POST
def answer_submit(request):
    """An answer to an exercise, from a plain form or from JavaScript (same endpoint).

    Bad input is refused before anything is written: no learner is made, nothing recorded.
    When the database is locked or down nothing is recorded either, and the learner is told
    so (503), never a page that says their work was saved.
    """
    where = {"step_url": None}
    try:
        return _answer_submit(request, where)
    except (DatabaseError, InterfaceError):
        logger.exception("Answer not saved: the database did not answer")
        return _not_saved(request, where["step_url"])


def _answer_submit(request, where):
    broken = _("Dit antwoord konden we niet lezen. Ga terug naar de les en probeer opnieuw.")
    try:
        attempt_id = uuid.UUID(request.POST.get("poging", ""))
    except ValueError:
        return _bad_answer(request, broken)
    lesson = selectors.learnable_lesson(request.POST.get("les"))
    found = lesson.find_exercise(request.POST.get("oefening", "")) if lesson else None
    if found is None:
        return _bad_answer(request, broken)
    step_number, exercise = found
    step_url = lesson.step_url(step_number)
    where["step_url"] = step_url

    try:
        answer = exercise.block.parse_answer(exercise.value, request.POST)
    except InvalidAnswer:
        return _bad_answer(request, broken)
    except IncompleteAnswer as reason:
        message = str(reason.args[0])
        if _wants_json(request):
            return JsonResponse({"error": message}, status=422)
        # Shown at the exercise (and in the title) on the next view of the step, once, with
        # what was already chosen: never at the top of the page while the browser jumps down.
        request.session[ANSWER_ERROR_KEY] = {
            "lesson": lesson.pk,
            "exercise": exercise.id,
            "message": message,
            "answer": exercise.block.partial_answer(exercise.value, request.POST),
        }
        return redirect(f"{step_url}#oefening")

    learner = get_learner(request)
    user = request.user if request.user.is_authenticated else None
    try:
        result = services.attempt_record(
            learner=learner,
            user=user,
            lesson=lesson,
            block_id=exercise.id,
            answer=answer,
            attempt_id=attempt_id,
        )
    except services.ResultConflict:
        return _bad_answer(request, broken)
    if learner is None:
        set_learner(request, result.learner, remember=user is None)

    if not _wants_json(request):
        return redirect(f"{step_url}#oefening")
    state = exercise_state(result.progress, exercise)
    return JsonResponse(
        {
            "passed": result.grade.passed,
            "feedback_html": render_to_string(
                "learning/_feedback.html", {"state": state}, request=request
            ),
            "lesson_completed": result.progress.is_completed,
            "next_attempt_id": str(uuid.uuid4()),
        }
    )


@require_POST
def exercise_skip(request):
    """ "Sla deze oefening over": an H5P step that does not work on this device.

    A plain form, so it works exactly where the exercise does not: without JavaScript.
    Goes on to the next step (or the end of the lesson).
    """
    lesson = selectors.learnable_lesson(request.POST.get("les"))
    learner = get_learner(request)
    user = request.user if request.user.is_authenticated else None
    try:
        if lesson is None:
            raise services.UnknownExercise
        result_learner, _progress = services.exercise_skip(
            learner=learner, user=user, lesson=lesson, block_id=request.POST.get("oefening", "")
        )
    except services.UnknownExercise:
        return _bad_answer(
            request, _("Deze oefening kunnen we niet overslaan. Ga terug naar de les.")
        )
    except (DatabaseError, InterfaceError):
        logger.exception("Skip not saved: the database did not answer")
        return _not_saved(request, lesson.url)
    if learner is None:
        set_learner(request, result_learner, remember=user is None)
    number, _exercise = lesson.find_exercise(request.POST["oefening"])
    if number < lesson.step_count:
        return redirect(lesson.step_url(number + 1))
    return redirect(lesson.finish_url())


def my_learning(request):
    learner = get_learner(request)
    summaries = selectors.module_summaries(learner, learnable_modules())
    started = [summary for summary in summaries if summary.started]
    return render(
        request,
        "learning/my_learning.html",
        {
            "started": started,
            # What this learner practises: the next steps offered on this page follow it.
            "next_competences": sorted(
                {code for summary in started for code in summary.module.competences}
            ),
            "continue_point": selectors.continue_point(learner),
            "has_learner": learner is not None,
            "learner": learner,
            "suggested": selectors.suggested_module(learner),
        },
    )


@require_http_methods(["GET", "POST"])
def account_create(request):
    if request.user.is_authenticated:
        return redirect("learning:my_learning")
    form = AccountCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user, learner = services.account_create(
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password"],
            anonymous=get_learner(request),
        )
        login(request, user)
        set_learner(request, learner, remember=False)
        messages.success(request, _("Je account is klaar. Je voortgang is bewaard."))
        return redirect("learning:my_learning")
    return render(request, "learning/account_create.html", {"form": form})


@require_http_methods(["GET", "POST"])
def login_view(request):
    if request.user.is_authenticated:
        return redirect("learning:my_learning")
    form = LoginForm(request, data=request.POST or None)
    status, blocked = 200, False
    username = request.POST.get("username", "")[:150]
    if request.method == "POST" and failures_blocked(request, "login", username.lower()):
        # Same rule as learning cards: wrong guesses per address and per account.
        form, status, blocked = LoginForm(request), 429, True
    elif request.method == "POST" and form.is_valid():
        anonymous = get_learner(request)
        user = form.get_user()
        learner = services.learner_claim(user=user, anonymous=anonymous)
        login(request, user)
        set_learner(request, learner, remember=False)
        messages.success(request, _("Je bent aangemeld. Welkom terug!"))
        next_url = request.POST.get("next") or request.GET.get("next", "")
        return HttpResponseRedirect(
            local_path(request, next_url, default=reverse("learning:my_learning"))
        )
    elif request.method == "POST":
        failure_record(request, "login", username.lower())
    return render(
        request,
        "learning/login.html",
        {"form": form, "next": request.GET.get("next", ""), "blocked": blocked},
        status=status,
    )


@require_POST
def logout_view(request):
    """Log out and forget this device: on a shared computer nothing stays behind."""
    logout(request)
    set_learner(request, None, remember=False)
    messages.success(request, _("Je bent afgemeld. Deze computer onthoudt niets meer van jou."))
    return redirect("/")


@require_POST
def forget_device(request):
    """An anonymous learner on a shared computer: stop and leave no trace on this device."""
    set_learner(request, None, remember=False)
    messages.success(request, _("Deze computer onthoudt je voortgang niet meer."))
    return redirect("/")
