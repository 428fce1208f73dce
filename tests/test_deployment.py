"""The README's *Deployment* layout on Linux, as real OS processes: `campaign-tracker db upgrade`,
then two `campaign-tracker serve --workers 2` servers (gunicorn, two worker processes each) on
two ports and two `campaign-tracker scheduler` processes, all on one fresh PostgreSQL database,
with the sources on a local news server.

What the processes must agree on lives in the database, never in one process's memory: each
source is fetched once per interval whichever scheduler claims it, and failed logins spread
over both web processes add up to one limit. (The same mechanisms are proved inside one test
process in tests/sources/test_scheduler.py and tests/security/test_shared_throttle.py; here
they are proved across the processes the README tells an install to run.)
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest
from flask import Flask
from sqlalchemy import func, select, update

from campaign import create_app
from campaign.auth.models import LoginAttempt, User
from campaign.core.times import utcnow
from campaign.extensions import db
from campaign.planning.models import Outlet
from campaign.sources.models import FetchRun, Source
from tests.conftest import base_config, fresh_pg_database
from tests.plugins.apps import feed
from tests.scrapers.scraper_server import LocalServer, Reply, serving

ROOT = Path(__file__).resolve().parent.parent
WAIT = 60.0  # seconds: a bound for a busy 2-core machine, not a speed being measured
SOURCES = 8
FEED_DELAY = 1.0  # each feed answers after this long: longer than a tick, so both schedulers
TICK = 0.5  # get work (one holds at most FETCH_WORKERS sources at a time)
WORKERS = 2  # fetch workers of each scheduler
WEB_WORKERS = 2  # gunicorn worker processes of each web server
LIMIT = 4  # failed logins per minute and address
PASSWORD = "password-123"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
CLAIMED = re.compile(r"worker \S+ claimed sources \[([0-9, ]+)\]")
BOOTED = re.compile(r"Booting worker with pid: (\d+)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Process:
    """A process of the layout and the file its output goes to (not a pipe: one nobody reads
    fills up and stops the process)."""

    name: str
    popen: subprocess.Popen[bytes]
    log: Path

    def text(self) -> str:
        return self.log.read_text(errors="replace")

    def output(self) -> str:
        """The end of the output, to show with a failure."""
        return f"--- {self.name}:\n" + self.text()[-3000:]


@dataclass
class Layout:
    """The running layout: its processes, the web processes' URLs, the news server and an app
    object on the same database for the test's own reads and writes."""

    app: Flask
    news: LocalServer
    webs: list[str]
    processes: list[Process]

    def schedulers(self) -> list[Process]:
        return [p for p in self.processes if p.name.startswith("scheduler")]

    def web_servers(self) -> list[Process]:
        return [p for p in self.processes if p.name.startswith("web")]

    def logs(self) -> str:
        return "\n".join(p.output() for p in self.processes)

    def check_alive(self) -> None:
        for process in self.processes:
            assert process.popen.poll() is None, f"{process.name} exited\n{self.logs()}"

    def wait_for(self, what: str, done: Callable[[], bool]) -> None:
        deadline = time.monotonic() + WAIT
        while not done():
            self.check_alive()
            assert time.monotonic() < deadline, f"waited in vain for {what}\n{self.logs()}"
            time.sleep(0.2)


def start(name: str, args: list[str], env: dict[str, str], folder: Path) -> Process:
    log = folder / f"{name}.log"
    with log.open("wb") as out:
        popen = subprocess.Popen([sys.executable, "-m", "campaign.cli", *args], cwd=ROOT,
                                 env=env, stdout=out, stderr=subprocess.STDOUT)
    return Process(name, popen, log)


def stop(processes: list[Process]) -> None:
    for process in processes:
        if process.popen.poll() is None:
            process.popen.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.popen.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.popen.kill()
            process.popen.wait()


def answers(base: str) -> bool:
    try:
        return httpx.get(f"{base}/login", timeout=2).status_code == 200
    except httpx.TransportError:
        return False


def add_sources(app: Flask, news: LocalServer) -> None:
    """RSS sources of outlets of their own on the news server, none due yet (next fetch a day
    away): the test says when their interval has come round."""
    with app.app_context():
        for n in range(SOURCES):
            name = f"feed{n}"
            news.route(f"/{name}.xml", Reply(body=feed(news.url(""), name),
                                             content_type="application/rss+xml",
                                             delay=FEED_DELAY))
            db.session.add(Source(outlet=Outlet(name=f"测试报{n}"), type="rss", name=name,
                                  url=news.url(f"/{name}.xml"), selectors={},
                                  interval_minutes=60,
                                  next_fetch_at=utcnow() + timedelta(days=1)))
        user = User(username="alice", role="officer", display_name="alice")
        user.set_password(PASSWORD)
        db.session.add(user)
        db.session.commit()
        db.session.remove()


