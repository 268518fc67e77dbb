"""The name printed on a certificate: real names pass, hidden characters never do."""

import pytest

from certificates import services
from certificates.forms import CertificateNameForm
from certificates.models import Certificate

pytestmark = pytest.mark.django_db

HIDDEN = "Je naam mag geen verborgen tekens bevatten. Typ je naam opnieuw."


@pytest.mark.parametrize(
    "name",
    [
        "Jan \u202esreteeP",  # right-to-left override: shows as "Jan Peeters"
        "Jan\u202a Peeters",
        "Jan\u2066 Peeters\u2069",
        "Jan\u200e Peeters",
        "Jan\u200f Peeters",
        "\u061cJan Peeters",
        "Jan\u200bPeeters",
        "Jan\u200cPeeters",
        "Jan\u200dPeeters",
        "Jan\u2060Peeters",
        "\ufeffJan Peeters",
        "Jan\ufdd0 Peeters",  # noncharacter
        "Jan Peeters\uffff",
        "Jan\x00Peeters",
        "Jan\x7fPeeters",
        "Jan\x9bPeeters",
        "Jan\ue000Peeters",  # private use
    ],
)
def test_hidden_characters_are_refused_with_a_clear_message(name):
    with pytest.raises(services.InvalidName):
        services.name_clean(name)
    form = CertificateNameForm({"name": name})
    assert not form.is_valid()
    assert form.errors["name"] == [HIDDEN]


@pytest.mark.parametrize(
    ("typed", "printed"),
    [
        ("Anaïs Van den Broucke", "Anaïs Van den Broucke"),
        ("Anai\u0308s", "Anaïs"),  # decomposed: stored composed (NFC)
        ("Seán O'Brien", "Seán O'Brien"),
        ("Seán O’Brien", "Seán O’Brien"),
        ("Marie-Louise Dewulf-Vandamme", "Marie-Louise Dewulf-Vandamme"),
        ("Jean-François D'Hondt", "Jean-François D'Hondt"),
        ("محمد العلي", "محمد العلي"),
        ("Олександра Шевченко", "Олександра Шевченко"),
        ("Małgorzata Żółkiewska-Łęcka", "Małgorzata Żółkiewska-Łęcka"),
        ("Nguyễn Thị Hương", "Nguyễn Thị Hương"),
        ("  Jan \t Peeters\n", "Jan Peeters"),
    ],
)
def test_real_names_are_accepted(typed, printed):
    assert services.name_clean(typed) == printed
    form = CertificateNameForm({"name": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["name"] == printed


def test_markup_keeps_its_own_message():
    form = CertificateNameForm({"name": "<b>Jan</b>"})
    assert form.errors["name"] == [
        "Gebruik alleen letters, cijfers en gewone leestekens in je naam."
    ]


def test_the_issue_page_refuses_a_reversed_name(client, module, lesson, second_lesson):
    from tests.certificates.test_views import finish_over_http

    finish_over_http(client, module)
    response = client.post(f"/mijn/certificaten/module/{module.pk}/", {"name": "Jan \u202esreteeP"})
    assert response.status_code == 200
    assert HIDDEN in response.content.decode()
    assert not Certificate.objects.exists()
