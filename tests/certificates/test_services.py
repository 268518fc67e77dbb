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


def test_revoke_keeps_first_date_and_author(module, finished):
    certificate = services.certificate_issue(learner=finished, module=module)
    trainer = UserFactory()
    revoked = services.certificate_revoke(
        certificate=certificate, by=trainer, reason="Fout uitgereikt"
    )
    first_date = revoked.revoked_at
    again = services.certificate_revoke(
        certificate=certificate, by=UserFactory(), reason="Nog eens"
    )
    assert again.revoked_at == first_date and again.revoked_by == trainer
    assert Certificate.objects.valid().count() == 0


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
