"""Concurrency: leaders read dashboards while the scheduler's code writes articles and matches,
and officers decide while it writes — on a real SQLite file in WAL mode (and on PostgreSQL),
with no "database is locked", no 500 and no OperationalError logged.

Each test builds its own app on a temporary database and commits for real; the writer runs the
same store → group → match → commit steps as a fetch, in a thread of its own, for a bounded
number of rounds and a bounded time.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from sqlalchemy import func, select

from campaign.articles.incoming import IncomingArticle
from campaign.articles.store import store_articles
from campaign.core.sqlite import write_transaction
from campaign.coverage.demo import load_demo_rules
from campaign.coverage.matching import match_articles
from campaign.coverage.models import Match
from campaign.demo_site.articles import all_articles
from campaign.extensions import db
from campaign.planning.demo import DEMO_SLUG, load_demo
from campaign.planning.operations import get_campaign
from campaign.planning.outlets import find_outlet
from campaign.reprints.linking import group_reprints
from tests.plugins.apps import counting_statements

BEIJING = ZoneInfo("Asia/Shanghai")
SECONDS = 3.0  # how long the readers read at least (the writer stops with them) ...
MIN_ROUNDS = 4  # ... and until the writer has committed this many rounds,
HARD_STOP = 60.0  # but never longer than this (a busy 2-core machine is slow)
THINK = 0.02  # seconds a reader waits between pages (else the GIL starves the writer)
READERS = 4
MAX_ROUNDS = 400  # the writer's bound, whatever the time
BATCH = 6  # articles per writer round (one commit each)
LEADER = ("leader", "leader-demo-2006")
OFFICER = ("officer", "officer-demo-2006")
ADMIN = ("admin", "admin-demo-2006")


@dataclass
class Trouble:
    """What went wrong anywhere: bad statuses, exceptions, OperationalErrors logged."""

    lock = threading.Lock()
    errors: list[str] = field(default_factory=list)

    def add(self, text: str) -> None:
        with self.lock:
            self.errors.append(text)

    def status(self, label: str, send: Callable[..., Any], *args: Any, expected: int = 200,
               **kwargs: Any) -> int | None:
        """The status of `send(*args, **kwargs)`, noting an exception (then None) or a status
        other than `expected`."""
        try:
            response = send(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - every failure is collected and reported
            self.add(f"{label}: {type(exc).__name__}: {exc}")
            return None
        if response.status_code != expected:
            self.add(f"{label}: {response.status_code}")
        return int(response.status_code)


class _Watch(logging.Handler):
    """Collects every logged record that mentions an OperationalError or a locked database."""

    def __init__(self, trouble: Trouble) -> None:
        super().__init__(logging.DEBUG)
        self.trouble = trouble

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            text += f" {type(record.exc_info[1]).__name__}: {record.exc_info[1]}"
        if "OperationalError" in text or "database is locked" in text:
            self.trouble.add(f"log {record.name}: {text[:300]}")


@pytest.fixture(params=["sqlite", "postgresql"])
def demo_app(request: pytest.FixtureRequest, tmp_path, committed_app) -> Iterator[Flask]:
    """The demo campaign (events, rules, users) on a fresh SQLite file or PostgreSQL database."""
    with committed_app(tmp_path, request.param, COVERAGE_AUTO_ACCEPT=0.6) as app:
        with app.app_context():
            load_demo()
            load_demo_rules(get_campaign(DEMO_SLUG))
            db.session.commit()
        yield app


@pytest.fixture
def trouble() -> Iterator[Trouble]:
    """Trouble collected from the threads and from every logger."""
    found = Trouble()
    handler = _Watch(found)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield found
    finally:
        root.removeHandler(handler)


def _coverage_items(round_no: int) -> list[tuple[str, IncomingArticle]]:
    """The demo's coverage articles, BATCH at a time, each under a URL new in this round."""
    pieces = [a for a in all_articles() if a.kind in ("coverage", "slot", "reprint")]
    chosen = [pieces[(round_no * BATCH + n) % len(pieces)] for n in range(BATCH)]
    items = []
    for n, piece in enumerate(chosen):
        hour, minute = (int(x) for x in piece.time.split(":"))
        published = datetime(piece.date.year, piece.date.month, piece.date.day, hour, minute,
                             tzinfo=BEIJING)
        items.append((piece.outlet_name, IncomingArticle(
            url=f"http://writer.test/{round_no}/{n}{piece.url_path}",
            title=piece.title, body=f"{piece.text}（第{round_no}轮）", published_at=published,
            page_number=piece.page, author=piece.author, intro_title=piece.introtitle)))
    return items


