"""Reads about progress that more than one view or template needs.

Each function issues a fixed number of queries, whatever the number of steps, lessons or
modules: listings fetch all progress rows for the learner in one go.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from courses.models import LessonPage, ModulePage
from learning.middleware import get_learner
from learning.models import (
    H5PUserData,
    HelperMandate,
    Learner,
    LessonProgress,
    MandateAccessLog,
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
    """Progress for several modules with two queries: their lessons, and the learner's rows."""
    modules = list(modules)
    summaries = {module.path: ModuleSummary(module=module) for module in modules}
    if not modules:
        return []
    under_any = Q()
    for path in summaries:
        under_any |= Q(path__startswith=path)
    lessons = (
        LessonPage.objects.learnable()
        .filter(under_any, depth=modules[0].depth + 1)
        .order_by("path")
    )
    for lesson in lessons:
        summaries[lesson.path[: -LessonPage.steplen]].lessons.append(lesson)
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
        .select_related("lesson")
        .order_by("-updated_at")
        .first()
    )
    if latest is None:
        return None
    lesson = latest.lesson
    if not latest.is_completed:
        step = min(latest.last_step, lesson.step_count)
        return ContinuePoint(lesson=lesson, step=step, module=lesson.module())
    following = lesson.next_lesson()
    if following is None:
        return None
    done = progress_by_lesson(learner, [following.pk]).get(following.pk)
    step = done.last_step if done and not done.is_completed else 1
    if done and done.is_completed:
        return None
    return ContinuePoint(lesson=following, step=step, module=lesson.module())


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
