"""`campaign-tracker match` on a big archive beside the other writers (issue 16.4: no write
holds SQLite's write lock for more than 1 s; a scheduler tick succeeds in parallel with a big
job).

A generated archive of 8,000 articles (`tests/plugins/archives.py`) is matched by the command in
a process of its own, on a SQLite file in WAL mode. Once the run has committed its first
matches — it commits chunk by chunk — this process logs in, has an officer accept a
suggestion and runs a scheduler tick, each with SQLite's busy timeout cut to 3 s: a run
holding the lock for longer would make them fail. The run must still be going when they are
done (or the test proves nothing), must finish, keep the officer's decision and log no hold
of the write lock over its 1 s target (the watch of `campaign.core.sqlite`) and no "database
is locked".
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from campaign.articles.models import Article
from campaign.auth.operations import create_user
from campaign.core import sqlite as sqlite_setup
from campaign.coverage.models import Match
from campaign.extensions import db
from campaign.planning.models import Event, Outlet
from campaign.sources.models import FetchRun, Source
from tests.plugins.apps import ROOT, scheduler_env, scheduler_tick
from tests.plugins.archives import build_archive

ARTICLES = 8000
PASSWORD = "officer-password"
WAIT = 120.0  # seconds: a bound for a busy 2-core machine, not a speed being measured
HOST = "tracker.test"


def _prepare(app: Flask) -> int:
    """The archive, an officer and a leader, a due source on a closed port (a tick claims it
    and records its failure), and one suggestion of the drill for the officer; its id."""
    with app.app_context():
        build_archive(ARTICLES)
        create_user(username="officer", password=PASSWORD, role="officer")
        create_user(username="reader", password=PASSWORD, role="leader")
        outlet = db.session.scalars(select(Outlet).order_by(Outlet.id)).first()
        db.session.add(Source(outlet=outlet, type="rss", name="due",
                              url="http://127.0.0.1:9/feed.xml", selectors={}))
        drill = db.session.scalar(select(Event.id).where(Event.key == "drill"))
        report = db.session.scalar(select(Article.id).where(
            Article.url == "http://archive.test/3010"))
        match = Match(event_id=drill, article_id=report, auto=True, status="suggested",
                      score=0.5, explanation={})
        db.session.add(match)
        db.session.commit()
        return match.id


def _matches(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Match)) or 0


def _wait_for_first_matches(app: Flask, run: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + WAIT
    while _matches(app) <= 1:
        assert run.poll() is None, "the run ended before committing any match"
        assert time.monotonic() < deadline, "the run committed no match"
        time.sleep(0.05)


@pytest.fixture
def short_busy_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    """This process's connections wait at most 3 s for SQLite's write lock."""
    monkeypatch.setattr(sqlite_setup, "BUSY_TIMEOUT_MS", 3000)


def test_login_decision_and_tick_commit_while_match_runs(tmp_path: Path, committed_app,
                                                         short_busy_timeout):
    """While `match` runs on 8,000 articles: a login answers 302 with a session, an officer's
    acceptance commits, a scheduler tick claims its source and records the fetch; the run
    then ends well, the decision kept, with no hold of the write lock over 1 s logged and no
    "database is locked"."""
    with committed_app(tmp_path) as app:
        match_id = _prepare(app)
        officer = app.test_client()
        assert officer.post("/login", data={"username": "officer",
                                            "password": PASSWORD}).status_code == 302
        run = subprocess.Popen([sys.executable, "-m", "campaign.cli", "match"], cwd=ROOT,
                               env=scheduler_env(app, LOG_LEVEL="INFO"),
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        try:
            _wait_for_first_matches(app, run)
            reader = app.test_client()
            login = reader.post("/login", data={"username": "reader", "password": PASSWORD})
            decided = officer.post(f"/campaigns/arch/matches/{match_id}/accept")
            claimed = scheduler_tick(app, WAIT)
            still_running = run.poll() is None
            output = run.communicate(timeout=WAIT)[0].decode(errors="replace")
        finally:
            if run.poll() is None:
                run.kill()
                run.wait()
        with app.app_context():
            match = db.session.get(Match, match_id)
            assert match is not None
            kept = (match.status, match.decided_by_id is not None)
            runs = db.session.scalar(select(func.count()).select_from(FetchRun))
    assert still_running, "the run ended before the others were done: make the archive bigger"
    assert login.status_code == 302 and reader.get_cookie("session", domain=HOST) is not None
    assert decided.status_code == 302 and kept == ("accepted", True)
    assert claimed == 1 and runs == 1
    assert run.returncode == 0, output
    assert "new matches" in output and "matched " in output  # (its log reaches the output)
    assert "held the database's write lock" not in output, output
    assert "database is locked" not in output, output
