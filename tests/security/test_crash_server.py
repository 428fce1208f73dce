"""Crash safety of the web server: `campaign-tracker serve` killed with SIGKILL while officers
post decisions, then restarted, has lost no decision it answered and half-written none.

The scheduler's side is proved in tests/sources: a scheduler SIGKILLed mid-pass loses and
duplicates nothing (`test_faults.py::test_sigkill_mid_pass_loses_nothing_and_duplicates_nothing`)
and two schedulers started together fetch each source once per interval
(`test_scheduler.py`). Here: the web server, over real HTTP with a real login and the CSRF token
scraped from the pages, on a SQLite file and on PostgreSQL.
"""

from __future__ import annotations

import os
import random
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from flask import Flask
from sqlalchemy import func, select

from campaign.articles.store import store_articles
from campaign.coverage.demo import load_demo_rules
from campaign.coverage.matching import match_articles
from campaign.coverage.models import Match
from campaign.extensions import db
from campaign.planning.demo import DEMO_SLUG, load_demo
from campaign.planning.models import Event
from campaign.planning.operations import get_campaign
from campaign.planning.outlets import find_outlet
from tests.security.test_concurrency import _coverage_items

ROOT = Path(__file__).resolve().parents[2]
OFFICER = ("officer", "officer-demo-2006")
KILLS = 2  # kill and restart this many times per backend
POSTS_PER_LIFE = 400  # bound on the decisions posted to one server process
ANSWER_WAIT = 120.0  # seconds: a bound for a busy 2-core machine, not a speed being measured
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def server_process(app: Flask) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """`campaign-tracker serve` on the app's database; yields (process, base URL) once it
    answers. Killed (if still alive) afterwards."""
    port = free_port()
    env = {**os.environ, "CAMPAIGN_INSTANCE": app.config["INSTANCE_PATH"],
           "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], "SECRET_KEY": "crash-test"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "campaign.cli", "serve", "--port", str(port), "--threads", "4"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            assert proc.poll() is None, proc.stdout.read().decode() if proc.stdout else ""
            try:
                if httpx.get(f"{base}/login", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "the server did not come up"
            time.sleep(0.1)
        yield proc, base
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=10)
        if proc.stdout:
            proc.stdout.close()


def officer_client(base: str) -> tuple[httpx.Client, str]:
    """An httpx client logged in as the demo officer, and the CSRF token of its session."""
    client = httpx.Client(base_url=base, timeout=10)
    token = CSRF.search(client.get("/login").text)
    assert token, "no CSRF token on the login page"
    response = client.post("/login", data={"username": OFFICER[0], "password": OFFICER[1],
                                           "csrf_token": token.group(1)})
    assert response.status_code == 302, response.text[:300]
    page = client.get(f"/campaigns/{DEMO_SLUG}/review")
    assert page.status_code == 200
    token = CSRF.search(page.text)
    assert token, "no CSRF token on the review page"
    return client, token.group(1)


@dataclass
class Decisions:
    """What was posted: answered decisions (match id → what the answer said) and the one in
    flight when the server died (it may or may not have been stored, but never half)."""

    answered: dict[int, str] = field(default_factory=dict)
    moved: dict[int, int] = field(default_factory=dict)  # match id → the target event id
    in_flight: list[tuple[int, str]] = field(default_factory=list)
    articles: set[int] = field(default_factory=set)  # touched: one decision per article


def pending(app: Flask) -> list[tuple[int, int, int]]:
    """Undecided matches as (match id, event id, article id)."""
    with app.app_context():
        rows = db.session.execute(select(Match.id, Match.event_id, Match.article_id).where(
            Match.decided_by_id.is_(None), Match.status == "suggested").order_by(Match.id)).all()
        db.session.remove()
    return [(m, e, a) for m, e, a in rows]


def post_decisions(app: Flask, base: str, events: dict[int, str], done: Decisions,
                   stop: threading.Event, ready: threading.Event | None = None) -> None:
    """Log in, then accept, reject or move undecided matches one after another until the
    server dies (or `stop`); `ready` is set once logged in."""
    client, token = officer_client(base)
    if ready is not None:
        ready.set()
    # One decision per article, so a later one never overrides a move's accepted target.
    queue = [(m, e, a) for m, e, a in pending(app) if a not in done.articles]
    keys = list(events.items())
    headers = {"Accept": "application/json", "X-CSRFToken": token}
    for n, (match_id, event_id, article_id) in enumerate(queue[:POSTS_PER_LIFE]):
        if stop.is_set():
            break
        if article_id in done.articles:
            continue
        done.articles.add(article_id)
        verb = ("accept", "reject", "move")[n % 3]
        data = {"csrf_token": token}
        target = next((eid for eid, _ in keys if eid != event_id), None)
        if verb == "move" and target is not None:
            data["to_event"] = events[target]
        done.in_flight.append((match_id, verb))
        try:
            response = client.post(f"/campaigns/{DEMO_SLUG}/matches/{match_id}/{verb}",
                                   data=data, headers=headers)
        except httpx.TransportError:
            break  # the server was killed: this one may or may not have been stored
        assert response.status_code == 200, response.text[:300]
        assert response.json()["ok"] is True
        done.in_flight.pop()
        done.answered[match_id] = verb
        if verb == "move":
            done.moved[match_id] = target  # type: ignore[assignment]
    client.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def review_app(request: pytest.FixtureRequest, tmp_path: Path, committed_app) -> Iterator[Flask]:
    """The demo campaign with a few hundred suggested matches waiting for review."""
    with committed_app(tmp_path, request.param, COVERAGE_AUTO_ACCEPT=1.01) as app:
        with app.app_context():
            load_demo()
            load_demo_rules(get_campaign(DEMO_SLUG))
            ids: list[int] = []
            for round_no in range(40):
                for outlet_name, item in _coverage_items(round_no):
                    ids += store_articles(find_outlet(outlet_name), [item]).article_ids
            match_articles(ids)
            db.session.commit()
            db.session.remove()
        yield app


def test_sigkill_of_the_web_server_loses_no_answered_decision(review_app: Flask):
    """SIGKILL at a random moment while an officer accepts, rejects and moves matches: after a
    restart every answered decision is stored with who and when, the one in flight is all or
    nothing, no match is half-decided, no (event, article) pair is doubled, and SQLite's
    integrity check passes."""
    app = review_app
    seed = int(os.environ.get("CRASH_SEED", time.time_ns()))
    # Shown with the failure (captured output): CRASH_SEED=<seed> replays these kill moments.
    print(f"CRASH_SEED={seed}")
    rng = random.Random(seed)
    with app.app_context():
        events = {e.id: e.key for e in get_campaign(DEMO_SLUG).events}
        db.session.remove()
    done = Decisions()
    for _kill in range(KILLS):
        stop = threading.Event()
        with server_process(app) as (proc, base):
            ready = threading.Event()
            poster = threading.Thread(target=post_decisions,
                                      args=(app, base, events, done, stop, ready))
            poster.start()
            assert ready.wait(timeout=30), "the officer could not log in"
            # Kill once a random number of this life's decisions were answered, a random part
            # of a second later: mid-stream at any load (a fixed span of time answered too few
            # on a busy machine), and as soon as there is something to lose.
            wait_for_answers(done, len(done.answered) + rng.randint(3, 6), poster)
            time.sleep(rng.uniform(0.0, 0.5))
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=10)
            stop.set()
            poster.join(timeout=30)
            assert not poster.is_alive()
    assert len(done.answered) >= 5, f"too few decisions answered (CRASH_SEED={seed})"
    with server_process(app) as (_proc, base):  # the restarted server works
        post_decisions(app, base, events, done, _stop_after(3))
    check_decisions(app, done)


