"""A big plan import does not hold SQLite's write lock while it reads and checks the plan:
a login and a scheduler tick succeed meanwhile, and the 5,000-event plan then imports."""

from __future__ import annotations

import io
import json
import threading
from typing import Any

from sqlalchemy import func, select

from campaign.auth.operations import create_user
from campaign.extensions import db
from campaign.ingest.scheduler import Poller
from campaign.planning import transfer
from campaign.planning.models import Event, Outlet
from campaign.planning.outlets import load_starter_directory
from campaign.sources.models import Source
from scrapers.fetch import Fetcher, FetchSettings

EVENTS = 5000


def big_plan() -> bytes:
    events: list[dict[str, Any]] = [
        {"key": f"e{n}", "title": f"活动{n}", "type": "rally",
         "starts_at": f"2008-05-{1 + n % 28:02d}T09:00",
         "invited_outlets": ["安徽日报", "新安晚报"]}
        for n in range(EVENTS)]
    return json.dumps({"slug": "big-2008", "name": "大计划", "starts_on": "2008-05-01",
                       "ends_on": "2008-05-31", "events": events}, ensure_ascii=False).encode()


def _prepare_app(app: Any) -> None:
    with app.app_context():
        load_starter_directory()
        create_user(username="planner", password="planner-password", role="officer")
        create_user(username="reader", password="reader-password", role="leader")
        # A due source on a closed port: the tick claims it (a write), the fetch fails fast.
        db.session.add(Source(outlet=db.session.scalar(select(Outlet).limit(1)), type="rss",
                              name="due", url="http://127.0.0.1:9/feed.xml", selectors={}))
        db.session.commit()


def test_login_and_tick_succeed_while_a_big_import_checks_its_plan(
        tmp_path, committed_app, monkeypatch):
    """While the import of a 5,000-event plan is between reading and writing, a leader logs in
    and a scheduler tick claims a source (both would wait for the lock if the import held it);
    the import then completes."""
    reading, resume = threading.Event(), threading.Event()
    original = transfer._check_events

    def paused_checks(*args: Any) -> None:
        original(*args)
        reading.set()
        assert resume.wait(timeout=120)

    monkeypatch.setattr(transfer, "_check_events", paused_checks)
    with committed_app(tmp_path) as app:
        _prepare_app(app)
        planner = app.test_client()
        planner.post("/login", data={"username": "planner", "password": "planner-password"})
        outcome: dict[str, Any] = {}

        def upload() -> None:
            outcome["response"] = planner.post(
                "/campaigns/import", data={"file": (io.BytesIO(big_plan()), "plan.json")},
                content_type="multipart/form-data")

        importer = threading.Thread(target=upload)
        importer.start()
        try:
            assert reading.wait(timeout=120), "the import never reached its checks"
            login = app.test_client().post(
                "/login", data={"username": "reader", "password": "reader-password"})
            assert login.status_code == 302 and login.headers["Location"].endswith("/")
            settings = FetchSettings(min_delay=0, retries=0, read_timeout=2, trust_env=False)
            poller = Poller(app, fetcher=Fetcher(settings), workers=1)
            assert poller.tick() == 1
            poller.wait(timeout=30)
            poller.stop()
        finally:
            resume.set()
            importer.join(timeout=300)
        assert outcome["response"].status_code == 302
        with app.app_context():
            assert db.session.scalar(select(func.count()).select_from(Event)) == EVENTS
