"""Faults beyond tests/sources/test_faults.py: a server that drips, rate-limits, loops,
sends 50 MB, broken gzip, a wrong charset, truncated XML or HTML for a feed. Each source fails
alone with its own error kind, memory stays bounded and the good sources are not held up."""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Iterator
from datetime import timedelta

from sqlalchemy import select

from campaign.articles.models import Article
from campaign.extensions import db
from campaign.ingest.scheduler import make_poller
from campaign.sources.models import FetchRun, Source
from scrapers.fetch import Fetcher, FetchSettings, Outcome
from tests.plugins.apps import add_source, count, feed
from tests.scrapers.scraper_server import LocalServer, Reply

MB = 1024 * 1024
BIG = 50 * MB
TOTAL_TIMEOUT = 2.0
RSS = "application/rss+xml"
BODY = "职工技能大赛在合肥开幕，来自全省的选手参加比赛，省总工会负责同志出席。" * 4


def drip(seconds: int = 30) -> Iterator[bytes]:
    """One byte a second: never slow enough for the read timeout, always too slow overall."""
    for _ in range(seconds):
        yield b" "
        time.sleep(1.0)


def fifty_megabytes() -> Iterator[bytes]:
    """50 MB in 64 KB pieces; the server never holds the whole body."""
    piece = b"<p>" + b"x" * (64 * 1024 - 7) + b"</p>\n"
    for _ in range(BIG // len(piece) + 1):
        yield piece


def gbk_feed(base: str) -> bytes:
    """A feed in GBK whose Content-Type says UTF-8 (a common misconfiguration)."""
    items = "".join(f"<item><title>职工新闻{n}</title><link>{base}/gbk/{n}.html</link>"
                    f"<description>{BODY}{n}</description></item>" for n in range(2))
    return f"<rss version='2.0'><channel><title>工人报</title>{items}</channel></rss>".encode(
        "gbk")



def routes(server: LocalServer) -> dict[str, tuple[str, str]]:
    """Register the misbehaving routes; name -> (path, expected error kind or 'ok')."""
    server.route("/drip.xml", Reply(content_type=RSS, send_length=False, stream=drip))
    server.route("/429.xml", Reply(429, b"slow down", headers={"Retry-After": "7200"}))
    server.route("/loop-a.xml", Reply(302, headers={"Location": server.url("/loop-b.xml")}))
    server.route("/loop-b.xml", Reply(302, headers={"Location": server.url("/loop-a.xml")}))
    server.route("/big.xml", Reply(content_type=RSS, send_length=False, stream=fifty_megabytes))
    server.route("/gzip.xml", Reply(body=b"\x1f\x8b\x08\x00 definitely not gzip",
                                    content_type=RSS, headers={"Content-Encoding": "gzip"}))
    server.route("/charset.xml", Reply(body=gbk_feed(server.url("")),
                                       content_type="application/rss+xml; charset=utf-8"))
    server.route("/truncated.xml", Reply(body=feed(server.url(""), "cut")[:60], content_type=RSS))
    server.route("/html.xml", Reply(body=b"<html><body><h1>404 page</h1></body></html>"))
    return {"drip": ("/drip.xml", "timeout"), "429": ("/429.xml", "http_error"),
            "loop": ("/loop-a.xml", "redirect_loop"), "big": ("/big.xml", "too_large"),
            "gzip": ("/gzip.xml", "decode_error"), "charset": ("/charset.xml", "ok"),
            "truncated": ("/truncated.xml", "parse_error"), "html": ("/html.xml", "parse_error")}


def test_each_misbehaving_source_fails_alone_with_its_error_kind(tmp_path, server, committed_app):
    """Through the scheduler's own fetcher (guard, transport, settings from the config): every
    misbehaving source ends with its error kind, the wrong charset is decoded anyway, the 429
    is not retried in a thread but its next fetch waits for its Retry-After, the drip ends at
    the total timeout, and the good sources are not held up by it: they are written before the
    dripping source gives up."""
    cases = routes(server)
    for n in range(3):
        server.route(f"/good{n}.xml", Reply(body=feed(server.url(""), f"good{n}"),
                                            content_type=RSS))
    config = {"FETCH_TOTAL_TIMEOUT": TOTAL_TIMEOUT, "FETCH_TIMEOUT": 5.0, "FETCH_RETRIES": 1,
              "FETCH_MAX_PER_HOST": 16, "FETCH_WORKERS": 12}
    with committed_app(tmp_path, **config) as app:
        with app.app_context():
            ids = {name: add_source(server.url(path), name) for name, (path, _) in cases.items()}
            good = [add_source(server.url(f"/good{n}.xml"), f"good{n}") for n in range(3)]
            db.session.commit()
        engine = make_poller(app)
        started = time.monotonic()
        finished = {}
        for report in engine.run_pass():
            finished[report.source_id] = time.monotonic() - started
        engine.stop()
        engine.fetcher.close()
        order = sorted(finished, key=finished.__getitem__)
        assert max(order.index(i) for i in good) < order.index(ids["drip"]), finished
        # Lower bounds only (a busy machine makes them longer, never shorter): the drip ran to
        # the total timeout (its kind, checked below, is `timeout`; the drip lasts 30 s).
        assert finished[ids["drip"]] >= TOTAL_TIMEOUT
        assert server.paths().count("/429.xml") == 1
        with app.app_context():
            limited = db.session.get(Source, ids["429"])
            wait = limited.next_fetch_at - db.session.scalars(select(FetchRun.finished_at).where(
                FetchRun.source_id == limited.id)).one()
            assert timedelta(seconds=7100) < wait < timedelta(seconds=7300), wait
            for name, (_path, kind) in cases.items():
                source = db.session.get(Source, ids[name])
                run = db.session.scalars(select(FetchRun).where(
                    FetchRun.source_id == source.id)).one()
                if kind == "ok":
                    assert run.outcome == "ok", (name, run.error)
                else:
                    assert run.outcome == "failed" and source.last_error_kind == kind, (
                        name, run.outcome, source.last_error_kind, run.error)
            titles = set(db.session.scalars(select(Article.title)))
        assert {"职工新闻0", "职工新闻1"} <= titles  # GBK under a UTF-8 label, decoded right
        assert count(app, Article) == 3 * 2 + 2


def test_a_fifty_megabyte_body_is_cut_off_with_bounded_memory(server):
    """A 50 MB body without Content-Length is read only up to the limit: `too_large`, and the
    peak memory traced during the fetch stays far below the body size."""
    server.route("/big.xml", Reply(content_type=RSS, send_length=False, stream=fifty_megabytes))
    settings = FetchSettings(min_delay=0, retries=0, trust_env=False, obey_robots=False,
                             max_bytes=2 * MB)
    with Fetcher(settings) as fetcher:
        tracemalloc.start()
        try:
            result = fetcher.fetch(server.url("/big.xml"))
            _current, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert result.outcome is Outcome.TOO_LARGE and result.body == b""
    assert peak < 8 * MB, f"peak {peak / MB:.1f} MB"


def test_a_declared_fifty_megabyte_body_is_refused_before_reading(server):
    """A Content-Length above the limit is refused from the header alone."""
    server.route("/big.xml", Reply(content_type=RSS, headers={"Content-Length": str(BIG)},
                                   send_length=False, stream=lambda: iter([b"x" * 1024])))
    with Fetcher(FetchSettings(min_delay=0, retries=0, trust_env=False,
                               obey_robots=False)) as fetcher:
        result = fetcher.fetch(server.url("/big.xml"))
    assert result.outcome is Outcome.TOO_LARGE


def test_the_drip_is_bounded_by_the_total_timeout_not_the_read_timeout(server):
    """A server sending one byte a second never trips a 5 s read timeout, but the fetch still
    ends at the 1.5 s total timeout with `timeout`."""
    server.route("/drip.xml", Reply(content_type=RSS, send_length=False, stream=drip))
    settings = FetchSettings(min_delay=0, retries=0, trust_env=False, obey_robots=False,
                             read_timeout=5.0, total_timeout=1.5)
    with Fetcher(settings) as fetcher:
        started = time.monotonic()
        result = fetcher.fetch(server.url("/drip.xml"))
        elapsed = time.monotonic() - started
    assert result.outcome is Outcome.TIMEOUT  # the drip would last 30 s
    assert elapsed >= 1.5  # a lower bound only: a busy machine makes it longer, never shorter
