"""Trainers and administrators see, revoke and restore certificates in the admin.

A row leads to the certificate's detail page; revoking and restoring each ask for a reason
on a page that says what will happen, and only a POST changes anything. Reviewers and
partner editors get nowhere.
"""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client
from wagtail.models import ModelLogEntry

from catalogue.services import PARTNER_EDITOR
from certificates import badges, services
from certificates.models import Certificate
from courses.roles import ADMINISTRATOR, REVIEWER, TRAINER
from learning.factories import UserFactory
from learning.services import privacy

pytestmark = pytest.mark.django_db
LISTING = "/admin/certificaten/"
REVOCATIONS = "/certificaten/uitgever/ingetrokken.json"


@pytest.fixture
def certificate(module, finished):
    call_command("seed_demo", "--no-translations")  # the roles
    return services.certificate_issue(learner=finished, module=module, name_printed="Marie")


def staff(group_name, **fields):
    user = UserFactory(**fields)
    user.groups.add(Group.objects.get(name=group_name))
    return user


def detail_url(certificate):
    return f"{LISTING}inspect/{certificate.pk}/"


def revoke_url(certificate):
    return f"{LISTING}intrekken/{certificate.pk}/"


def restore_url(certificate):
    return f"{LISTING}opnieuw-geldig/{certificate.pk}/"


def check_page(client, certificate):
    return client.get(f"/certificaten/controle/{certificate.display_code}/").content.decode()


def revoked_ids(client):
    return [entry["id"] for entry in client.get(REVOCATIONS).json()["revokedCredentials"]]


def logged(certificate):
    return list(
        ModelLogEntry.objects.filter(
            object_id=str(certificate.pk), action__startswith="certificates."
        ).order_by("timestamp", "pk")
    )


def test_list_rows_lead_to_the_detail_page_and_the_action(client, certificate):
    client.force_login(staff(TRAINER))
    listing = client.get(LISTING)
    assert listing.status_code == 200
    html = listing.content.decode()
    assert certificate.display_code in html
    assert f'href="{detail_url(certificate)}"' in html
    assert f'href="{revoke_url(certificate)}"' in html
    assert client.get(LISTING, {"revoked_at__isnull": "true"}).status_code == 200


def test_detail_page_says_everything_staff_need(client, certificate):
    client.force_login(staff(ADMINISTRATOR))
    html = client.get(detail_url(certificate)).content.decode()
    for text in (
        "Marie",
        certificate.module_title,
        certificate.level_label,
        certificate.display_code,
        "Geldig",
        f'href="/certificaten/controle/{certificate.display_code}/"',
        f'href="{revoke_url(certificate)}"',
        "Dit certificaat werd nog nooit ingetrokken.",
    ):
        assert text in html, text
    assert restore_url(certificate) not in html


def test_revoke_asks_first_then_revokes_and_logs(client, certificate):
    trainer = staff(TRAINER, first_name="Tine", last_name="Trainer")
    client.force_login(trainer)

    confirm = client.get(revoke_url(certificate))
    html = confirm.content.decode()
    assert confirm.status_code == 200
    assert "Ja, trek dit certificaat in" in html
    assert "zegt de controlepagina dat het ingetrokken is" in html
    assert "lijst van ingetrokken badges" in html
    assert Certificate.objects.get().revoked_at is None and logged(certificate) == []

    response = client.post(revoke_url(certificate), {"reason": "Per vergissing uitgereikt"})
    assert response.status_code == 302 and response.url == detail_url(certificate)
    revoked = Certificate.objects.get()
    assert revoked.is_revoked and revoked.revoked_by == trainer
    assert revoked.revoked_reason == "Per vergissing uitgereikt"
    (entry,) = logged(certificate)
    assert (entry.action, entry.user, entry.data["reason"]) == (
        services.REVOKED,
        trainer,
        "Per vergissing uitgereikt",
    )

    assert "Dit certificaat is ingetrokken" in check_page(client, revoked)
    assert badges.credential_id(revoked) in revoked_ids(client)
    detail = client.get(detail_url(certificate)).content.decode()
    for text in (
        "Ingetrokken",
        "Per vergissing uitgereikt",
        "Tine Trainer",
        "Certificaat ingetrokken",
    ):
        assert text in detail, text
    assert f'href="{restore_url(certificate)}"' in detail


@pytest.mark.parametrize("reason", ["", "   \n  "])
def test_revoke_without_a_reason_says_so_and_writes_nothing(client, certificate, reason):
    client.force_login(staff(TRAINER))
    response = client.post(revoke_url(certificate), {"reason": reason})
    assert response.status_code == 200
    assert "Schrijf waarom. Zonder reden verandert er niets." in response.content.decode()
    assert Certificate.objects.get().revoked_at is None and logged(certificate) == []


def test_a_reason_too_long_is_refused_in_words(client, certificate):
    client.force_login(staff(TRAINER))
    response = client.post(revoke_url(certificate), {"reason": "x" * 301})
    assert "Die reden is te lang. Gebruik hoogstens 300 tekens." in response.content.decode()
    assert Certificate.objects.get().revoked_at is None


