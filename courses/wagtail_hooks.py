"""The glossary in the admin: a snippet called "Woordenlijst" that trainers keep up to date."""

from django.utils.translation import gettext_lazy as _
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
