"""Rules for staff work on the module tree that go beyond one page's own form."""

from django.db import transaction
from wagtail.models import Locale

from courses.models import LessonPage, ModuleIndexPage, ModulePage


def draft_lessons(module: ModulePage) -> list[LessonPage]:
    """The module's lessons with changes no learner sees yet and no review under way."""
    lessons = LessonPage.objects.child_of(module).order_by("path")
    return [
        lesson
        for lesson in lessons
        if (lesson.has_unpublished_changes or not lesson.live) and not lesson.workflow_in_progress
    ]


@transaction.atomic
def lessons_submit_with_module(*, module: ModulePage, user) -> list[LessonPage]:
    """Submit the module's draft lessons to the review workflow the module went into.

    A trainer writes a module and its lessons together; one "submit" for all of them
    saves submitting each lesson by itself. Lessons the trainer may not submit, or that
    are already waiting, are left as they are. Returns the lessons submitted.
    """
    submitted = []
    for lesson in draft_lessons(module):
        permissions = lesson.permissions_for_user(user)
        # Wagtail's can_submit_for_moderation() does not look at edit rights itself.
        if not (permissions.can_edit() and permissions.can_submit_for_moderation()):
            continue
        workflow = lesson.get_workflow()
        if workflow is None:
            continue
        if lesson.get_latest_revision() is None:  # made in code, never saved in the editor
            lesson.save_revision(user=user, log_action=True)
        workflow.start(lesson, user)
        submitted.append(lesson)
    return submitted


def unpublished_module_of(lesson: LessonPage) -> ModulePage | None:
    """The lesson's module when learners cannot reach it yet (its address gives a 404)."""
    module = lesson.get_parent().specific
    if isinstance(module, ModulePage) and not module.live:
        return module
    return None


def dutch_module_index() -> ModuleIndexPage | None:
    """Where trainers write new modules: the module overview of the Dutch site."""
    return ModuleIndexPage.objects.filter(locale=Locale.get_default()).order_by("path").first()
