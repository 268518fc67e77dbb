"""Certificate and skills-overview PDFs, rendered from HTML templates (see toolkit/pdf.py)."""

import hashlib

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from certificates.badges import verification_url
from courses.vocabulary import DIGCOMP_AREAS, DIGCOMP_COMPETENCES, digcomp_area
from toolkit.pdf import qr_image, render_pdf

# Bump when the certificate template changes, so cached PDFs are rendered again.
TEMPLATE_VERSION = "2"


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
        "issuer": settings.ISSUER_NAME,
        "qr_payload": payload,
        "qr_image": qr_image(
            payload,
            _("QR-code naar de controlepagina van dit certificaat: %(url)s") % {"url": payload},
        ),
    }


def certificate_pdf_render(certificate) -> bytes:
    # Always in Dutch, the language of service: the stored PDF is shared by every later
    # download, and must say the same as the Dutch check page whatever help language the
    # first downloader had chosen.
    with translation.override(settings.LANGUAGE_CODE):
        return render_pdf("certificates/certificate_pdf.html", certificate_context(certificate))


def stored_name(certificate) -> str:
    """The PDF's name in the private "certificates" storage: one per code and what it shows.

    A new printed name, issuer or template gives a new name, so a stale file is never served.
    Written by ``certificates.services.certificate_pdf_stored``.
    """
    fingerprint = hashlib.sha256(
        "|".join(
            [TEMPLATE_VERSION, certificate.code, certificate.name_printed, settings.ISSUER_NAME]
        ).encode()
    ).hexdigest()[:16]
    return f"{certificate.code}-{fingerprint}.pdf"


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
    return render_pdf(
        "certificates/skills_pdf.html",
        {
            "areas": grouped,
            "modules": sorted(completed, key=lambda m: m["title"]),
            "name": name,
            "issuer": settings.ISSUER_NAME,
            "today": timezone.localdate(),
        },
    )
