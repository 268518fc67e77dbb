"""The admin for trainers: the glossary snippet ("Woordenlijst") and editor fixes."""

from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from courses.glossary import GlossaryTerm


class GlossaryTermViewSet(SnippetViewSet):
    model = GlossaryTerm
    icon = "help"
    menu_label = _("Woordenlijst")
    menu_name = "woordenlijst"
    menu_order = 250
    add_to_admin_menu = True
    list_display = ["term", "variants", "explanation"]
    # A plain database filter: a few hundred short terms need no search index.
    search_fields = ["term", "variants", "explanation"]
    search_backend_name = None
    ordering = ["term"]


register_snippet(GlossaryTermViewSet)


@hooks.register("insert_editor_js")
def editor_field_names():
    """Rich-text editors get their field's label as accessible name (see the script)."""
    return format_html('<script src="{}"></script>', static("js/admin-editor-names.js"))