def write_coverage(app: Flask, stop: threading.Event, trouble: Trouble, done: list[int]) -> None:
    """The scheduler's write phase in a loop: store, group reprints, match, commit."""
    with app.app_context():
        for round_no in range(MAX_ROUNDS):
            if stop.is_set():
                break
            try:
                with write_transaction():  # as the scheduler's write phase does
                    ids: list[int] = []
                    for outlet_name, item in _coverage_items(round_no):
                        outlet = find_outlet(outlet_name)
                        assert outlet is not None, outlet_name
                        ids += store_articles(outlet, [item]).article_ids
                    group_reprints(ids)
                    match_articles(ids)
                    db.session.commit()
                done.append(round_no)
            except Exception as exc:  # noqa: BLE001 - every failure is collected and reported
                db.session.rollback()
                trouble.add(f"writer: {type(exc).__name__}: {exc}")
        db.session.remove()


def logged_in(app: Flask, who: tuple[str, str]):  # type: ignore[no-untyped-def]
    """A test client of its own, logged in."""
    client = app.test_client()
    response = client.post("/login", data={"username": who[0], "password": who[1]})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return client


def read_pages(app: Flask, urls: list[str], stop: threading.Event, trouble: Trouble,
               served: list[int]) -> None:
    """A leader reading the dashboards and coverage pages until told to stop."""
    client = logged_in(app, LEADER)
    n = 0
    while not stop.is_set() and n < 2000:
        url = urls[n % len(urls)]
        n += 1
        if trouble.status(f"GET {url}", client.get, url) is None:
            continue
        served.append(1)
        time.sleep(THINK)


def run_together(app: Flask, trouble: Trouble, others: list[Callable[[threading.Event], None]],
                 enough: Callable[[], bool] = lambda: True) -> tuple[int, int]:
    """The writer, the readers and `others` (each given the stop event) for SECONDS, and on
    until the writer has done MIN_ROUNDS, the readers three pages each and `enough()` holds
    (HARD_STOP at most); returns (writer rounds, pages served by the readers)."""
    stop = threading.Event()
    rounds: list[int] = []
    served: list[int] = []
    with app.app_context():
        campaign = get_campaign(DEMO_SLUG)
        keys = [e.key for e in campaign.events][:3]
    urls = [f"/campaigns/{DEMO_SLUG}/dashboard", f"/campaigns/{DEMO_SLUG}/review",
            *(f"/campaigns/{DEMO_SLUG}/events/{k}/dashboard" for k in keys),
            *(f"/campaigns/{DEMO_SLUG}/events/{k}/coverage" for k in keys),
            f"/campaigns/{DEMO_SLUG}/dashboard/pieces?kind=page_one"]
    threads = [threading.Thread(target=write_coverage, args=(app, stop, trouble, rounds))]
    threads += [threading.Thread(target=read_pages, args=(app, urls, stop, trouble, served))
                for _ in range(READERS)]
    threads += [threading.Thread(target=other, args=(stop,)) for other in others]
    for thread in threads:
        thread.start()
    started = time.monotonic()
    while time.monotonic() - started < HARD_STOP and (
            time.monotonic() - started < SECONDS or len(rounds) < MIN_ROUNDS
            or len(served) < READERS * 3 or not enough()):
        time.sleep(0.1)
    stop.set()
    for thread in threads:
        thread.join(timeout=60)
        assert not thread.is_alive(), thread.name
    return len(rounds), len(served)


def test_leaders_read_dashboards_while_the_scheduler_writes(demo_app: Flask, trouble: Trouble):
    """Four leaders reading the dashboard, event and coverage pages while articles and matches
    are stored and committed in a loop get only 200s; nobody sees an OperationalError."""
    rounds, served = run_together(demo_app, trouble, [])
    assert trouble.errors == []
    assert rounds >= MIN_ROUNDS and served >= READERS * 3, (rounds, served)
    with demo_app.app_context():
        accepted = db.session.scalar(select(func.count()).select_from(Match)
                                     .where(Match.status == "accepted"))
        assert accepted > 0  # the writer really matched: the dashboards had changing data


