"""The hand-written reads of a lesson step (learning/hot_path.py) answer what the ORM does."""

import uuid

import pytest
from django.db.models import Exists, OuterRef
from django.utils import timezone

from learning.factories import LearnerFactory, UserFactory
from learning.hot_path import learner_without_account, progress_row
from learning.models import Learner, LearningCard, LessonProgress

pytestmark = pytest.mark.django_db


def orm_learner(public_id):
    active = LearningCard.objects.filter(learner=OuterRef("pk"), revoked_at__isnull=True)
    return (
        Learner.objects.filter(public_id=public_id, user__isnull=True)
        .annotate(has_active_card=Exists(active))
        .first()
    )


def card(learner, number, revoked=False):
    return LearningCard.objects.create(
        learner=learner,
        code_hash=f"{number:064d}",
        prefix=f"{number:04d}",
        revoked_at=timezone.now() if revoked else None,
    )


def test_learner_and_card_as_the_orm_reads_them():
    plain = LearnerFactory()
    carded = LearnerFactory()
    card(carded, 1)
    card(carded, 2, revoked=True)
    revoked = LearnerFactory()
    card(revoked, 3, revoked=True)
    with_account = LearnerFactory(user=UserFactory())
    for learner in (plain, carded, revoked):
        for public_id in (learner.public_id, str(learner.public_id)):
            found, expected = learner_without_account(public_id), orm_learner(public_id)
            assert (found.pk, found.public_id) == (expected.pk, expected.public_id)
            assert found.has_active_card is bool(expected.has_active_card)
            assert found.created_at == expected.created_at
    assert [learner_without_account(x.public_id).has_active_card for x in (plain, carded)] == [
        False,
        True,
    ]
    # A learner with an account is found through the account, never through a cookie.
    assert learner_without_account(with_account.public_id) is None
    assert learner_without_account(uuid.uuid4()) is None
    with pytest.raises(ValueError):
        learner_without_account("geen-uuid")


def test_progress_row_as_the_orm_reads_it(lesson):
    learner, other = LearnerFactory(), LearnerFactory()
    assert progress_row(learner, lesson) is None
    LessonProgress.objects.create(
        learner=learner,
        lesson=lesson,
        last_step=2,
        furthest_step=3,
        exercises={"blok-1": {"passed": True, "tries": 2, "answer": ["1"]}},
    )
    found = progress_row(learner, lesson)
    expected = LessonProgress.objects.get(learner=learner, lesson=lesson)
    fields = ["pk", "learner_id", "lesson_id", "last_step", "furthest_step", "exercises"]
    fields += ["status", "score", "completed_at", "updated_at"]
    assert [getattr(found, name) for name in fields] == [getattr(expected, name) for name in fields]
    assert found.exercises["blok-1"]["answer"] == ["1"]  # the JSON is decoded
    assert progress_row(other, lesson) is None
