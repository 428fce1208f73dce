"""The scheduler: a pooled pass over due sources, two schedulers at once, the commands.

These tests run code in other threads and processes, so each builds its own app on a temporary
SQLite file (or a fresh PostgreSQL database) and commits for real.
"""

from __future__ import annotations

import signal
import threading
import time
from collections import Counter

import pytest
from flask import Flask
from sqlalchemy import select

from campaign.articles.models import Article
from campaign.extensions import db
from campaign.ingest.scheduler import Poller
from campaign.planning.models import Outlet
from campaign.sources.models import FetchRun, Source
from scrapers.fetch import Fetcher, FetchSettings
from tests.plugins.apps import count, feed, scheduler_process
from tests.scrapers.scraper_server import LocalServer, Reply


def add_feeds(app: Flask, server: LocalServer, count: int, *, delay: float = 0.0,
              entries: int = 2) -> list[int]:
    """`count` RSS sources on the local server, each of its own outlet; returns their ids."""
    ids = []
    with app.app_context():
        for n in range(count):
            name = f"feed{n}"
            server.route(f"/{name}.xml", Reply(body=feed(server.url(""), name, entries),
                                               content_type="application/rss+xml", delay=delay))
            source = Source(outlet=Outlet(name=f"测试报{n}"), type="rss", name=name,
                            url=server.url(f"/{name}.xml"), selectors={})
            db.session.add(source)
            db.session.flush()
            ids.append(source.id)
        db.session.commit()
    return ids


def poller(app: Flask, workers: int = 8, per_host: int = 2) -> Poller:
    """A poller with a fast fetcher (no politeness delay, no retries)."""
    settings = FetchSettings(min_delay=0, retries=0, read_timeout=2, trust_env=False,
                             max_per_host=per_host)
    return Poller(app, fetcher=Fetcher(settings), workers=workers)


def test_a_pass_fetches_every_due_source_once(tmp_path, server, committed_app):
    """A pass fetches every due source on the pool, commits each, and leaves none due."""
    with committed_app(tmp_path) as app:
        ids = add_feeds(app, server, 6)
        engine = poller(app)
        reports = list(engine.run_pass())
        assert sorted(r.source_id for r in reports) == ids
        assert {r.outcome for r in reports} == {"ok"} and sum(r.new for r in reports) == 12
        assert count(app, Article) == 12 and count(app, FetchRun) == 6
        assert list(engine.run_pass()) == []  # rescheduled an interval ahead
        with app.app_context():
            claimed = db.session.scalars(select(Source.claimed_by)).all()
        assert claimed == [None] * 6
        engine.stop()


def test_a_feeds_ttl_and_cache_lifetime_delay_its_next_fetch(tmp_path, server, committed_app):
    """A feed whose <ttl> is 3 hours is next fetched 3 hours on, not after its 60-minute
    interval; one whose Cache-Control max-age is 2 hours, 2 hours on; a plain feed after its
    interval; one whose max-age is a day only six hours on (a feed's hints are capped)."""
    with committed_app(tmp_path) as app:
        plain, ttl, cached, day_long = add_feeds(app, server, 4)
        server.route("/feed3.xml", Reply(body=feed(server.url(""), "feed3"),
                                         content_type="application/rss+xml",
                                         headers={"Cache-Control": "max-age=86400"}))
        server.route("/feed1.xml", Reply(
            body=feed(server.url(""), "feed1").replace(b"<channel>", b"<channel><ttl>180</ttl>"),
            content_type="application/rss+xml"))
        server.route("/feed2.xml", Reply(body=feed(server.url(""), "feed2"),
                                         content_type="application/rss+xml",
                                         headers={"Cache-Control": "max-age=7200"}))
        engine = poller(app)
        assert {r.outcome for r in engine.run_pass()} == {"ok"}
        engine.stop()
        with app.app_context():
            def wait(source_id: int) -> float:
                source = db.session.get(Source, source_id)
                finished = db.session.scalars(select(FetchRun.finished_at).where(
                    FetchRun.source_id == source_id)).one()
                return (source.next_fetch_at - finished).total_seconds() / 60

            assert 59 < wait(plain) < 61
            assert 179 < wait(ttl) < 181
            assert 119 < wait(cached) < 121
            assert 359 < wait(day_long) < 361


