"""Site-wide middleware: the interface language, and the Content-Security-Policy.

Django 5.2 has no built-in CSP. Site pages use no inline script or style, so the policy
allows only our own origin. The Wagtail admin relies on inline scripts and keeps its own
defaults, so it is left out.
"""

from django.conf import settings
from django.shortcuts import render
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
# Wagtail's preview renders a page through the whole middleware chain under the page's own
# address (``make_preview_request``) and shows it in a frame of the admin: only that
# response may be framed, and only by this site.
PREVIEW_POLICY = SITE_POLICY.replace("frame-ancestors 'none'", "frame-ancestors 'self'")
EXEMPT_PREFIXES = ("/admin/", "/django-admin/")

# Nothing on the site uses these device features; switching them off means a script that
# got in (or an embedded H5P package) cannot ask for them either. The H5P player's own
# document gets the same policy: no content type this platform plays needs them.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "bluetooth",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(EXEMPT_PREFIXES):
            preview = getattr(request, "is_preview", False)
            response.headers.setdefault(
                "Content-Security-Policy", PREVIEW_POLICY if preview else SITE_POLICY
            )
            if preview:
                # Older browsers read only this header; it says the same as the policy.
                response.headers["X-Frame-Options"] = "SAMEORIGIN"
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


class PostSizeLimitMiddleware:
    """Refuse large request bodies outside the admin, multipart included.

    Django's DATA_UPLOAD_MAX_MEMORY_SIZE leaves out file parts, so a 5 MB multipart body to
    /leren/antwoord/ was read and accepted. Learners' forms send a few kilobytes; uploads
    (H5P packages, images, catalogue files) go through /admin/ only.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD", "OPTIONS") and not request.path.startswith(
            EXEMPT_PREFIXES
        ):
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            # A body without a length (chunked) could be any size: browsers always send one.
            chunked = "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower()
            if length > settings.PUBLIC_POST_MAX_BYTES or chunked:
                return _too_large(request)
        return self.get_response(request)


def _too_large(request):
    return render(request, "413.html", status=413)


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
