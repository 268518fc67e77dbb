""" "Verder leren" appears where a learner finishes: the module page and /mijn/."""

import pytest
from django.core.management import call_command

from courses.models import ModulePage
from learning.models import LessonProgress
from tests.answers import post_answer, right_answer, walk_sandbox

pytestmark = pytest.mark.django_db


def finish_module(client, module):
    for lesson in module.lessons():
        for block_id, (_step, exercise) in lesson.exercises.items():
            if exercise.block_type == "sandbox":  # the Oefen-inbox: its own plain forms
                walk_sandbox(client, lesson, block_id)
                continue
            post_answer(client, lesson, right_answer(exercise), block_id=block_id)


def test_finished_module_points_to_partner_courses(client):
    call_command("seed_demo", "--no-translations")
    call_command("seed_catalogue")
    module = ModulePage.objects.live_dutch().get(slug="veilig-online-herken-oplichting")
    assert "verder-leren-titel" not in client.get(module.url).content.decode()
    finish_module(client, module)
    assert LessonProgress.objects.filter(status="completed").count() == len(module.lessons())
    page = client.get(module.url).content.decode()
    assert "Proficiat! Je hebt de module afgerond." in page
    assert "verder-leren-titel" in page and "/verder-leren/?gebied=4" in page
    mine = client.get("/mijn/").content.decode()
    assert "verder-leren-titel" in mine
