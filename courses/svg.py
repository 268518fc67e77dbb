"""SVG pictures without active content: what a trainer uploads and what the demo draws.

An SVG is XML that can carry scripts, event handlers and links to other sites. Shown in an
``<img>`` none of that runs, but the file is also reachable by its own address, where it
would. So a picture is refused unless it is plain drawing: no script, no foreignObject, no
event attributes, no reference outside the file, no DTD or entities.
"""

import re
import xml.etree.ElementTree as ET

from django.utils.translation import gettext as _

MAX_BYTES = 512 * 1024
SVG_NAMESPACE = "{http://www.w3.org/2000/svg}"
FORBIDDEN_ELEMENTS = {"script", "foreignobject", "iframe", "embed", "object", "audio", "video"}
HREF = re.compile(r"(^|})href$")
# Inside the file only ("#shape"); a picture that loads something else can track its viewer.
LOCAL_REFERENCE = re.compile(r"^#[\w.-]+$")
EXTERNAL_URL = re.compile(r"url\(\s*['\"]?(?!#)", re.IGNORECASE)


def _name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].lower()


def _points_outside(attribute: str, value: str) -> bool:
    if HREF.search(attribute):
        return not LOCAL_REFERENCE.match(value.strip())
    return bool(EXTERNAL_URL.search(value)) or "javascript:" in value.lower()


def svg_problems(data: bytes) -> list[str]:
    """Why this SVG cannot be used, in Dutch; an empty list when it is a plain drawing."""
    if len(data) > MAX_BYTES:
        return [_("Deze SVG is te groot. Een tekening van een scherm is kleiner dan 512 kB.")]
    head = data[:4096].lower()
    if b"<!doctype" in head or b"<!entity" in data.lower():
        return [_("Deze SVG heeft een DOCTYPE of ENTITY. Bewaar hem opnieuw als gewone SVG.")]
    try:
        root = ET.fromstring(data)  # noqa: S314 - no DTD or entities left (checked above)
    except ET.ParseError:
        return [_("Dit bestand is geen geldige SVG. Bewaar het opnieuw als SVG.")]
    if root.tag not in ("svg", f"{SVG_NAMESPACE}svg"):
        return [_("Dit bestand is geen SVG-tekening.")]
    outside = _("Deze SVG verwijst naar iets buiten het bestand. Teken alles in de SVG zelf.")
    problems = []
    for element in root.iter():
        name = _name(element.tag) if isinstance(element.tag, str) else ""
        if name in FORBIDDEN_ELEMENTS:
            problems.append(
                _("Deze SVG bevat '%(name)s'. Alleen een tekening mag.") % {"name": name}
            )
        for attribute, value in element.attrib.items():
            attribute_name = _name(attribute)
            if attribute_name.startswith("on"):
                problems.append(
                    _("Deze SVG bevat '%(name)s' (een script). Alleen een tekening mag.")
                    % {"name": attribute_name}
                )
            elif _points_outside(attribute, value):
                problems.append(outside)
        style = element.text or "" if name == "style" else ""
        if EXTERNAL_URL.search(style) or "@import" in style:
            problems.append(outside)
    return list(dict.fromkeys(problems))
