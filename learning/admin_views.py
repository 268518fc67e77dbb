"""The trainers' figures on the practice sandboxes, in the admin's Reports menu.

Where do learners get stuck in a sandbox? Counts of learners per sandbox and per step,
anonymous and with small counts suppressed (``selectors.SMALL_COUNT``): a trainer improves
the lesson, never follows a learner. Learners' own runs are for their digihelper, under
their mandate (``learning.views.helpers``).
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET
from wagtail.admin.menu import MenuItem
from wagtail.permission_policies.pages import PagePermissionPolicy

from learning import selectors


def may_see_sandbox_figures(user) -> bool:
    """Staff who write or review lessons (trainers, reviewers, administrators): they are the
    ones who can change a lesson where learners get stuck. Partner editors and digihelpers
    write no pages, so they do not see it."""
    return PagePermissionPolicy().user_has_any_permission(user, ["add", "change", "publish"])


@require_GET
def sandbox_figures(request):
    if not may_see_sandbox_figures(request.user):
        # The admin answers this with its "no permission" message on the dashboard.
        raise PermissionDenied
    return render(
        request,
        "learning/admin/sandbox_figures.html",
        {
            "figures": selectors.sandbox_stuck_figures(),
            "small_count": selectors.SMALL_COUNT,
            "page_title": _("Oefenapps: waar lopen leerders vast?"),
            "header_icon": "warning",
        },
    )


class SandboxFiguresMenuItem(MenuItem):
    def is_shown(self, request):
        return may_see_sandbox_figures(request.user)


def admin_urls():
    return [path("oefenapps/vastgelopen/", sandbox_figures, name="learning_sandbox_figures")]


def menu_item():
    return SandboxFiguresMenuItem(
        gettext_lazy("Oefenapps: vastgelopen stappen"),
        reverse("learning_sandbox_figures"),
        name="oefenapps-vastgelopen",
        icon_name="warning",
        order=1300,
    )
