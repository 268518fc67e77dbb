"""Error pages speak easy Dutch and never show a technical page."""

import pytest
from django.template.loader import render_to_string
from django.test import Client


def test_server_error_page_is_plain_and_dutch():
    html = render_to_string("500.html")
    assert '<html lang="nl-BE">' in html
    assert "Dat is onze fout, niet de jouwe." in html
    assert "{%" not in html


@pytest.mark.django_db
def test_expired_form_gets_a_dutch_explanation(lesson):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/mijn/aanmelden/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "De pagina stond te lang open" in response.content.decode()


@pytest.mark.django_db
def test_unknown_address_is_a_friendly_404(client, site_tree):
    response = client.get("/modules/bestaat-niet/")
    assert response.status_code == 404
    assert "Deze pagina bestaat niet" in response.content.decode()