def test_fetch_now_run_is_recorded_as_manual(tmp_path, server, committed_app):
    """The run the scheduler makes because someone pressed "fetch now" is recorded as manual;
    the runs of the other due sources as scheduled."""
    from campaign.sources.operations import request_fetch

    with committed_app(tmp_path) as app:
        ids = add_feeds(app, server, 2)
        with app.app_context():
            request_fetch(db.session.get(Source, ids[0]))
            db.session.commit()
        engine = poller(app)
        assert len(list(engine.run_pass())) == 2
        engine.stop()
        with app.app_context():
            triggers = dict(db.session.execute(select(FetchRun.source_id, FetchRun.trigger)).all())
        assert triggers == {ids[0]: "manual", ids[1]: "scheduled"}


def test_sources_are_fetched_in_parallel(tmp_path, server, committed_app):
    """Six sources answering after 0.5 s are fetched at once on six threads: the local server
    has all six requests in flight together (it is one host, so its per-host limit is raised
    to six here)."""
    with committed_app(tmp_path) as app:
        add_feeds(app, server, 6, delay=0.5)
        engine = poller(app, workers=6, per_host=6)
        assert len(list(engine.run_pass())) == 6
        assert server.max_in_flight == 6
        engine.stop()


def test_tick_claims_no_more_than_idle_threads(tmp_path, server, committed_app):
    """A tick hands out work only to idle threads; the rest waits for the next tick."""
    with committed_app(tmp_path) as app:
        add_feeds(app, server, 5, delay=0.3)
        engine = poller(app, workers=2)
        assert engine.tick() == 2
        assert engine.tick() == 0  # both threads busy
        engine.wait(timeout=5)
        assert engine.tick() == 2
        engine.wait(timeout=5)
        engine.stop()


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_two_schedulers_at_once_fetch_each_source_once(tmp_path, server, backend, committed_app):
    """Two scheduler processes started together fetch every due source exactly once (the
    local server counts the requests)."""
    with committed_app(tmp_path, backend) as app:
        add_feeds(app, server, 12, delay=0.2)
        procs = [scheduler_process(app, "--once") for _ in range(2)]
        outputs = [proc.communicate(timeout=60)[0].decode() for proc in procs]
        assert [proc.returncode for proc in procs] == [0, 0], outputs
        feeds = Counter(path for path in server.paths() if path.endswith(".xml"))
        assert len(feeds) == 12 and set(feeds.values()) == {1}, feeds
        assert count(app, FetchRun) == 12 and count(app, Article) == 24


def test_fetch_command_summarises_each_source(tmp_path, server, committed_app):
    """`campaign-tracker fetch --all` fetches every source and prints a line per source."""
    with committed_app(tmp_path) as app:
        add_feeds(app, server, 2)
        result = app.test_cli_runner().invoke(args=["fetch", "--all"])
        assert result.exit_code == 0, result.output
        assert "feed0" in result.output and "new    2" in result.output
        assert "2 sources, 4 new articles" in result.output
        again = app.test_cli_runner().invoke(args=["fetch"])  # nothing is due now
        assert "0 sources" in again.output


def test_fetch_command_refuses_a_reversed_period(tmp_path, committed_app):
    """--since after --until is refused before anything is fetched."""
    with committed_app(tmp_path) as app:
        result = app.test_cli_runner().invoke(
            args=["fetch", "--all", "--since", "2006-05-01", "--until", "2006-04-01"])
        assert result.exit_code != 0 and "--since" in result.output


