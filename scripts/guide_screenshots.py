"""Take the officers' guide's screenshots (docs/images/*.png): `make docs`.

The demo (outlets, users, the 2006 campaign and its coverage rules) is loaded into a temporary
SQLite database, every demo source is fetched once from the local demo news site and matched,
and the app is served on 127.0.0.1; headless Chromium (Debian's, through Playwright) logs in
as the demo officer and photographs the five steps of the guide. Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import sys
import tempfile
import threading
from pathlib import Path

from flask import Flask
from playwright.sync_api import Page, sync_playwright
from werkzeug.serving import make_server

from campaign import create_app
from campaign.coverage.demo import load_demo_rules
from campaign.coverage.matching import match_articles
from campaign.demo_site import running
from campaign.extensions import db
from campaign.ingest.write_phase import fetch_source
from campaign.planning.demo import DEMO_SLUG, DEMO_USERS, load_demo
from campaign.planning.operations import get_campaign
from campaign.sources.importing import load_demo_sources
from campaign.sources.models import Source
from scrapers.fetch import Fetcher, FetchSettings

IMAGES = Path(__file__).resolve().parents[1] / "docs" / "images"
CHROMIUM = "/usr/bin/chromium"
VIEWPORT = {"width": 1280, "height": 860}
OFFICER = next((name, password) for name, password, role, _ in DEMO_USERS if role == "officer")
# (file, path, what to wait for) — the guide's order: plan, sources, review, dashboard, exports.
SHOTS = [
    ("plan.png", f"/campaigns/{DEMO_SLUG}?month=2006-04", "#calendar"),
    ("sources.png", "/sources", "main table"),
    ("review.png", f"/campaigns/{DEMO_SLUG}/review", "main"),
    ("dashboard.png", f"/campaigns/{DEMO_SLUG}/dashboard", ".kpi-tiles"),
    ("exports.png", f"/campaigns/{DEMO_SLUG}/exports", "main table"),
]


def demo_app(instance: Path) -> Flask:
    return create_app({
        "SECRET_KEY": "guide-screenshots", "INSTANCE_PATH": str(instance),
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance}/guide.db",
        "UPLOAD_FOLDER": str(instance / "uploads"), "RATELIMIT_ENABLED": False,
        "SOURCE_ALLOW_HOSTS": ["127.0.0.1:*"], "WTF_CSRF_ENABLED": True,
    })


def load_coverage(app: Flask) -> None:
    """The demo with every demo source fetched once and its articles matched."""
    with app.app_context(), running() as base, Fetcher(
            FetchSettings(min_delay=0.0, max_per_host=4, retries=0)) as fetcher:
        db.create_all()
        load_demo()
        load_demo_sources(base)
        load_demo_rules(get_campaign(DEMO_SLUG))
        db.session.commit()
        for source in db.session.scalars(db.select(Source).order_by(Source.id)).all():
            fetch_source(source, fetcher=fetcher, after_store=match_articles)
            db.session.commit()


def photograph(page: Page, base: str) -> None:
    page.goto(f"{base}/login")
    page.fill("input[name=username]", OFFICER[0])
    page.fill("input[name=password]", OFFICER[1])
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    for name, path, ready in SHOTS:
        page.goto(base + path)
        page.locator(ready).first.wait_for()
        if name == "dashboard.png":
            page.wait_for_function("() => [...document.querySelectorAll('.chart')]"
                                   ".every(b => b.dataset.rendered === '1')")
        page.screenshot(path=str(IMAGES / name))
        sys.stdout.write(f"docs/images/{name}\n")


def main() -> int:
    IMAGES.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        app = demo_app(Path(folder))
        load_coverage(app)
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM, headless=True,
                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                          "--disable-component-update", "--disable-sync"])
                context = browser.new_context(viewport=VIEWPORT, locale="zh-CN",
                                              timezone_id="Asia/Shanghai")
                photograph(context.new_page(), f"http://127.0.0.1:{server.server_port}")
                browser.close()
        finally:
            server.shutdown()
            with app.app_context():
                db.engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
