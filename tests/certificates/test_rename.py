"""A typo in the printed name: the learner corrects it, the old certificate is replaced."""

import pytest
from django.core.cache import cache
from django.core.files.storage import storages

from certificates import services
from certificates.models import Certificate
from learning.factories import LearnerFactory, UserFactory
from tests.certificates.conftest import complete
from tests.certificates.test_views import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    cache.clear()


@pytest.fixture
def with_account(module, lesson, second_lesson):
    user = UserFactory()
    learner = LearnerFactory(user=user)
    complete(learner, module)
    certificate = services.certificate_issue(
        learner=learner, module=module, name_printed="Jan Peetres"
    )
    return user, learner, certificate


def stored_files(code):
    return [name for name in storages["certificates"].listdir("")[1] if name.startswith(code)]


def test_rename_revokes_the_old_and_issues_a_new_one(
    module, with_account, django_capture_on_commit_callbacks
):
    _user, learner, old = with_account
    services.certificate_pdf_stored(certificate=old)
    assert stored_files(old.code)
    with django_capture_on_commit_callbacks(execute=True):
        new = services.certificate_rename(certificate=old, name_printed=" Jan  Peeters ")
    old.refresh_from_db()
    assert old.is_revoked and old.revoked_reason == "naam verbeterd"
    assert old.replaced_by == new and old.name_printed == "Jan Peetres"
    assert new.name_printed == "Jan Peeters" and new.code != old.code and not new.is_revoked
    assert (new.learner, new.module, new.module_title, new.competences, new.level) == (
        learner,
        module,
        old.module_title,
        old.competences,
        old.level,
    )
    assert new.outcomes == old.outcomes
    assert not stored_files(old.code)  # the old PDF shows the wrong name: it goes
    assert Certificate.objects.valid().get() == new
    # Asking for the module's certificate again gives the new one, not a third.
    assert services.certificate_issue(learner=learner, module=module) == new


def test_rename_keeps_the_snapshot_even_when_the_module_changed_or_went(module, with_account):
    _user, _learner, old = with_account
    module.title = "Een andere titel"
    module.save_revision().publish()
    module.delete()
    old.refresh_from_db()
    new = services.certificate_rename(certificate=old, name_printed="Jan Peeters")
    assert new.module is None and new.module_title == "Je eID"


def test_the_same_name_changes_nothing_and_a_revoked_certificate_cannot_be_renamed(
    with_account,
):
    _user, _learner, old = with_account
    assert services.certificate_rename(certificate=old, name_printed="Jan Peetres") == old
    assert Certificate.objects.count() == 1
    services.certificate_revoke(certificate=old, by=None, reason="Fout uitgereikt")
    with pytest.raises(services.CertificateRevoked):
        services.certificate_rename(certificate=old, name_printed="Jan Peeters")


def test_hidden_characters_are_refused_on_rename(with_account):
    _user, _learner, old = with_account
    with pytest.raises(services.InvalidName):
        services.certificate_rename(certificate=old, name_printed="Jan \u202esreteeP")
    assert not Certificate.objects.get().is_revoked


def test_learner_corrects_the_name_over_http(
    client, module, with_account, django_capture_on_commit_callbacks
):
    user, _learner, old = with_account
    client.force_login(user)
    page = client.get(f"/mijn/certificaten/module/{module.pk}/").content.decode()
    rename_url = f"/mijn/certificaten/{old.code}/naam/"
    assert rename_url in page
    assert rename_url in client.get("/mijn/certificaten/").content.decode()
    form = client.get(rename_url).content.decode()
    assert 'value="Jan Peetres"' in form
    refused = client.post(rename_url, {"name": "Jan \u202esreteeP"})
    assert refused.status_code == 200
    assert "Je naam mag geen verborgen tekens bevatten." in refused.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(rename_url, {"name": "Jan Peeters"}, follow=True)
    new = Certificate.objects.valid().get()
    assert new.name_printed == "Jan Peeters"
    assert "Je naam is verbeterd." in response.content.decode()
    assert client.get(f"/mijn/certificaten/{old.code}/certificaat.pdf").status_code == 404
    text = " ".join(
        pdf_text(client.get(f"/mijn/certificaten/{new.code}/certificaat.pdf").content).split()
    )
    assert "Jan Peeters heeft de module ‘Je eID’ afgerond." in text
    listing = client.get("/mijn/certificaten/").content.decode()
    assert new.display_code in listing and old.display_code not in listing

    old_check = client.get(f"/certificaten/controle/{old.display_code}/").content.decode()
    assert "Dit certificaat is vervangen" in old_check
    assert "Dit certificaat is echt" not in old_check
    assert new.display_code not in old_check  # the new name is not linked to the old one
    new_check = client.get(f"/certificaten/controle/{new.display_code}/").content.decode()
    assert "Dit certificaat is echt" in new_check


def test_nobody_else_can_rename(client, with_account):
    _user, _learner, old = with_account
    client.force_login(UserFactory())
    assert client.get(f"/mijn/certificaten/{old.code}/naam/").status_code == 404
    assert client.post(f"/mijn/certificaten/{old.code}/naam/", {"name": "X"}).status_code == 404
    assert not Certificate.objects.get().is_revoked
