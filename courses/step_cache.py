"""What a lesson step shows every learner alike, rendered once and kept in the shared cache.

A step's blocks are text, pictures, tips, instructions and exercises. Everything but an
exercise looks the same for every learner, and it is the costly part of a lesson page:
rich text, a query for each picture's rendition, and the glossary marking (BeautifulSoup).
``step_parts`` renders those blocks once and keeps their HTML; the exercises stay blocks,
rendered per learner by the template (answers, feedback, attempt ids).

The key holds what the HTML depends on: a digest of the step's own content (so a published
change shows at once, and ids that come back after a rollback or a restored backup never
find another page's text), the address (the glossary links lead back to it), the
interface language (block templates translate "Tip", "Let op"…) and a version that
changes when something a block shows lives outside the page: a glossary term, an image or
a document (``step_bodies_changed``). Previews render afresh.
"""

import hashlib
import json
from dataclasses import dataclass

from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from courses.glossary import glossary_for_request
from toolkit.versions import version_read, version_renew, versioned_get, versioned_set

VERSION_KEY = "courses:step-body:version"
# Keys change with every revision and version, so old entries are never read again; they
# only need to expire. A day keeps the steps learners open from being rendered again.
BODY_SECONDS = 60 * 60 * 24


@dataclass(frozen=True)
class Part:
    """One block of a step: ``html`` for what every learner sees alike, or ``exercise``
    (the bound block) for what the template renders per learner."""

    html: SafeString | None = None
    exercise: object = None


def step_bodies_changed(**_kwargs) -> None:
    """Signal receiver: a glossary term, an image or a document changed, so every step's
    cached HTML is old. A new version makes all of their keys new at once."""
    version_renew(VERSION_KEY)


def _key(request, page, number: int) -> str | None:
    if request is None or getattr(request, "is_preview", False):
        return None
    # The step as stored (block types, values, ids of pictures): about 30 µs to digest.
    raw = json.dumps(page.steps.raw_data[number - 1], sort_keys=True, default=str)
    digest = hashlib.blake2b(raw.encode(), digest_size=16).hexdigest()
    return ":".join(
        [
            "courses:step-body",
            version_read(VERSION_KEY),
            digest,
            translation.get_language() or "",
            # Only the address; the query string changes nothing a block shows.
            hashlib.blake2b(request.path.encode(), digest_size=8).hexdigest(),
        ]
    )


def _render(request, page, step, context) -> tuple[list, list[str]]:
    """The step's parts as (block position or None, HTML) and the glossary terms marked."""
    marker = glossary_for_request(request).marker(back=request.path)
    rendered = []
    for position, child in enumerate(step.value["body"]):
        if getattr(child.block, "is_exercise", False):
            rendered.append((position, None))
        else:
            rendered.append((None, str(marker.mark(child.render(context)))))
    return rendered, [term.slug for term in marker.marked]


def step_parts(request, page, number: int, step, context=None) -> list[Part]:
    """The blocks of step ``number`` in order, the shared ones from the cache."""
    key = _key(request, page, number)
    kept = versioned_get(key) if key else None
    if kept is None:
        kept = _render(request, page, step, context or {})
        if key:
            versioned_set(key, kept, BODY_SECONDS)
    else:
        _glossary_used(request, kept[1])
    body = step.value["body"]
    return [
        Part(exercise=body[position]) if html is None else Part(html=mark_safe(html))  # noqa: S308 - rendered by the block templates and the marker
        for position, html in kept[0]
    ]


def _glossary_used(request, slugs: list[str]) -> None:
    """Tell the request's glossary which terms the cached HTML marked: the page explains
    them (``{% glossary_popovers %}``) as if it had marked them itself."""
    if not slugs:
        return
    glossary = glossary_for_request(request)
    by_slug = {entry.slug: entry for entry in glossary.terms}
    for slug in slugs:
        if slug in by_slug:
            glossary.used.setdefault(slug, by_slug[slug])
