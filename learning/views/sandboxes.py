"""Practice sandboxes (the Oefenbank, Mijn Oefenprofiel): one address per sandbox, GET
shows the learner's screen, POST applies one form and redirects back (Post/Redirect/Get).
A practice document of a run (Mijn Oefenprofiel's certificate) has its own address,
``sandbox_download``.

Every screen is a plain form, so the whole scenario works without JavaScript. What a
learner types may be their real data by mistake: POST values are hidden from Django's
error reports (``sensitive_post_parameters``) and never logged here; the guardrails in
``courses.sandboxes`` keep them out of what is stored. The page is never cached, so Back
shows the run as it is now, not an old form.
"""

import contextlib
import ipaddress
import uuid
from urllib.parse import urlsplit

import segno
from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from courses.sandboxes import common
from courses.sandboxes.common import GUIDED
from learning import selectors
from learning.middleware import get_learner, set_learner
from learning.services import pairing as pairings
from learning.services import sandboxes as services
from learning.services.progress import ResultConflict, UnknownExercise
from toolkit.pdf import render_pdf

ANCHOR = "#oefenapp"
# Actions of the computer's forms around a second device (not the scenario's own): show a
# QR code for the learner's smartphone, or confirm on this computer after all.
PAIR, UNPAIR = "smartphone", "deze-computer"


def sandbox_url(lesson, block_id: str) -> str:
    return reverse("learning:sandbox", args=[lesson.pk, block_id])


def _sandbox_or_404(lesson_id: int, block_id: str):
    """(lesson, step number, bound SandboxBlock) of a learnable lesson's sandbox, or 404."""
    lesson = selectors.learnable_lesson(lesson_id)
    if lesson is None:
        raise Http404
    try:
        step_number, child = services.sandbox_find(lesson, block_id)
    except UnknownExercise as error:
        raise Http404 from error
    return lesson, step_number, child


@sensitive_post_parameters()
@never_cache
@require_http_methods(["GET", "POST"])
def sandbox_screen(request, lesson_id: int, block_id: str):
    lesson, step_number, child = _sandbox_or_404(lesson_id, block_id)
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
        context.update(_second_device(request, lesson, block_id, run))
    return render(request, "learning/sandbox.html", context)


def _second_device(request, lesson, block_id, run) -> dict:
    """The choice of a second device on a screen that offers one, and the QR code while a
    pairing is open (learning.services.pairing)."""
    if pairings.second_device(run) is None:
        return {}
    pairing = pairings.current(run)
    if pairing is None or not pairings.is_open(pairing):
        return {"second_device": True, "pairing_expired": pairing is not None}
    address = phone_address(request, pairings.token_of(pairing))
    return {
        "second_device": True,
        "pairing": {
            "qr": qr_svg(address),
            "address": address,
            "until": timezone.localtime(pairing.expires_at).strftime("%H:%M"),
            "status_url": reverse("learning:sandbox_status", args=[lesson.pk, block_id]),
            # The learner pressed "Ik heb bevestigd" while the phone had not confirmed yet.
            "not_yet": request.GET.get("nagekeken") == "1",
            "loopback": _is_loopback(address),
        },
    }


def _is_loopback(address: str) -> bool:
    host = urlsplit(address).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def phone_address(request, token: str) -> str:
    """The phone page's full address, as the computer reached this site. A computer that
    uses 127.0.0.1 or localhost gives an address a phone cannot open: then SITE_BASE_URL,
    if that is a real address (docs/operations.md: reach the server by its network name)."""
    path = reverse("learning:phone_confirm", args=[token])
    address = request.build_absolute_uri(path)
    if _is_loopback(address) and not _is_loopback(settings.SITE_BASE_URL):
        address = settings.SITE_BASE_URL + path
    return address


def qr_svg(address: str):
    """The address as an inline SVG QR code (segno), with a text alternative. Large modules
    and a wide quiet zone: an old phone camera reads it from a computer screen."""
    svg = segno.make(address, error="m", micro=False).svg_inline(
        scale=6, border=4, svgclass="pairing-qr-code", light="#fff", omitsize=True
    )
    label = escape(_("QR-code met het adres voor je smartphone"))
    return mark_safe(  # noqa: S308 - segno's own SVG, and an escaped label
        svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)
    )


@never_cache
@require_http_methods(["GET"])
def sandbox_status(request, lesson_id: int, block_id: str):
    """For the computer's script while a QR code is shown: "wacht" while the pairing is
    open and the run is still on its screen, else "klaar" (reload to see what changed).
    Only the learner's own run, by their cookie; says nothing else."""
    lesson = selectors.learnable_lesson(lesson_id)
    if lesson is None:
        raise Http404
    run = selectors.sandbox_run(get_learner(request), lesson, block_id)
    pairing = pairings.current(run)
    waiting = pairing is not None and pairings.is_open(pairing)
    return JsonResponse({"stand": "wacht" if waiting else "klaar"})


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
    action = request.POST.get("actie", "")
    if action in (PAIR, UNPAIR):
        return _pair(request, lesson, block_id, learner, action)
    user = request.user if request.user.is_authenticated else None
    try:
        result = services.sandbox_submit(
            learner=learner,
            user=user,
            lesson=lesson,
            block_id=block_id,
            event_id=event_id,
            action=action,
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


def _pair(request, lesson, block_id, learner, action):
    """ "Bevestig met je eigen smartphone" (a new QR code, replacing an older one) or
    "Bevestig op deze computer" (the QR code ends). A form for another screen, or a run
    on a screen without a second device, changes nothing."""
    run = selectors.sandbox_run(learner, lesson, block_id)
    if run is not None and request.POST.get("scherm") == run.state.get("screen"):
        if action == PAIR:
            with contextlib.suppress(pairings.PairingRefused):  # not on such a screen
                pairings.pairing_create(run)
        else:
            pairings.end_for_run(run)
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


@never_cache
@require_http_methods(["GET"])
def sandbox_download(request, lesson_id: int, block_id: str):
    """The practice document of a scenario that offers one (``download``, e.g. Mijn
    Oefenprofiel's certificate), as a PDF: only for the learner's own run while it is at
    that point, else 404. Always in Dutch like the real document; its practice mark also
    in the learner's help language."""
    lesson, _number, child = _sandbox_or_404(lesson_id, block_id)
    run = selectors.sandbox_run(get_learner(request), lesson, block_id)
    scenario = child.block.scenario_module(child.value)
    if run is None or not hasattr(scenario, "download"):
        raise Http404
    document = scenario.download(scenario.shown(run.state, services.sandbox_idle(run)))
    if document is None:
        raise Http404
    # The practice mark in the learner's help language, shown under the Dutch one.
    mark = _("OEFENDOCUMENT — geen echt attest")
    with translation.override(settings.LANGUAGE_CODE):
        dutch = _("OEFENDOCUMENT — geen echt attest")
        context = {
            **document["context"],
            "today": timezone.localdate(),
            "mark_own_language": mark if mark != dutch else "",
        }
        content = render_pdf(document["template"], context)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{document["filename"]}"'
    response["Cache-Control"] = "private, no-store"
    return response
