"""A trainer edits a lesson in the admin; only a reviewer publishes it."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from courses.models import LessonPage
from courses.roles import REVIEWER, TRAINER
from learning.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    call_command("seed_demo", "--no-translations")
    trainer, reviewer = UserFactory(username="trainer"), UserFactory(username="reviewer")
    trainer.groups.add(Group.objects.get(name=TRAINER))
    reviewer.groups.add(Group.objects.get(name=REVIEWER))
    return trainer, reviewer


def test_trainer_edits_and_submits_reviewer_publishes(client, staff):
    trainer, reviewer = staff
    lesson = LessonPage.objects.live_dutch().get(slug="je-pincode")
    assert lesson.permissions_for_user(trainer).can_edit()
    assert not lesson.permissions_for_user(trainer).can_publish()
    assert lesson.permissions_for_user(reviewer).can_publish()

    client.force_login(trainer)
    assert client.get(f"/admin/pages/{lesson.pk}/edit/").status_code == 200

    new_intro = "Je pincode heeft 4 cijfers. Je houdt hem geheim."
    draft = LessonPage.objects.get(pk=lesson.pk)
    draft.intro = new_intro
    revision = draft.save_revision(user=trainer)
    workflow = lesson.get_workflow()
    assert workflow is not None and workflow.name == "Nalezen en publiceren"
    state = workflow.start(lesson, trainer)
    lesson.refresh_from_db()
    assert lesson.intro != new_intro  # not live before review

    task_state = state.current_task_state
    task = task_state.task.specific
    assert task.user_can_access_editor(lesson, reviewer)
    assert not task.get_actions(lesson, trainer)
    task.on_action(task_state, reviewer, "approve")
    lesson.refresh_from_db()
    assert lesson.intro == new_intro
    assert lesson.live_revision_id == revision.pk


def test_learners_with_accounts_cannot_enter_the_admin(client):
    learner = UserFactory()
    client.force_login(learner)
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response.url


def test_trainer_sees_the_easy_language_check_in_the_editor(client, staff):
    trainer, _reviewer = staff
    lesson = LessonPage.objects.live_dutch().get(slug="je-pincode")
    client.force_login(trainer)
    page = client.get(f"/admin/pages/{lesson.pk}/edit/").content.decode()
    assert "Eenvoudige taal: controle" in page
    assert "woorden per zin" in page and "Flesch-Douma" in page
