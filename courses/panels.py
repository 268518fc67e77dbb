"""An easy-language check beside the lesson editor: it warns, it never blocks."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel

from courses.readability import LONG_SENTENCE_WORDS, analyse, lesson_text
from courses.wordlist import glossary_words

# Below this Flesch-Douma score a text is no longer "easy" for most readers (60–70 is
# "fairly easy" on Douma's scale); a warning, not a rule.
DOUMA_WARNING = 65
# The panel names this many words not in the basic word list, then "en nog N".
UNKNOWN_SHOWN = 15


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
            result = None
            if self.instance.pk:
                result = analyse(lesson_text(self.instance), known=glossary_words())
            unknown = result.unknown_words if result else []
            context.update(
                {
                    "result": result,
                    "limit": LONG_SENTENCE_WORDS,
                    "douma_warning": DOUMA_WARNING,
                    "too_long": bool(result and result.words_per_sentence > LONG_SENTENCE_WORDS),
                    "too_hard": bool(result and result.flesch_douma < DOUMA_WARNING),
                    "unknown_shown": unknown[:UNKNOWN_SHOWN],
                    "unknown_more": max(len(unknown) - UNKNOWN_SHOWN, 0),
                }
            )
            return context
