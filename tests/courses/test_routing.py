"""The lesson shortcut routes exactly like Wagtail's walk, and view restrictions still hold.

courses/routing.py finds a lesson by its ``url_path`` in one query and reads view
restrictions with the ancestors in one query. Both are compared here with Wagtail's own
methods (``Page.route`` walked from the home page, ``Page.get_view_restrictions``) over
addresses and restrictions that a visitor or an editor can make.
"""

import pytest
from django.http import Http404
from django.test import RequestFactory
from wagtail.models import Page, PageViewRestriction

from courses.factories import LessonPageFactory, ModulePageFactory, steps

pytestmark = pytest.mark.django_db


def routed(route, page, path):
    request = RequestFactory().get(path)
    try:
        found, args, kwargs = route(page, request, [part for part in path.split("/") if part])
    except Http404:
        return "404"
    return (found.pk, type(found).__name__, tuple(args), tuple(sorted(kwargs.items())))


def test_same_route_as_wagtails_walk(site_tree, module, lesson, second_lesson):
    home, index = site_tree
    draft_module = ModulePageFactory(parent=index, slug="nog-niet-klaar", live=False)
    under_draft = LessonPageFactory(parent=draft_module, slug="les-in-opbouw", steps=steps())
    draft = LessonPageFactory(parent=module, slug="ontwerp", steps=steps(), live=False)
    lesson_path = f"/modules/{module.slug}/{lesson.slug}"
    paths = [
        "/",
        "/modules/",
        f"/modules/{module.slug}/",
        f"{lesson_path}/",
        f"{lesson_path}/stap-2/",
        f"{lesson_path}/stap-3/",
        f"{lesson_path}/stap-4/",
        f"{lesson_path}/stap-0/",
        f"{lesson_path}/stap-02/",
        f"{lesson_path}/stap-1/",
        f"{lesson_path}/klaar/",
        f"{lesson_path}/klaar/meer/",
        f"{lesson_path}/onbekend/",
        f"{lesson_path.upper()}/",
        f"/modules/{module.slug}/{second_lesson.slug}/stap-2/",
        f"/modules/{module.slug}/{draft.slug}/",
        f"/modules/{draft_module.slug}/{under_draft.slug}/stap-2/",
        f"/modules/{module.slug}/bestaat-niet/",
        f"/modules/ander/{lesson.slug}/",
        f"/{lesson.slug}/",
        "/modules/" + "/".join(["x"] * 12) + "/",
    ]
    shortcut = {path: routed(type(home).route, home, path) for path in paths}
    walk = {path: routed(Page.route, home, path) for path in paths}
    assert shortcut == walk
    # The cases that matter, spelled out: steps, the end page, drafts.
    assert shortcut[f"{lesson_path}/stap-3/"][3] == (("step", 3),)
    assert shortcut[f"{lesson_path}/klaar/"][3] == (("finished", True),)
    assert shortcut[f"/modules/{module.slug}/{draft.slug}/"] == "404"
    assert shortcut[f"{lesson_path}/stap-4/"] == "404"


def restriction_ids(page):
    return sorted(restriction.pk for restriction in page.get_view_restrictions())


def wagtails_restriction_ids(page):
    return sorted(restriction.pk for restriction in Page.get_view_restrictions(page))


def test_view_restrictions_as_wagtail_reads_them(site_tree, module, lesson):
    home, index = site_tree
    other = ModulePageFactory(parent=index, slug="ander")
    alias = lesson.create_alias(parent=other, update_slug="kopie")
    pages = [home, index, module, lesson, other, alias.specific]
    assert all(restriction_ids(page) == [] for page in pages)

    on_module = PageViewRestriction.objects.create(
        page=module, restriction_type=PageViewRestriction.PASSWORD, password="geheim"
    )
    on_lesson = PageViewRestriction.objects.create(
        page=lesson, restriction_type=PageViewRestriction.LOGIN
    )
    for page in pages:
        fresh = Page.objects.get(pk=page.pk).specific
        assert restriction_ids(fresh) == wagtails_restriction_ids(fresh), page
    # The lesson has both; its alias elsewhere only the lesson's own (Wagtail's alias rule).
    assert restriction_ids(Page.objects.get(pk=lesson.pk).specific) == sorted(
        [on_module.pk, on_lesson.pk]
    )
    assert restriction_ids(Page.objects.get(pk=alias.pk).specific) == [on_lesson.pk]


