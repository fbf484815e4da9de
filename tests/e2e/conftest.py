"""Real-browser tests: Playwright driving Debian's chromium against Django's live server."""

import os

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the
# test itself are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("MAATPAK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        message = f"Debian's chromium is not installed at {CHROMIUM} (make test installs it when run as root)."
        if os.environ.get("CI"):
            pytest.fail(message)  # CI must never pass by skipping the browser tests
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def warm_server(live_server):
    """Import the whole URLconf (and with it pandas, statsmodels and matplotlib) once before the
    first browser step: on a busy 2-core machine the live server's first request could take
    longer than a step's timeout, failing the first test of a run for no reason of its own."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - the import is the point
    return live_server


@pytest.fixture
def page(browser, warm_server):
    context = browser.new_context(locale="nl-NL", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser, warm_server):
    """A phone-sized viewport (iPhone SE-like), for mobile-first screens."""
    context = browser.new_context(
        locale="nl-NL", accept_downloads=True, viewport={"width": 375, "height": 667}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def login(live_server):
    """login(page, username, password): log in through the real form."""

    def _login(page, username, password, path="/login/"):
        page.goto(live_server.url + path)
        page.get_by_label("Gebruikersnaam").fill(username)
        page.get_by_label("Wachtwoord").fill(password)
        page.get_by_role("button", name="Inloggen").click()
        page.wait_for_load_state("networkidle")
        return page

    return _login


AXE_JS = os.path.join(os.path.dirname(__file__), "vendor", "axe.min.js")  # axe-core 4.14.1, MPL-2.0
with open(AXE_JS, encoding="utf-8") as _axe:
    AXE_SOURCE = _axe.read() + "\n;undefined"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _format(violations):
    return "\n".join(f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}" for v in violations)


@pytest.fixture
def assert_accessible():
    """assert_accessible(page): run axe-core's WCAG 2.1 A/AA rules on the current page."""

    def _check(page):
        # Evaluated through the DevTools protocol, not as a <script> tag: the page's
        # Content-Security-Policy (rightly) refuses a script the app does not serve itself.
        page.evaluate(AXE_SOURCE)
        result = page.evaluate("async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
        violations = result["violations"]
        assert violations == [], f"WCAG 2.1 AA violations on {page.url}:\n{_format(violations)}"

    return _check