@pytest.fixture(scope="module")
def layout(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Layout]:
    """Two web processes and two schedulers on one new PostgreSQL database, migrated by
    `db upgrade`, with alice and the news server's sources in it; stopped afterwards."""
    folder = tmp_path_factory.mktemp("deployment")
    with fresh_pg_database() as url, serving() as news:
        env = {**os.environ, "CAMPAIGN_INSTANCE": str(folder), "DATABASE_URL": url,
               "SECRET_KEY": "deployment-test", "PYTHONUNBUFFERED": "1", "LOG_LEVEL": "INFO",
               "LOGIN_RATE_LIMIT": f"{LIMIT} per minute", "RATELIMIT_STORAGE_URI": "database",
               "SCHEDULER_TICK_SECONDS": str(TICK), "FETCH_WORKERS": str(WORKERS),
               "FETCH_MAX_PER_HOST": str(WORKERS), "FETCH_MIN_DELAY": "0",
               "FETCH_RETRIES": "0", "SOURCE_ALLOW_HOSTS": "127.0.0.1:*"}
        upgrade = subprocess.run([sys.executable, "-m", "campaign.cli", "db", "upgrade"],
                                 cwd=ROOT, env=env, capture_output=True, check=False)
        assert upgrade.returncode == 0, upgrade.stdout.decode() + upgrade.stderr.decode()
        app = create_app(base_config(folder, url))
        add_sources(app, news)
        ports = [free_port(), free_port()]
        processes = [start(f"web{n}", ["serve", "--port", str(port), "--workers",
                                       str(WEB_WORKERS), "--threads", "2"], env, folder)
                     for n, port in enumerate(ports)]
        processes += [start(f"scheduler{n}", ["scheduler"], env, folder) for n in range(2)]
        running = Layout(app, news, [f"http://127.0.0.1:{port}" for port in ports], processes)
        try:
            for base in running.webs:
                running.wait_for(f"{base} to answer", lambda base=base: answers(base))
            for web in running.web_servers():
                running.wait_for(f"{web.name}'s workers to boot",
                                 lambda w=web: len(BOOTED.findall(w.text())) >= WEB_WORKERS)
            for scheduler in running.schedulers():
                running.wait_for(f"{scheduler.name} to tick",
                                 lambda s=scheduler: "a tick every" in s.text())
            yield running
        finally:
            stop(processes)
            with app.app_context():
                db.session.remove()
                db.engine.dispose()


def parent_of(pid: int) -> int:
    """The parent process id of a running process (Linux's /proc)."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    return int(stat.rsplit(")", 1)[1].split()[1])


@pytest.mark.postgres
def test_each_web_server_runs_its_workers_in_processes_of_its_own(layout: Layout):
    """`serve --workers 2` is gunicorn: each web server's log names two booted workers, and
    those are two distinct running processes whose parent is that server's process."""
    for web in layout.web_servers():
        pids = [int(pid) for pid in BOOTED.findall(web.text())]
        assert len(set(pids)) == WEB_WORKERS, web.output()
        assert {parent_of(pid) for pid in pids} == {web.popen.pid}, web.output()


def finished_runs(app: Flask) -> int:
    with app.app_context():
        found = db.session.scalar(select(func.count()).select_from(FetchRun)
                                  .where(FetchRun.finished_at.is_not(None)))
        db.session.remove()
    return int(found or 0)


def interval_comes_round(app: Flask) -> None:
    """Every source due now, as if its interval had passed (the shortest interval is a minute,
    longer than this test may take)."""
    with app.app_context():
        db.session.execute(update(Source).values(next_fetch_at=utcnow()))
        db.session.commit()
        db.session.remove()


def feed_requests(news: LocalServer) -> Counter[str]:
    return Counter(path for path in news.paths() if path.endswith(".xml"))


def claims(layout: Layout) -> dict[str, Counter[int]]:
    """The sources each scheduler logged claiming, with how often."""
    return {s.name: Counter(int(i) for found in CLAIMED.findall(s.text())
                            for i in found.split(","))
            for s in layout.schedulers()}