def wait_for_answers(done: Decisions, count: int, poster: threading.Thread) -> None:
    """Return once `count` decisions in all were answered (or the poster stopped early)."""
    deadline = time.monotonic() + ANSWER_WAIT
    while len(done.answered) < count and poster.is_alive():
        assert time.monotonic() < deadline, f"{len(done.answered)} of {count} answered"
        time.sleep(0.02)


def _stop_after(n: int) -> threading.Event:
    """An event that is set after `n` checks: a bounded run of `post_decisions`."""

    class Countdown(threading.Event):
        left = n

        def is_set(self) -> bool:
            self.left -= 1
            return self.left < 0

    return Countdown()


def check_decisions(app: Flask, done: Decisions) -> None:
    """The database holds every answered decision, whole, once."""
    with app.app_context():
        matches = {m.id: m for m in db.session.scalars(select(Match))}
        for match_id, verb in done.answered.items():
            match = matches[match_id]
            assert match.decided_by_id is not None and match.decided_at is not None, match_id
            expected = {"accept": "accepted", "reject": "rejected", "move": "rejected"}[verb]
            assert match.status == expected, (match_id, verb, match.status)
            if verb == "move":
                target = next(m for m in matches.values() if m.article_id == match.article_id
                              and m.event_id == done.moved[match_id])
                assert target.status == "accepted" and target.decided_by_id is not None
        for match_id, verb in done.in_flight:  # all or nothing
            match = matches[match_id]
            if verb == "move" and match.decided_by_id is not None:
                others = [m for m in matches.values() if m.article_id == match.article_id
                          and m.id != match_id and m.decided_by_id is not None
                          and m.status == "accepted"]
                assert others, f"move of {match_id} stored half"
        for match in matches.values():  # nothing half-written
            assert (match.decided_by_id is None) == (match.decided_at is None), match.id
            assert match.decided_by_id is None or match.status in ("accepted", "rejected")
        pairs = Counter((m.event_id, m.article_id) for m in matches.values())
        assert max(pairs.values()) == 1
        assert db.session.scalar(select(func.count()).select_from(Event)) > 0
        url = app.config["SQLALCHEMY_DATABASE_URI"]
        db.session.remove()
    if url.startswith("sqlite:///"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
