"""Browser fixtures: the app with the demo loaded, served by a real HTTP server on 127.0.0.1,
and headless Debian Chromium driven by Playwright's sync API.

The live server runs in another thread, so it cannot see the rolled-back transaction of the
`db` fixture in tests/conftest.py: it has its own SQLite file in a temporary instance folder.
CSRF protection is ON here, because the browser goes through the same forms a user does.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask
from playwright.sync_api import Browser, Error, Page, Playwright, sync_playwright

from campaign import create_app
from campaign.extensions import db
from campaign.planning.demo import DEMO_USERS, load_demo
from campaign.planning.models import Campaign, Event, Outlet
from tests.conftest import base_config
from tests.plugins.services import unavailable

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    # Without these Chromium phones home, and on a closed network its connections are refused.
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-output" / "screenshots"
LOCAL_HOSTS = {"127.0.0.1"}
# URLs a page may "request" without going to the network.
LOCAL_SCHEMES = {"data", "blob", "about", "chrome-error"}

PASSWORDS = {username: password for username, password, _role, _name in DEMO_USERS}



class LiveServer:
    """The app served on 127.0.0.1:port by werkzeug in a daemon thread."""

    def __init__(self, app: Flask) -> None:
        from werkzeug.serving import make_server

        self.app = app
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, name="live-server",
                                       daemon=True)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


@contextmanager
def demo_app(instance: Path, database_url: str | None = None) -> Iterator[Flask]:
    """An app on a real SQLite file in `instance` (or on `database_url`, an empty database)
    with the demo (outlets, users, 2006 campaign) loaded."""
    url = database_url or f"sqlite:///{instance}/browser.db"
    config = {**base_config(instance, url), "WTF_CSRF_ENABLED": True}
    config.pop("SERVER_NAME")  # answer on 127.0.0.1:PORT, not tracker.test
    application = create_app(config)
    with application.app_context():
        db.create_all()
        load_demo()
        db.session.commit()
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


@contextmanager
def serving(app: Flask) -> Iterator[LiveServer]:
    """`app` served on 127.0.0.1 while the block runs."""
    server = LiveServer(app)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def live_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The app most browser tests share (each adds the data it needs, under its own names)."""
    with demo_app(tmp_path_factory.mktemp("browser-instance")) as application:
        yield application


@pytest.fixture(scope="session")
def live_server(live_app: Flask) -> Iterator[LiveServer]:
    with serving(live_app) as server:
        yield server


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as pw:
        yield pw


def launch_chromium(playwright: Playwright, executable: Path = CHROMIUM) -> Browser:
    """Headless Chromium, or the test stops: it fails under CI=true and skips elsewhere (each
    browser test reports it, so a missing browser is never one quiet skip of the folder)."""
    if not executable.exists():  # the Makefile installs it (apt-get install chromium)
        unavailable(f"{executable} is missing: install Debian's chromium to run the browser "
                    "tests (apt-get install -y chromium)")
    try:
        return playwright.chromium.launch(executable_path=str(executable), args=CHROMIUM_ARGS,
                                          headless=True)
    except Error as error:
        unavailable(f"Chromium ({executable}) did not launch: {str(error).splitlines()[0]}")


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    chromium = launch_chromium(playwright)
    yield chromium
    chromium.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """test-output/screenshots/ (git-ignored), created on demand."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


class Traffic:
    """Every URL the page asked for, and every uncaught script error."""

    def __init__(self) -> None:
        self.urls: list[str] = []
        self.page_errors: list[str] = []
        self.csp_violations: list[str] = []

    def console(self, message: Any) -> None:
        """Keep console messages that report a Content-Security-Policy violation."""
        if "Content Security Policy" in message.text:
            self.csp_violations.append(message.text)

    def foreign(self) -> list[str]:
        out = []
        for url in self.urls:
            parts = urlsplit(url)
            if parts.scheme in LOCAL_SCHEMES:
                continue
            if parts.scheme not in ("http", "https") or parts.hostname not in LOCAL_HOSTS:
                out.append(url)
        return out


@pytest.fixture
def traffic() -> Traffic:
    return Traffic()


@pytest.fixture
def page(browser: Browser, live_server: LiveServer, traffic: Traffic,
         request: pytest.FixtureRequest) -> Iterator[Page]:
    """A fresh browser context (no cookies) per test, at 1280x900, with English as the
    browser's language (as on the office's English Windows) and Beijing time.

    After the test: no request left 127.0.0.1, no script error was raised and nothing broke
    the Content-Security-Policy."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900},
                                  locale="en-US", timezone_id="Asia/Shanghai")
    context.set_default_timeout(10_000)
    context.on("request", lambda req: traffic.urls.append(req.url))
    pg = context.new_page()
    pg.on("pageerror", lambda error: traffic.page_errors.append(str(error)))
    pg.on("console", traffic.console)
    yield pg
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed and not pg.is_closed():
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        pg.screenshot(path=str(SCREENSHOTS / f"FAILED-{request.node.name}.png"), full_page=True)
    context.close()
    assert traffic.urls, "the page made no requests at all"
    assert not traffic.foreign(), f"requests left 127.0.0.1: {traffic.foreign()}"
    assert not traffic.page_errors, f"script errors on the page: {traffic.page_errors}"
    assert not traffic.csp_violations, f"the page broke its CSP: {traffic.csp_violations}"


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[Any]) -> Any:
    """Keep the call phase's report on the item, so `page` can screenshot a failure."""
    report = yield
    if report.when == "call":
        item.rep_call = report  # type: ignore[attr-defined]
    return report


@pytest.fixture
def log_in(page: Page) -> Any:
    """Log in through the login form as one of the demo users; returns the page."""

    def _log_in(username: str) -> Page:
        page.goto("/login")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", PASSWORDS[username])
        with page.expect_navigation():
            page.click("main form button[type=submit]")
        assert "/login" not in page.url, page.locator("main").inner_text()
        # Pages follow the user's stored language, and a test that chose English stored it on
        # the shared demo user: each test starts in Chinese, the default.
        if page.locator("html").get_attribute("lang") != "zh-CN":
            with page.expect_navigation():
                page.click(".usernav button[name=locale][value=zh_Hans_CN]")
        return page

    return _log_in


def campaign_of_its_own(slug: str, name: str, *, key: str, title: str, type: str,  # noqa: A002
                        day: date) -> tuple[Event, Outlet]:
    """A campaign of a test's own (25 April to 25 May 2006, so the demo campaign stays as other
    tests expect it) with one event from 09:00 to 11:00 Beijing time on `day`, added to the
    session and flushed, and the demo's 安徽日报 to report on it. Call in an app context; the
    caller commits."""
    campaign = Campaign(name=name, slug=slug, starts_on=date(2006, 4, 25),
                        ends_on=date(2006, 5, 25))
    starts_at = datetime.combine(day, time(1), tzinfo=UTC)
    event = Event(campaign=campaign, key=key, title=title, type=type, starts_at=starts_at,
                  ends_at=starts_at + timedelta(hours=2))
    outlet = db.session.query(Outlet).filter_by(name="安徽日报").one()
    db.session.add_all([campaign, event])
    db.session.flush()
    return event, outlet


def wait_for_charts(page: Page) -> int:
    """Wait until every chart box holds a rendered plotly chart (an SVG); return how many."""
    page.wait_for_function(
        "() => { const boxes = [...document.querySelectorAll('.chart')];"
        " return boxes.length > 0 && boxes.every(b => b.classList.contains('js-plotly-plot')"
        " && b.querySelector('svg.main-svg') && b.dataset.rendered === '1'); }")
    return page.locator(".chart").count()
