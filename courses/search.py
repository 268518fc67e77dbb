"""Site search over the course pages: live, public, Dutch modules and lessons.

/zoeken/ also lists the partners' courses; that view lives in catalogue (``views_public``),
which may import courses, never the other way round. The catalogue's own search
(``catalogue.next_steps.search_entries``) cleans its words with ``clean_query`` too.
"""

import re

from wagtail.models import Locale

from courses.models import LessonPage, ModulePage


def clean_query(query: str) -> str:
    """Words only: punctuation would be full-text syntax (quotes, stars, brackets).

    The index splits words on punctuation too, so "e-ID" still finds "e-ID".
    """
    return " ".join(re.sub(r"[^\w\s]", " ", query).split())


def search_pages(query: str, *, limit: int = 20) -> list:
    """Live, public modules and lessons matching the words (Wagtail page search), best first.

    Two searches rather than one over ``Page``: each type is searched on its own fields
    (a module's summary, a lesson's intro), and each result is already the specific page.
    """
    words = clean_query(query)
    if not words:
        return []
    # Search backends filter on indexed fields only, so the Dutch locale goes in by id.
    dutch = Locale.get_default()
    modules = list(ModulePage.objects.live().public().filter(locale=dutch).search(words)[:limit])
    lessons = list(LessonPage.objects.live().public().filter(locale=dutch).search(words)[:limit])
    return (modules + lessons)[:limit]
