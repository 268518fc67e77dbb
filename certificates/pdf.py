"""Certificate and skills-overview PDFs, rendered by WeasyPrint from HTML templates.

Fonts come from the npm package @fontsource/atkinson-hyperlegible (OFL, made for readers
with low vision), installed by ``make``; nothing is fetched from the network. The QR code
is an SVG made by segno and embedded in the HTML.
"""

import hashlib
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote

import segno
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from certificates.badges import verification_url
from courses.vocabulary import DIGCOMP_AREAS, DIGCOMP_COMPETENCES, LEVEL_CHOICES, digcomp_area

FONT_DIR = settings.BASE_DIR / "node_modules" / "@fontsource" / "atkinson-hyperlegible" / "files"
# Bump when the certificate template changes, so cached PDFs are rendered again.
TEMPLATE_VERSION = "1"


class FontsMissing(RuntimeError):
    pass


def _font_only_fetcher():
    """A fetcher that loads our own font files and nothing else: no network, no other files."""
    from weasyprint.urls import URLFetcher

    class FontOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            path = Path(unquote(url.removeprefix("file://")))
            if url.startswith("file://") and path.resolve().is_relative_to(FONT_DIR.resolve()):
                return super().fetch(url, headers)
            raise ValueError(f"refused to fetch {url}")

    return FontOnlyFetcher(allowed_protocols=["file"])


def _font_context() -> dict:
    regular = FONT_DIR / "atkinson-hyperlegible-latin-400-normal.woff"
    bold = FONT_DIR / "atkinson-hyperlegible-latin-700-normal.woff"
    if not regular.exists() or not bold.exists():
        raise FontsMissing(f"{FONT_DIR} is missing: run `make install`")
    return {"font_regular": regular.as_uri(), "font_bold": bold.as_uri()}


def _render(template: str, context: dict) -> bytes:
    from weasyprint import HTML  # imported here: loading Pango takes time at start-up

    html = render_to_string(template, {**_font_context(), **context})
    return HTML(string=html, url_fetcher=_font_only_fetcher(), base_url=str(FONT_DIR)).write_pdf()


@lru_cache(maxsize=256)
def qr_svg(payload: str) -> str:
    return segno.make(payload, error="m", micro=False).svg_inline(scale=4, border=2)


def competence_rows(codes_list) -> list[dict]:
    return [
        {"code": code, "label": DIGCOMP_COMPETENCES[code], "area": digcomp_area(code)}
        for code in codes_list
        if code in DIGCOMP_COMPETENCES
    ]


def certificate_context(certificate) -> dict:
    payload = verification_url(certificate)
    return {
        "certificate": certificate,
        "competences": competence_rows(certificate.competences),
        "level_label": dict(LEVEL_CHOICES).get(certificate.level, certificate.level),
        "issuer": settings.ISSUER_NAME,
        "qr_payload": payload,
        "qr_svg": mark_safe(qr_svg(payload)),  # noqa: S308 - segno's own SVG output
    }


def certificate_pdf_render(certificate) -> bytes:
    return _render("certificates/certificate_pdf.html", certificate_context(certificate))


def certificate_pdf(certificate) -> bytes:
    """The PDF from the private "certificates" storage, rendered and stored on first request."""
    fingerprint = hashlib.sha256(
        "|".join(
            [TEMPLATE_VERSION, certificate.code, certificate.name_printed, settings.ISSUER_NAME]
        ).encode()
    ).hexdigest()[:16]
    name = f"{certificate.code}-{fingerprint}.pdf"
    storage = storages["certificates"]
    if storage.exists(name):
        with storage.open(name, "rb") as stored:
            return stored.read()
    pdf = certificate_pdf_render(certificate)
    storage.save(name, ContentFile(pdf))
    return pdf


def skills_overview_pdf(*, completed: list[dict], name: str = "") -> bytes:
    """``completed``: [{"title", "competences", "level", "completed_at"}], any order."""
    areas = {code: {"label": label, "competences": {}} for code, label in DIGCOMP_AREAS.items()}
    for module in completed:
        for row in competence_rows(module["competences"]):
            area = areas[row["code"].split(".")[0]]
            entry = area["competences"].setdefault(row["code"], {**row, "modules": []})
            entry["modules"].append(module)
    grouped = [
        {
            "code": code,
            "label": area["label"],
            "competences": sorted(area["competences"].values(), key=lambda c: c["code"]),
        }
        for code, area in areas.items()
        if area["competences"]
    ]
    return _render(
        "certificates/skills_pdf.html",
        {
            "areas": grouped,
            "modules": sorted(completed, key=lambda m: m["title"]),
            "name": name,
            "issuer": settings.ISSUER_NAME,
            "today": timezone.localdate(),
        },
    )
