"""The two reads every lesson step of a learner makes, in SQL written once.

A lesson step is the page learners open most, and building these two queries through the
ORM (``Exists`` resolved anew, ``first()``'s ordering, compiling) cost about five times
what SQLite or PostgreSQL then take to answer them: 0.7 ms and 0.5 ms of a 6 ms request
(docs/benchmarks.md). The SQL is plain and portable, takes its tables and columns from
the models' metadata and its values only as parameters; ``raw()`` still converts every
field as the ORM does (the ``exercises`` JSON, the UUID). tests/learning/test_hot_path.py
holds them to the ORM's answers on both databases.
"""

import uuid

from django.db import connection

from learning.models import Learner, LearningCard, LessonProgress

# Table names come from our models, values only as parameters.
_LEARNER = (
    "SELECT learner.*, EXISTS("  # noqa: S608
    f"SELECT 1 FROM {LearningCard._meta.db_table} card"
    " WHERE card.learner_id = learner.id AND card.revoked_at IS NULL"
    f") AS has_active_card FROM {Learner._meta.db_table} learner"
    " WHERE learner.public_id = %s AND learner.user_id IS NULL"
)
_PROGRESS = (
    f"SELECT * FROM {LessonProgress._meta.db_table}"  # noqa: S608
    " WHERE learner_id = %s AND lesson_id = %s"
)


def learner_without_account(public_id: str) -> Learner | None:
    """The learner without an account behind a learner cookie's id, with
    ``has_active_card`` (whether a learning card holds their progress), or None.
    A value that is no UUID raises ValueError."""
    value = Learner._meta.get_field("public_id").get_db_prep_value(
        uuid.UUID(str(public_id)), connection
    )
    for learner in Learner.objects.raw(_LEARNER, [value]):
        learner.has_active_card = bool(learner.has_active_card)
        return learner
    return None


def progress_row(learner: Learner, lesson) -> LessonProgress | None:
    """The learner's progress row for the lesson, or None before their first answer."""
    for progress in LessonProgress.objects.raw(_PROGRESS, [learner.pk, lesson.pk]):
        return progress
    return None
