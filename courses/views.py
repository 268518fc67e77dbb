"""Learner pages of ``courses`` outside the page tree: the glossary."""

from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from courses.glossary import glossary_for_request


def safe_back(raw: str | None) -> str:
    """A local path to return to, or "" (never another site: no open redirect)."""
    if not raw or not raw.startswith("/") or len(raw) > 500:
        return ""
    # No allowed hosts: only a path on this site passes ("//elders.be" and "https://…" fail).
    return raw if url_has_allowed_host_and_scheme(raw, allowed_hosts=set()) else ""


def glossary(request):
    words = glossary_for_request(request)
    entries = [(entry, words.translation(entry)) for entry in words.terms]
    return render(
        request,
        "courses/glossary.html",
        {"entries": entries, "back": safe_back(request.GET.get("terug"))},
    )
