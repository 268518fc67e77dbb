"""Content-Security-Policy for the learner-facing site.

Django 5.2 has no built-in CSP. Site pages use no inline script or style, so the policy
allows only our own origin. The Wagtail admin relies on inline scripts and keeps its own
defaults, so it is left out.
"""

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
