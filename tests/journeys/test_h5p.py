"""An anonymous learner plays the project's own H5P package inside a lesson.

The frame is sandboxed (opaque origin): the statement reaches the site only through the
lesson page, the lesson completes, a reload resumes the activity, and package code in the
frame can neither read the site's cookies nor call a learner endpoint as the learner.
"""

import contextlib
import io
import re

import pytest
from playwright.sync_api import expect

from courses.demo import site_ensure
from courses.factories import LessonPageFactory, ModulePageFactory, h5p_step, text_step
from courses.h5p import fixtures, services
from learning.models import H5PUserData, LessonProgress, XapiStatement
from tests.journeys.conftest import new_context
from tests.journeys.helpers import run_axe, size_problems

pytestmark = pytest.mark.browser
RIGHT = "Ik geef mijn pincode nooit"
WRONG = "Ik stuur mijn pincode terug"


@pytest.fixture
def h5p_lesson_live(transactional_db):
    _home, index = site_ensure()
    module = ModulePageFactory(parent=index, title="Veilig bankieren", slug="veilig-bankieren")
    package = services.package_store(file=io.BytesIO(fixtures.build_package()))
    return LessonPageFactory(
        parent=module,
        title="Pincode geheim",
        slug="pincode-geheim",
        steps=[text_step(title="Uitleg"), h5p_step(package, title="Oefen met H5P")],
    )


def tracked_context(browser, **options):
    """A browser context that counts its requests still waiting for an answer."""
    context = new_context(browser, **options)
    context.in_flight = set()
    context.on("request", lambda request: context.in_flight.add(request))
    context.on("requestfinished", lambda request: context.in_flight.discard(request))
    context.on("requestfailed", lambda request: context.in_flight.discard(request))
    return context


def close_quietly(context):
    """Close after the last request has been answered.

    The activity saves its state every few seconds and when the page goes away. A save
    still running when the test database is flushed deadlocks PostgreSQL's TRUNCATE, so:
    go offline (no new save reaches the server), wait for the ones already sent, close.
    """
    context.set_offline(True)
    for _tick in range(200):  # at most 10 s
        if not context.in_flight:
            break
        context.pages[0].wait_for_timeout(50)
    context.close()


@pytest.fixture
def h5p_page(browser, live_server, h5p_lesson_live):
    """A page under the site's CSP; errors in the page or the frame fail the test."""
    context = tracked_context(browser)
    page = context.new_page()
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on(
        "console",
        lambda message: problems.append(message.text) if message.type == "error" else None,
    )
    page.problems = problems
    yield page
    close_quietly(context)


def open_activity(page, url):
    page.goto(url)
    page.locator("[data-h5p][data-h5p-ready=true]").wait_for(state="attached", timeout=15000)
    return page.frame_locator(".h5p-activity iframe")


def player_frame(page):
    return next(frame for frame in page.frames if "/h5p/speler/" in frame.url)


def wait_stored(page, count):
    page.wait_for_function(
        "n => Number(document.querySelector('[data-h5p]').dataset.h5pStored || 0) >= n", arg=count
    )


def test_anonymous_learner_plays_h5p_and_completes_lesson(h5p_page, live_server, h5p_lesson_live):
    page = h5p_page
    frame = open_activity(page, live_server.url + h5p_lesson_live.step_url(2))
    assert page.locator(".h5p-activity iframe").get_attribute("sandbox") == "allow-scripts"
    frame.get_by_text(RIGHT).click()
    frame.get_by_role("button", name="Controleer").click()
    wait_stored(page, 2)
    assert "alle oefeningen" in page.locator("[data-h5p-feedback]").inner_text()
    rows = list(XapiStatement.objects.order_by("pk"))
    assert [row.verb for row in rows] == ["answered", "completed"]
    assert all(row.score == 1.0 and row.success for row in rows)
    actor = rows[0].data["actor"]
    assert actor["account"]["name"] == str(rows[0].learner.public_id)
    assert "mbox" not in actor
    progress = LessonProgress.objects.get()
    assert progress.is_completed and progress.score == 100
    page.goto(live_server.url + h5p_lesson_live.finish_url())
    assert page.problems == [], page.problems


def test_activity_resumes_after_reload(h5p_page, live_server, h5p_lesson_live):
    page = h5p_page
    url = live_server.url + h5p_lesson_live.step_url(2)
    frame = open_activity(page, url)
    frame.get_by_text(WRONG).click()
    frame.get_by_role("button", name="Controleer").click()
    wait_stored(page, 2)
    for _attempt in range(40):
        if H5PUserData.objects.exists():
            break
        page.wait_for_timeout(250)
    assert H5PUserData.objects.get().state == '{"chosen":0,"checked":true}'
    block_id = next(iter(h5p_lesson_live.exercises))
    # The lesson is complete (see below), but a wrong answer is never praised.
    assert "Goed zo" not in page.locator("[data-h5p-feedback]").inner_text()
    # A wrong answer is a try, not a pass. (The lesson itself is complete: an H5P exercise is
    # extra and never blocks it, and this lesson has no other exercise.)
    assert LessonProgress.objects.get().exercises[block_id]["passed"] is False

    frame = open_activity(page, url)
    assert frame.get_by_role("radio").first.is_checked()
    assert "Niet juist" in frame.locator(".feedback").inner_text()
    frame.get_by_text(RIGHT).click()
    frame.get_by_role("button", name="Controleer").click()
    wait_stored(page, 2)
    assert LessonProgress.objects.get().exercises[block_id]["passed"] is True
    assert page.problems == [], page.problems