def rounds_ahead(app: Flask) -> list[tuple[int, datetime, datetime | None]]:
    """(source id, its latest run's end, its next fetch) for every source."""
    with app.app_context():
        latest = (select(FetchRun.source_id, func.max(FetchRun.finished_at).label("ended"))
                  .group_by(FetchRun.source_id).subquery())
        rows = db.session.execute(select(Source.id, latest.c.ended, Source.next_fetch_at)
                                  .join(latest, latest.c.source_id == Source.id)).all()
        db.session.remove()
    return [(source_id, ended, next_at) for source_id, ended, next_at in rows]


@pytest.mark.postgres
def test_two_schedulers_fetch_each_source_once_per_interval(layout: Layout):
    """Over two intervals, the two running schedulers fetch each source exactly once per
    interval between them: the news server sees one request per feed per interval, the
    database one finished run per source per interval, each next fetch an interval after its
    run, no fetch in the ticks between; and both schedulers took a share of the sources."""
    app, news = layout.app, layout.news
    with app.app_context():
        ids = sorted(db.session.scalars(select(Source.id)))
        db.session.remove()
    assert len(ids) == SOURCES and finished_runs(app) == 0 and not feed_requests(news)
    for interval in (1, 2):
        interval_comes_round(app)
        layout.wait_for(f"interval {interval}'s runs",
                        lambda n=interval: finished_runs(app) >= n * SOURCES)
        time.sleep(6 * TICK)  # several more ticks of both: nothing is due until the next one
        layout.check_alive()
        requests = feed_requests(news)
        assert sorted(requests) == sorted(f"/feed{n}.xml" for n in range(SOURCES)), requests
        assert set(requests.values()) == {interval}, requests
        with app.app_context():
            runs = db.session.execute(select(FetchRun.source_id, FetchRun.outcome)).all()
            db.session.remove()
        # The second fetch finds the same feed: "not_modified", a run all the same.
        assert {outcome for _, outcome in runs} <= {"ok", "not_modified"}, layout.logs()
        assert Counter(source_id for source_id, _ in runs) == dict.fromkeys(ids, interval)
        assert finished_runs(app) == interval * SOURCES
        for source_id, ended, next_at in rounds_ahead(app):
            assert next_at is not None, source_id
            assert timedelta(minutes=59) < next_at - ended < timedelta(minutes=61), source_id
    claimed = claims(layout)
    assert all(claimed.values()), f"a scheduler fetched nothing: {claimed}\n{layout.logs()}"
    assert sum(claimed.values(), Counter()) == dict.fromkeys(ids, 2), claimed


def login(client: httpx.Client, username: str, password: str) -> httpx.Response:
    """Post the login form with the CSRF token of the client's session on that process."""
    token = CSRF.search(client.get("/login").text)
    assert token, "no CSRF token on the login page"
    return client.post("/login", data={"username": username, "password": password,
                                       "csrf_token": token.group(1)})


@pytest.mark.postgres
def test_failed_logins_on_both_web_processes_add_up_to_one_limit(layout: Layout):
    """Failed logins from one address, alternating between the two web processes, hit the
    limit at the same total as on one process: the LIMIT failures all answer 401 (half of
    them on each process, under the limit of either alone), then the right password answers
    429 on both; the audit log holds exactly those failures; another address still logs in."""
    first, second = (httpx.Client(base_url=base, timeout=10) for base in layout.webs)
    # Another client address on this machine (Linux routes all of 127/8 to loopback).
    elsewhere = httpx.Client(base_url=layout.webs[1], timeout=10,
                             transport=httpx.HTTPTransport(local_address="127.0.0.2"))
    with first, second, elsewhere:
        for n in range(LIMIT):
            response = login((first, second)[n % 2], f"nobody{n}", "wrong-password")
            assert response.status_code == 401, (n, response.text[:300])
        for client in (second, first):
            refused = login(client, "alice", PASSWORD)
            assert refused.status_code == 429, refused.text[:300]
            assert 1 <= int(refused.headers["Retry-After"]) <= 61
        with layout.app.app_context():
            failures = db.session.scalar(select(func.count()).select_from(LoginAttempt).where(
                LoginAttempt.address == "127.0.0.1", LoginAttempt.succeeded.is_(False)))
            db.session.remove()
        assert failures == LIMIT
        welcomed = login(elsewhere, "alice", PASSWORD)
        assert welcomed.status_code == 302, welcomed.text[:300]
    layout.check_alive()
