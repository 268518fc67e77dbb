"""The learner side of kiosk mode: the big "Afmelden" button, the idle end, "Ik ben er nog"."""

import time

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from learning.kiosk import LAST_SEEN_KEY, is_kiosk, kiosk_end


@require_POST
def kiosk_logout(request):
    kiosk_end(request)
    return redirect("learning:kiosk_done")


@require_GET
def kiosk_idle(request):
    """Where an idle page sends itself (meta refresh, no JavaScript needed). Only ends a
    session on a kiosk browser, so a stray link elsewhere does nothing."""
    if is_kiosk(request):
        kiosk_end(request)
    return redirect("learning:kiosk_done")


@require_GET
def kiosk_done(request):
    return render(request, "learning/kiosk_done.html")


@require_POST
def kiosk_still_here(request):
    if is_kiosk(request):
        request.session[LAST_SEEN_KEY] = time.time()
    return HttpResponse(status=204)
