"""Deleting a lesson or a module keeps the learners' progress, answers and certificates.

The rows lose their page (``SET_NULL``) and keep the lesson's title; pages that list
progress must keep working, and the editor is told on the delete page what will happen.
"""

import json

import pytest
from django.contrib.auth import get_user_model

from certificates import services as certificate_services
from certificates.models import Certificate
from courses.models import LessonPage
from learning import services
from learning.factories import LearnerFactory, UserFactory
from learning.models import Attempt, LessonProgress
from tests.certificates.conftest import complete
from tests.certificates.test_views import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner_with_account(module, lesson, second_lesson):
    """Completed the module and has a certificate; logs in with an account."""
    user = UserFactory(username="marie.ieper")
    learner = LearnerFactory(user=user)
    complete(learner, module)
    certificate_services.certificate_issue(learner=learner, module=module, name_printed="Marie")
    return learner


def admin_client(client):
    admin = get_user_model().objects.create_superuser("beheer", password="geheim-genoeg")
    client.force_login(admin)
    return client


def test_deleting_a_lesson_keeps_progress_and_answers_with_its_title(learner_with_account, lesson):
    attempts = Attempt.objects.filter(lesson=lesson).count()
    assert attempts > 0
    lesson_id = lesson.pk
    lesson.delete()
    assert not LessonPage.objects.filter(pk=lesson_id).exists()
    orphan = LessonProgress.objects.get(learner=learner_with_account, lesson__isnull=True)
    assert orphan.lesson_title == "Je pincode"
    assert orphan.is_completed
    kept = Attempt.objects.filter(learner=learner_with_account, lesson__isnull=True)
    assert kept.count() == attempts
    assert {attempt.lesson_title for attempt in kept} == {"Je pincode"}
    assert LessonProgress.objects.filter(learner=learner_with_account).count() == 2


def test_deleting_a_module_keeps_everything_and_the_certificate_stays_verifiable(
    client, learner_with_account, module
):
    certificate = Certificate.objects.get()
    module.delete()
    assert LessonProgress.objects.filter(lesson__isnull=True).count() == 2
    assert set(LessonProgress.objects.values_list("lesson_title", flat=True)) == {
        "Je pincode",
        "Je PUK-code",
    }
    assert Attempt.objects.filter(lesson__isnull=True).count() == Attempt.objects.count()
    certificate.refresh_from_db()
    assert certificate.module is None and certificate.module_title == "Je eID"
    page = client.get(f"/certificaten/controle/{certificate.display_code}/")
    assert page.status_code == 200
    assert "Dit certificaat is echt" in page.content.decode()
    assert "Je eID" in page.content.decode()


def test_pages_still_work_for_a_learner_whose_lessons_were_deleted(
    client, learner_with_account, module, lesson
):
    client.force_login(learner_with_account.user)
    lesson.delete()
    for url in ("/", "/mijn/", "/mijn/gegevens/", "/mijn/certificaten/", module.url):
        assert client.get(url).status_code == 200, url
    export = json.loads(client.get("/mijn/gegevens/download.json").content)
    titles = json.dumps(export, ensure_ascii=False)
    assert "Je pincode" in titles
    module.delete()
    for url in ("/", "/mijn/", "/mijn/gegevens/", "/mijn/certificaten/"):
        assert client.get(url).status_code == 200, url
    code = Certificate.objects.get().code
    assert client.get(f"/mijn/certificaten/{code}/certificaat.pdf").status_code == 200
    # "Mijn digitale vaardigheden" still counts the module, from its certificate.
    overview = client.get("/mijn/certificaten/vaardigheden.pdf")
    assert overview.status_code == 200
    assert "Je eID" in pdf_text(overview.content)


def test_merge_moves_every_orphaned_row(module, lesson, second_lesson):
    source, target = LearnerFactory(), LearnerFactory()
    complete(source, module)
    module.delete()
    assert LessonProgress.objects.filter(learner=source).count() == 2
    services.learner_merge(source=source, target=target)
    assert LessonProgress.objects.filter(learner=target, lesson__isnull=True).count() == 2
    assert Attempt.objects.filter(learner=target).count() > 0


def test_the_admin_delete_page_says_what_happens_and_keeps_the_rows(
    client, learner_with_account, lesson
):
    client = admin_client(client)
    page = client.get(f"/admin/pages/{lesson.pk}/delete/").content.decode()
    assert "Leerders met voortgang in deze les: 1." in page
    assert "Zet de les liever offline (unpublish)" in page
    response = client.post(f"/admin/pages/{lesson.pk}/delete/")
    assert response.status_code == 302
    assert not LessonPage.objects.filter(pk=lesson.pk).exists()
    assert LessonProgress.objects.filter(lesson__isnull=True, lesson_title="Je pincode").exists()
    assert Attempt.objects.filter(lesson__isnull=True).exists()


def test_the_admin_delete_page_of_a_module_counts_learners_and_certificates(
    client, learner_with_account, module
):
    LearnerFactory()  # someone without progress is not counted
    other = LearnerFactory()
    complete(other, module)
    client = admin_client(client)
    page = client.get(f"/admin/pages/{module.pk}/delete/").content.decode()
    assert "Leerders met voortgang in de lessen van deze pagina: 2." in page
    assert "Certificaten voor deze module: 1." in page
    response = client.post(f"/admin/pages/{module.pk}/delete/")
    assert response.status_code == 302
    assert LessonProgress.objects.filter(lesson__isnull=True).count() == 4
    assert Certificate.objects.get().module is None


def test_a_lesson_without_progress_shows_no_warning(client, lesson):
    client = admin_client(client)
    page = client.get(f"/admin/pages/{lesson.pk}/delete/").content.decode()
    assert "Leerders met voortgang" not in page
