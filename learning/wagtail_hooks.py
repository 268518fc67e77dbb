import logging

from django.contrib.auth.models import Group
from django.db import DatabaseError, InterfaceError
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.viewsets.model import ModelViewSet

from courses.models import LessonPage
from courses.roles import ROLES_HOOK
from learning import admin_views, selectors, services
from learning.middleware import get_learner
from learning.models import Digihelper

logger = logging.getLogger(__name__)


@hooks.register("before_serve_page")
def remember_step(page, request, serve_args, serve_kwargs):
    """Remember the step a known learner is on, so "Ga verder waar je was" can find it.

    Only learners who already answered something exist; a first visit writes nothing.
    """
    if not isinstance(page, LessonPage) or request.method != "GET":
        return None
    step = serve_kwargs.get("step")
    learner = get_learner(request)
    if learner is not None and step:
        try:
            progress = services.step_view_record(learner=learner, lesson=page, step=step)
        except (DatabaseError, InterfaceError):
            # Remembering the step is a courtesy: a locked or broken database must never
            # keep the learner from reading the step itself.
            logger.exception("Step view not recorded for lesson %s, step %s", page.pk, step)
            return None
        # The lesson template needs this row too: hand it over instead of querying again.
        request.__dict__.setdefault("_lesson_progress", {})[page.pk] = progress
    return None


@hooks.register("before_delete_page")
def warn_about_learners_progress(request, page):
    """On the delete page, tell the editor how many learners worked in what goes away.

    Their progress and answers stay (with the lesson's title) but the lesson is gone for
    them, so unpublishing is the better choice. Shown on the confirmation (GET) only.
    """
    if request.method != "GET":
        return None
    count = selectors.learners_with_progress_below(page)
    if not count:
        return None
    if isinstance(page, LessonPage):
        lead = _("Leerders met voortgang in deze les: %(count)s.")
    else:
        lead = _("Leerders met voortgang in de lessen van deze pagina: %(count)s.")
    messages.warning(
        request,
        " ".join(
            [
                str(lead) % {"count": count},
                str(
                    _(
                        "Verwijder je ze toch? Dan blijven hun voortgang en antwoorden bewaard, "
                        "met de titel van de les. Maar de les zelf kunnen ze niet meer openen. "
                        "Zet de les liever offline (unpublish) in plaats van te verwijderen."
                    )
                ),
            ]
        ),
    )
    return None


# --- digihelpers in the admin ----------------------------------------------------------------

DIGIHELPER = "Digihelper"


class DigihelperViewSet(ModelViewSet):
    """Administrators link a user account to a Digipunt; the helper code is made for them."""

    model = Digihelper
    icon = "group"
    menu_label = _("Digihelpers")
    menu_order = 310
    add_to_admin_menu = True
    form_fields = ["user", "digipunt"]
    list_display = ["user", "digipunt", "helper_code"]
    search_fields = ["user__username", "helper_code"]
    copy_view_enabled = False


@hooks.register("register_admin_viewset")
def register_digihelper_viewset():
    return DigihelperViewSet("digihelpers")


@hooks.register(ROLES_HOOK)
def digihelper_role(groups):
    """Digihelpers use /helpers/, not the admin: the group carries no admin permission."""
    groups[DIGIHELPER], _created = Group.objects.get_or_create(name=DIGIHELPER)


# --- the trainers' figures on the practice sandboxes ---------------------------------------


@hooks.register("register_admin_urls")
def register_sandbox_figures_url():
    return admin_views.admin_urls()


@hooks.register("register_reports_menu_item")
def register_sandbox_figures_menu_item():
    return admin_views.menu_item()
