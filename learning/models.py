"""Who learns, how far, and who may look along.

Progress has two layers with one meaning each (after Kolibri's logger models):
``LessonProgress`` is the per-learner summary of one lesson, ``Attempt`` the append-only
record of every form answer; H5P exercises add ``XapiStatement`` (append-only too) and
``H5PUserData`` (resume state). All are keyed on page ids, so moving or renaming a page
keeps progress. Beside progress: ``LearningCard`` (logging in without e-mail), the
digihelpers at a ``catalogue.Digipunt`` with their mandates, access log and assisted
sessions, and the anonymous totals left by the retention purge. All writes go through the
``learning.services`` package.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from toolkit import codes


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
    # Set by purge_inactive_learners when it first finds the learner inactive; shown to the
    # learner on their next visit. Cleared by any activity.
    retention_warned_at = models.DateTimeField(null=True, blank=True)
    # "Leerroute klaarzetten": the module a digihelper (under mandate) suggests next.
    suggested_module = models.ForeignKey(
        "courses.ModulePage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # When a digihelper made a new learning card for this learner and the learner has not
    # been told yet. A card signs in as the learner, so the learner must hear of it: the next
    # page they open says so (learning/notices.py), then this goes back to empty.
    helper_card_notice_at = models.DateTimeField(null=True, blank=True)

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
    # SET_NULL: deleting a lesson in the admin must not wipe what learners did in it. The
    # row stays without a page; learning.services.deleted_lessons copies the page title
    # into lesson_title just before the link is cleared (also on Attempt, XapiStatement).
    lesson = models.ForeignKey(
        "courses.LessonPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    lesson_title = models.CharField(max_length=255, blank=True)
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

    def exercise_skipped(self, block_id: str) -> bool:
        return bool(self.exercises.get(block_id, {}).get("skipped"))

    def exercise_done(self, block_id: str) -> bool:
        """Passed, or skipped (``services.exercise_skip`` allows that only where it may)."""
        return self.exercise_passed(block_id) or self.exercise_skipped(block_id)


class Attempt(models.Model):
    """One answer to one exercise. Append-only: never updated, never deleted by the app.

    The one change: when its lesson is deleted, ``lesson`` becomes empty and
    ``lesson_title`` keeps the title.
    """

    # Made by the client (a hidden form field, or JavaScript): a double click or a retry
    # after a network error sends the same id and is recorded once.
    attempt_id = models.UUIDField(unique=True)
    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="attempts")
    lesson = models.ForeignKey(
        "courses.LessonPage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lesson_title = models.CharField(max_length=255, blank=True)
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


class LearningCard(models.Model):
    """A printed card with a code and QR code that logs a learner in, without e-mail.

    Only a hash of the code is stored (see learning/services/cards.py); the first group of
    symbols is kept in clear as ``prefix`` so a card can be named on screen and rate limited.
    """

    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="cards")
    code_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=4, db_index=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("De digihelper die de kaart maakte; leeg als de leerder ze zelf maakte."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("leerkaart")
        verbose_name_plural = _("leerkaarten")

    def __str__(self):
        return f"Leerkaart {self.prefix}-…"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


def new_helper_code() -> str:
    """ "H" and four symbols (one a check symbol), e.g. H7K2X: short enough to say aloud."""
    return "H" + codes.generate(3)


class Digihelper(models.Model):
    """A user account (not staff: helpers work in /helpers/, not the admin) at a Digipunt."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digihelper"
    )
    digipunt = models.ForeignKey(
        "catalogue.Digipunt", on_delete=models.PROTECT, related_name="helpers"
    )
    # Shown on the helper's screen; a learner types it to let this one helper look along.
    helper_code = models.CharField(max_length=8, unique=True, default=new_helper_code)

    class Meta:
        verbose_name = _("digihelper")
        verbose_name_plural = _("digihelpers")

    def __str__(self):
        return f"{self.user.get_username()} ({self.digipunt})"


