"""Hostile scraped and user text in a real browser: every address of the XSS sweep
(tests/security/sweep.py, the URL map's GET pages that show such text) loads in Chromium and no
payload opens a dialog, sets `window.__pwned`, changes the document's title or adds an element,
also while the dashboards' hover labels are showing; downloads are attachments, never pages.

The sweep runs as each role — administrator, officer and leader — over the pages that role
opens (an officer's and a leader's own pages render other branches of the templates).

This module's tests run against a live app of their own, on SQLite and on PostgreSQL (the
`backend` fixture; PostgreSQL needs TEST_DATABASE_URL): the demo plus the sweep's hostile
campaign and records, so the other browser tests never see them. Through the `page` fixture
every test also fails on a Content-Security-Policy violation or a script error.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Dialog, Page

from campaign.auth.models import User
from campaign.extensions import db
from campaign.planning.models import Outlet
from tests.browser.conftest import LiveServer, demo_app, serving, wait_for_charts
from tests.conftest import fresh_pg_database
from tests.security.hostile import SCRIPT
from tests.security.sweep import (
    ROLES,
    SLUG,
    Sweep,
    add_hostile_campaign,
    make_viewer_hostile,
    swept_as,
)

pytestmark = pytest.mark.browser

# True when nothing a payload does has happened to the page.
UNTOUCHED = """() => window.__pwned === undefined
    && document.title !== 'PWNED'
    && document.querySelectorAll('[onerror],[onload],img[src="x"],iframe,object,embed').length === 0
    && document.querySelectorAll('a[href^="javascript:" i]').length === 0
    && [...document.querySelectorAll('svg')].every(s => s.closest('.chart, #js-plotly-tester'))"""

DIAGNOSE = """() => ({pwned: window.__pwned, title: document.title,
    odd: [...document.querySelectorAll('[onerror],[onload],img[src="x"],iframe,object,embed')]
        .map(e => e.outerHTML.slice(0, 200)),
    js: [...document.querySelectorAll('a[href^="javascript:" i]')].map(e => e.outerHTML),
    svg: [...document.querySelectorAll('svg')].filter(s => !s.closest('.chart, #js-plotly-tester'))
        .map(s => s.outerHTML.slice(0, 200))})"""


@pytest.fixture(scope="module")
def hostile_app(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The demo app on a database of `backend` (a SQLite file, or a fresh PostgreSQL database
    dropped afterwards) for this module alone."""
    with ExitStack() as stack:
        url = stack.enter_context(fresh_pg_database()) if backend == "postgresql" else None
        instance: Path = tmp_path_factory.mktemp(f"browser-hostile-{backend}")
        yield stack.enter_context(demo_app(instance, url))


@pytest.fixture(scope="module")
def hostile(hostile_app: Flask) -> Sweep:
    """The sweep's hostile campaign and records (tests/security/sweep.py) in this module's app,
    the demo's 安徽日报 reporting the originals and the demo admin, officer and leader carrying
    hostile names."""
    with hostile_app.app_context():
        admin = db.session.scalar(db.select(User).where(User.username == "admin"))
        outlet = db.session.scalar(db.select(Outlet).where(Outlet.name == "安徽日报"))
        sweep = add_hostile_campaign(admin, outlet)
        for viewer in db.session.scalars(db.select(User).where(
                User.username.in_(["officer", "leader"]))):
            make_viewer_hostile(viewer)
        db.session.commit()
        return sweep


@pytest.fixture(scope="module")
def live_server(hostile_app: Flask, hostile: Sweep) -> Iterator[LiveServer]:
    """This module's app, hostile rows loaded, served on 127.0.0.1 (the `page` fixture opens
    it in place of the shared live server)."""
    with serving(hostile_app) as server:
        yield server


class Dialogs:
    """Every dialog a page opened (each dismissed at once)."""

    def __init__(self, page: Page) -> None:
        self.seen: list[str] = []
        page.on("dialog", self._record)

    def _record(self, dialog: Dialog) -> None:
        self.seen.append(dialog.message)
        dialog.dismiss()


def assert_untouched(page: Page, dialogs: Dialogs, where: str) -> None:
    page.wait_for_load_state("load")
    assert dialogs.seen == [], f"{where}: dialogs {dialogs.seen}"
    assert page.evaluate(UNTOUCHED), (f"{where}: a payload ran or left an element",
                                      page.evaluate(DIAGNOSE))