def test_web_app_starts_no_scheduler(tmp_path, committed_app):
    """Building and using the web app starts no scheduler or fetch threads."""
    with committed_app(tmp_path) as app:
        before = {t.name for t in threading.enumerate()}
        app.test_client().get("/login")
        started = {t.name for t in threading.enumerate()} - before
        assert not any("fetch" in n or "APScheduler" in n for n in started)


def test_up_runs_exactly_one_scheduler_beside_the_web_app():
    """`up` starts the demo site, the web app and one scheduler process; the web child is
    plain `serve` (the scheduler never runs inside the web server)."""
    from campaign.processes import _children

    children = _children(5000, with_demo_site=True)
    names = [name for name, _argv, _env, _port in children]
    assert names == ["demo-site", "web", "scheduler"]
    web = children[1][1]
    assert "serve" in web and "scheduler" not in web
    assert _children(5000, with_demo_site=False, with_scheduler=False)[0][0] == "web"


def test_up_starts_the_scheduler_once_the_demo_site_listens(tmp_path):
    """The processes after the demo site start only once it listens on its port (a scheduler
    whose first pass found no site failed every demo source until their next interval)."""
    import socket
    import sys

    from campaign.processes import supervise

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    stamp = tmp_path / "site-listening"
    # A "site" that starts listening after 1.5 s, writing the moment it does; the next child
    # writes whether that had happened when it started, then makes supervise stop all.
    site = (f"import socket, time, pathlib; time.sleep(1.5); s = socket.socket(); "
            f"s.bind(('127.0.0.1', {port})); s.listen(); "
            f"pathlib.Path({str(stamp)!r}).touch(); time.sleep(30)")
    after = (f"import pathlib; pathlib.Path({str(tmp_path / 'seen')!r}).write_text("
             f"str(pathlib.Path({str(stamp)!r}).exists()))")
    supervise([("site", [sys.executable, "-c", site], None, port),
               ("next", [sys.executable, "-c", after], None, None)])
    assert (tmp_path / "seen").read_text() == "True"


def test_up_serves_the_demo_site_where_demo_url_points(app, monkeypatch):
    """With DEMO_SITE_URL naming another local port (where `demo` pointed the sources), `up`
    serves the demo site on that port; a remote or unparsable URL leaves the default."""
    from campaign.processes import DEMO_SITE_PORT, _children

    def demo_port() -> str:
        with app.app_context():
            children = _children(5100, with_demo_site=True)
        argv = next(argv for name, argv, _env, _port in children if name == "demo-site")
        return argv[argv.index("--port") + 1]

    monkeypatch.setitem(app.config, "DEMO_SITE_URL", "http://127.0.0.1:5150")
    assert demo_port() == "5150"
    for other in ("http://news.example.cn:8080", "http://127.0.0.1:notaport", ""):
        monkeypatch.setitem(app.config, "DEMO_SITE_URL", other)
        assert demo_port() == str(DEMO_SITE_PORT)


def test_fetch_command_backfills_epaper_days(tmp_path, committed_app):
    """`fetch --source ID --since --until` walks that period of an e-paper (no campaign asks
    for it) and records the run as a backfill."""
    from campaign.demo_site import running

    with committed_app(tmp_path) as app, running() as base:
        with app.app_context():
            source_id = add_source_row(f"{base}/ahrb/html/{{yyyy}}-{{mm}}/{{dd}}/node_1.htm")
        result = app.test_cli_runner().invoke(args=[
            "fetch", "--source", str(source_id), "--since", "2006-04-25", "--until", "2006-04-27"])
        assert result.exit_code == 0, result.output
        assert count(app, Article) == 14  # 4 + 6 + 4 articles on those three days
        with app.app_context():
            run = db.session.scalars(select(FetchRun)).one()
        assert (run.trigger, run.outcome, run.new_count) == ("backfill", "ok", 14)


