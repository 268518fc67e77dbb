"""Real browser tests: Playwright drives Debian's Chromium against a live server.

In CI (CI=true) a missing browser fails the run; elsewhere the browser tests are skipped
with the command that installs it. Never `playwright install`: it downloads a browser.
"""

from pathlib import Path

import pytest
from django.core.management import call_command

from config import env

CHROMIUM = env.chromium_path()
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
OLD_PHONE = {"width": 360, "height": 640}


def _require(condition, message):
    if condition:
        return
    if env.ci():
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser():
    _require(Path(CHROMIUM).exists(), f"{CHROMIUM} missing: sudo apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def demo_site(transactional_db):
    """The demo modules in a database the live server can see (translations left out:
    they take 25 s; tests that need one translate a lesson themselves)."""
    call_command("seed_demo", "--no-translations")


def new_context(browser, *, javascript=True, state=None, bypass_csp=False):
    # bypass_csp only for the accessibility checks: axe-core is injected as an inline
    # script, which the site's Content-Security-Policy rightly forbids.
    return browser.new_context(
        java_script_enabled=javascript,
        viewport=OLD_PHONE,
        locale="nl-BE",
        bypass_csp=bypass_csp,
        storage_state=state,
    )


@pytest.fixture
def page_without_js(browser, live_server, demo_site):
    context = new_context(browser, javascript=False)
    yield context.new_page()
    context.close()


@pytest.fixture
def page_with_js(browser, live_server, demo_site):
    """A page under the site's real CSP; any blocked script or style fails the test."""
    context = new_context(browser, javascript=True)
    page = context.new_page()
    blocked = []
    page.on(
        "console",
        lambda message: (
            blocked.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield page
    context.close()
    assert blocked == [], blocked


@pytest.fixture
def page_for_axe(browser, live_server, demo_site):
    context = new_context(browser, javascript=True, bypass_csp=True)
    yield context.new_page()
    context.close()


@pytest.fixture
def axe_source():
    _require(AXE.exists(), f"{AXE} missing: run `npm ci --ignore-scripts`")
    return AXE.read_text()
