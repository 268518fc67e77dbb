import uuid

import pytest
from django.http import QueryDict

from learning import services as learning_services
from learning.factories import LearnerFactory
from tests.answers import right_answer


@pytest.fixture(autouse=True)
def badge_key_in_tmp(settings, tmp_path):
    """Each test signs with its own throwaway key, never the developer's var/ key."""
    settings.BADGE_SIGNING_KEY = None
    settings.BADGE_SIGNING_KEY_FILE = tmp_path / "badge-key.pem"
    settings.BADGE_RSA_SIGNING_KEY = None
    settings.BADGE_RSA_SIGNING_KEY_FILE = tmp_path / "badge-rsa-key.pem"


def complete(learner, module):
    """Answer every exercise of the module right, as the answer form would send it."""
    for lesson in module.lessons():
        for block_id, (_step, exercise) in lesson.exercises.items():
            form = QueryDict(mutable=True)
            form.setlist("antwoord", right_answer(exercise))
            learning_services.attempt_record(
                learner=learner,
                lesson=lesson,
                block_id=block_id,
                answer=exercise.block.parse_answer(exercise.value, form),
                attempt_id=uuid.uuid4(),
            )


@pytest.fixture
def finished(module, lesson, second_lesson):
    """A learner who completed the module (two lessons)."""
    learner = LearnerFactory()
    complete(learner, module)
    return learner