def add_source_row(url: str) -> int:
    """An e-paper source of a new outlet (inside an app context); returns its id."""
    source = Source(outlet=Outlet(name="安徽日报"), type="epaper", url=url, selectors={})
    db.session.add(source)
    db.session.commit()
    return source.id


def test_the_scheduler_matches_what_it_stores_unless_told_not_to(app):
    """make_poller hands coverage matching to the write phase; match=False leaves it out."""
    from campaign.coverage.matching import match_articles
    from campaign.ingest.scheduler import make_poller

    for match, expected in ((True, match_articles), (False, None)):
        poller = make_poller(app, workers=1, match=match)
        try:
            assert poller.writes.after_store is expected
        finally:
            poller.stop()
            poller.fetcher.close()


@pytest.mark.parametrize(("stop", "sigint_ignored"), [
    (signal.SIGTERM, False), (signal.SIGINT, False), (signal.SIGINT, True)])
def test_scheduler_stops_cleanly_on_a_signal(tmp_path, server, stop, sigint_ignored, committed_app):
    """The scheduler command stops on SIGTERM or Ctrl-C (even when started in the background
    with SIGINT ignored), exits 0 and leaves no claim behind."""
    with committed_app(tmp_path) as app:
        add_feeds(app, server, 2)
        proc = scheduler_process(app, sigint_ignored=sigint_ignored)
        deadline = time.monotonic() + 30
        while count(app, FetchRun) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        proc.send_signal(stop)
        output = proc.communicate(timeout=20)[0].decode()
        assert proc.returncode == 0, output
        assert "scheduler stopped" in output
        with app.app_context():
            assert db.session.scalars(select(Source.claimed_by)).all() == [None, None]


def test_the_scheduler_refuses_local_addresses_not_allowed(tmp_path, committed_app):
    """The scheduler's fetcher blocks private and loopback addresses — a source's own host
    included — except the hosts in SOURCE_ALLOW_HOSTS and the allowed-hosts table."""
    from campaign.ingest.scheduler import SourceHosts, fetch_settings
    from campaign.sources.models import AllowedHost
    from scrapers.fetch import Outcome

    with committed_app(tmp_path) as app:
        with app.app_context():
            add_source_row("http://127.0.0.1:9/{yyyy}{mm}{dd}.htm")
            db.session.add(AllowedHost(host="127.0.0.3:*"))
            db.session.commit()
            hosts = SourceHosts(["intranet.example"])
            hosts.refresh()
        assert hosts("http://127.0.0.1:1/any.html") is not None
        assert hosts("http://127.0.0.3:1/any.html") is None
        assert hosts("http://intranet.example/a.html") is None
        settings = fetch_settings({"FETCH_RETRIES": 0}, hosts)
        with Fetcher(settings, transport=hosts.transport()) as fetcher:
            assert fetcher.fetch("http://192.168.1.20/admin").outcome is Outcome.BLOCKED
            assert fetcher.fetch("http://127.0.0.1:9/x").outcome is Outcome.BLOCKED
            refused = fetcher.fetch(f"http://127.0.0.3:{closed_port()}/x").outcome
            assert refused is Outcome.CONNECTION_ERROR


def test_up_fetches_the_demo_site_without_the_politeness_gap(monkeypatch):
    """Beside the demo site the scheduler child fetches without the politeness gap unless one
    is set; without the demo site its environment is left alone."""
    from campaign.processes import _children

    monkeypatch.delenv("FETCH_MIN_DELAY", raising=False)
    env = _children(5000, with_demo_site=True)[-1][2]
    assert float(env["FETCH_MIN_DELAY"]) < 0.1
    monkeypatch.setenv("FETCH_MIN_DELAY", "2")
    assert _children(5000, with_demo_site=True)[-1][2]["FETCH_MIN_DELAY"] == "2"
    assert _children(5000, with_demo_site=False)[-1][2] is None


def closed_port() -> int:
    """A local port nobody listens on."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
