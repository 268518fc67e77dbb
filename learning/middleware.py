"""Resolve the current learner once per request, from the account or the signed cookie."""

from datetime import datetime

from django.conf import settings
from django.core import signing
from django.utils import timezone

from learning import notices
from learning.hot_path import learner_without_account
from learning.models import Learner

COOKIE_SALT = "learning.learner"
_UNSET = object()


def get_learner(request) -> Learner | None:
    """The learner behind this request, or None before the first answer.

    A signed-in user's learner comes from the account. Otherwise the cookie names a learner
    that has no account; a tampered or unknown cookie gives None, never someone else.
    """
    cached = getattr(request, "_learner", _UNSET)
    if cached is not _UNSET:
        return cached
    learner = None
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        learner = Learner.objects.filter(user=user).first()
    else:
        public_id = request.get_signed_cookie(
            settings.LEARNER_COOKIE_NAME, default=None, salt=COOKIE_SALT
        )
        if public_id:
            try:
                # Whether a card holds this progress comes along (the header's "Afmelden"
                # and /mijn/ need it), so it costs no query of its own.
                learner = learner_without_account(public_id)
            except (ValueError, signing.BadSignature):
                learner = None
    request._learner = learner
    return learner


def signed_in_with(request) -> str:
    """How the learner on this device signed in: "account", "card" or "" (not signed in:
    nobody yet, or progress held by this device's cookie alone)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return "account"
    learner = get_learner(request)
    if learner is None:
        return ""
    has_card = getattr(learner, "has_active_card", None)
    if has_card is None:  # a learner set during this request (just logged in with a card)
        has_card = learner.cards.filter(revoked_at__isnull=True).exists()
    return "card" if has_card else ""


def set_learner(request, learner: Learner | None, *, remember: bool) -> None:
    """Use ``learner`` for the rest of this request; ``remember`` writes the cookie."""
    request._learner = learner
    request._learner_cookie = "set" if remember else "forget"


def learner_cookie_written_before(request, moment: datetime) -> bool:
    """True if this browser's learner cookie is valid and was written before ``moment``.

    The cookie's signature carries the time it was written, in whole seconds; a cookie
    written in the same second as ``moment`` does not count as before it.
    """
    name, salt = settings.LEARNER_COOKIE_NAME, COOKIE_SALT
    if request.get_signed_cookie(name, default=None, salt=salt) is None:
        return False
    age = (timezone.now() - moment).total_seconds() + 1
    return request.get_signed_cookie(name, default=None, salt=salt, max_age=age) is None


class LearnerMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "GET" and not request.path.startswith(notices.SKIPPED_PATHS):
            learner = get_learner(request)
            if learner is not None and learner.helper_card_notice_at is not None:
                own_browser = learner_cookie_written_before(request, learner.helper_card_notice_at)
                notices.helper_card_notice(request, learner, own_browser=own_browser)
        response = self.get_response(request)
        action = getattr(request, "_learner_cookie", None)
        if action == "set" and request._learner is not None:
            # On a shared computer (kiosk mode) the cookie ends with the browser.
            kiosk = getattr(request, "kiosk", False)
            response.set_signed_cookie(
                settings.LEARNER_COOKIE_NAME,
                str(request._learner.public_id),
                salt=COOKIE_SALT,
                max_age=None if kiosk else settings.LEARNER_COOKIE_AGE,
                httponly=True,
                samesite="Lax",
                secure=settings.LEARNER_COOKIE_SECURE,
            )
        elif action == "forget":
            response.delete_cookie(settings.LEARNER_COOKIE_NAME, samesite="Lax")
        return response
