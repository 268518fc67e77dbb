"""oefen-itsme on the learner's own smartphone: the page behind the QR code of a sandbox's
confirm screen (learning.services.pairing).

The phone is not the learner's session: the token in the address is its only authority,
for one run, one screen and one action, once, for 10 minutes. The page shows only what the
real itsme would (the bank and the amount) and the practice code; never a name or
progress, and it logs nobody in. Because the token is in the address:

- ``Referrer-Policy: no-referrer``, so the address never leaves in a Referer header;
- no CSRF token: the form uses no cookie, the token in its address is what authorises it,
  and a cross-site form cannot know it. (With ``no-referrer`` browsers also send
  ``Origin: null`` with the form, which Django's CSRF check refuses.);
- never cached; the code typed is hidden from error reports (it may be a real code by
  mistake) and goes through the scenario's guardrails like the computer's own form;
- unknown tokens are counted per address, like wrong learning-card codes
  (``toolkit.ratelimit``): after too many, the page answers 429 for a while.
"""

import uuid

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from courses.sandboxes import scenario as scenario_of
from learning.services import pairing as pairings
from learning.services.progress import ResultConflict
from toolkit.ratelimit import client_address, failure_record, failures_blocked

TEMPLATE = "learning/sandbox_phone.html"
SCOPE = "pairing"


def _no_referrer(response: HttpResponse) -> HttpResponse:
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _page(request, context: dict, *, status: int = 200) -> HttpResponse:
    return _no_referrer(render(request, TEMPLATE, context, status=status))


def _refused(request, refusal: str) -> HttpResponse:
    if refusal == pairings.UNKNOWN:
        failure_record(request, SCOPE, client_address(request))
        return _no_referrer(HttpResponse(render_to_string("404.html", request=request), status=404))
    messages = {
        pairings.EXPIRED: _("Deze QR-code is verlopen. Maak op de computer een nieuwe."),
        pairings.USED: _("Deze QR-code is al gebruikt."),
    }
    return _page(request, {"closed": messages[refusal]}, status=410)


def _form_context(pairing, *, error: str = "") -> dict:
    run = pairing.run
    scenario = scenario_of(run.scenario)
    device = scenario.PAIRING[pairing.screen]
    return {
        "question": scenario.pairing_question(run.state),
        # Always left to right, also in an Arabic sentence (see views/sandboxes.py).
        "code": format_html('<bdi dir="ltr">{}</bdi>', device.code),
        "field": device.field,
        "error": scenario.message_for(error) if error else "",
    }


@sensitive_post_parameters()
@never_cache
@csrf_exempt
@require_http_methods(["GET", "POST"])
def phone_confirm(request, token: str):
    if failures_blocked(request, SCOPE, client_address(request)):
        return _page(
            request,
            {"closed": _("Je probeerde veel codes na elkaar. Wacht een minuut.")},
            status=429,
        )
    found = pairings.resolve(token)
    if request.method == "GET":
        if found.refusal:
            return _refused(request, found.refusal)
        return _page(request, _form_context(found.pairing))
    unreadable = _("Dit formulier konden we niet lezen. Laad de pagina opnieuw.")
    try:
        event_id = uuid.UUID(request.POST.get("stap_id", ""))
    except ValueError:
        return _page(request, {"closed": unreadable}, status=400)
    field = ""
    if found.pairing is not None:
        device = getattr(scenario_of(found.pairing.run.scenario), "PAIRING", {}).get(
            found.pairing.screen
        )
        field = device.field if device else ""
    try:
        result = pairings.confirm_by_token(
            token, event_id=event_id, value=request.POST.get(field, "") if field else ""
        )
    except ResultConflict:  # a form id that is another learner's: nothing was changed
        return _page(request, {"closed": unreadable}, status=400)
    if result.outcome == pairings.CONFIRMED:
        return _page(request, {"confirmed": True})
    if result.outcome == pairings.WRONG:
        return _page(request, _form_context(result.pairing, error=result.error))
    return _refused(request, result.refusal)
