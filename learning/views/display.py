"""Display settings (text size, contrast) per device, and the accessibility statement."""

from django.conf import settings
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from learning.display import CONTRASTS, DISPLAY_COOKIE, TEXT_SIZES, display_choice


@require_http_methods(["GET", "POST"])
def display_settings(request):
    back = request.POST.get("terug") or request.GET.get("terug") or "/"
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = "/"
    if request.method == "POST":
        size = request.POST.get("tekst")
        contrast = request.POST.get("contrast")
        size = size if size in TEXT_SIZES else "normaal"
        contrast = contrast if contrast in CONTRASTS else "normaal"
        response = redirect(back)
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


def accessibility_statement(request):
    return render(
        request,
        "learning/accessibility_statement.html",
        {"contact": settings.ACCESSIBILITY_CONTACT},
    )