def test_officers_decide_while_the_scheduler_writes(demo_app: Flask, trouble: Trouble):
    """Officers accepting and rejecting matches (two writers on SQLite: web and scheduler) while
    the scheduler's code writes get no "database is locked": every decision answers 302 and is
    stored with who decided and when."""
    decided: list[int] = []
    demo_app.config["COVERAGE_AUTO_ACCEPT"] = 1.01  # every match waits for review

    def officer(stop: threading.Event) -> None:
        client = logged_in(demo_app, OFFICER)
        for n in range(500):
            if stop.is_set():
                break
            with demo_app.app_context():
                match_id = db.session.scalar(
                    select(Match.id).where(Match.decided_by_id.is_(None), Match.id.not_in(
                        decided or [0])).order_by(Match.id.desc()).limit(1))
                db.session.remove()
            if match_id is None:
                time.sleep(0.05)
                continue
            verb = "accept" if n % 2 else "reject"
            if trouble.status(f"POST {verb} {match_id}", client.post,
                              f"/campaigns/{DEMO_SLUG}/matches/{match_id}/{verb}",
                              expected=302) == 302:
                decided.append(match_id)

    run_together(demo_app, trouble, [officer, officer], enough=lambda: len(decided) >= 10)
    assert trouble.errors == []
    # Enough decisions to have met the writer (the point is that none of them failed).
    assert len(decided) >= 3, decided
    with demo_app.app_context():
        rows = db.session.scalars(select(Match).where(Match.id.in_(decided))).all()
        assert len(rows) == len(set(decided))
        assert all(m.decided_by_id and m.decided_at and m.status in ("accepted", "rejected")
                   for m in rows)


def begins_during(app: Flask, action: Callable[[], Any]) -> list[str]:
    """The BEGIN statements SQLite was sent while `action` ran."""
    with app.app_context():
        engine = db.engine
    with counting_statements(engine) as seen:
        action()
    return [statement for statement in seen if statement.startswith("BEGIN")]


def test_writers_take_the_write_lock_at_begin_and_readers_never(tmp_path, committed_app):
    """Transactions of POST requests and of `write_transaction()` begin IMMEDIATE; GETs, the
    scheduler's network phase and the "add by URL" probe (marked reads_only) begin deferred; a
    login reads deferred (the password check) and then writes in one IMMEDIATE transaction."""
    with committed_app(tmp_path) as app:
        with app.app_context():
            load_demo()
            db.session.commit()
        officer, admin = app.test_client(), app.test_client()
        for client, (username, password) in ((officer, OFFICER), (admin, ADMIN)):
            logged_in = begins_during(app, lambda c=client, u=username, p=password: c.post(
                "/login", data={"username": u, "password": p}))
            assert logged_in == ["BEGIN", "BEGIN IMMEDIATE"], logged_in
        answers: list[int] = []

        def request(client: Any, method: str, url: str) -> None:
            answers.append(client.open(url, method=method, data={"url": ""}).status_code)

        decided = begins_during(app, lambda: request(
            officer, "POST", f"/campaigns/{DEMO_SLUG}/matches/999999/accept"))
        probed = begins_during(app, lambda: request(admin, "POST", "/sources/discover"))
        read = begins_during(app, lambda: request(officer, "GET",
                                                  f"/campaigns/{DEMO_SLUG}/dashboard"))
        assert answers == [404, 422, 200]  # no such match; no URL to probe; the dashboard
        assert decided and set(decided) == {"BEGIN IMMEDIATE"}, decided
        assert probed and set(probed) == {"BEGIN"}, probed
        assert read and set(read) == {"BEGIN"}, read

        def query() -> None:
            with app.app_context():
                db.session.scalar(select(func.count()).select_from(Match))

        def query_in_write_transaction() -> None:
            with write_transaction():
                query()

        assert begins_during(app, query) == ["BEGIN"]  # the scheduler's network phase
        assert begins_during(app, query_in_write_transaction) == ["BEGIN IMMEDIATE"]


@pytest.mark.parametrize("demo_app", ["sqlite"], indirect=True)  # the SQLite lock is the point
def test_api_clients_read_while_the_scheduler_writes(demo_app: Flask, trouble: Trouble,
                                                    monkeypatch: pytest.MonkeyPatch):
    """API clients whose every request notes the token's last use (a write in a GET) get only
    200s while the scheduler's code writes: on SQLite a refused note never fails the read."""
    from datetime import timedelta

    import campaign.auth.tokens as tokens
    from campaign.auth.operations import find_user

    monkeypatch.setattr(tokens, "TOUCH_EVERY", timedelta(0))
    with demo_app.app_context():
        _token, secret = tokens.issue_token(find_user(LEADER[0]), "load")
        db.session.commit()
    answered: list[int] = []

    def api_client(stop: threading.Event) -> None:
        client = demo_app.test_client()
        headers = {"Authorization": f"Bearer {secret}"}
        for n in range(2000):
            if stop.is_set():
                break
            url = ("/api/v1/campaigns", f"/api/v1/campaigns/{DEMO_SLUG}/coverage")[n % 2]
            if trouble.status(f"API {url}", client.get, url, headers=headers) is None:
                continue
            answered.append(1)
            time.sleep(THINK / 4)

    run_together(demo_app, trouble, [api_client, api_client],
                 enough=lambda: len(answered) >= 40)
    assert trouble.errors == []
    assert len(answered) >= 40