def test_frame_cannot_read_cookies_or_call_the_site_as_the_learner(
    h5p_page, live_server, h5p_lesson_live
):
    page = h5p_page
    frame = open_activity(page, live_server.url + h5p_lesson_live.step_url(2))
    frame.get_by_text(WRONG).click()
    frame.get_by_role("button", name="Controleer").click()
    wait_stored(page, 2)
    # The lesson page holds the learner's cookie: there is something to steal.
    assert any(cookie["name"] == "leerder" for cookie in page.context.cookies())

    player = player_frame(page)
    cookie = player.evaluate(
        "() => { try { return 'read:' + document.cookie; } catch (e) { return 'blocked'; } }"
    )
    assert cookie == "blocked"
    parent = player.evaluate(
        "() => { try { return window.parent.document.cookie; } catch (e) { return 'blocked'; } }"
    )
    assert parent == "blocked"
    export = player.evaluate(
        """async (url) => {
            try {
                const response = await fetch(url, {credentials: 'include'});
                return 'status:' + response.status + ':' + (await response.text()).slice(0, 40);
            } catch (e) { return 'blocked'; }
        }""",
        live_server.url + "/mijn/gegevens/download.json",
    )
    assert export == "blocked"
    posted = player.evaluate(
        """async (url) => {
            try {
                const body = JSON.stringify({les: 1, oefening: 'x', state: '{}'});
                const response = await fetch(url, {method: 'POST', credentials: 'include', body});
                return 'status:' + response.status;
            } catch (e) { return 'blocked'; }
        }""",
        live_server.url + "/leren/h5p/stand/",
    )
    assert posted == "blocked"
    assert XapiStatement.objects.count() == 2  # nothing more arrived
    page.problems.clear()  # the blocked requests above are reported as console errors


def test_lesson_page_with_h5p_passes_axe(browser, live_server, h5p_lesson_live, axe_source):
    context = tracked_context(browser, bypass_csp=True)
    page = context.new_page()
    open_activity(page, live_server.url + h5p_lesson_live.step_url(2))
    violations = run_axe(page, axe_source)
    sizes = size_problems(page)
    close_quietly(context)
    assert violations == [], violations
    assert sizes["small"] == [] and sizes["tiny"] == [], sizes


def test_without_javascript_the_learner_is_told_and_can_go_on(
    browser, live_server, h5p_lesson_live
):
    context = new_context(browser, javascript=False)
    page = context.new_page()
    page.goto(live_server.url + h5p_lesson_live.step_url(2))
    assert "werkt alleen met JavaScript" in page.locator("#oefening").inner_text()
    assert page.locator("iframe").count() == 0
    page.get_by_role("link", name="Les afronden").click()
    expect(page).to_have_url(re.compile(r"/klaar/$"))
    context.close()


def test_h5p_figures(browser, live_server, h5p_lesson_live):
    """Time from the lesson page load to an interactive activity, and the player's bytes.

    Printed for docs/benchmarks.md (run with -s); the bound is only a guard against hangs.
    """
    context = tracked_context(browser)
    page = context.new_page()
    sizes = {}

    def count(response):
        url = response.url
        if "/h5p/" in url or "h5p-" in url or "/vendor/h5p-standalone/" in url:
            # A redirect or an aborted request has no body.
            with contextlib.suppress(Exception):
                sizes[url] = len(response.body())

    page.on("response", count)
    url = live_server.url + h5p_lesson_live.step_url(2)
    page.goto(url)  # first visit: fills the browser cache like a learner's first lesson
    first = page.locator("[data-h5p][data-h5p-ready=true]")
    first.wait_for(state="attached", timeout=15000)
    first_ms = int(first.get_attribute("data-h5p-ready-ms"))
    first_bytes = sum(sizes.values())
    timings = []
    for _run in range(3):
        page.goto(url)
        holder = page.locator("[data-h5p][data-h5p-ready=true]")
        holder.wait_for(state="attached", timeout=15000)
        timings.append(int(holder.get_attribute("data-h5p-ready-ms")))
    close_quietly(context)
    timings.sort()
    print(f"\nH5P: page load to interactive, first visit: {first_ms} ms")
    print(f"H5P: page load to interactive, next visits, median of 3: {timings[1]} ms")
    print(f"H5P: bytes for the player and package on a first visit: {first_bytes}")
    assert timings[1] < 10_000