def test_a_restricted_lesson_is_not_shown(client, module, lesson):
    url = lesson.step_url(2)
    assert client.get(url).status_code == 200
    PageViewRestriction.objects.create(
        page=module, restriction_type=PageViewRestriction.PASSWORD, password="geheim"
    )
    response = client.get(url)
    html = response.content.decode()
    assert "password" in html and "Uitleg" not in html, html[:500]


def test_breadcrumb_comes_from_the_same_query(client, module, lesson):
    html = client.get(lesson.step_url(2)).content.decode()
    assert f'<a href="{module.url}" lang="nl-BE" dir="ltr">{module.title}</a>' in html


# --- the site from the cache (courses/routing.py, site_for_request) -------------------------


def test_a_published_home_page_shows_at_once(client, site_tree):
    """The cached home page is forgotten when it is published, not after the cache expires."""
    home, _index = site_tree
    assert client.get("/").status_code == 200  # now cached
    home.intro = "Leer je eID gebruiken, stap voor stap."
    home.save_revision().publish()
    assert "Leer je eID gebruiken, stap voor stap." in client.get("/").content.decode()


def test_a_changed_site_root_shows_at_once(client, site_tree, module, lesson):
    from wagtail.models import Site

    home, _index = site_tree
    assert client.get(lesson.url).status_code == 200
    other = Page.get_first_root_node().add_child(
        instance=type(home)(title="Andere start", slug="andere-start")
    )
    site = Site.objects.get(is_default_site=True)
    site.root_page = other
    site.save()
    # The lesson is no longer under the site's root: Wagtail answers 404, as without a cache.
    assert client.get(f"/modules/{module.slug}/{lesson.slug}/").status_code == 404
    site.root_page = home
    site.save()
    assert client.get(f"/modules/{module.slug}/{lesson.slug}/").status_code == 200


def test_a_host_django_refuses_is_never_cached(site_tree, settings):
    from django.core.cache import cache

    from courses.routing import SITE_CACHE_KEY, site_for_request

    settings.ALLOWED_HOSTS = ["leren.example.be"]
    refused = RequestFactory().get("/", HTTP_HOST="aanval.example")
    accepted = RequestFactory().get("/", HTTP_HOST="leren.example.be")
    assert site_for_request(refused).root_page_id == site_tree[0].pk  # the default site
    assert cache.get(SITE_CACHE_KEY) is None
    assert site_for_request(accepted).root_page_id == site_tree[0].pk
    assert list(cache.get(SITE_CACHE_KEY)["hosts"]) == ["leren.example.be:80"]


def test_an_unpublished_lesson_is_gone_at_once(client, module, lesson):
    """The lesson found for an address is kept in the cache; unpublishing forgets it."""
    assert client.get(lesson.step_url(2)).status_code == 200
    lesson.unpublish()
    assert client.get(lesson.step_url(2)).status_code == 404


def test_only_real_addresses_of_a_lesson_are_kept(client, module, lesson):
    """A visitor typing after a lesson's address gets a 404 and leaves nothing in the cache."""
    from django.core.cache import cache

    for junk in ("stap-99/", "onbekend/", "stap-02/", "klaar/meer/"):
        assert client.get(f"{lesson.url}{junk}").status_code == 404
    assert not [key for key in cache._cache if "courses:routing:lesson" in key]
    assert client.get(lesson.step_url(2)).status_code == 200
    kept = [key for key in cache._cache if "courses:routing:lesson" in key]
    assert len(kept) == 1 and kept[0].endswith(f"{module.slug}/{lesson.slug}/stap-2")
