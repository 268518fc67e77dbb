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
- ``site_for_request``: the request's Site with its root page already specific, from the
  shared cache, so neither the site (Wagtail's lookup by host and port), the active Locale
  nor the home page costs a query. ``CachedSiteMiddleware`` hands it to Wagtail.
- ``view_restrictions``: the restrictions of the page and its ancestors, with Wagtail's
  rule for aliases (an alias uses its source page's restrictions). The ancestors' paths are
  prefixes of the page's own ``path``, so one query reads them with a flag "restricted";
  the parent among them serves the breadcrumb too. Only a restricted tree costs a second
  query.
"""

from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.http.request import split_domain_port
from wagtail.models import Page, PageViewRestriction, Site

from toolkit.versions import (
    prefetch,
    recall,
    remember,
    request_memo,
    version_read,
    version_renew,
    versioned_get,
    versioned_set,
)

# By the tree rules a lesson is three levels below the home page (index, module, lesson):
# shorter addresses go straight to Wagtail's walk, so module pages cost no query more.
# Longer addresses than MAX are not lessons of this tree: the walk answers them (a 404).
MIN_COMPONENTS = 3
MAX_COMPONENTS = 8


def lesson_route(root, request, path_components, lesson_model):
    """``lesson.route(request, rest)`` for the lesson below ``root`` the address names, or
    None when no lesson's address starts the path (then Wagtail's walk decides).

    The lesson found for an address is kept in the shared cache per tree version (any page
    saved, moved or deleted makes a new one), but only once its own ``route`` accepted the
    rest of the address: the keys are the lessons' real addresses (steps and end page),
    never whatever a visitor types after them. Its ancestors (``_ancestors_read``) are kept
    with it, as they change with the same version: one cache read gives both.
    """
    if not MIN_COMPONENTS <= len(path_components) <= MAX_COMPONENTS:
        return None
    version = version_read(TREE_VERSION_KEY)
    key = f"courses:routing:lesson:{version}:{root.pk}:{'/'.join(path_components)}"
    kept = versioned_get(key)
    if kept is not None:
        lesson, length = kept
        return lesson.route(request, path_components[length:])
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
    length = prefixes[lesson.url_path]
    lesson._kept_ancestors = _ancestors_read(lesson)
    found = lesson.route(request, path_components[length:])
    versioned_set(key, (lesson, length), LESSON_SECONDS)
    return found


# One cache entry for every host: one get per request, and one delete forgets them all. It
# holds Wagtail's site root paths too (``Site.get_site_root_paths``, what every page URL is
# made from), which change with the sites and their home pages.
SITE_CACHE_KEY = "courses:routing:sites:2"
ROOT_PATHS_KEY = "courses:routing:root-paths"
# A change is forgotten at once through the signals below; the expiry only bounds what an
# edit outside Django's signals (a raw SQL update) could leave behind.
SITE_CACHE_SECONDS = 300
# The hosts a site answers are few (ALLOWED_HOSTS); the cap keeps any other from growing it.
SITE_CACHE_HOSTS = 16
_MISSING = object()


def site_for_request(request, sites=_MISSING):
    """Wagtail's ``Site.find_for_request``, from the shared cache when possible.

    The cached Site's ``root_page`` is the specific home page, so Wagtail's routing
    (``site.root_page.localized.specific.route``) needs no query for it: HomePage's
    ``localized`` is itself (its translations are never live). Only hosts Django accepts are
    cached: any other goes to Wagtail's own lookup, which answers them as before.
    """
    try:
        request.get_host()
    except DisallowedHost:
        return Site.find_for_request(request)
    hostname = split_domain_port(request._get_raw_host())[0]
    key = f"{hostname}:{request.get_port()}"
    if sites is _MISSING:
        sites = cache.get(SITE_CACHE_KEY)
    sites = sites or {"hosts": {}, "root_paths": None}
    site = sites["hosts"].get(key, _MISSING)
    if site is _MISSING:
        site = Site._find_for_request(request)
        if site is not None:
            site.root_page = site.root_page.specific
        if len(sites["hosts"]) < SITE_CACHE_HOSTS:
            sites = {
                "hosts": {**sites["hosts"], key: site},
                "root_paths": sites["root_paths"] or Site.get_site_root_paths(),
            }
            cache.set(SITE_CACHE_KEY, sites, SITE_CACHE_SECONDS)
    if sites["root_paths"] is not None:
        # Wagtail keeps them on the request (``{% pageurl %}``), pages read them from the
        # request memo (``FewQueriesMixin``): page URLs then cost no cache read.
        request._wagtail_cached_site_root_paths = sites["root_paths"]
        remember(ROOT_PATHS_KEY, sites["root_paths"])
    return site


def site_cache_clear() -> None:
    cache.delete(SITE_CACHE_KEY)


def site_changed(sender, instance=None, **_kwargs) -> None:
    """Signal receiver: a site, or a page a site may start at, changed or was deleted.

    Any save of a page at the top two levels (Wagtail's root, the home page) counts, so a
    published home page shows at once; deeper pages are never a site's root here.
    """
    if isinstance(instance, Page) and instance.depth is not None and instance.depth > 2:
        return
    if not isinstance(instance, Page | Site):
        return
    site_cache_clear()
    # A request served before the change is committed may have cached the old site again.
    transaction.on_commit(site_cache_clear)


class CachedSiteMiddleware:
    """Gives Wagtail's page view the request's site from the cache (``site_for_request``).

    Wagtail keeps the site it found on ``request._wagtail_site``; setting it first means
    its own lookup never runs. The sites come in one cache read together with the versions
    a lesson step reads (the tree's and the steps' HTML), which are then remembered for the
    request (``toolkit.versions.request_memo``).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with request_memo():
            return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # Only for Wagtail's page view: health checks, answers and static files neither
        # need the site nor should touch the cache for it.
        if request.resolver_match.url_name == "wagtail_serve":
            from courses.step_cache import VERSION_KEY  # courses.models imports this module

            found = prefetch([TREE_VERSION_KEY, VERSION_KEY], [SITE_CACHE_KEY])
            request._wagtail_site = site_for_request(request, found.get(SITE_CACHE_KEY))


# Any page saved, moved or deleted, or a restriction added or removed, makes a new version:
# the ancestors kept below are keyed on it. Editors change pages rarely; learners never do.
TREE_VERSION_KEY = "courses:routing:tree"
ANCESTORS_SECONDS = 300
LESSON_SECONDS = 300


def tree_changed(sender, instance=None, **_kwargs) -> None:
    """Signal receiver: a page or a view restriction changed, so kept ancestors are old."""
    if not isinstance(instance, Page | PageViewRestriction):
        return
    version_renew(TREE_VERSION_KEY)


def _ancestors_read(page) -> tuple[bool, object]:
    """(whether the page or an ancestor is restricted, the parent page or None): one query
    reads the ancestors with, per row, whether it or its source page (for an alias) has a
    restriction."""
    paths = [page.path[:end] for end in range(Page.steplen, len(page.path) + 1, Page.steplen)]
    restricted = PageViewRestriction.objects.filter(page=OuterRef("pk"))
    source_restricted = PageViewRestriction.objects.filter(page=OuterRef("alias_of"))
    rows = list(
        Page.objects.filter(path__in=paths)
        .annotate(restricted=Exists(restricted), source_restricted=Exists(source_restricted))
        .order_by("path")
    )
    ancestors = [row for row in rows if row.path != page.path]
    parent = ancestors[-1] if ancestors and ancestors[-1].depth == page.depth - 1 else None
    return any(row.restricted or row.source_restricted for row in rows), parent


def _ancestors(page) -> tuple[bool, object]:
    """``_ancestors_read``, kept in the shared cache per tree version: a lesson step then
    reads neither its ancestors nor their restrictions. A lesson found by ``lesson_route``
    brings them along."""
    kept = page.__dict__.get("_kept_ancestors")
    if kept is not None:
        return kept
    key = f"courses:routing:ancestors:{version_read(TREE_VERSION_KEY)}:{page.pk}"
    kept = cache.get(key)
    if kept is None:
        kept = _ancestors_read(page)
        cache.set(key, kept, ANCESTORS_SECONDS)
    return kept


def view_restrictions(page):
    """What ``Page.get_view_restrictions`` returns, usually without a query of its own.

    Whether the page or an ancestor is restricted, and the page's parent, come from
    ``_ancestors`` (the cache, or one query). The parent is kept as treebeard's cached
    parent, so the lesson's breadcrumb (``page.get_parent``) costs nothing more. Only when a
    restriction exists does a query return them, with Wagtail's alias rule.
    """
    restricted, parent = _ancestors(page)
    if parent is not None:
        page.__dict__.setdefault("_cached_parent_obj", parent)
        # The parent is a plain Page (no FewQueriesMixin): its URL reads the root paths
        # this request already has instead of the cache.
        paths = recall(ROOT_PATHS_KEY)
        if paths is not None:
            parent.__dict__.setdefault("_wagtail_cached_site_root_paths", paths)
    if not restricted:
        return PageViewRestriction.objects.none()
    paths = [page.path[:end] for end in range(Page.steplen, len(page.path) + 1, Page.steplen)]
    return PageViewRestriction.objects.filter(
        Q(page__path__in=paths, page__alias_of__isnull=True) | Q(page__aliases__path__in=paths)
    ).distinct()


class FewQueriesMixin:
    """For every page model of the tree: view restrictions in one query, and page URLs from
    the site root paths this request already read (``site_for_request``)."""

    def get_view_restrictions(self):
        return view_restrictions(self)

    def _get_site_root_paths(self, cache_object=None, **kwargs):
        if cache_object is None and not kwargs:
            paths = recall(ROOT_PATHS_KEY)
            if paths is not None:
                return paths
        return super()._get_site_root_paths(cache_object, **kwargs)
