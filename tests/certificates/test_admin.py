"""Trainers and administrators revoke certificates in the admin; reviewers cannot."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from certificates import services
from certificates.models import Certificate
from courses.roles import REVIEWER, TRAINER
from learning.factories import UserFactory

pytestmark = pytest.mark.django_db
LISTING = "/admin/certificaten/"


@pytest.fixture
def certificate(module, finished):
    call_command("seed_demo", "--no-translations")  # the roles
    return services.certificate_issue(learner=finished, module=module, name_printed="Marie")


def staff(group_name):
    user = UserFactory()
    user.groups.add(Group.objects.get(name=group_name))
    return user


def test_trainer_lists_filters_and_revokes(client, certificate):
    client.force_login(staff(TRAINER))
    listing = client.get(LISTING)
    assert listing.status_code == 200
    assert certificate.display_code in listing.content.decode()
    assert client.get(LISTING, {"revoked_at__isnull": "true"}).status_code == 200

    edit_url = f"{LISTING}edit/{certificate.pk}/"
    empty = client.post(edit_url, {"revoked_reason": ""})
    assert empty.status_code == 200  # the form asks for a reason
    assert Certificate.objects.get().revoked_at is None

    response = client.post(edit_url, {"revoked_reason": "Per vergissing uitgereikt"})
    assert response.status_code == 302
    revoked = Certificate.objects.get()
    assert revoked.is_revoked and revoked.revoked_reason == "Per vergissing uitgereikt"
    page = client.get(f"/certificaten/controle/{revoked.display_code}/").content.decode()
    assert "Dit certificaat is ingetrokken" in page


def test_reviewer_may_not_revoke(client, certificate):
    client.force_login(staff(REVIEWER))
    assert client.get(LISTING).status_code in (302, 403)
    client.post(f"{LISTING}edit/{certificate.pk}/", {"revoked_reason": "Zomaar"})
    assert Certificate.objects.get().revoked_at is None


def test_nobody_adds_or_deletes_certificates_by_hand(client, certificate):
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    assert client.get(f"{LISTING}new/").status_code in (302, 403, 404)
    client.post(f"{LISTING}delete/{certificate.pk}/")
    assert Certificate.objects.filter(pk=certificate.pk).exists()