class HelperSnapshot(models.Model):
    """Who a helper was, copied when the row is written.

    Deleting a helper or a Digipunt must not erase the learner's record of who looked
    along (docs/privacy.md): the link becomes empty, these names stay.
    """

    # The helper's user name; empty for a mandate given to a whole Digipunt.
    helper_name = models.CharField(max_length=150, blank=True)
    # The Digipunt of the mandate, or the helper's Digipunt.
    digipunt_name = models.CharField(max_length=150, blank=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.snapshot_fill()
        super().save(*args, **kwargs)

    def snapshot_fill(self) -> None:
        helper = self.helper if self.helper_id else None
        if helper is not None and not self.helper_name:
            self.helper_name = helper.user.get_username()
        if not self.digipunt_name:
            digipunt = getattr(self, "digipunt", None) or (helper.digipunt if helper else None)
            self.digipunt_name = digipunt.name if digipunt is not None else ""

    @property
    def helper_gone(self) -> bool:
        """The helper (or, for a Digipunt mandate, the Digipunt) no longer exists."""
        return self.helper_id is None and getattr(self, "digipunt_id", None) is None


class HelperMandate(HelperSnapshot):
    """The learner's permission for one helper, or all helpers of a Digipunt, to look along.

    Granted by the learner on their own screen; limited in time; revocable at any moment.
    Modelled on mypension.be's mandates. When the helper or the Digipunt is deleted the
    link becomes empty (the mandate then covers nobody) and the mandate stays in the
    learner's history with the names in ``helper_name`` and ``digipunt_name``.
    """

    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="mandates")
    digipunt = models.ForeignKey(
        "catalogue.Digipunt", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    helper = models.ForeignKey(
        Digihelper, null=True, blank=True, on_delete=models.SET_NULL, related_name="mandates"
    )
    # How helpers see this learner, if the learner gave a name; otherwise a pseudonym.
    learner_label = models.CharField(max_length=40, blank=True)
    granted_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("toestemming om mee te kijken")
        verbose_name_plural = _("toestemmingen om mee te kijken")
        constraints = [
            # Granted to exactly one of them (mandate_grant checks it); both are empty only
            # once that helper or Digipunt was deleted.
            models.CheckConstraint(
                condition=~models.Q(digipunt__isnull=False, helper__isnull=False),
                name="mandate_not_for_digipunt_and_helper",
            )
        ]

    def __str__(self):
        return f"{self.learner} → {self.digipunt or self.helper or self.digipunt_name}"

    @property
    def for_helper(self) -> bool:
        """Granted to one helper (not to a whole Digipunt), even after that helper left."""
        return self.helper_id is not None or bool(self.helper_name)


class MandateAccessLog(HelperSnapshot):
    """Every time a helper looked at a learner: shown to the learner ("Wie keek mee?").

    Kept 12 months (``access_logs_purge``), also when the helper is deleted: then ``helper``
    is empty and the names copied at the time tell the learner who it was.
    """

    mandate = models.ForeignKey(HelperMandate, on_delete=models.CASCADE, related_name="looks")
    helper = models.ForeignKey(
        Digihelper, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=40)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("keer meegekeken")
        verbose_name_plural = _("keren meegekeken")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.helper_name or self.helper} – {self.action} – {self.at:%d/%m/%Y %H:%M}"


