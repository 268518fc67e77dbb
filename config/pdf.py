"""PDF rendering shared by certificates and learning cards: WeasyPrint, open fonts, QR codes.

Fonts come from the npm package @fontsource/atkinson-hyperlegible (OFL, made for readers
with low vision), installed by ``make``; the fetcher refuses every other URL, so a PDF never
reaches the network or other files. QR codes are SVG made by segno.
"""

from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

FONT_DIR = settings.BASE_DIR / "node_modules" / "@fontsource" / "atkinson-hyperlegible" / "files"


class FontsMissing(RuntimeError):
    pass


def _font_only_fetcher():
    from weasyprint.urls import URLFetcher  # imported late: loading Pango takes time

    class FontOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            path = Path(unquote(url.removeprefix("file://")))
            if url.startswith("file://") and path.resolve().is_relative_to(FONT_DIR.resolve()):
                return super().fetch(url, headers)
            raise ValueError(f"refused to fetch {url}")

    return FontOnlyFetcher(allowed_protocols=["file"])


def font_context() -> dict:
    regular = FONT_DIR / "atkinson-hyperlegible-latin-400-normal.woff"
    bold = FONT_DIR / "atkinson-hyperlegible-latin-700-normal.woff"
    if not regular.exists() or not bold.exists():
        raise FontsMissing(f"{FONT_DIR} is missing: run `make install`")
    return {"font_regular": regular.as_uri(), "font_bold": bold.as_uri()}


def render_pdf(template: str, context: dict) -> bytes:
    from weasyprint import HTML

    html = render_to_string(template, {**font_context(), **context})
    return HTML(string=html, url_fetcher=_font_only_fetcher(), base_url=str(FONT_DIR)).write_pdf()


@lru_cache(maxsize=256)
def _qr_svg(payload: str) -> str:
    return segno.make(payload, error="m", micro=False).svg_inline(scale=4, border=2)


def qr_svg(payload: str):
    """An inline SVG QR code for ``payload``, safe to put in a template."""
    return mark_safe(_qr_svg(payload))  # noqa: S308 - segno's own SVG output
