"""Certificate, skills overview and learning card are tagged PDFs (PDF/UA-1): a screen
reader gets the title, the language, the reading order and the QR code's description."""

import re
import zlib

import pytest

from certificates import pdf, services
from learning.models import Learner
from learning.services import cards
from tests.answers import post_answer

pytestmark = pytest.mark.django_db


def pdf_objects(content: bytes) -> bytes:
    """Every object of the PDF as text, object streams unpacked.

    Each stream is cut by its own /Length: compressed bytes are random, and a stream that
    happens to end in a carriage return would be cut one byte short by a search for
    "endstream" (a certificate in a few hundred failed that way).
    """
    parts = [content]
    for match in re.finditer(rb"/Length (\d+)[^>]*>>\s*stream\r?\n", content):
        data = content[match.end() : match.end() + int(match.group(1))]
        try:
            parts.append(zlib.decompress(data))
        except zlib.error:
            continue
    return b"\n".join(parts)


def structure(content: bytes) -> dict:
    objects = pdf_objects(content)
    return {
        "tagged": b"/MarkInfo <</Marked true>>" in objects,
        "tree": b"/StructTreeRoot" in objects,
        "lang": re.search(rb"/Lang \(([^)]*)\)", objects),
        "roles": set(re.findall(rb"/Type /StructElem/S /(\w+)", objects)),
        "alt": [alt.decode("latin-1") for alt in re.findall(rb"/Alt \(([^)]*)\)", objects)],
        "ua": b"pdfuaid" in objects,
        "display_title": b"/DisplayDocTitle true" in objects,
    }


def assert_tagged(content: bytes) -> dict:
    found = structure(content)
    assert found["tagged"] and found["tree"] and found["ua"] and found["display_title"]
    assert found["lang"] and found["lang"].group(1) == b"nl-BE"
    assert {b"Document", b"H1", b"P"} <= found["roles"]
    return found


def test_the_certificate_is_tagged_and_its_qr_code_is_described(module, finished):
    certificate = services.certificate_issue(learner=finished, module=module, name_printed="Jan")
    found = assert_tagged(pdf.certificate_pdf_render(certificate))
    assert b"Figure" in found["roles"]
    assert any("QR-code" in alt and certificate.display_code in alt for alt in found["alt"])


def test_the_skills_overview_is_tagged(module, finished):
    services.certificate_issue(learner=finished, module=module, name_printed="Jan")
    completed = [{"title": module.title, "competences": module.competences, "level": 1}]
    assert_tagged(pdf.skills_overview_pdf(completed=completed, name="Jan"))


def test_the_learning_card_is_tagged_and_its_qr_code_is_described(client, lesson):
    post_answer(client, lesson, "0")  # this device now holds a learner
    _card, code = cards.learning_card_issue(learner=Learner.objects.get())
    response = client.post("/leerkaart/afdrukken/", {"code": code})
    assert response.status_code == 200, response.status_code
    found = assert_tagged(response.content)
    assert any("QR-code" in alt for alt in found["alt"])