class AssistedSession(models.Model):
    """A helper's record of help given at a Digipunt: counted, anonymous unless linked."""

    SOLVED = "solved"
    PARTLY = "partly"
    REFERRED = "referred"
    OUTCOME_CHOICES = [
        (SOLVED, _("Opgelost")),
        (PARTLY, _("Deels opgelost")),
        (REFERRED, _("Doorverwezen")),
    ]

    digipunt = models.ForeignKey("catalogue.Digipunt", on_delete=models.PROTECT, related_name="+")
    helper = models.ForeignKey(Digihelper, on_delete=models.PROTECT, related_name="sessions")
    date = models.DateField()
    minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(480)]
    )
    modules = models.ManyToManyField("courses.ModulePage", blank=True, related_name="+")
    other_topic = models.CharField(max_length=150, blank=True)
    outcome = models.CharField(max_length=10, choices=OUTCOME_CHOICES)
    learner = models.ForeignKey(
        Learner, null=True, blank=True, on_delete=models.SET_NULL, related_name="assisted"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("hulpmoment")
        verbose_name_plural = _("hulpmomenten")
        ordering = ["-date", "-created_at"]

    def __str__(self):
        return f"{self.digipunt} – {self.date:%d/%m/%Y} – {self.minutes} min"


class RetiredLearnersMonthly(models.Model):
    """What is left of learners deleted after two years without use: anonymous totals only.

    One row per month in which the deleted learners started (their ``created_at``), so the
    Digibanken can still see how many people learned and how much, without keeping anyone's
    record. Written only by ``learning.services.privacy.inactive_learners_purge``. Whoever
    shows these figures must hide months with fewer than 5 learners (DOMAIN.md, privacy).
    """

    month = models.DateField(unique=True, help_text=_("De eerste dag van de maand."))
    count = models.PositiveIntegerField(default=0)
    lessons_completed = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("verwijderde leerders per maand")
        verbose_name_plural = _("verwijderde leerders per maand")
        ordering = ["month"]

    def __str__(self):
        return f"{self.month:%m/%Y}: {self.count}"


class XapiStatement(models.Model):
    """One xAPI statement from an H5P activity. Append-only: never updated by the app.

    The statement id comes from the player (one per event), so a retry is stored once. The
    actor in ``data`` is set by the server: a pseudonymous account, never an e-mail.
    """

    statement_id = models.UUIDField(unique=True)
    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="statements")
    lesson = models.ForeignKey(
        "courses.LessonPage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lesson_title = models.CharField(max_length=255, blank=True)
    block_id = models.CharField(max_length=64)
    package = models.ForeignKey(
        "courses.H5PPackage", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    verb = models.CharField(max_length=40)
    # Scaled score, clamped to 0..1; None when the statement carries no score.
    score = models.FloatField(
        null=True, blank=True, validators=[MinValueValidator(0.0), MaxValueValidator(1.0)]
    )
    success = models.BooleanField(null=True, blank=True)
    completion = models.BooleanField(null=True, blank=True)
    data = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("xAPI-statement")
        verbose_name_plural = _("xAPI-statements")
        indexes = [models.Index(fields=["learner", "lesson"], name="xapi_learner_lesson")]

    def __str__(self):
        return f"{self.learner} – {self.verb} – {self.block_id}"


class H5PUserData(models.Model):
    """Where a learner is in one H5P package ("content user data"), to resume it later."""

    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="h5p_states")
    package = models.ForeignKey("courses.H5PPackage", on_delete=models.CASCADE, related_name="+")
    state = models.TextField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("stand in een H5P-oefening")
        verbose_name_plural = _("standen in H5P-oefeningen")
        constraints = [
            models.UniqueConstraint(fields=["learner", "package"], name="one_h5p_state_per_package")
        ]

    def __str__(self):
        return f"{self.learner} – pakket {self.package_id}"


class SandboxRun(models.Model):
    """A learner's run through one practice sandbox (a ``SandboxBlock`` in a lesson step).

    One row per learner and sandbox: "Opnieuw beginnen" starts the same row over. ``state``
    is the scenario's own state (``courses.sandboxes``); the guardrails keep anything that
    looks like the learner's real data out of it. Written only by
    ``learning.services.sandboxes``.
    """

    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="sandbox_runs")
    lesson = models.ForeignKey(
        "courses.LessonPage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lesson_title = models.CharField(max_length=255, blank=True)
    block_id = models.CharField(max_length=64)
    scenario = models.CharField(max_length=40)
    state = models.JSONField()
    started_at = models.DateTimeField(auto_now_add=True)
    # When the learner last changed something: a logged-in run idle for 10 minutes times
    # out (courses.sandboxes.common.IDLE_LIMIT). Set by the service, not auto_now.
    changed_at = models.DateTimeField()
    # The first completion; kept through later resets.
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("oefenapp van een leerder")
        verbose_name_plural = _("oefenapps van leerders")
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "lesson", "block_id"], name="one_sandbox_run_per_block"
            )
        ]

    def __str__(self):
        return f"{self.learner} – {self.scenario} – {self.state.get('screen', '')}"


