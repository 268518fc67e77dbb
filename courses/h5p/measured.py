"""What was measured per H5P content type, in Chromium (``make h5p-report``).

``courses/h5p/measured.json`` is written by the browser test ``tests/journeys/
test_h5p_real.py`` when it runs as the report: per content type (main library machine
name) whether packages of that type were accepted, render, which xAPI verbs an
interaction gave, whether they count for the lesson, whether they resume after a reload,
whether they fit a 320 px screen with extra-large text (zoomed, never cut off) and whether
they work with the keyboard alone. The admin and the upload check read it; nothing here
is a promise beyond that.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

COUNTING_VERBS = {"answered", "completed", "passed", "failed", "scored"}


@lru_cache(maxsize=4)
def _load(path: str, _mtime: float) -> dict:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def table() -> dict:
    path = Path(settings.H5P_MEASURED_FILE)
    try:
        mtime = path.stat().st_mtime
    except OSError:
        return {}
    return _load(str(path), mtime)


def row(content_type: str) -> dict | None:
    found = table().get(content_type)
    return found if isinstance(found, dict) else None


def is_measured(content_type: str) -> bool:
    found = row(content_type)
    return bool(found and found.get("accepted") and found.get("renders"))


def counts(found: dict) -> bool:
    """Its own (top-level) statements count for the lesson."""
    verbs = {verb for verb in found.get("verbs", []) if "(" not in verb}
    return bool(verbs & COUNTING_VERBS) or bool(found.get("counts"))


def status(content_type: str) -> str:
    """One line for a trainer: what this content type did when it was measured."""
    found = row(content_type)
    if not found:
        return _("niet gemeten")
    if not found.get("accepted"):
        return _("geweigerd")
    if not found.get("renders"):
        return _("speelt niet")
    parts = [_("speelt")]
    if counts(found):
        parts.append(_("telt mee voor de les"))
    else:
        parts.append(_("telt niet mee"))
    if found.get("resumes") == "ja":
        parts.append(_("gaat verder na herladen"))
    if found.get("small_screen") == "ja":
        parts.append(_("past op een smal scherm met grote tekst"))
    elif found.get("small_screen") == "nee":
        parts.append(_("past niet op een smal scherm met grote tekst"))
    if found.get("keyboard") == "ja":
        parts.append(_("werkt met het toetsenbord"))
    elif found.get("keyboard") == "nee":
        parts.append(_("werkt niet met het toetsenbord"))
    return ", ".join(parts)


# What a "renders" cell says beyond "yes", for types whose content is not only text.
RENDERS_NOTE = {
    "H5P.Agamotto": "yes (images on its canvas)",
    "H5P.Audio": "yes (the audio loads)",
}


def markdown(data: dict | None = None) -> str:
    """The table for docs/h5p.md."""
    data = table() if data is None else data
    lines = [
        "| content type | accepted | renders | statements seen | records the exercise's result "
        "| resumes after reload | 320 px, extra-large text | keyboard only |",
        "|---|---|---|---|---|---|---|---|",
    ]
    yes = {True: "yes", False: "no"}
    for name in sorted(data):
        found = data[name]
        verbs = ", ".join(found.get("verbs", [])) or "–"
        renders = yes[bool(found.get("renders"))]
        if found.get("renders") and (found.get("audio", "ok") == "ok"):
            renders = RENDERS_NOTE.get(name, renders)
        cells = [
            name,
            yes[bool(found.get("accepted"))],
            renders,
            verbs,
            yes[counts(found)],
            found.get("resumes", "–"),
            found.get("small_screen", "–"),
            found.get("keyboard", "–"),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)
