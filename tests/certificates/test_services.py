import threading

import pytest
from django.db import connection

from certificates import services
from certificates.models import Certificate
from learning.factories import LearnerFactory, UserFactory
from tests.certificates.conftest import complete

pytestmark = pytest.mark.django_db


def test_no_certificate_before_the_module_is_complete(module, lesson, second_lesson):
    learner = LearnerFactory()
    with pytest.raises(services.ModuleNotComplete):
        services.certificate_issue(learner=learner, module=module)
    assert not Certificate.objects.exists()


def test_issue_snapshots_the_module_and_issues_once(module, finished):
    first = services.certificate_issue(
        learner=finished, module=module, name_printed=" Marie  Peeters "
    )
    assert first.name_printed == "Marie Peeters"
    assert (first.module_title, first.competences, first.level) == (
        module.title,
        module.competences,
        module.level,
    )
    again = services.certificate_issue(
        learner=finished, module=module, name_printed="Iemand Anders"
    )
    assert again.pk == first.pk and again.name_printed == "Marie Peeters"
    module.title = "Nieuwe titel"
    module.save_revision().publish()
    first.refresh_from_db()
    assert first.module_title != "Nieuwe titel"


@pytest.mark.parametrize("name", ["<b>Marie</b>", "Marie {color:red}", "a" * 61, "Mar\x07ie"])
def test_markup_and_overlong_names_are_refused(module, finished, name):
    with pytest.raises(services.InvalidName):
        services.certificate_issue(learner=finished, module=module, name_printed=name)
    assert not Certificate.objects.exists()


def test_revoking_twice_keeps_the_first_revocation(module, finished):
    certificate = services.certificate_issue(learner=finished, module=module)
    trainer = UserFactory()
    revoked = services.certificate_revoke(
        certificate=certificate, by=trainer, reason="Fout uitgereikt"
    )
    with pytest.raises(services.CertificateRevoked):
        services.certificate_revoke(certificate=certificate, by=UserFactory(), reason="Nog eens")
    again = Certificate.objects.get()
    assert (again.revoked_at, again.revoked_by, again.revoked_reason) == (
        revoked.revoked_at,
        trainer,
        "Fout uitgereikt",
    )
    assert Certificate.objects.valid().count() == 0


@pytest.mark.parametrize("change", [services.certificate_revoke, services.certificate_restore])
def test_every_status_change_needs_a_reason(module, finished, change):
    certificate = services.certificate_issue(learner=finished, module=module)
    if change is services.certificate_restore:
        services.certificate_revoke(certificate=certificate, by=None, reason="Fout")
    before = Certificate.objects.values().get()
    with pytest.raises(ValueError):
        change(certificate=certificate, by=UserFactory(), reason="  \n ")
    assert Certificate.objects.values().get() == before


def test_restore_clears_the_revocation_and_logs_what_it_undid(module, finished):
    from wagtail.models import ModelLogEntry

    certificate = services.certificate_issue(learner=finished, module=module)
    trainer, admin = UserFactory(), UserFactory()
    revoked = services.certificate_revoke(certificate=certificate, by=trainer, reason="Fout")
    restored = services.certificate_restore(certificate=certificate, by=admin, reason="Toch goed")
    assert (restored.revoked_at, restored.revoked_by, restored.revoked_reason) == (None, None, "")
    entries = ModelLogEntry.objects.filter(object_id=str(certificate.pk)).order_by("pk")
    assert [(entry.action, entry.user) for entry in entries] == [
        (services.REVOKED, trainer),
        (services.RESTORED, admin),
    ]
    assert entries.last().data == {
        "reason": "Toch goed",
        "revoked_at": revoked.revoked_at.isoformat(),
        "revoked_by": trainer.pk,
        "revoked_reason": "Fout",
    }
    with pytest.raises(services.CertificateValid):
        services.certificate_restore(certificate=certificate, by=admin, reason="Nog eens")
    assert entries.count() == 2


def test_restore_keeps_one_valid_certificate_per_module(module, finished):
    """After a merge a learner can hold a revoked certificate and a valid one for the same
    module: the revoked one stays revoked."""
    from certificates import codes

    certificate = services.certificate_issue(learner=finished, module=module)
    services.certificate_revoke(certificate=certificate, by=None, reason="Fout")
    other = Certificate.objects.create(
        learner=finished,
        module=module,
        module_title=module.title,
        competences=[],
        level=1,
        code=codes.generate(),
    )
    with pytest.raises(services.NotRestorable) as refused:
        services.certificate_restore(certificate=certificate, by=None, reason="Toch goed")
    assert refused.value.reason == services.NotRestorable.OTHER_VALID
    assert list(Certificate.objects.valid()) == [other]


@pytest.mark.django_db(transaction=True)
def test_two_requests_at_once_make_one_certificate(site_tree):
    from courses.factories import LessonPageFactory, ModulePageFactory

    module = ModulePageFactory(parent=site_tree[1])
    LessonPageFactory(parent=module)
    learner = LearnerFactory()
    complete(learner, module)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def request():
        try:
            barrier.wait()
            results.append(services.certificate_issue(learner=learner, module=module).pk)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=request) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(set(results)) == 1
    assert Certificate.objects.count() == 1