class SandboxEvent(models.Model):
    """One step event in a sandbox run. Append-only, like ``Attempt``.

    ``event_id`` comes from the form (a hidden field): a double click or Back and
    resubmit sends the same id and is recorded once. One form can make several events
    (the last step passed and the sandbox completed): the first carries the form's id,
    the others an id derived from it. Never holds what the learner typed: only which step,
    which kind of event and which kind of mistake.
    """

    LAUNCHED = "launched"
    STEP_PASSED = "step_passed"
    ERROR = "error"
    HINT_USED = "hint_used"
    RESET = "reset"
    COMPLETED = "completed"
    KIND_CHOICES = [
        (LAUNCHED, _("Gestart")),
        (STEP_PASSED, _("Stap gelukt")),
        (ERROR, _("Fout")),
        (HINT_USED, _("Hint gebruikt")),
        (RESET, _("Opnieuw begonnen")),
        (COMPLETED, _("Afgewerkt")),
    ]

    event_id = models.UUIDField(unique=True)
    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="sandbox_events")
    run = models.ForeignKey(
        SandboxRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    lesson = models.ForeignKey(
        "courses.LessonPage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lesson_title = models.CharField(max_length=255, blank=True)
    block_id = models.CharField(max_length=64)
    kind = models.CharField(max_length=20, choices=KIND_CHOICES)
    # The screen it happened on (the scenario's SCREENS); for a judgement in the
    # Oefen-inbox, the message (courses.sandboxes.oplichting.MESSAGE_LIST).
    step = models.CharField(max_length=20)
    # For an error: its kind (e.g. "iban_typo", "real_card"); never the input itself.
    error = models.CharField(max_length=40, blank=True)
    # "guided" or "free": the mode the learner was in.
    mode = models.CharField(max_length=10)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("stap in een oefenapp")
        verbose_name_plural = _("stappen in oefenapps")
        indexes = [models.Index(fields=["learner", "lesson"], name="sandbox_event_learner_lesson")]

    def __str__(self):
        return f"{self.learner} – {self.kind} – {self.step}"


class SandboxPairing(models.Model):
    """A QR code that lets the learner's own smartphone confirm one step of a sandbox run
    (oefen-itsme on a second device, issue 18).

    The raw token is only in the QR code and its address; this row keeps its SHA-256 (to
    find it) and a random ``nonce`` from which the server, with its secret key, makes the
    token again to draw the QR code after Post/Redirect/Get. A copy of the database alone
    cannot act on a run. The token is the phone's only authority:
    for this one run, this one screen (``screen``) and the action the scenario declares
    for it (``courses.sandboxes``: ``PAIRING``), once, for 10 minutes. It never logs the
    phone in as the learner. Written only by ``learning.services.pairing``.
    """

    run = models.ForeignKey(SandboxRun, on_delete=models.CASCADE, related_name="pairings")
    token_hash = models.CharField(max_length=64, unique=True)
    nonce = models.CharField(max_length=64)
    # The run's screen the pairing was made for (e.g. "confirm").
    screen = models.CharField(max_length=20)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    # Ended early on the computer: a new QR code, "Bevestig op deze computer", or the run
    # left the screen. The phone then reads "verlopen", the computer shows the choice again.
    ended_at = models.DateTimeField(null=True, blank=True)
    # The phone form that used it: a double tap or a reload of that form shows "Gelukt"
    # again instead of "al gebruikt".
    used_by_event = models.UUIDField(null=True, blank=True)

    class Meta:
        verbose_name = _("koppeling met een smartphone")
        verbose_name_plural = _("koppelingen met een smartphone")

    def __str__(self):
        return f"{self.run_id} – {self.screen} – {self.created_at:%Y-%m-%d %H:%M}"
