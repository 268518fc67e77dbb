"""A lesson step in few queries: one lookup instead of Wagtail's walk, one restriction query.

Wagtail routes ``/modules/<module>/<lesson>/stap-2/`` by walking the tree from the home
page: per level one query for the child and one for its specific page (six for a lesson),
then two more for view restrictions (the ancestors, then their restrictions). Lesson steps
are what learners open most, so here:

- ``lesson_route``: the lesson whose ``url_path`` is a prefix of the address, found in one
  query on ``LessonPage`` (Wagtail keeps ``url_path`` up to date on every save and move).
  Only ``LessonPage`` has a ``route()`` of its own and it has no children, so skipping the
  walk skips no page's routing. Anything else (module pages, the index, unknown addresses)
  falls back to Wagtail's walk, at one query more.
- ``view_restrictions``: the restrictions of the page and its ancestors, with Wagtail's
  rule for aliases (an alias uses its source page's restrictions). The ancestors' paths are
  prefixes of the page's own ``path``, so one query reads them with a flag "restricted";
  the parent among them serves the breadcrumb too. Only a restricted tree costs a second
  query.
"""

from django.db.models import Exists, OuterRef, Q
from wagtail.models import Page, PageViewRestriction

# By the tree rules a lesson is three levels below the home page (index, module, lesson):
# shorter addresses go straight to Wagtail's walk, so module pages cost no query more.
# Longer addresses than MAX are not lessons of this tree: the walk answers them (a 404).
MIN_COMPONENTS = 3
MAX_COMPONENTS = 8


def lesson_route(root, request, path_components, lesson_model):
    """``lesson.route(request, rest)`` for the lesson below ``root`` the address names, or
    None when no lesson's address starts the path (then Wagtail's walk decides)."""
    if not MIN_COMPONENTS <= len(path_components) <= MAX_COMPONENTS:
        return None
    prefixes = {
        root.url_path + "/".join(path_components[:length]) + "/": length
        for length in range(1, len(path_components) + 1)
    }
    lesson = (
        lesson_model.objects.filter(url_path__in=prefixes, path__startswith=root.path)
        .order_by("-depth")
        .first()
    )
    if lesson is None:
        return None
    return lesson.route(request, path_components[prefixes[lesson.url_path] :])


def view_restrictions(page):
    """What ``Page.get_view_restrictions`` returns, usually without a query of its own.

    One query reads the page's ancestors with, per row, whether it or its source page (for
    an alias) has a restriction. The parent among them is kept as treebeard's cached parent,
    so the lesson's breadcrumb (``page.get_parent``) costs nothing more. Only when a
    restriction exists does a second query return them, with Wagtail's alias rule.
    """
    paths = [page.path[:end] for end in range(Page.steplen, len(page.path) + 1, Page.steplen)]
    restricted = PageViewRestriction.objects.filter(page=OuterRef("pk"))
    source_restricted = PageViewRestriction.objects.filter(page=OuterRef("alias_of"))
    rows = list(
        Page.objects.filter(path__in=paths)
        .annotate(restricted=Exists(restricted), source_restricted=Exists(source_restricted))
        .order_by("path")
    )
    ancestors = [row for row in rows if row.path != page.path]
    if ancestors and ancestors[-1].depth == page.depth - 1:
        page.__dict__.setdefault("_cached_parent_obj", ancestors[-1])
    if not any(row.restricted or row.source_restricted for row in rows):
        return PageViewRestriction.objects.none()
    return PageViewRestriction.objects.filter(
        Q(page__path__in=paths, page__alias_of__isnull=True) | Q(page__aliases__path__in=paths)
    ).distinct()


class FewQueriesMixin:
    """For every page model of the tree: view restrictions in one query."""

    def get_view_restrictions(self):
        return view_restrictions(self)
