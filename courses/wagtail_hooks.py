"""The admin for trainers: the glossary ("Woordenlijst"), H5P packages, editor fixes."""

from django.contrib.auth.models import Permission
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

import courses.admin_guidance  # noqa: F401 - registers the staff guidance hooks
from courses import admin_views
from courses.glossary import GlossaryTerm
from courses.h5p.admin import H5PPackageViewSet
from courses.roles import ADMINISTRATOR, REVIEWER, ROLES_HOOK, TRAINER


class GlossaryTermViewSet(SnippetViewSet):
    model = GlossaryTerm
    icon = "help"
    menu_label = _("Woordenlijst")
    menu_name = "woordenlijst"
    menu_order = 250
    add_to_admin_menu = True
    # The language column tells the Dutch term from its translations (same word, e.g. "eID").
    list_display = ["term", "variants", "explanation", "locale"]
    # A plain database filter: a few hundred short terms need no search index.
    search_fields = ["term", "variants", "explanation"]
    search_backend_name = None
    ordering = ["term"]


register_snippet(GlossaryTermViewSet)


@hooks.register("insert_editor_js")
def editor_field_names():
    """Rich-text editors get their field's label as accessible name (see the script)."""
    return format_html('<script src="{}"></script>', static("js/admin-editor-names.js"))


register_snippet(H5PPackageViewSet)


@hooks.register("insert_editor_js")
def easy_language_refresh():
    """The easy-language panel checks again after each autosave (see the script)."""
    return format_html('<script src="{}"></script>', static("js/admin-easy-language.js"))


@hooks.register("register_admin_urls")
def register_easy_language_url():
    return admin_views.admin_urls()


@hooks.register(ROLES_HOOK)
def staff_upload_h5p_packages(groups):
    """Trainers and reviewers upload H5P packages and choose them in lesson steps."""
    permissions = Permission.objects.filter(
        content_type__app_label="courses",
        codename__in=[f"{action}_h5ppackage" for action in ("add", "change", "delete", "view")],
    )
    for name in (ADMINISTRATOR, TRAINER, REVIEWER):
        groups[name].permissions.add(*permissions)
