"""Every progress rule, through learning.services."""

import uuid

import pytest
from django.db import IntegrityError

from courses.factories import LessonPageFactory, steps
from learning import services
from learning.factories import LearnerFactory, UserFactory
from learning.models import Attempt, Learner, LessonProgress

pytestmark = pytest.mark.django_db


def exercise_id(lesson, index=0):
    return list(lesson.exercises)[index]


def answer(learner, lesson, chosen, *, block_id=None, attempt_id=None):
    return services.attempt_record(
        learner=learner,
        lesson=lesson,
        block_id=block_id or exercise_id(lesson),
        answer=chosen,
        attempt_id=attempt_id or uuid.uuid4(),
    )


def test_wrong_answer_is_recorded_and_lesson_stays_open(lesson):
    learner = LearnerFactory()
    result = answer(learner, lesson, [1])
    assert result.created and not result.grade.passed
    assert result.grade.feedback == ["Nee, het zijn er 4."]
    progress = LessonProgress.objects.get(learner=learner, lesson=lesson)
    assert progress.status == LessonProgress.STARTED
    assert progress.completed_at is None
    assert progress.exercises[exercise_id(lesson)] == {"passed": False, "tries": 1, "answer": [1]}


def test_right_answer_completes_the_lesson_and_sets_score(lesson):
    learner = LearnerFactory()
    answer(learner, lesson, [2])
    result = answer(learner, lesson, [0])
    assert result.grade.passed
    progress = result.progress
    assert progress.is_completed and progress.score == 100
    assert progress.exercises[exercise_id(lesson)]["tries"] == 2
    assert progress.last_step == 3


def test_same_attempt_id_is_counted_once(lesson):
    learner = LearnerFactory()
    attempt_id = uuid.uuid4()
    first = answer(learner, lesson, [1], attempt_id=attempt_id)
    again = answer(learner, lesson, [1], attempt_id=attempt_id)
    assert first.created and not again.created
    assert again.attempt.pk == first.attempt.pk
    assert Attempt.objects.count() == 1
    assert LessonProgress.objects.get().exercises[exercise_id(lesson)]["tries"] == 1


def test_attempt_id_of_another_learner_is_refused(lesson):
    attempt_id = uuid.uuid4()
    answer(LearnerFactory(), lesson, [1], attempt_id=attempt_id)
    with pytest.raises(services.ResultConflict):
        answer(LearnerFactory(), lesson, [0], attempt_id=attempt_id)
    assert Attempt.objects.count() == 1


def test_attempt_id_is_unique_in_the_database(lesson):
    learner = LearnerFactory()
    result = answer(learner, lesson, [1])
    with pytest.raises(IntegrityError):
        Attempt.objects.create(
            attempt_id=result.attempt.attempt_id,
            learner=learner,
            lesson=lesson,
            block_id="x",
            answer=[0],
            passed=True,
            score=1.0,
        )


def test_unknown_block_records_nothing(lesson):
    with pytest.raises(services.UnknownExercise):
        answer(LearnerFactory(), lesson, [0], block_id="bestaat-niet")
    assert not Attempt.objects.exists() and not LessonProgress.objects.exists()


def test_completion_is_set_once_and_never_undone(lesson):
    learner = LearnerFactory()
    answer(learner, lesson, [0])
    completed_at = LessonProgress.objects.get().completed_at
    answer(learner, lesson, [1])  # a later wrong try
    services.step_view_record(learner=learner, lesson=lesson, step=1)
    progress = LessonProgress.objects.get()
    assert progress.completed_at == completed_at
    assert progress.is_completed and progress.score == 100
    assert progress.exercises[exercise_id(lesson)]["passed"] is True


def test_every_exercise_must_pass_for_completion(module):
    lesson = LessonPageFactory(parent=module, steps=steps(1, ("single_choice", "true_false")))
    learner = LearnerFactory()
    answer(learner, lesson, [0], block_id=exercise_id(lesson, 0))
    progress = LessonProgress.objects.get()
    assert progress.status == LessonProgress.STARTED and progress.score == 50
    answer(learner, lesson, ["niet-waar"], block_id=exercise_id(lesson, 1))
    assert LessonProgress.objects.get().is_completed


def test_lesson_without_exercises_completes_on_the_last_step(module):
    lesson = LessonPageFactory(parent=module, steps=steps(3, ()))
    learner = LearnerFactory()
    services.step_view_record(learner=learner, lesson=lesson, step=2)
    assert not LessonProgress.objects.get().is_completed
    services.step_view_record(learner=learner, lesson=lesson, step=3)
    assert LessonProgress.objects.get().is_completed


def test_step_view_keeps_the_furthest_step(lesson):
    learner = LearnerFactory()
    services.step_view_record(learner=learner, lesson=lesson, step=3)
    progress = services.step_view_record(learner=learner, lesson=lesson, step=1)
    assert (progress.last_step, progress.furthest_step) == (1, 3)


def test_moving_and_renaming_a_page_keeps_progress(lesson, module_index):
    learner = LearnerFactory()
    answer(learner, lesson, [0])
    from courses.factories import ModulePageFactory

    other_module = ModulePageFactory(parent=module_index, slug="ander")
    lesson.title, lesson.slug = "Een nieuwe naam", "nieuwe-naam"
    lesson.save_revision().publish()
    lesson.move(other_module, pos="last-child")
    lesson.refresh_from_db()
    assert lesson.url.endswith("/ander/nieuwe-naam/")
    progress = LessonProgress.objects.get(learner=learner, lesson_id=lesson.pk)
    assert progress.is_completed


def test_account_claims_anonymous_progress(lesson):
    anonymous = LearnerFactory()
    answer(anonymous, lesson, [0])
    user, learner = services.account_create(
        username="marie", password="goed-geheim-2026", anonymous=anonymous
    )
    assert learner.pk == anonymous.pk and learner.user == user
    assert LessonProgress.objects.get(learner=learner).is_completed


def test_claim_merges_two_devices_furthest_wins_no_attempt_lost(lesson, second_lesson):
    user = UserFactory()
    on_phone = LearnerFactory(user=user)
    answer(on_phone, lesson, [1])  # wrong on the phone
    services.step_view_record(learner=on_phone, lesson=second_lesson, step=2)

    at_library = LearnerFactory()  # anonymous, at the Digipunt
    answer(at_library, lesson, [2])
    answer(at_library, lesson, [0])  # right at the library
    services.step_view_record(learner=at_library, lesson=second_lesson, step=1)

    merged = services.learner_claim(user=user, anonymous=at_library)

    assert merged.pk == on_phone.pk
    assert not Learner.objects.filter(pk=at_library.pk).exists()
    assert Attempt.objects.filter(learner=merged).count() == 3
    first = LessonProgress.objects.get(learner=merged, lesson=lesson)
    assert first.is_completed and first.completed_at is not None
    assert first.exercises[exercise_id(lesson)]["tries"] == 3
    second = LessonProgress.objects.get(learner=merged, lesson=second_lesson)
    assert second.furthest_step == 2
    assert LessonProgress.objects.count() == 2


def test_claim_never_takes_another_accounts_learner(lesson):
    owner, intruder = UserFactory(), UserFactory()
    theirs = LearnerFactory(user=owner)
    answer(theirs, lesson, [0])
    mine = services.learner_claim(user=intruder, anonymous=theirs)
    assert mine.pk != theirs.pk
    assert LessonProgress.objects.get().learner_id == theirs.pk