@pytest.mark.parametrize("role", ROLES)
def test_every_swept_page_runs_none_of_it(log_in, hostile, role) -> None:
    """Every address of the sweep that the role opens (an administrator all; an officer the
    pages every user reads and the officers' forms; a leader the pages every user reads: their
    dashboards, the digest pages, the calendar, the review queue) opens with a payload in the
    page and none of them runs: no dialog, `window.__pwned` unset, the title intact, no element
    or javascript: link a payload would make (on the dashboards, once the charts are drawn)."""
    page = log_in(role)
    dialogs = Dialogs(page)
    visited = []
    pages = swept_as(hostile, role)
    for endpoint, urls in pages.items():
        for url in urls:
            response = page.goto(url)
            assert response is not None and response.status == 200, (endpoint, url)
            assert response.request.redirected_from is None, f"{url} redirected to {page.url}"
            if page.locator(".chart").count():
                wait_for_charts(page)
            assert_untouched(page, dialogs, url)
            assert "window.__pwned" in page.content(), f"{url} shows no payload"
            visited.append(url)
    assert len(visited) == sum(len(urls) for urls in pages.values())


def test_article_page_shows_its_hostile_title_as_text(log_in, hostile, screenshots) -> None:
    """The article page's document title holds the hostile `</title>`, its main text shows the
    title's script as text, and its javascript: URL is no link."""
    page = log_in("officer")
    page.goto(f"/articles/{hostile.ids.original_id}")
    assert "</title>" in page.title()
    assert SCRIPT in page.locator("main").inner_text()
    assert page.locator("main a[href^='javascript' i]").count() == 0
    page.screenshot(path=str(screenshots / "untrusted-article.png"), full_page=True)


def hover_everything(page: Page) -> list[str]:
    """Hover over each bar, marker and heatmap of the page's charts; the hover labels seen."""
    labels = []
    targets = page.locator(".chart .point path, .chart .scatterlayer .point, "
                           ".chart .nsewdrag").all()
    for target in targets[:60]:
        target.scroll_into_view_if_needed()
        box = target.bounding_box()
        if not box or box["width"] < 1 or box["height"] < 1:
            continue
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.wait_for_timeout(30)
        label = page.locator(".hoverlayer").all_text_contents()
        labels.extend(text for text in label if text)
    return labels


def test_dashboard_charts_and_hover_labels_run_nothing(log_in, hostile, screenshots) -> None:
    """The campaign and event dashboards draw hostile titles and outlet names, and hovering
    every point shows them as text: no dialog, no script, no link element in the labels."""
    page = log_in("leader")
    dialogs = Dialogs(page)
    for url in (f"/campaigns/{SLUG}/dashboard", f"/campaigns/{SLUG}/events/rally/dashboard"):
        page.goto(url)
        wait_for_charts(page)
        labels = hover_everything(page)
        assert labels, f"{url}: no hover label appeared"
        assert any("<script>" in label for label in labels), f"{url}: no payload in {labels}"
        assert page.locator(".hoverlayer a, .chart a[href^='javascript']").count() == 0
        assert_untouched(page, dialogs, url)
        page.screenshot(path=str(screenshots / f"untrusted-{url.count('/')}.png"),
                        full_page=True)


def test_downloads_are_attachments_not_pages(page: Page, log_in, hostile) -> None:
    """CSV, XLSX and DOCX are sent as attachments with nosniff, so a browser never renders
    their hostile text as a page; the CSV's titles read back as text."""
    log_in("officer")
    base = f"/campaigns/{SLUG}/exports"
    for name in ("clippings.csv", "clippings.xlsx", "clippings.docx"):
        response = page.request.get(f"{base}/{name}?status=all")
        assert response.status == 200
        assert response.headers["content-disposition"].startswith("attachment")
        assert response.headers["x-content-type-options"] == "nosniff"
        assert "html" not in response.headers["content-type"]
        if name.endswith(".csv"):
            assert SCRIPT in response.text()


def test_csp_stops_an_injected_inline_script(page: Page, log_in, traffic) -> None:
    """Proof that the policy is live: an inline script added to a page does not run and the
    browser reports the violation (which the `page` fixture would fail on)."""
    log_in("leader")
    page.goto("/articles")
    page.evaluate("""() => { const s = document.createElement('script');
        s.textContent = 'window.__pwned = 9'; document.body.appendChild(s); }""")
    page.wait_for_timeout(100)
    assert page.evaluate("window.__pwned") is None
    assert any("Content Security Policy" in text for text in traffic.csp_violations)
    traffic.csp_violations.clear()  # expected here; any other violation still fails
