"""What a certificate says: one sentence, DigComp explained, the same on paper and online."""

import re

import pytest
from django.core.cache import cache

from certificates import pdf, services
from tests.certificates.test_views import pdf_text

pytestmark = pytest.mark.django_db

FRAMEWORK = "Europees kader voor digitale vaardigheden (DigComp 2.2)"


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    cache.clear()


def flat(text: str) -> str:
    """Text without tags and with single spaces, as a reader sees it."""
    return " ".join(re.sub(r"<[^>]+>", " ", text).replace("&#x27;", "'").split())


def both(client, certificate):
    on_paper = flat(pdf_text(pdf.certificate_pdf_render(certificate)))
    response = client.get(f"/certificaten/controle/{certificate.display_code}/")
    assert response.status_code == 200
    return on_paper, flat(response.content.decode())


def test_pdf_and_check_page_say_the_same_sentence_and_level(client, module, finished):
    module.level = 2
    module.competences = ["2.6", "5.1"]
    module.save_revision().publish()
    certificate = services.certificate_issue(
        learner=finished, module=module, name_printed="Maria Peeters"
    )
    sentence = "Maria Peeters heeft de module ‘Je eID’ afgerond."
    level = "Niveau 2: ik ken de basis"
    on_paper, online = both(client, certificate)
    for expected in (sentence, level, FRAMEWORK, "Je digitale identiteit beheren"):
        assert expected in on_paper, expected
        assert expected in online, expected
    assert "Technische problemen oplossen" in on_paper and "Technische problemen oplossen" in online
    assert "Dit certificaat is voor" not in on_paper


def test_without_a_name_the_sentence_still_reads_well(client, module, finished):
    certificate = services.certificate_issue(learner=finished, module=module)
    on_paper, online = both(client, certificate)
    sentence = "De module ‘Je eID’ is afgerond."
    assert sentence in on_paper and sentence in online
    assert "Niveau 1: ik begin" in on_paper and "Niveau 1: ik begin" in online


def test_the_learners_certificate_page_shows_the_sentence(client, module, lesson, second_lesson):
    from tests.certificates.test_views import finish_over_http

    finish_over_http(client, module)
    client.post(f"/mijn/certificaten/module/{module.pk}/", {"name": "Maria Peeters"})
    page = flat(client.get(f"/mijn/certificaten/module/{module.pk}/").content.decode())
    assert "Maria Peeters heeft de module ‘Je eID’ afgerond." in page
