"""An easy-language check beside the lesson editor: it warns, it never blocks.

The panel renders the check of the draft it was opened with; ``courses.admin_views``
renders the same findings again from the editor's current content when the editor
autosaves or the trainer asks for it ("Opnieuw controleren").
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel

from courses.readability import LONG_SENTENCE_WORDS, check_lesson
from courses.wordlist import glossary_words

# Below this Flesch-Douma score a text is no longer "easy" for most readers (60–70 is
# "fairly easy" on Douma's scale); a warning, not a rule.
DOUMA_WARNING = 65
# "Eerst aanpakken" names this many of the hardest sentences; each step lists all of its own.
HARDEST_SHOWN = 3

FROM_DRAFT = "draft"
FROM_EDITOR = "editor"


def findings_context(lesson, *, source: str = FROM_DRAFT) -> dict:
    """What ``courses/panels/readability_findings.html`` needs, for the panel and the
    refresh view alike. ``source`` says what was checked: the saved draft or the editor."""
    check = check_lesson(lesson, known=glossary_words())
    overall = check.overall
    return {
        "check": check,
        "source": source,
        "limit": LONG_SENTENCE_WORDS,
        "douma_warning": DOUMA_WARNING,
        "hardest": check.hardest[:HARDEST_SHOWN],
        "hardest_more": max(len(check.hardest) - HARDEST_SHOWN, 0),
        "too_long": bool(overall.sentence_count)
        and overall.words_per_sentence > LONG_SENTENCE_WORDS,
        "too_hard": bool(overall.sentence_count) and overall.flesch_douma < DOUMA_WARNING,
    }


class ReadabilityPanel(Panel):
    def __init__(self, **kwargs):
        kwargs.setdefault("heading", _("Eenvoudige taal: controle"))
        super().__init__(**kwargs)

    @property
    def clean_name(self):
        return "readability"

    class BoundPanel(Panel.BoundPanel):
        template_name = "courses/panels/readability.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["saved"] = bool(self.instance.pk)
            if self.instance.pk:
                context.update(findings_context(self.instance))
                context["refresh_url"] = reverse("courses_easy_language", args=[self.instance.pk])
                context["edit_url"] = reverse("wagtailadmin_pages:edit", args=[self.instance.pk])
            return context
