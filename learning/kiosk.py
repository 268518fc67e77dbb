"""Kiosk mode for shared computers at a Digipunt.

A digihelper switches a browser into kiosk mode (a signed cookie). On that browser a
learner's session ends when the browser closes and after KIOSK_IDLE_SECONDS without activity
(the page warns a minute before); the learner cookie lives only as long as the browser; a big
"Afmelden" button is always there. Nothing of one learner stays for the next.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core import signing
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from learning.display import DISPLAY_COOKIE
from learning.middleware import set_learner

KIOSK_COOKIE = "kiosk"
KIOSK_SALT = "learning.kiosk"
LAST_SEEN_KEY = "kiosk_last_seen"
# Requests that must not count as activity or end the session themselves: static files,
# the kiosk's own, and the sandbox status the computer asks every second while a QR code
# for the learner's smartphone is shown (no session write per second).
PASSIVE_PATHS = ("/static/", "/kiosk/", "/leren/oefenapp-stand/")


def is_kiosk(request) -> bool:
    try:
        return bool(request.get_signed_cookie(KIOSK_COOKIE, salt=KIOSK_SALT, default=None))
    except signing.BadSignature:
        return False


def kiosk_end(request) -> None:
    """Forget everyone on this browser: log out, drop the learner cookie and the session,
    and (on the way out, see KioskMiddleware) the language and display choices."""
    logout(request)  # flushes the session
    set_learner(request, None, remember=False)
    request._kiosk_ended = True


class KioskMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self._respond(request)
        if getattr(request, "_kiosk_ended", False):
            # The next person at this computer starts in Dutch with normal letters.
            for name in (settings.LANGUAGE_COOKIE_NAME, DISPLAY_COOKIE):
                response.delete_cookie(name, samesite="Lax")
        return response

    def _respond(self, request):
        request.kiosk = is_kiosk(request)
        if request.kiosk and not request.path.startswith(PASSIVE_PATHS):
            now = time.time()
            last_seen = request.session.get(LAST_SEEN_KEY)
            if last_seen is not None and now - last_seen > settings.KIOSK_IDLE_SECONDS:
                kiosk_end(request)
                messages.info(request, _("Je was een tijd niet actief. Je bent afgemeld."))
                return redirect("/")
            request.session[LAST_SEEN_KEY] = now
            # The session cookie dies with the browser on a shared computer.
            request.session.set_expiry(0)
        return self.get_response(request)
