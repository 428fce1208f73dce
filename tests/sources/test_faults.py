"""Faults: a source that hangs, errs or sends garbage fails alone; a scheduler killed mid-pass
loses nothing and duplicates nothing when it starts again."""

from __future__ import annotations

import signal
import socket
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from campaign.articles.models import Article
from campaign.core.times import utcnow
from campaign.extensions import db
from campaign.ingest.scheduler import Poller
from campaign.sources.models import FetchRun, Source
from scrapers.fetch import Fetcher, FetchSettings
from tests.plugins.apps import add_source, count, feed, scheduler_process
from tests.scrapers.scraper_server import LocalServer, Reply

HANG = 30.0  # the hanging source would answer after this long
TIMEOUT = 1.0



def closed_port() -> int:
    """A local port nobody listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_misbehaving_sources_fail_alone(tmp_path, server: LocalServer, committed_app):
    """Hanging, 500, garbage and refused sources are recorded as failed with their error kind
    and backed off, while the good sources are stored without waiting for them."""
    server.route("/hang.xml", Reply(body=b"<rss/>", delay=HANG))
    server.route("/500.xml", Reply(500, b"boom"))
    server.route("/garbage.xml", Reply(body=b"\x00\x01 not a feed <<<", content_type="text/xml"))
    for n in range(3):
        server.route(f"/good{n}.xml", Reply(body=feed(server.url(""), f"good{n}"),
                                            content_type="application/rss+xml"))
    with committed_app(tmp_path) as app:
        with app.app_context():
            bad = {kind: add_source(url, kind) for kind, url in [
                ("timeout", server.url("/hang.xml")), ("http_error", server.url("/500.xml")),
                ("parse_error", server.url("/garbage.xml")),
                ("connection_error", f"http://127.0.0.1:{closed_port()}/feed.xml")]}
            good = [add_source(server.url(f"/good{n}.xml"), f"good{n}") for n in range(3)]
            db.session.commit()
        settings = FetchSettings(min_delay=0, retries=0, read_timeout=TIMEOUT,
                                 connect_timeout=TIMEOUT, trust_env=False, max_per_host=8)
        engine = Poller(app, fetcher=Fetcher(settings), workers=8)
        order = [report.source_id for report in engine.run_pass()]  # as each one finishes
        engine.stop()
        # The good sources are not held up by the hanging one, which ends at its own timeout
        # (its run below is `timeout`, not the answer the server would send after 30 s).
        assert max(order.index(i) for i in good) < order.index(bad["timeout"]), order
        assert count(app, Article) == 6
        with app.app_context():
            for kind, source_id in bad.items():
                source = db.session.get(Source, source_id)
                run = db.session.scalars(select(FetchRun).where(FetchRun.source_id == source_id)
                                         ).one()
                assert run.outcome == "failed" and run.error.startswith(kind), run.error
                assert source.last_error_kind == kind and source.last_error_message
                assert source.consecutive_failures == 1 and source.claimed_by is None
                wait = source.next_fetch_at - utcnow()
                assert timedelta(minutes=115) < wait <= timedelta(minutes=120)  # 60 min × 2


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_sigkill_mid_pass_loses_nothing_and_duplicates_nothing(tmp_path, server: LocalServer,
                                                               backend: str, committed_app):
    """A scheduler killed with SIGKILL mid-pass keeps what it committed; started again, it
    releases the dead process's claims, fetches the rest, and no article is stored twice."""
    sources, pages = 4, 5
    for s in range(sources):
        items = "".join(
            f"<item><title>t{s}-{n}</title><link>{server.url(f'/a/{s}/{n}.html')}</link>"
            f"<description>摘要</description></item>" for n in range(pages))
        server.route(f"/f{s}.xml", Reply(body=f"<rss><channel>{items}</channel></rss>".encode(),
                                         content_type="application/rss+xml"))
        for n in range(pages):
            html = (f"<html><body><h1>第{s}报第{n}篇</h1><div class='content'><p>"
                    f"{'职工技能大赛在合肥开幕。' * 8}{s}-{n}</p></div></body></html>")
            # Source 0 is quick, the others slow: the kill lands after the first has committed
            # and while the others are still fetching their pages.
            delay = 0.02 if s == 0 else 0.35
            server.route(f"/a/{s}/{n}.html", Reply(body=html.encode(), delay=delay))
    with committed_app(tmp_path, backend) as app:
        with app.app_context():
            for s in range(sources):
                add_source(server.url(f"/f{s}.xml"), f"报{s}")
            db.session.commit()
        proc = scheduler_process(app, "--once", FETCH_MAX_PER_HOST="16")
        deadline = time.monotonic() + 30
        while count(app, FetchRun) == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        runs_at_kill, kept = count(app, FetchRun), count(app, Article)
        assert 0 < runs_at_kill < sources and kept >= runs_at_kill * pages
        restarted = scheduler_process(app, "--once", FETCH_MAX_PER_HOST="16")
        output = restarted.communicate(timeout=60)[0].decode()
        assert restarted.returncode == 0, output
        assert "released" in output  # the dead process's claims were given back at once
        assert count(app, Article) == sources * pages
        with app.app_context():
            urls = db.session.scalar(select(func.count(func.distinct(Article.url))))
            assert urls == sources * pages
            assert count(app, FetchRun) == sources  # each source ran to the end exactly once
