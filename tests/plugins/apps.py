"""Apps that commit for real, for tests that run code in other threads and processes, and a
counter of the SQL statements a block of code sends.

`committed_app` gives `open_committed_app`: `with committed_app(tmp_path) as app:` is an app on
its own SQLite file (or, with "postgresql", a fresh PostgreSQL database), tables created.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event, func, select, update
from sqlalchemy.engine import Engine

from campaign import create_app
from campaign.extensions import db
from campaign.planning.models import Outlet
from campaign.sources.models import Source
from tests.conftest import base_config, fresh_pg_database

ROOT = Path(__file__).resolve().parents[2]
BODY = "全省职工技能大赛今天在合肥开幕，来自各行业的八百多名选手参加比赛。" * 4
FAST = {"FETCH_MIN_DELAY": 0.0, "FETCH_RETRIES": 0, "FETCH_TIMEOUT": 2.0}


@contextmanager
def open_committed_app(tmp_path: Path, backend: str = "sqlite", **config: Any
                       ) -> Iterator[Flask]:
    """An app with its own database (SQLite file or fresh PostgreSQL), tables created."""
    with ExitStack() as stack:
        if backend == "postgresql":
            url = stack.enter_context(fresh_pg_database())
        else:
            url = f"sqlite:///{tmp_path / 'sched.db'}"
        app = create_app({**base_config(tmp_path, url), **FAST, **config})
        with app.app_context():
            db.create_all()
        yield app
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def committed_app() -> Callable[..., Any]:
    """`with committed_app(tmp_path, backend="sqlite", **config) as app:` (see the module)."""
    return open_committed_app


def feed(base: str, name: str, count: int = 2) -> bytes:
    """An RSS feed of `count` entries with full bodies, unique to `name`."""
    items = "".join(
        f"<item><title>{name}-{n}</title><link>{base}/{name}/{n}.html</link>"
        f"<description>{BODY}{name}{n}</description></item>" for n in range(count))
    return f'<?xml version="1.0"?><rss version="2.0"><channel>{items}</channel></rss>'.encode()


def add_source(url: str, name: str) -> int:
    """An RSS source of a new outlet `name` (inside an app context, flushed); returns its id."""
    source = Source(outlet=Outlet(name=name), type="rss", name=name, url=url, selectors={})
    db.session.add(source)
    db.session.flush()
    return source.id


def count(app: Flask, model: type) -> int:
    """The rows of `model` in the app's database (committed rows, read in a new context)."""
    with app.app_context():
        return int(db.session.scalar(select(func.count()).select_from(model)))


def scheduler_env(app: Flask, **extra: str) -> dict[str, str]:
    """Environment for a `campaign-tracker` subprocess on the app's database."""
    return {**os.environ, "CAMPAIGN_INSTANCE": app.config["INSTANCE_PATH"],
            "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], "FETCH_MIN_DELAY": "0",
            "FETCH_RETRIES": "0", "FETCH_WORKERS": "16", "SCHEDULER_TICK_SECONDS": "0.5",
            "SOURCE_ALLOW_HOSTS": "127.0.0.1:*",  # the local test servers (random ports)
            **extra}


def scheduler_process(app: Flask, *args: str, sigint_ignored: bool = False,
                      **extra: str) -> subprocess.Popen[bytes]:
    """Start `campaign-tracker scheduler ARGS` on the app's database (with SIGINT ignored, as
    a shell does for a job started in the background, when asked)."""
    argv = [sys.executable, "-m", "campaign.cli", "scheduler", *args]
    if sigint_ignored:
        argv = ["sh", "-c", 'trap "" INT; exec "$@"', "sh", *argv]
    return subprocess.Popen(argv, cwd=ROOT, env=scheduler_env(app, **extra),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def scheduler_tick(app: Flask, wait: float = 120.0) -> int:
    """One scheduler tick from this process, every source made due first; the sources it
    claimed (their fetches finished and recorded before it returns, within `wait` seconds).
    A source on a closed port (http://127.0.0.1:9/) makes a tick of two short writes: the
    claim, and the failure recorded."""
    from campaign.ingest.scheduler import Poller
    from scrapers.fetch import Fetcher, FetchSettings

    with app.app_context():
        db.session.execute(update(Source).values(next_fetch_at=None))
        db.session.commit()
    poller = Poller(app, fetcher=Fetcher(FetchSettings(min_delay=0, retries=0, read_timeout=2,
                                                       trust_env=False)), workers=1)
    try:
        claimed = poller.tick()
        assert poller.wait(timeout=wait)
    finally:
        poller.stop()
    return claimed


class Statements(list[str]):
    """The SQL statements sent inside a `queries.counting()` block, in order."""

    def selects(self) -> list[str]:
        """Only the SELECTs (not the savepoints the rolled-back test session makes)."""
        return [s for s in self if s.lstrip().upper().startswith("SELECT")]


@contextmanager
def counting_statements(engine: Engine) -> Iterator[Statements]:
    """Collect every statement `engine` sends inside the block."""
    seen = Statements()

    def listener(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", listener)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", listener)


class QueryCounter:
    """`with queries.counting() as seen:` collects the statements the test's session sends."""

    def __init__(self, db_: Any) -> None:
        self.db = db_

    def counting(self) -> Any:
        bind = self.db.session.get_bind()
        return counting_statements(getattr(bind, "engine", bind))


@pytest.fixture
def queries(db: Any) -> QueryCounter:
    """A query counter on the test's database: `with queries.counting() as seen: ...`."""
    return QueryCounter(db)
