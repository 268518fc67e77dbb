"""Where to send someone back to after a form: a path on this site, never anything else.

``django.shortcuts.redirect(text)`` treats text that is not a URL as a view name and raises
``NoReverseMatch`` (a 500 for ``terug=nope``), and ``url_has_allowed_host_and_scheme`` alone
accepts such a word. A user-given address must start with one ``/``.
"""

from django.utils.http import url_has_allowed_host_and_scheme


def local_path(request, value: str | None, default: str = "/") -> str:
    value = (value or "").strip()
    if not value.startswith("/") or value.startswith("//") or "\\" in value:
        return default
    if not url_has_allowed_host_and_scheme(value, allowed_hosts={request.get_host()}):
        return default
    return value
