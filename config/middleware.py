"""Site-wide middleware: the interface language, and the Content-Security-Policy.

Django 5.2 has no built-in CSP. Site pages use no inline script or style, so the policy
allows only our own origin. The Wagtail admin relies on inline scripts and keeps its own
defaults, so it is left out.
"""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers

SITE_POLICY = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data:",
        "media-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
EXEMPT_PREFIXES = ("/admin/", "/django-admin/")


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(EXEMPT_PREFIXES):
            response.headers.setdefault("Content-Security-Policy", SITE_POLICY)
        return response


class CookieLanguageMiddleware:
    """Activate the interface language from the `taal` cookie, and from nothing else.

    Django's LocaleMiddleware would also follow the browser's Accept-Language. Here Dutch
    is the language of service: a learner sees another language only after choosing it
    on /taal/. The choice is never stored on the learner (privacy promise).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        code = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        # override() puts the thread's language back afterwards, so one request's choice
        # never leaks into the next piece of work on this thread.
        with translation.override(code):
            request.LANGUAGE_CODE = translation.get_language()
            response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response
