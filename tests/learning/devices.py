"""What the stateful test and the crawler share: the demo world, and what a browser holds."""

from importlib import import_module
from types import SimpleNamespace

from django.conf import settings
from django.contrib.auth import SESSION_KEY, get_user_model
from django.core.management import call_command
from django.http import HttpRequest
from django.test import Client

import toolkit.ratelimit
from catalogue.factories import DigipuntFactory
from courses.models import LessonPage, ModulePage
from learning.factories import DigihelperFactory
from learning.middleware import COOKIE_SALT
from learning.models import Learner


def demo_world():
    """The four demo modules, one Digipunt with one digihelper, and a kiosk cookie.

    Seeding costs a few seconds: call this once per test, never once per example.
    """
    call_command("seed_demo", "--no-translations", verbosity=0)
    digipunt = DigipuntFactory(name="Digipunt bib Ieper")
    helper = DigihelperFactory(digipunt=digipunt)
    helper_browser = Client()
    helper_browser.force_login(helper.user)
    helper_browser.post("/helpers/kioskmodus/")
    modules = list(ModulePage.objects.learnable().order_by("path"))
    lessons = list(LessonPage.objects.learnable().order_by("path"))
    return SimpleNamespace(
        modules=modules,
        lessons=lessons,
        lessons_of={m.pk: [x for x in lessons if x.path.startswith(m.path)] for m in modules},
        digipunt=digipunt,
        helper=helper,
        helper_browser=helper_browser,
        kiosk_cookie=helper_browser.cookies["kiosk"].value,
    )


def freeze_rate_limit_windows(monkeypatch):
    """Rate limits count in fixed windows of wall-clock time; a window ending in the middle of
    an example would make the expected 429 unpredictable. Only the limiter's clock stops."""
    monkeypatch.setattr(toolkit.ratelimit, "time", SimpleNamespace(time=lambda: 3_000_000.0))


def held_learner(client) -> Learner | None:
    """The learner this browser holds, read the way ``learning.middleware.get_learner``
    reads it: the logged-in account's learner, or else the signed ``leerder`` cookie."""
    session_cookie = client.cookies.get(settings.SESSION_COOKIE_NAME)
    if session_cookie is not None and session_cookie.value:
        store = import_module(settings.SESSION_ENGINE).SessionStore(session_cookie.value)
        user_id = store.get(SESSION_KEY)
        if user_id and get_user_model().objects.filter(pk=user_id).exists():
            return Learner.objects.filter(user_id=user_id).first()
    cookie = client.cookies.get(settings.LEARNER_COOKIE_NAME)
    if cookie is None or not cookie.value:
        return None
    request = HttpRequest()  # read it exactly as a request would, signature and all
    request.COOKIES = {settings.LEARNER_COOKIE_NAME: cookie.value}
    public_id = request.get_signed_cookie(
        settings.LEARNER_COOKIE_NAME, default=None, salt=COOKIE_SALT
    )
    if public_id is None:
        return None
    return Learner.objects.filter(public_id=public_id, user__isnull=True).first()


def logged_in_user_id(client):
    session_cookie = client.cookies.get(settings.SESSION_COOKIE_NAME)
    if session_cookie is None or not session_cookie.value:
        return None
    store = import_module(settings.SESSION_ENGINE).SessionStore(session_cookie.value)
    user_id = store.get(SESSION_KEY)
    if user_id and get_user_model().objects.filter(pk=user_id).exists():
        return int(user_id)
    return None
