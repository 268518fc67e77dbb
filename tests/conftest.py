import os

import pytest
from django.core.cache import cache

from catalogue import services as catalogue_services
from courses.demo import site_ensure
from courses.factories import LessonPageFactory, ModulePageFactory, steps
from toolkit import versions

# Playwright's sync API runs an event loop in the test thread; Django would otherwise refuse
# ORM calls from it (SynchronousOnlyOperation).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def site_tree(db):
    """Home page, module index and default site (transactional tests wipe Wagtail's tree)."""
    return site_ensure()


@pytest.fixture
def module_index(site_tree):
    return site_tree[1]


@pytest.fixture
def module(module_index):
    return ModulePageFactory(parent=module_index, title="Je eID", slug="je-eid")


@pytest.fixture
def lesson(module):
    """Two text steps, then a single-choice exercise (step 3)."""
    return LessonPageFactory(parent=module, title="Je pincode", slug="je-pincode", steps=steps())


@pytest.fixture
def second_lesson(module, lesson):
    return LessonPageFactory(
        parent=module, title="Je PUK-code", slug="je-puk-code", steps=steps(1, ("true_false",))
    )


@pytest.fixture(autouse=True)
def _no_catalogue_dates_catch_up(monkeypatch):
    """The catch-up of started next dates runs at most every few minutes, from any request
    that lists the catalogue: put off, so that query counts do not depend on which test ran
    first. tests/catalogue/test_next_steps_dates.py runs it itself."""
    monkeypatch.setattr(catalogue_services, "_catch_up_next_look", float("inf"))


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Pages keep the glossary, the site, a lesson's ancestors and steps, catalogue counts
    and exports in the cache across requests; a rolled-back test must leave none of them
    (ids come back after a rollback, and a version key may survive it)."""
    cache.clear()
    versions.local_clear()
    yield
    cache.clear()
    versions.local_clear()
