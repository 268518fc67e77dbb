"""Partners en Digipunten in the Wagtail admin: listings, filters and the Digipunt form."""

from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from catalogue.models import Digipunt, MobileVisit, Municipality, Organisation
from courses.roles import REVIEWER, TRAINER
from learning.factories import UserFactory

pytestmark = pytest.mark.django_db
LISTINGS = {
    "/admin/digipunten/": "Bibliotheek Ieper",
    "/admin/mobiele-dienst/": "Krombeke",
    "/admin/partners/": "Bibliotheek Alveringem",
    "/admin/gemeenten/": "Langemark-Poelkapelle",
}


@pytest.fixture
def seeded():
    call_command("seed_catalogue", stdout=StringIO())


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


def rows(response) -> str:
    """The listing table only: the filter drop-downs name every partner and municipality."""
    html = response.content.decode()
    start = html.index('<table class="listing')
    return html[start : html.index("</table>", start)]


def form_data(**overrides):
    data = {
        "organisation": Organisation.objects.get(name="Bibliotheek Wervik").pk,
        "name": "Digipunt Geluveld",
        "municipality": Municipality.objects.get(slug="zonnebeke").pk,
        "street": "Dorpsstraat 1",
        "postcode": "8980",
        "opening_hours": "dinsdag: 9 tot 12 uur",
        "services": ["wifi", "eid", "itsme"],
        "accessibility": "Toegankelijk met rolstoel",
        "phone": "",
    }
    data.update(overrides)
    return data


def test_superuser_opens_every_listing(admin_client, seeded):
    for url, expected in LISTINGS.items():
        response = admin_client.get(url)
        assert response.status_code == 200, url
        assert expected in rows(response), url
    menu = admin_client.get("/admin/").content.decode()
    assert "Partners en Digipunten" in menu


def test_listings_filter_and_search(admin_client, seeded):
    ieper = Municipality.objects.get(slug="ieper")
    html = rows(admin_client.get("/admin/digipunten/", {"municipality": ieper.pk}))
    assert "LDC Ieper" in html and "Bibliotheek Wervik" not in html
    html = rows(admin_client.get("/admin/digipunten/", {"cluster": "westkust"}))
    assert "LDC Veurne" in html and "LDC Ieper" not in html
    html = rows(admin_client.get("/admin/digipunten/", {"q": "Uitleenpunt"}))
    assert "Uitleenpunt Digibank Ieper" in html and "LDC Ieper" not in html
    day = MobileVisit.objects.order_by("date").first().date
    html = rows(
        admin_client.get(
            "/admin/mobiele-dienst/", {"date_from": day.isoformat(), "date_to": day.isoformat()}
        )
    )
    for village in set(MobileVisit.objects.values_list("village", flat=True)):
        expected = MobileVisit.objects.filter(date=day, village=village).exists()
        assert (village in html) == expected, village
    assert admin_client.get("/admin/mobiele-dienst/", {"cluster": "poperinge"}).status_code == 200
    assert admin_client.get("/admin/gemeenten/", {"cluster": "ieper"}).status_code == 200


def test_create_digipunt_with_services_as_checkboxes(admin_client, seeded):
    form = admin_client.get("/admin/digipunten/new/").content.decode()
    assert 'type="checkbox" name="services" value="taxonweb"' in form
    response = admin_client.post("/admin/digipunten/new/", form_data())
    assert response.status_code == 302, response.content.decode()[:2000]
    created = Digipunt.objects.get(name="Digipunt Geluveld")
    assert created.services == ["eid", "itsme", "wifi"]  # in the order of the choices
    assert not created.is_demo

    edit = admin_client.get(f"/admin/digipunten/edit/{created.pk}/").content.decode()
    assert (
        '<input type="checkbox" name="services" value="itsme" id="id_services_1" checked>' in edit
    )
    assert '<input type="checkbox" name="services" value="taxonweb" id="id_services_2">' in edit


def test_digipunt_form_errors_are_dutch(admin_client, seeded):
    response = admin_client.post(
        "/admin/digipunten/new/",
        form_data(name="", postcode="89", services=["eid", "teleportatie"]),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Vul dit in." in html
    assert "Een postcode heeft 4 cijfers" in html
    assert "Kies diensten uit de lijst." in html
    assert not Digipunt.objects.filter(street="Dorpsstraat 1").exists()

    duplicate = admin_client.post("/admin/digipunten/new/", form_data(name="Bibliotheek Wervik"))
    assert duplicate.status_code == 200
    assert "Digipunt met deze Partner en Naam bestaat al." in duplicate.content.decode()


def test_visit_must_end_after_it_starts(admin_client, seeded):
    response = admin_client.post(
        "/admin/mobiele-dienst/new/",
        {
            "organisation": Organisation.objects.get(name="Digibank Poperinge").pk,
            "municipality": Municipality.objects.get(slug="poperinge").pk,
            "village": "Watou",
            "place": "aan de kerk",
            "date": "2030-01-07",
            "start": "11:30",
            "end": "09:30",
        },
    )
    assert response.status_code == 200
    assert "Het einde moet na het begin liggen." in response.content.decode()


@pytest.mark.slow
def test_trainers_and_reviewers_keep_digipunten_up_to_date(client, seeded):
    call_command("seed_demo", stdout=StringIO())  # the roles, extended by catalogue's hook
    for role in (TRAINER, REVIEWER):
        user = UserFactory()
        user.groups.add(Group.objects.get(name=role))
        client.force_login(user)
        assert client.get("/admin/digipunten/").status_code == 200
        assert client.get("/admin/digipunten/new/").status_code == 200
        assert client.get("/admin/gemeenten/").status_code == 200  # may read
        assert client.get("/admin/gemeenten/new/").status_code in (302, 403)  # may not add
