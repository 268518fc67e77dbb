"""Guidance for staff in the admin: where to start, the guide, and what is not live yet.

New trainers are volunteers and Digibank staff, not web editors. The dashboard opens on
"Begin hier", the Help menu holds our own guide (docs/authoring.md), a lesson under an
unpublished module says so, and a module goes to review together with its lessons.
"""

from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from markdown_it import MarkdownIt
from wagtail import hooks
from wagtail.admin.action_menu import ActionMenuItem
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.models import GroupPagePermission, Locale, WorkflowState

from courses import services
from courses.models import LessonPage, ModulePage

GUIDE = Path(settings.BASE_DIR) / "docs" / "authoring.md"
# The submit button's value that also submits the module's draft lessons (see below).
WITH_LESSONS = "met-lessen"


# --- the dashboard ---------------------------------------------------------------------


class StartHerePanel(Component):
    """First on the dashboard for everyone who may write pages."""

    name = "begin_hier"
    template_name = "courses/admin/start_here.html"
    order = 10

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context=None):
        user = self.request.user
        index = services.dutch_module_index()
        waiting = WorkflowState.objects.filter(
            requested_by=user, status=WorkflowState.STATUS_IN_PROGRESS
        ).count()
        return {
            "index": index,
            "can_add": bool(index and index.permissions_for_user(user).can_add_subpage()),
            "waiting": waiting,
            "guide_url": reverse("courses_admin_guide"),
        }


@hooks.register("construct_homepage_panels")
def start_here_first(request, panels):
    if not _writes_pages(request.user):
        return
    panels.insert(0, StartHerePanel(request))


def _writes_pages(user) -> bool:
    if user.is_superuser:
        return True
    # Asked by the dashboard and by the Help menu on every admin page: once per request.
    if not hasattr(user, "_digibank_writes_pages"):
        user._digibank_writes_pages = GroupPagePermission.objects.filter(
            group__user=user, permission__codename__in=["add_page", "change_page"]
        ).exists()
    return user._digibank_writes_pages


# --- the guide ---------------------------------------------------------------------------


def guide(request):
    """docs/authoring.md in the admin: the same text as in the repository, never a copy."""
    # html=False: the guide's Markdown may not carry raw HTML into the admin.
    body = (
        MarkdownIt("commonmark", {"html": False})
        .enable("table")
        .render(GUIDE.read_text(encoding="utf-8"))
    )
    return render(
        request,
        "courses/admin/guide.html",
        {"body": body, "page_title": _("Gids voor trainers"), "header_icon": "doc-full"},
    )


@hooks.register("register_admin_urls")
def guide_url():
    return [path("gids/", guide, name="courses_admin_guide")]


class GuideMenuItem(MenuItem):
    def is_shown(self, request):
        # Partner editors write no pages; their own guide is the import screen's text.
        return _writes_pages(request.user)


@hooks.register("register_help_menu_item")
def guide_in_help_menu():
    # Before Wagtail's own English guide: ours says how lessons are written here.
    return GuideMenuItem(
        gettext_lazy("Gids voor trainers"),
        reverse("courses_admin_guide"),
        name="gids-voor-trainers",
        icon_name="doc-full",
        order=900,
    )


# --- the explorer --------------------------------------------------------------------------


@hooks.register("construct_explorer_page_queryset")
def dutch_home_only(parent_page, pages, request):
    """At the top of the tree staff see the Dutch site only.

    Each language has its own copy of the home page; five of them hold translations that
    are made from the Dutch pages ("Vertalen" on a Dutch page), never written by hand.
    Administrators still see every copy.
    """
    if parent_page.is_root() and not request.user.is_superuser:
        return pages.filter(locale=Locale.get_default())
    return pages


# --- a lesson under an unpublished module ------------------------------------------------


def _unpublished_module_message(request, lesson):
    module = services.unpublished_module_of(lesson)
    if module is None:
        return
    messages.warning(
        request,
        format_html(
            "{} <a href='{}'>{}</a>",
            _(
                "De module '%(module)s' is nog niet gepubliceerd. Leerders zien deze les pas "
                "als de module ook gepubliceerd is."
            )
            % {"module": module.title},
            reverse("wagtailadmin_pages:edit", args=[module.pk]),
            _("Open de module"),
        ),
    )


@hooks.register("before_edit_page")
def warn_when_module_is_not_live(request, page):
    if request.method == "GET" and isinstance(page.specific_deferred, LessonPage):
        _unpublished_module_message(request, page.specific_deferred)


@hooks.register("after_publish_page")
def warn_after_publishing_under_unpublished_module(request, page):
    if isinstance(page.specific_deferred, LessonPage):
        _unpublished_module_message(request, page.specific_deferred)


# --- a module goes to review with its lessons --------------------------------------------


class SubmitWithLessonsMenuItem(ActionMenuItem):
    """ "Submit" that also submits the module's draft lessons.

    Its button carries Wagtail's own ``action-submit`` name, so the module goes through the
    ordinary submit path; ``after_edit_page`` then submits the lessons.
    """

    name = "action-submit"
    template_name = "courses/admin/submit_with_lessons.html"
    icon_name = "resubmit"
    order = 15

    def is_shown(self, context):
        page = context.get("page")
        if context["view"] != "edit" or context.get("locked_for_user"):
            return False
        if not isinstance(page, ModulePage):
            return False
        tester = self.get_user_page_permissions_tester(context)
        return tester.can_submit_for_moderation() and bool(services.draft_lessons(page))

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        count = len(services.draft_lessons(parent_context["page"]))
        context["label"] = ngettext(
            "Module en %(count)d les laten nakijken",
            "Module en %(count)d lessen laten nakijken",
            count,
        ) % {"count": count}
        context["value"] = WITH_LESSONS
        return context


@hooks.register("register_page_action_menu_item")
def submit_with_lessons():
    return SubmitWithLessonsMenuItem()


@hooks.register("after_edit_page")
def submit_lessons_with_module(request, page):
    if request.POST.get("action-submit") != WITH_LESSONS:
        return
    if not isinstance(page.specific_deferred, ModulePage):
        return
    # Fresh from the database: the edit view cached "no workflow" before it submitted.
    module = ModulePage.objects.get(pk=page.pk)
    if not module.workflow_in_progress:
        return  # the module itself was not submitted (e.g. it was locked meanwhile)
    lessons = services.lessons_submit_with_module(module=module, user=request.user)
    if lessons:
        messages.success(
            request,
            ngettext(
                "Ook %(count)d les wacht nu op nakijken: %(titles)s.",
                "Ook %(count)d lessen wachten nu op nakijken: %(titles)s.",
                len(lessons),
            )
            % {"count": len(lessons), "titles": ", ".join(lesson.title for lesson in lessons)},
        )
