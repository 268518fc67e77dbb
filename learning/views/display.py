"""Display settings (text size, contrast), help language, and the accessibility statement.

All three are choices of this device, kept in cookies; none is stored on the learner.
"""

from django.conf import settings
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import get_language_info
from django.views.decorators.http import require_http_methods

from learning.display import CONTRASTS, DISPLAY_COOKIE, TEXT_SIZES, display_choice
from toolkit.redirects import local_path

# "Choose your language" in each language itself, shown on /taal/ whatever the interface
# language: someone who reads no Dutch must be able to use the page. Data, not gettext:
# every line is always shown in its own language.
LANGUAGE_PROMPTS = {
    "nl-be": "Kies je taal.",
    "fr": "Choisissez votre langue.",
    "en": "Choose your language.",
    "pl": "Wybierz swój język.",
    "uk": "Виберіть свою мову.",
    "ar": "اختر لغتك.",
}


def _back(request) -> str:
    return local_path(request, request.POST.get("terug") or request.GET.get("terug"))


@require_http_methods(["GET", "POST"])
def display_settings(request):
    back = _back(request)
    if request.method == "POST":
        size = request.POST.get("tekst")
        contrast = request.POST.get("contrast")
        size = size if size in TEXT_SIZES else "normaal"
        contrast = contrast if contrast in CONTRASTS else "normaal"
        response = HttpResponseRedirect(back)
        response.set_cookie(
            DISPLAY_COOKIE,
            f"{size},{contrast}",
            # On a shared computer the next person should not inherit big text by surprise.
            max_age=None if getattr(request, "kiosk", False) else 60 * 60 * 24 * 365,
            samesite="Lax",
            secure=settings.LEARNER_COOKIE_SECURE,
            httponly=True,
        )
        return response
    size, contrast = display_choice(request)
    return render(
        request,
        "learning/display_settings.html",
        {"size": size, "contrast": contrast, "back": back},
    )


@require_http_methods(["GET", "POST"])
def language_settings(request):
    back = _back(request)
    languages = [
        {
            "code": code,
            # The html lang attribute spells the region in capitals (nl-BE).
            "tag": "nl-BE" if code == "nl-be" else code,
            "name": name,
            "prompt": LANGUAGE_PROMPTS.get(code, ""),
            "bidi": get_language_info(code)["bidi"],
        }
        for code, name in settings.LANGUAGES
    ]
    if request.method == "POST":
        chosen = request.POST.get("taal")
        if chosen not in dict(settings.LANGUAGES):
            return render(
                request,
                "learning/language_settings.html",
                {"languages": languages, "back": back, "error": True},
                status=400,
            )
        response = HttpResponseRedirect(back)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            chosen,
            # On a shared computer the next person should start in Dutch again.
            max_age=None if getattr(request, "kiosk", False) else settings.LANGUAGE_COOKIE_AGE,
            samesite="Lax",
            secure=settings.LEARNER_COOKIE_SECURE,
            httponly=True,
        )
        return response
    return render(
        request, "learning/language_settings.html", {"languages": languages, "back": back}
    )


def accessibility_statement(request):
    return render(
        request,
        "learning/accessibility_statement.html",
        {"contact": settings.ACCESSIBILITY_CONTACT},
    )
