"""Hostile scraped content in a real browser: on every page that shows articles, no payload
opens a dialog, sets `window.__pwned`, changes the document's title or adds an element, also
while the dashboards' hover labels are showing; downloads are attachments, never pages.

The hostile rows (tests/security/hostile.py) live in a campaign of their own in the live
server's database, so the demo's counts in the other browser tests do not change. Through the
`page` fixture every test also fails on a Content-Security-Policy violation.
"""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from playwright.sync_api import Dialog, Page

from campaign.articles.models import Article
from campaign.extensions import db
from campaign.planning.models import Campaign, Event, Outlet
from tests.security.hostile import IMG, JS_URL, SCRIPT, Hostile, add_hostile_coverage

pytestmark = pytest.mark.browser

SLUG = "hostile-2006"
BEIJING = ZoneInfo("Asia/Shanghai")
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
def hostile(live_app: Flask) -> Hostile:
    """A campaign with a rally (accepted hostile coverage, a reprint group) and a briefing
    (a suggested hostile match), added once to the live server's database."""
    with live_app.app_context():
        if db.session.scalar(db.select(Campaign).where(Campaign.slug == SLUG)) is None:
            campaign = Campaign(slug=SLUG, name=f"恶意内容测试{SCRIPT}", timezone="Asia/Shanghai",
                                starts_on=date(2006, 4, 25), ends_on=date(2006, 5, 25))
            db.session.add(campaign)
            for key, kind, day in (("rally", "rally", 27), ("briefing", "press_briefing", 25)):
                start = datetime.combine(date(2006, 4, day), time(9), tzinfo=BEIJING)
                db.session.add(Event(campaign=campaign, key=key, type=kind, status="held",
                                     title=f"动员大会{IMG}", starts_at=start,
                                     ends_at=start.replace(hour=11), keywords=[]))
            db.session.flush()
            events = {e.key: e for e in campaign.events}
            outlet = db.session.scalar(db.select(Outlet).where(Outlet.name == "安徽日报"))
            add_hostile_coverage(events["rally"], events["briefing"], outlet)
            db.session.commit()
        original = db.session.scalar(db.select(Article).where(Article.url == JS_URL))
        reprint_id = db.session.scalar(db.select(Article.id).where(
            Article.reprint_group_id == original.reprint_group_id, Article.id != original.id))
        return Hostile(original.id, reprint_id, 0, original.outlet_id)


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


def test_pages_with_scraped_content_run_none_of_it(log_in, hostile, screenshots) -> None:
    """The article list and pages, event coverage, review queue, exports print page and
    work-summary page show the payloads as text and run none of them."""
    page = log_in("officer")
    dialogs = Dialogs(page)
    base = f"/campaigns/{SLUG}"
    for url in ("/articles", "/articles?q=动员大会", f"/articles/{hostile.original_id}",
                f"/articles/{hostile.reprint_id}", f"{base}/events/rally/coverage",
                f"{base}/events/briefing/coverage", f"{base}/review", f"{base}/exports",
                f"{base}/exports/print?status=all", f"{base}/summary", base):
        page.goto(url)
        assert_untouched(page, dialogs, url)
        if url.startswith("/articles/") or "/coverage" in url or "/review" in url:
            assert "window.__pwned" in page.locator("main").inner_text(), f"{url} hides it"
    page.goto(f"/articles/{hostile.original_id}")
    assert "</title>" in page.title()
    assert page.locator("main a[href^='javascript']").count() == 0
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
    from tests.browser.conftest import wait_for_charts

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
