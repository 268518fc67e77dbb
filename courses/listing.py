"""The modules and lessons learners can open, kept in the shared cache per tree version.

The home page, the module overview, "Mijn leren" and every progress summary list them. They
are the same for every learner and change only when a page is saved, moved or deleted or a
view restriction is added or removed: then the tree version changes (courses/routing.py)
and the next request reads them again. Read from the database they cost two page queries
and, above all, building some fifty Wagtail page objects with their lessons' steps: about
a third of the home page's time under load (docs/benchmarks.md).

Each request unpickles its own copies (once: ``remember`` keeps them for the rest of the
request), so what one request sets on a page never reaches another. A lesson's steps are
left out of the kept copy; ``LessonPage.step_count`` reads the number stored beside it, and
anything that needs the steps themselves loads them.
"""

from django.db.models import Func, IntegerField

from courses.routing import TREE_VERSION_KEY
from toolkit.versions import recall, remember, version_read, versioned_get, versioned_set

LISTING_SECONDS = 300  # as the routing entries: a scheduled publish also renews the version


class JSONArrayLength(Func):
    """The number of items in a JSON array column, here a StreamField: its blocks."""

    function = "JSON_ARRAY_LENGTH"
    output_field = IntegerField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="JSONB_ARRAY_LENGTH", **extra_context)


def _listing_read() -> tuple[list, dict[str, list]]:
    from courses.models import LessonPage, ModulePage

    modules = list(ModulePage.objects.learnable().order_by("path"))
    lessons = (
        LessonPage.objects.learnable()
        .defer("steps")
        .annotate(step_total=JSONArrayLength("steps"))
        .order_by("path")
    )
    by_parent: dict[str, list] = {}
    for lesson in lessons:
        by_parent.setdefault(lesson.path[: -LessonPage.steplen], []).append(lesson)
    return modules, by_parent


def _listing() -> tuple[list, dict[str, list]]:
    """Both lists in one cache entry: one round trip, and one per request at most."""
    key = f"courses:listing:{version_read(TREE_VERSION_KEY)}"
    found = recall(key)
    if found is None:
        found = versioned_get(key)
        if found is None:
            found = _listing_read()
            versioned_set(key, found, LISTING_SECONDS)
        remember(key, found)
    return found


def learnable_modules() -> list:
    """Live, public Dutch modules in tree order."""
    return _listing()[0]


def learnable_lessons_by_parent() -> dict[str, list]:
    """{parent page's path: [its live, public Dutch lessons in order]}."""
    return _listing()[1]


def listed_lesson(lesson_id: int):
    """The learnable lesson with this id from the listing, or None."""
    for lessons in learnable_lessons_by_parent().values():
        for lesson in lessons:
            if lesson.pk == lesson_id:
                return lesson
    return None


def listed_module_of(lesson):
    """The learnable module a lesson is in, from the listing, or None."""
    parent = lesson.path[: -lesson.steplen]
    return next((module for module in learnable_modules() if module.path == parent), None)


def next_listed_lesson(lesson):
    """The learnable lesson after this one in its module, from the listing, or None."""
    siblings = learnable_lessons_by_parent().get(lesson.path[: -lesson.steplen], ())
    return next((sibling for sibling in siblings if sibling.path > lesson.path), None)
