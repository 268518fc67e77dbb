"""Doors and headers: every log-in counts failures in one shared limiter, the admin is for
staff, partner editors see no site-wide reports, and no request body or header lets more
through than the platform needs."""

import itertools
import uuid

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from courses.roles import REVIEWER
from learning.factories import UserFactory
from learning.models import Attempt, Learner
from tests.catalogue import test_import_helpers as helpers
from tests.catalogue.test_import_helpers import partner_editor, staff
from toolkit import codes

pytestmark = pytest.mark.django_db
places = helpers.places  # the fixture
roles = helpers.roles  # the fixture


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def trainer(db):
    from django.contrib.auth.models import Permission

    user = UserFactory(username="trainer.ieper")
    user.set_password("goed-wachtwoord-2026")
    user.save()
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


def admin_login(client, username, password, address="10.0.0.1"):
    return client.post(
        "/admin/login/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_the_admin_login_refuses_a_learner_account(client):
    learner_user = UserFactory(username="marie.ieper")
    learner_user.set_password("kaartlezer-2026")
    learner_user.save()
    response = admin_login(client, "marie.ieper", "kaartlezer-2026")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_the_admin_login_lets_staff_in(client, trainer):
    response = admin_login(client, "trainer.ieper", "goed-wachtwoord-2026")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(trainer.pk)


def test_after_ten_wrong_passwords_even_the_right_one_waits(client, trainer):
    for attempt in range(10):
        admin_login(client, "trainer.ieper", f"fout-{attempt}", address=f"10.0.0.{attempt}")
    response = admin_login(client, "trainer.ieper", "goed-wachtwoord-2026", address="10.0.9.9")
    assert response.status_code == 200
    assert "Wacht een minuut" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_look_alike_letters_count_as_one_card_in_the_limit(client):
    assert len({codes.prefix(typed) for typed in ("K0Q1", "KOQ1", "k0qi", "K-O Q L")}) == 1
    spellings = itertools.cycle(["K0Q1", "KOQ1", "K0QI", "KOQL", "k0q1"])
    for number in range(10):
        wrong = next(spellings) + "-2WXD-9TP4-ABCD"
        client.post("/leerkaart/", {"code": wrong}, REMOTE_ADDR=f"10.1.0.{number}")
    response = client.post("/leerkaart/", {"code": "KOQI-2WXD-9TP4-ABCE"}, REMOTE_ADDR="10.1.1.1")
    assert response.status_code == 429


def test_partner_editors_see_no_site_history(client, places, roles):
    partner = partner_editor(places["library"], roles)
    client.force_login(partner)
    assert client.get("/admin/reports/site-history/").status_code in (302, 403)
    assert client.get("/admin/reports/site-history/?export=csv").status_code in (302, 403)
    assert "/admin/reports/site-history/" not in client.get("/admin/").content.decode()
    client.force_login(staff(REVIEWER, roles))
    assert client.get("/admin/reports/site-history/").status_code == 200


def test_every_page_switches_off_device_features(client, site_tree):
    policy = client.get("/")["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in policy


def test_only_the_h5p_player_files_allow_every_origin(client, site_tree):
    css = client.get("/static/css/site.css")
    assert css.status_code == 200
    assert "Access-Control-Allow-Origin" not in css
    player = client.get("/static/vendor/h5p-standalone/main.bundle.js")
    assert player.status_code == 200
    assert player["Access-Control-Allow-Origin"] == "*"


def test_a_large_multipart_body_to_the_answer_endpoint_is_refused(client, lesson):
    block_id = next(iter(lesson.exercises))
    response = client.post(
        "/leren/antwoord/",
        {
            "les": lesson.pk,
            "oefening": block_id,
            "poging": str(uuid.uuid4()),
            "antwoord": "0",
            "bijlage": SimpleUploadedFile("groot.bin", b"x" * 5 * 1024 * 1024),
        },
    )
    assert response.status_code == 413
    assert "Er is niets bewaard" in response.content.decode()
    assert not Attempt.objects.exists() and not Learner.objects.exists()


def test_ordinary_answers_still_fit(client, lesson):
    block_id = next(iter(lesson.exercises))
    response = client.post(
        "/leren/antwoord/",
        {"les": lesson.pk, "oefening": block_id, "poging": str(uuid.uuid4()), "antwoord": "0"},
    )
    assert response.status_code == 302


def test_only_the_editors_preview_may_be_framed_and_only_by_this_site(client, lesson):
    """Wagtail's live preview shows the page in a frame of the admin (issue 16)."""
    from django.contrib.auth import get_user_model

    public = client.get(lesson.url)
    assert "frame-ancestors 'none'" in public["Content-Security-Policy"]
    admin = get_user_model().objects.create_superuser("voorbeeld", password="x-geheim-12345")
    client.force_login(admin)
    draft = client.get(f"/admin/pages/{lesson.pk}/view_draft/")
    assert draft.status_code == 200
    policy = draft["Content-Security-Policy"]
    assert "frame-ancestors 'self'" in policy and "'none'" not in policy.split("object-src")[0]
    assert draft["X-Frame-Options"] == "SAMEORIGIN"
    # The same page, asked for as a learner again, still refuses every frame.
    client.logout()
    assert "frame-ancestors 'none'" in client.get(lesson.url)["Content-Security-Policy"]
