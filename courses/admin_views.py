"""Admin views for trainers beside Wagtail's own: the easy-language check, refreshed.

The lesson editor's panel (``courses.panels.ReadabilityPanel``) asks this view for its
findings again when the editor autosaves or the trainer presses "Opnieuw controleren". The
rules live in ``courses.readability``; this view only finds the content to check.
"""

from django.http import HttpResponseForbidden
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.views.decorators.http import require_http_methods

from courses.models import LessonPage
from courses.panels import FROM_DRAFT, FROM_EDITOR, findings_context

FINDINGS_TEMPLATE = "courses/panels/readability_findings.html"


def editor_content_apply(lesson: LessonPage, data, files) -> bool:
    """Put the editor's unsaved title, intro and steps on ``lesson`` (never saved).

    The steps are read the way the editor's form reads them, but without validation: a
    half-written step (no title yet, an exercise without answers) is still worth checking.
    False, and ``lesson`` untouched, when the data is not an editor form of this lesson.
    """
    stream_block = LessonPage._meta.get_field("steps").stream_block
    try:
        steps = stream_block.value_from_datadict(data, files, "steps")
    except (KeyError, ValueError, TypeError):
        return False
    lesson.title = data.get("title", lesson.title)
    lesson.intro = data.get("intro", lesson.intro)
    lesson.steps = steps
    return True


@require_http_methods(["GET", "POST"])
def lesson_easy_language(request, page_id):
    """The panel's findings: GET checks the latest draft; POST checks the editor's form
    data as sent (the same fields the editor posts when it saves)."""
    lesson = get_object_or_404(LessonPage, pk=page_id)
    if not lesson.permissions_for_user(request.user).can_edit():
        # A plain 403, not PermissionDenied: the admin turns that into a redirect to the
        # dashboard, whose page the script would then show inside the panel.
        return HttpResponseForbidden()
    draft = lesson.get_latest_revision_as_object()
    source = FROM_DRAFT
    if request.method == "POST" and editor_content_apply(draft, request.POST, request.FILES):
        source = FROM_EDITOR
    return render(request, FINDINGS_TEMPLATE, findings_context(draft, source=source))


def admin_urls():
    return [
        path(
            "lessen/<int:page_id>/eenvoudige-taal/",
            lesson_easy_language,
            name="courses_easy_language",
        )
    ]
