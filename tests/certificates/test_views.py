"""The learner's certificate pages, PDFs, badge, and the public verification page."""

import re
import secrets
import subprocess
import uuid

import pytest
from django.core.cache import cache

from certificates import badges, codes, pdf, services
from certificates.models import Certificate
from learning.factories import UserFactory
from tests.answers import right_answer

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    cache.clear()


def pdf_text(content: bytes) -> str:
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    )
    return result.stdout.decode()


def finish_over_http(client, module):
    for lesson in module.lessons():
        for block_id, (_step, exercise) in lesson.exercises.items():
            client.post(
                "/leren/antwoord/",
                {
                    "les": lesson.pk,
                    "oefening": block_id,
                    "poging": str(uuid.uuid4()),
                    "antwoord": right_answer(exercise),
                },
            )


def test_learner_not_done_gets_a_message_not_a_certificate(client, module, lesson):
    url = f"/mijn/certificaten/module/{module.pk}/"
    page = client.get(url).content.decode()
    assert "Je bent nog niet klaar met deze module" in page
    assert client.post(url, {"name": "Marie"}).status_code == 200
    assert not Certificate.objects.exists()


def test_complete_module_download_certificate_pdf(client, module, lesson, second_lesson):
    finish_over_http(client, module)
    module_page = client.get(module.url).content.decode()
    assert "Proficiat! Je hebt de module afgerond." in module_page
    assert "Download je certificaat" in module_page

    response = client.post(f"/mijn/certificaten/module/{module.pk}/", {"name": "Marie Peeters"})
    certificate = Certificate.objects.get()
    assert response.status_code == 302
    assert response.url == f"/mijn/certificaten/{certificate.code}/certificaat.pdf"

    download = client.get(response.url)
    assert download["Content-Type"] == "application/pdf"
    text = pdf_text(download.content)
    for expected in (module.title, "Marie Peeters", certificate.display_code, "2.6", "Digibank"):
        assert expected in text, expected
    assert client.get(response.url).content == download.content  # served from storage

    listing = client.get("/mijn/certificaten/").content.decode()
    assert certificate.display_code in listing


def test_same_certificate_renders_the_same_text_and_qr_points_to_verification(module, finished):
    certificate = services.certificate_issue(learner=finished, module=module, name_printed="Jan")
    first, second = pdf.certificate_pdf_render(certificate), pdf.certificate_pdf_render(certificate)
    assert pdf_text(first) == pdf_text(second)
    context = pdf.certificate_context(certificate)
    assert context["qr_payload"] == badges.verification_url(certificate)
    assert context["qr_payload"].endswith(f"/certificaten/controle/{certificate.display_code}/")
    assert "data:image/svg+xml" in context["qr_image"] and "alt=" in context["qr_image"]
    info = subprocess.run(
        ["pdfinfo", "-"], input=first, capture_output=True, check=True
    ).stdout.decode()
    assert "Title:" in info and module.title in info
    assert re.search(r"^Pages:\s+1$", info, re.MULTILINE)


def test_someone_elses_certificate_is_not_found(client, module, finished):
    certificate = services.certificate_issue(learner=finished, module=module)
    for url in (
        f"/mijn/certificaten/{certificate.code}/certificaat.pdf",
        f"/mijn/certificaten/{certificate.code}/open-badge.jwt",
    ):
        assert client.get(url).status_code == 404


def test_verification_page_for_a_valid_certificate(client, module, finished):
    certificate = services.certificate_issue(learner=finished, module=module, name_printed="Marie")
    response = client.get(f"/certificaten/controle/{certificate.display_code}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Dit certificaat is echt" in html and module.title in html and "Marie" in html
    assert response["X-Robots-Tag"].startswith("noindex")
    assert '<meta name="robots" content="noindex' in html
    assert str(finished.public_id) not in html


def test_typed_code_is_forgiven_and_redirected(client, module, finished):
    certificate = services.certificate_issue(learner=finished, module=module)
    typed = certificate.display_code.lower().replace("-", " ").replace("0", "o")
    response = client.get("/certificaten/controle/", {"code": typed})
    assert response.status_code == 302
    assert response.url == f"/certificaten/controle/{certificate.display_code}/"


def test_revoked_certificate_says_withdrawn(client, module, finished):
    certificate = services.certificate_issue(learner=finished, module=module)
    services.certificate_revoke(certificate=certificate, by=UserFactory(), reason="Fout")
    html = client.get(f"/certificaten/controle/{certificate.display_code}/").content.decode()
    assert "Dit certificaat is ingetrokken" in html
    assert "Open Badge van dit certificaat is ook ingetrokken" in html
    assert "Fout" not in html


@pytest.mark.parametrize(
    "code", ["ONBEKEND", "x" * 300, "K7QM-2WXD-9TP4", "%C3%A9%C3%A9", "ññññ-ññññ-ññññ", "0" * 12]
)
def test_unknown_and_malformed_codes_get_the_same_friendly_404(client, site_tree, code):
    response = client.get(f"/certificaten/controle/{code}/")
    assert response.status_code == 404
    assert "Geen certificaat gevonden" in response.content.decode()


@pytest.mark.slow
def test_a_thousand_random_codes_never_give_a_500(client, settings, site_tree):
    settings.VERIFY_RATE_LIMIT_PER_MINUTE = 10_000
    alphabet = codes.ALPHABET + "-_ .~%éIiLlOoUu"
    for _ in range(1000):
        typed = "".join(secrets.choice(alphabet) for _ in range(secrets.randbelow(30) + 1))
        response = client.get("/certificaten/controle/", {"code": typed}, follow=True)
        assert response.status_code in (200, 404), typed


def test_verification_is_rate_limited_per_address(client, settings, site_tree):
    settings.VERIFY_RATE_LIMIT_PER_MINUTE = 3
    statuses = [client.get(f"/certificaten/controle/{n}/").status_code for n in range(4)]
    assert statuses == [404, 404, 404, 429]
    other = client.get("/certificaten/controle/1/", REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 404


def test_badge_download_verifies_with_the_published_key(client, module, lesson, second_lesson):
    finish_over_http(client, module)
    client.post(f"/mijn/certificaten/module/{module.pk}/", {"name": ""})
    certificate = Certificate.objects.get()
    token = client.get(f"/mijn/certificaten/{certificate.code}/open-badge.jwt").content.decode()
    payload = badges.credential_verify(token)
    assert "OpenBadgeCredential" in payload["type"]
    keys = client.get("/certificaten/uitgever/sleutels.json").json()
    assert {key["alg"] for key in keys["keys"]} == {"RS256", "EdDSA"}
    profile = client.get("/certificaten/uitgever/").json()
    assert "Profile" in profile["type"]


def test_skills_overview_groups_completed_modules(client, module, lesson, second_lesson):
    assert client.get("/mijn/certificaten/vaardigheden.pdf").status_code == 404
    finish_over_http(client, module)
    response = client.get("/mijn/certificaten/vaardigheden.pdf")
    text = pdf_text(response.content)
    assert "Mijn digitale vaardigheden" in text
    assert "Communiceren en samenwerken" in text and module.title in text
