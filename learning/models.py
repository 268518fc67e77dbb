"""Who learns and how far.

Two layers with one meaning each (after Kolibri's logger models): ``LessonProgress`` is the
per-learner summary of one lesson, ``Attempt`` the append-only record of every answer.
Both are keyed on page ids, so moving or renaming a page keeps progress. All writes go
through ``learning.services``.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Learner(models.Model):
    """A pseudonymous learner. Exists from the first answer; an account is optional."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="learner",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_active_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("leerder")
        verbose_name_plural = _("leerders")

    def __str__(self):
        return f"Leerder {str(self.public_id)[:8]}"


class LessonProgress(models.Model):
    STARTED = "started"
    COMPLETED = "completed"
    STATUS_CHOICES = [(STARTED, _("Bezig")), (COMPLETED, _("Afgerond"))]

    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="progress")
    lesson = models.ForeignKey(
        "courses.LessonPage", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    status = models.CharField(max_length=12, choices=STATUS_CHOICES, default=STARTED)
    # Percentage of the lesson's exercises passed, 0–100.
    score = models.PositiveSmallIntegerField(
        default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    # The step the learner saw last ("continue where you were") and the furthest one seen.
    last_step = models.PositiveSmallIntegerField(default=1)
    furthest_step = models.PositiveSmallIntegerField(default=1)
    # Per exercise block id: {"passed": bool, "tries": int, "answer": [...]}. The last answer
    # is kept so the step can show it again with its feedback; history is in Attempt.
    exercises = models.JSONField(default=dict, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    # Set once, when the lesson is first completed; never moved or cleared afterwards.
    completed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("voortgang in een les")
        verbose_name_plural = _("voortgang in lessen")
        constraints = [
            models.UniqueConstraint(fields=["learner", "lesson"], name="one_progress_per_lesson")
        ]
        indexes = [models.Index(fields=["learner", "-updated_at"], name="progress_recent")]

    def __str__(self):
        return f"{self.learner} – les {self.lesson_id}: {self.status}"

    @property
    def is_completed(self) -> bool:
        return self.status == self.COMPLETED

    def exercise_passed(self, block_id: str) -> bool:
        return bool(self.exercises.get(block_id, {}).get("passed"))


class Attempt(models.Model):
    """One answer to one exercise. Append-only: never updated, never deleted by the app."""

    # Made by the client (a hidden form field, or JavaScript): a double click or a retry
    # after a network error sends the same id and is recorded once.
    attempt_id = models.UUIDField(unique=True)
    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="attempts")
    lesson = models.ForeignKey("courses.LessonPage", on_delete=models.CASCADE, related_name="+")
    block_id = models.CharField(max_length=64)
    answer = models.JSONField()
    passed = models.BooleanField()
    score = models.FloatField(validators=[MinValueValidator(0.0), MaxValueValidator(1.0)])
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("antwoord")
        verbose_name_plural = _("antwoorden")
        indexes = [models.Index(fields=["learner", "lesson"], name="attempt_learner_lesson")]

    def __str__(self):
        return f"{self.learner} – {self.block_id}: {'juist' if self.passed else 'fout'}"
