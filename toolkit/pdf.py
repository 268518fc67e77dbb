"""PDF rendering shared by certificates and learning cards: WeasyPrint, open fonts, QR codes.

Fonts come from the npm package @fontsource/atkinson-hyperlegible (OFL, made for readers
with low vision), installed by ``make``; the fetcher refuses every other URL, so a PDF never
reaches the network or other files. QR codes are SVG made by segno.
"""

import base64
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.html import format_html

FONT_DIR = settings.BASE_DIR / "node_modules" / "@fontsource" / "atkinson-hyperlegible" / "files"


class FontsMissing(RuntimeError):
    pass


def _font_only_fetcher():
    from weasyprint.urls import URLFetcher  # imported late: loading Pango takes time

    class FontOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("data:image/svg+xml;base64,"):
                return super().fetch(url, headers)  # a QR code made by ``qr_image``
            path = Path(unquote(url.removeprefix("file://")))
            if url.startswith("file://") and path.resolve().is_relative_to(FONT_DIR.resolve()):
                return super().fetch(url, headers)
            raise ValueError(f"refused to fetch {url}")

    return FontOnlyFetcher(allowed_protocols=["file", "data"])


def font_context() -> dict:
    regular = FONT_DIR / "atkinson-hyperlegible-latin-400-normal.woff"
    bold = FONT_DIR / "atkinson-hyperlegible-latin-700-normal.woff"
    if not regular.exists() or not bold.exists():
        raise FontsMissing(f"{FONT_DIR} is missing: run `make install`")
    return {"font_regular": regular.as_uri(), "font_bold": bold.as_uri()}


def render_pdf(template: str, context: dict) -> bytes:
    """A tagged PDF (PDF/UA-1): a structure tree of headings, paragraphs and tables, the
    document's language and title, and alternative text on images, so a screen reader
    reads the certificate or card in order. Templates need ``<html lang>``, a ``<title>``
    and an ``alt`` on every image (``qr_image``)."""
    from weasyprint import HTML

    html = render_to_string(template, {**font_context(), **context})
    document = HTML(string=html, url_fetcher=_font_only_fetcher(), base_url=str(FONT_DIR))
    return document.write_pdf(pdf_variant="pdf/ua-1")


@lru_cache(maxsize=256)
def _qr_svg(payload: str) -> str:
    return segno.make(payload, error="m", micro=False).svg_inline(scale=4, border=2)


def qr_image(payload: str, alt: str):
    """The QR code as an ``<img>`` with alternative text, for PDFs: an inline ``<svg>`` gets
    no alternative text in the PDF's structure tree, an image does."""
    data = base64.b64encode(_qr_svg(payload).encode()).decode()
    return format_html('<img class="qr" src="data:image/svg+xml;base64,{}" alt="{}">', data, alt)
