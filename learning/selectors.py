"""Reads about progress that more than one view or template needs.

Each function issues a fixed number of queries, whatever the number of steps, lessons or
modules: listings fetch all progress rows for the learner in one go.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Case, CharField, Count, F, Max, Min, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from courses import sandboxes
from courses.listing import learnable_lessons_by_parent, listed_lesson
from courses.models import LessonPage, ModulePage
from learning.middleware import get_learner
from learning.models import (
    H5PUserData,
    HelperMandate,
    Learner,
    LessonProgress,
    MandateAccessLog,
    SandboxEvent,
    SandboxRun,
)

# Page ids are 32-bit integers on every database: a bigger number from a form is no page,
# not a database error (SQLite raises OverflowError, PostgreSQL an out-of-range error).
MAX_PAGE_ID = 2**31 - 1


def learnable_lesson(raw_id) -> LessonPage | None:
    """The live, public Dutch lesson a form or request names, or None for anything else."""
    if isinstance(raw_id, bool):
        return None
    try:
        lesson_id = int(raw_id)
    except (TypeError, ValueError):
        return None
    if not 1 <= lesson_id <= MAX_PAGE_ID:
        return None
    return LessonPage.objects.learnable().filter(pk=lesson_id).first()


def lesson_progress(learner: Learner | None, lesson: LessonPage) -> LessonProgress | None:
    if learner is None:
        return None
    return LessonProgress.objects.filter(learner=learner, lesson=lesson).first()


def lesson_progress_for_request(request, lesson: LessonPage) -> LessonProgress | None:
    """The same, fetched at most once per request (the step hook may have loaded it)."""
    cache = request.__dict__.setdefault("_lesson_progress", {})
    if lesson.pk not in cache:
        cache[lesson.pk] = lesson_progress(get_learner(request), lesson)
    return cache[lesson.pk]


def progress_by_lesson(learner: Learner | None, lesson_ids) -> dict[int, LessonProgress]:
    if learner is None:
        return {}
    rows = LessonProgress.objects.filter(learner=learner, lesson_id__in=list(lesson_ids))
    return {row.lesson_id: row for row in rows}


def learners_with_progress_below(page) -> int:
    """How many learners have progress in this lesson, or in any lesson under this page
    (for the warning on the admin's delete page)."""
    return LessonProgress.objects.filter(lesson__path__startswith=page.path).aggregate(
        learners=Count("learner", distinct=True)
    )["learners"]


@dataclass
class ModuleSummary:
    module: ModulePage
    lessons: list[LessonPage] = field(default_factory=list)
    progress: dict[int, LessonProgress] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return len(self.lessons)

    @property
    def completed(self) -> int:
        return sum(
            1 for lesson in self.lessons if getattr(self.progress.get(lesson.pk), "is_completed", 0)
        )

    @property
    def started(self) -> bool:
        return any(lesson.pk in self.progress for lesson in self.lessons)

    @property
    def is_completed(self) -> bool:
        return self.total > 0 and self.completed == self.total

    @property
    def percent(self) -> int:
        return round(100 * self.completed / self.total) if self.total else 0

    def next_lesson(self) -> LessonPage | None:
        """The first lesson not yet completed, in the module's order."""
        for lesson in self.lessons:
            progress = self.progress.get(lesson.pk)
            if progress is None or not progress.is_completed:
                return lesson
        return None

    def next_url(self) -> str | None:
        lesson = self.next_lesson()
        if lesson is None:
            return None
        progress = self.progress.get(lesson.pk)
        return lesson.step_url(min(progress.last_step, lesson.step_count) if progress else 1)


def module_summaries(learner: Learner | None, modules) -> list[ModuleSummary]:
    """Progress for several modules: their lessons from the shared cache (courses/listing.py),
    and the learner's rows in one query."""
    modules = list(modules)
    summaries = {module.path: ModuleSummary(module=module) for module in modules}
    if not modules:
        return []
    lessons = learnable_lessons_by_parent()
    for path, summary in summaries.items():
        summary.lessons = list(lessons.get(path, ()))
    progress = progress_by_lesson(
        learner, [lesson.pk for summary in summaries.values() for lesson in summary.lessons]
    )
    for summary in summaries.values():
        summary.progress = {
            lesson.pk: progress[lesson.pk] for lesson in summary.lessons if lesson.pk in progress
        }
    return [summaries[module.path] for module in modules]


def module_summary(learner: Learner | None, module: ModulePage) -> ModuleSummary:
    return module_summaries(learner, [module])[0]


@dataclass
class ContinuePoint:
    lesson: LessonPage
    step: int
    module: ModulePage | None

    @property
    def url(self) -> str:
        return self.lesson.step_url(self.step)


def continue_point(learner: Learner | None) -> ContinuePoint | None:
    """Where the learner was last: the step of the unfinished lesson they touched last,
    or the next lesson after the one they finished last."""
    if learner is None:
        return None
    latest = (
        LessonProgress.objects.filter(learner=learner, lesson__live=True)
        .order_by("-updated_at")
        .first()
    )
    if latest is None:
        return None
    # From the shared cache (courses/listing.py), as its module and next lesson are; a live
    # lesson the listing leaves out (restricted, or in an unpublished module) is read.
    lesson = listed_lesson(latest.lesson_id) or latest.lesson
    module = lesson.module()
    if not latest.is_completed:
        step = min(latest.last_step, lesson.step_count)
        return ContinuePoint(lesson=lesson, step=step, module=module)
    following = lesson.next_lesson()
    if following is None:
        return None
    done = progress_by_lesson(learner, [following.pk]).get(following.pk)
    step = done.last_step if done and not done.is_completed else 1
    if done and done.is_completed:
        return None
    return ContinuePoint(lesson=following, step=step, module=module)


def suggested_module(learner):
    """The live module a digihelper set as the next step, unless it is already complete."""
    if learner is None or learner.suggested_module_id is None:
        return None
    module = ModulePage.objects.learnable().filter(pk=learner.suggested_module_id).first()
    if module is None or module_summary(learner, module).is_completed:
        return None
    return module


# --- helpers and mandates ------------------------------------------------------------------


def active_mandates():
    now = timezone.now()
    return HelperMandate.objects.filter(revoked_at__isnull=True, expires_at__gt=now)


def mandates_covering(helper):
    """Active mandates for this helper or their Digipunt, with each learner's finished
    lessons counted in the same query (the list must not grow in queries with learners)."""
    return (
        active_mandates()
        .filter(Q(helper=helper) | Q(digipunt_id=helper.digipunt_id))
        .select_related("learner")
        .annotate(
            lessons_completed=Count(
                "learner__progress",
                filter=Q(learner__progress__status=LessonProgress.COMPLETED),
                distinct=True,
            )
        )
        .order_by("learner_label", "granted_at")
    )


def mandate_for_helper(helper, mandate_id: int):
    """The mandate, only if it is active and covers this helper; otherwise None."""
    return mandates_covering(helper).filter(pk=mandate_id).first()


def learner_mandates(learner):
    if learner is None:
        return HelperMandate.objects.none()
    return (
        active_mandates()
        .filter(learner=learner)
        # A mandate whose helper or Digipunt was deleted covers nobody any more.
        .filter(Q(digipunt__isnull=False) | Q(helper__isnull=False))
        .select_related("digipunt", "helper__user", "helper__digipunt")
        .order_by("-granted_at")
    )


def learner_looks(learner, limit: int = 50):
    """ "Wie keek mee?": every look at this learner, newest first.

    Names come from the row itself (copied when the helper looked), so a look by a helper
    or at a Digipunt that was deleted since is still shown.
    """
    if learner is None:
        return MandateAccessLog.objects.none()
    return MandateAccessLog.objects.filter(mandate__learner=learner).order_by("-at")[:limit]


def h5p_state(learner: Learner | None, package) -> str | None:
    """The learner's saved place in an H5P package (JSON text), or None."""
    if learner is None or package is None:
        return None
    return (
        H5PUserData.objects.filter(learner=learner, package=package)
        .values_list("state", flat=True)
        .first()
    )


def sandbox_run(learner, lesson, block_id: str):
    """The learner's run through one sandbox, or None (no learner, or not started)."""
    if learner is None or lesson is None:
        return None
    return SandboxRun.objects.filter(learner=learner, lesson=lesson, block_id=block_id).first()


# --- practice sandboxes, read back by helpers and trainers -----------------------------------


@dataclass
class SandboxMistakes:
    """The mistakes a learner made in one part of a sandbox (a step, or a field of it)."""

    label: str
    count: int
    # (short label of the error kind, how often), the most frequent first.
    kinds: list[tuple[str, int]]
    on_step: str
    last_at: datetime


@dataclass
class SandboxSummary:
    """One learner's run through one sandbox, as a digihelper reads it. Only kinds and
    counts: the events never hold what the learner typed."""

    lesson_title: str
    scenario_title: str
    completed: bool
    steps_done: list[str]
    mistakes: list[SandboxMistakes]
    hints: int
    resets: int
    modes: list[str]
    duration: timedelta | None
    stuck_at: str

    @property
    def duration_text(self) -> str:
        return duration_text(self.duration)


def duration_text(duration: timedelta | None) -> str:
    """A duration in easy Dutch: "minder dan 1 minuut", "12 minuten", "1 uur en 5 minuten"."""
    if duration is None:
        return ""
    minutes = int(duration.total_seconds() // 60)
    if minutes < 1:
        return gettext("minder dan 1 minuut")
    if minutes < 60:
        return ngettext("%(count)s minuut", "%(count)s minuten", minutes) % {"count": minutes}
    hours, minutes = divmod(minutes, 60)
    if hours >= 24:
        # A run taken up again another day: the minutes in between say nothing.
        days = hours // 24
        return ngettext("%(count)s dag", "%(count)s dagen", days) % {"count": days}
    text = ngettext("%(count)s uur", "%(count)s uur", hours) % {"count": hours}
    if minutes:
        text = gettext("%(hours)s en %(minutes)s") % {
            "hours": text,
            "minutes": ngettext("%(count)s minuut", "%(count)s minuten", minutes)
            % {"count": minutes},
        }
    return text


def sandbox_summaries(learner: Learner | None) -> list[SandboxSummary]:
    """Every sandbox run of ``learner``, oldest first, in two queries (runs, then their
    events counted per kind, step, error and mode).

    "Bleef hangen bij" (``stuck_at``) is where the learner needs help, defined as:

    - mistakes are counted per part of a step: the step, or the field of the step when the
      scenario names it (``courses.sandboxes.step_label``: amount errors on the transfer
      screen are "bedrag invullen");
    - an unfinished run whose current screen has mistakes: the part of that screen with the
      most mistakes (the learner is stuck there now);
    - otherwise (no mistakes on the current screen, or the run is completed): the part with
      the most mistakes in the whole run;
    - a tie goes to the part with the latest mistake; no mistakes at all: "".
    """
    if learner is None:
        return []
    runs = list(
        SandboxRun.objects.filter(learner=learner)
        .annotate(current_title=F("lesson__title"))
        .only("pk", "lesson_id", "lesson_title", "block_id", "scenario", "state", "completed_at")
        .order_by("started_at", "pk")
    )
    if not runs:
        return []
    rows = (
        SandboxEvent.objects.filter(learner=learner, run__isnull=False)
        .values("run_id", "kind", "step", "error", "mode")
        .annotate(count=Count("pk"), first_at=Min("created_at"), last_at=Max("created_at"))
        .order_by()
    )
    by_run: dict[int, list[dict]] = {}
    for row in rows:
        by_run.setdefault(row["run_id"], []).append(row)
    return [_sandbox_summary(run, by_run.get(run.pk, [])) for run in runs]


def _sandbox_summary(run: SandboxRun, rows: list[dict]) -> SandboxSummary:
    key = run.scenario
    passed, modes, hints, resets = set(), {}, 0, 0
    parts: dict[tuple[str, str], dict] = {}
    for row in rows:
        if row["mode"] and (row["mode"] not in modes or row["first_at"] < modes[row["mode"]]):
            modes[row["mode"]] = row["first_at"]
        if row["kind"] == SandboxEvent.STEP_PASSED:
            passed.add(row["step"])
        elif row["kind"] == SandboxEvent.HINT_USED:
            hints += row["count"]
        elif row["kind"] == SandboxEvent.RESET:
            resets += row["count"]
        elif row["kind"] == SandboxEvent.ERROR:
            part = parts.setdefault(
                sandboxes.step_part(key, row["step"], row["error"]),
                {"count": 0, "kinds": Counter(), "last_at": row["last_at"]},
            )
            part["count"] += row["count"]
            part["kinds"][row["error"]] += row["count"]
            part["last_at"] = max(part["last_at"], row["last_at"])
    mistakes = sorted(
        (
            SandboxMistakes(
                label=sandboxes.step_label(key, step, field=field),
                count=part["count"],
                kinds=[
                    (sandboxes.error_label(key, error), count)
                    for error, count in sorted(part["kinds"].items(), key=lambda kv: -kv[1])
                ],
                on_step=step,
                last_at=part["last_at"],
            )
            for (step, field), part in parts.items()
        ),
        key=lambda mistake: (sandboxes.step_order(key, mistake.on_step), mistake.label),
    )
    completed = run.completed_at is not None
    duration = (
        max(row["last_at"] for row in rows) - min(row["first_at"] for row in rows) if rows else None
    )
    return SandboxSummary(
        lesson_title=run.current_title or run.lesson_title,
        scenario_title=sandboxes.scenario_title(key),
        completed=completed,
        steps_done=[
            sandboxes.step_label(key, step)
            for step in sorted(passed, key=lambda step: (sandboxes.step_order(key, step), step))
        ],
        mistakes=mistakes,
        hints=hints,
        resets=resets,
        modes=[sandboxes.mode_label(key, mode) for mode in sorted(modes, key=lambda m: modes[m])],
        duration=duration,
        stuck_at=_stuck_at(mistakes, None if completed else run.state.get("screen")),
    )


def _stuck_at(mistakes: list[SandboxMistakes], current_step: str | None) -> str:
    """See ``sandbox_summaries``."""
    here = [mistake for mistake in mistakes if mistake.on_step == current_step]
    candidates = here or mistakes
    if not candidates:
        return ""
    return max(candidates, key=lambda mistake: (mistake.count, mistake.last_at)).label


# Trainers see how many learners did something, never who. A count below this is shown as
# "minder dan 5": a Digipunt with 3 learners in a lesson would otherwise be identifiable
# ("the 2 who failed the amount are Maria and Jan"), and so would one learner's mistake.
SMALL_COUNT = 5


@dataclass(frozen=True)
class LearnerCount:
    """A number of learners as trainers may see it: exact from ``SMALL_COUNT`` up, else
    only "minder dan 5" (the exact number never leaves the selector)."""

    exact: int | None

    @classmethod
    def of(cls, number: int) -> "LearnerCount":
        return cls(number if number >= SMALL_COUNT else None)

    @property
    def suppressed(self) -> bool:
        return self.exact is None

    def __str__(self) -> str:
        if self.exact is None:
            return gettext("minder dan %(count)s") % {"count": SMALL_COUNT}
        return str(self.exact)


@dataclass
class StuckStep:
    label: str
    learners: LearnerCount
    # Short label of the error kind most learners made here; "" when the step's count is
    # suppressed (with one or two learners it would tell what they did wrong).
    common_error: str


@dataclass
class SandboxFigures:
    lesson_id: int
    lesson_title: str
    block_id: str
    scenario_title: str
    started: LearnerCount
    completed: LearnerCount
    steps: list[StuckStep]


def _part_field():
    """SQL for the labelled field of an error event's step (``sandboxes.step_parts``), so
    that learners are counted once per part, distinct, in the database."""
    whens = [
        When(run__scenario=key, step=step, error__in=errors, then=Value(field))
        for key, step, field, errors in sandboxes.step_parts()
    ]
    if not whens:
        return Value("", output_field=CharField())
    return Case(*whens, default=Value(""), output_field=CharField())


def sandbox_stuck_figures() -> list[SandboxFigures]:
    """Per sandbox (lesson and block) across all learners: how many started and completed,
    and per part of a step how many learners made a mistake there, with the most common
    mistake; the steps where most learners went wrong first. Counts of distinct learners,
    aggregated in SQL in three queries; below ``SMALL_COUNT`` a count is suppressed.
    Sandboxes of deleted lessons are left out: nobody can improve them."""
    runs = (
        SandboxRun.objects.filter(lesson__isnull=False)
        .values("lesson_id", "block_id", "scenario")
        .annotate(
            title=Max("lesson__title"),
            started=Count("learner", distinct=True),
            completed=Count("learner", distinct=True, filter=Q(completed_at__isnull=False)),
        )
        .order_by()
    )
    errors = SandboxEvent.objects.filter(
        kind=SandboxEvent.ERROR, lesson__isnull=False, run__isnull=False
    ).annotate(field=_part_field())
    per_part = (
        errors.values("lesson_id", "block_id", "run__scenario", "step", "field")
        .annotate(learners=Count("learner", distinct=True))
        .order_by()
    )
    per_kind = (
        errors.values("lesson_id", "block_id", "run__scenario", "step", "field", "error")
        .annotate(learners=Count("learner", distinct=True), times=Count("pk"))
        .order_by()
    )
    common: dict[tuple, tuple] = {}
    for row in per_kind:
        part = (row["lesson_id"], row["block_id"], row["run__scenario"], row["step"], row["field"])
        rank = (row["learners"], row["times"], row["error"])
        if part not in common or rank > common[part][0]:
            common[part] = (rank, row["error"])
    steps: dict[tuple, list[tuple[int, StuckStep]]] = {}
    for row in per_part:
        key = row["run__scenario"]
        sandbox = (row["lesson_id"], row["block_id"], key)
        learners = LearnerCount.of(row["learners"])
        error = common[(*sandbox, row["step"], row["field"])][1]
        stuck = StuckStep(
            label=sandboxes.step_label(key, row["step"], field=row["field"]),
            learners=learners,
            common_error="" if learners.suppressed else sandboxes.error_label(key, error),
        )
        # Suppressed steps come last in the scenario's order: sorting them by their exact
        # counts would tell those counts apart.
        size = (0, -row["learners"]) if not learners.suppressed else (1, 0)
        order = (*size, sandboxes.step_order(key, row["step"]), stuck.label)
        steps.setdefault(sandbox, []).append((order, stuck))
    figures = [
        SandboxFigures(
            lesson_id=row["lesson_id"],
            lesson_title=row["title"],
            block_id=row["block_id"],
            scenario_title=sandboxes.scenario_title(row["scenario"]),
            started=LearnerCount.of(row["started"]),
            completed=LearnerCount.of(row["completed"]),
            steps=[
                stuck
                for _order, stuck in sorted(
                    steps.get((row["lesson_id"], row["block_id"], row["scenario"]), []),
                    key=lambda pair: pair[0],
                )
            ],
        )
        for row in runs
    ]
    return sorted(figures, key=lambda figure: (figure.lesson_title, figure.block_id))