def test_revoking_a_revoked_certificate_changes_nothing(client, certificate):
    first = UserFactory()
    services.certificate_revoke(certificate=certificate, by=first, reason="Eerste reden")
    before = Certificate.objects.get()
    client.force_login(staff(TRAINER))

    page = client.get(revoke_url(certificate)).content.decode()
    assert "Dit certificaat is al ingetrokken. Er is niets veranderd." in page
    assert "Ja, trek dit certificaat in" not in page

    response = client.post(revoke_url(certificate), {"reason": "Nog eens"})
    assert response.status_code == 409
    assert "Dit certificaat is al ingetrokken." in response.content.decode()
    after = Certificate.objects.get()
    assert (after.revoked_at, after.revoked_by, after.revoked_reason) == (
        before.revoked_at,
        first,
        "Eerste reden",
    )
    assert len(logged(certificate)) == 1


def test_restore_asks_first_then_makes_it_valid_again(client, certificate):
    services.certificate_revoke(certificate=certificate, by=UserFactory(), reason="Fout")
    admin = staff(ADMINISTRATOR)
    client.force_login(admin)
    assert badges.credential_id(certificate) in revoked_ids(client)

    confirm = client.get(restore_url(certificate))
    html = confirm.content.decode()
    assert confirm.status_code == 200
    assert "Ja, maak dit certificaat opnieuw geldig" in html
    assert "zegt de controlepagina weer dat het geldig is" in html
    assert Certificate.objects.get().is_revoked and len(logged(certificate)) == 1

    empty = client.post(restore_url(certificate), {"reason": ""})
    assert "Schrijf waarom. Zonder reden verandert er niets." in empty.content.decode()
    assert Certificate.objects.get().is_revoked

    response = client.post(restore_url(certificate), {"reason": "Toch geslaagd"})
    assert response.status_code == 302 and response.url == detail_url(certificate)
    restored = Certificate.objects.get()
    assert not restored.is_revoked
    assert (restored.revoked_by, restored.revoked_reason) == (None, "")
    revoked, undone = logged(certificate)
    assert (undone.action, undone.user) == (services.RESTORED, admin)
    assert undone.data["reason"] == "Toch geslaagd" and undone.data["revoked_reason"] == "Fout"

    assert "Dit certificaat is echt" in check_page(client, restored)
    assert badges.credential_id(restored) not in revoked_ids(client)
    detail = client.get(detail_url(certificate)).content.decode()
    for text in ("Geldig", "Certificaat opnieuw geldig", "Toch geslaagd", "Fout"):
        assert text in detail, text
    # Downloadable again by its learner: the learner's own pages treat it as valid.
    assert not Certificate.objects.get().is_revoked


def test_restoring_a_valid_certificate_changes_nothing(client, certificate):
    client.force_login(staff(TRAINER))
    page = client.get(restore_url(certificate)).content.decode()
    assert "Dit certificaat is geldig. Er is niets veranderd." in page
    response = client.post(restore_url(certificate), {"reason": "Zomaar"})
    assert response.status_code == 409
    assert Certificate.objects.get().revoked_at is None and logged(certificate) == []


def test_a_replaced_or_withdrawn_certificate_is_not_restored(client, certificate, finished):
    client.force_login(staff(TRAINER))
    services.certificate_rename(certificate=certificate, name_printed="Marie Peeters")
    replaced = Certificate.objects.get(pk=certificate.pk)
    page = client.get(detail_url(replaced)).content.decode()
    assert "De leerder heeft de naam verbeterd." in page
    assert restore_url(replaced) not in page
    response = client.post(restore_url(replaced), {"reason": "Zomaar"})
    assert response.status_code == 409
    assert Certificate.objects.get(pk=replaced.pk).is_revoked

    privacy.learner_delete(learner=finished, by_learner=True)
    replacement = Certificate.objects.exclude(pk=replaced.pk).get()
    response = client.post(restore_url(replacement), {"reason": "Zomaar"})
    assert response.status_code == 409
    assert "Het account van de leerder is verwijderd." in response.content.decode()
    assert not Certificate.objects.valid().exists()


def test_the_old_edit_address_only_leads_to_the_detail_page(client, certificate):
    client.force_login(staff(TRAINER))
    old = f"{LISTING}edit/{certificate.pk}/"
    assert client.get(old).url == detail_url(certificate)
    assert client.post(old, {"revoked_reason": "Zomaar"}).status_code == 405
    assert Certificate.objects.get().revoked_at is None


def test_a_post_without_csrf_token_is_refused(certificate):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(staff(TRAINER))
    assert browser.post(revoke_url(certificate), {"reason": "Zomaar"}).status_code == 403
    assert Certificate.objects.get().revoked_at is None


@pytest.mark.parametrize("group_name", [REVIEWER, PARTNER_EDITOR])
def test_others_may_not_see_revoke_or_restore(client, certificate, group_name):
    client.force_login(staff(group_name))
    for url in (LISTING, detail_url(certificate), revoke_url(certificate)):
        assert client.get(url).status_code in (302, 403), url
    client.post(revoke_url(certificate), {"reason": "Zomaar"})
    assert Certificate.objects.get().revoked_at is None

    services.certificate_revoke(certificate=certificate, by=None, reason="Fout")
    assert client.get(restore_url(certificate)).status_code in (302, 403)
    client.post(restore_url(certificate), {"reason": "Zomaar"})
    assert Certificate.objects.get().is_revoked


def test_nobody_adds_or_deletes_certificates_by_hand(client, certificate):
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    assert client.get(f"{LISTING}new/").status_code in (302, 403, 404)
    client.post(f"{LISTING}new/", {})
    client.post(f"{LISTING}delete/{certificate.pk}/")
    assert list(Certificate.objects.all()) == [certificate]
