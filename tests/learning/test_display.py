"""Text size and contrast per device, and the accessibility statement."""

import pytest

from learning.models import Learner

pytestmark = pytest.mark.django_db


def test_display_choice_lives_in_a_cookie_and_shapes_every_page(client, site_tree):
    response = client.post(
        "/weergave/", {"tekst": "extra-groot", "contrast": "hoog", "terug": "/modules/"}
    )
    assert response.status_code == 302 and response.url == "/modules/"
    cookie = response.cookies["weergave"]
    assert cookie.value == "extra-groot,hoog" and cookie["httponly"]
    page = client.get("/").content.decode()
    assert '<html lang="nl-BE" dir="ltr" class="tekst-extra-groot contrast-hoog">' in page
    assert not Learner.objects.exists()  # nothing stored about anyone


def test_bad_values_fall_back_to_normal_and_foreign_return_addresses_are_ignored(client, site_tree):
    response = client.post(
        "/weergave/", {"tekst": "<script>", "contrast": "x", "terug": "https://elders.example/"}
    )
    assert response.url == "/"
    assert response.cookies["weergave"].value == "normaal,normaal"
    client.cookies["weergave"] = "reuzegroot,paars"
    assert '<html lang="nl-BE" dir="ltr">' in client.get("/").content.decode()


def test_the_form_shows_the_current_choice(client, site_tree):
    client.cookies["weergave"] = "groot,normaal"
    page = client.get("/weergave/").content.decode()
    assert 'value="groot" checked' in page and 'value="normaal" checked' in page


def test_accessibility_statement(client, site_tree, settings):
    page = client.get("/toegankelijkheid/").content.decode()
    assert "gedeeltelijk conform" in page and "WCAG" in page and "Digipunt" in page
    settings.ACCESSIBILITY_CONTACT = "toegankelijkheid@digibank.example"
    assert "toegankelijkheid@digibank.example" in client.get("/toegankelijkheid/").content.decode()
