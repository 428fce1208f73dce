"""A poll of many sources on the thread pool against one source at a time, in the same run.

Usage: .venv/bin/python benchmarks/bench_poll.py [--sources 300] [--latency 0.1] [--workers 32]
    [--items 2]

Each source is an RSS feed (--items entries with full bodies) served by a local HTTP server that
answers the feed after ``--latency`` seconds. Every source gets a host of its own — a distinct
loopback address 127.0.x.y, each with its own small server — because the fetcher's politeness
gate (at most 2 requests in flight and a minimum gap per host) is keyed on the host name: 300
feeds on one host would be serialised by design, which is what politeness is for, not what
this benchmark measures. The per-host minimum gap stays at its default (1 s); it only spaces
requests to the same host, so the sources do not ask for robots.txt (one request per host —
with it, every source would pay the 1 s gap between robots.txt and its feed).

The servers run in a child process: real sources are other machines, and in the poller's own
process their threads would compete with it for the GIL (and count in its figures).

Both passes go through the whole pipeline — claim, fetch, parse, sign, store, group reprints,
coverage matching (as the scheduler runs it), FetchRun,
reschedule — on a fresh SQLite database each. The pooled pass should take about the time of the
slowest few sources times ``sources / workers``, not the sum of all latencies. ``--pooled-only``
skips the sequential passes (half a minute each).

Exits 1 when a target is missed: every source fetched ok and two articles each stored, by
both passes; the pooled first pass within MAX_OVER_NETWORK times the network alone; and the
pooled first pass at least MIN_POOLED_SPEEDUP times as fast as one at a time.
"""

from __future__ import annotations

import argparse
import functools
import multiprocessing
import random
import socketserver
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the app is imported where it is used: the servers' process needs none of it
    from campaign.core.sqlite import LockHold

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# Each feed's stories are different texts (as different outlets' own news is), so reprint
# grouping finds candidates only where there are real copies, as in production.
CHARS = [chr(c) for c in range(0x4E00, 0x4E00 + 2500)]
MAX_OVER_NETWORK = 4.0
MIN_POOLED_SPEEDUP = 5.0


@functools.cache
def story(seed: str) -> str:
    rng = random.Random(seed)
    return "".join(rng.choice(CHARS) for _ in range(300))


def feed_bytes(host: str, port: int, count: int) -> bytes:
    items = "".join(
        f"<item><title>{host}-{n}</title><link>http://{host}:{port}/a/{n}.html</link>"
        f"<description>{story(f'{host}-{n}')}</description></item>" for n in range(count))
    return f'<?xml version="1.0"?><rss version="2.0"><channel>{items}</channel></rss>'.encode()


def handler(latency: float, items: int) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"

        def do_GET(self) -> None:
            if self.path != "/feed.xml":
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            time.sleep(latency)
            host, port = self.server.server_address[:2]
            body = feed_bytes(str(host), int(port), items)
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            return

    return Handler


class QuickServer(ThreadingHTTPServer):
    """HTTPServer.server_bind looks up the FQDN of its address, slow for 300 loopback hosts."""

    daemon_threads = True

    def server_bind(self) -> None:
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name, self.server_port = str(host), int(port)


def start_servers(count: int, latency: float, items: int) -> list[ThreadingHTTPServer]:
    """One server per source, each on its own loopback address."""
    servers = []
    for n in range(count):
        address = f"127.0.{1 + n // 250}.{1 + n % 250}"
        httpd = QuickServer((address, 0), handler(latency, items))
        # The poll interval only bounds how soon shutdown() is noticed, and nobody calls it.
        threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 30},
                         daemon=True).start()
        servers.append(httpd)
    return servers


def serve(count: int, latency: float, items: int,
          urls: multiprocessing.Queue[list[str]]) -> None:
    """The child process: start the servers, hand back their feed URLs, serve until killed."""
    servers = start_servers(count, latency, items)
    urls.put([f"http://{s.server_address[0]}:{s.server_address[1]}/feed.xml" for s in servers])
    threading.Event().wait()


def start_server_process(count: int, latency: float, items: int
                         ) -> tuple[multiprocessing.process.BaseProcess, list[str]]:
    """The servers in a child process of their own; returns it and the feed URLs."""
    context = multiprocessing.get_context("spawn")
    urls: multiprocessing.Queue[list[str]] = context.Queue()
    process = context.Process(target=serve, args=(count, latency, items, urls), daemon=True)
    process.start()
    return process, urls.get(timeout=120)


def timed_pass(urls: list[str], workers: int) -> tuple[float, int, int, float, LockHold]:
    """Fetch every URL as a source with `workers` threads; return (seconds, ok, articles) of the
    first pass (everything new), the seconds of a routine second poll (feeds unchanged) and the
    longest write-lock hold of both."""
    from sqlalchemy import func, select, update

    from campaign import create_app
    from campaign.articles.models import Article
    from campaign.core.sqlite import longest_write_lock
    from campaign.coverage.matching import match_articles
    from campaign.extensions import db
    from campaign.ingest.scheduler import Poller
    from campaign.planning.models import Outlet
    from campaign.sources.models import Source
    from scrapers.fetch import Fetcher, FetchSettings

    folder = Path(tempfile.mkdtemp(prefix="bench-poll-"))
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.db'}",
                      "SECRET_KEY": "bench", "INSTANCE_PATH": str(folder), "TESTING": True,
                      # one connection per thread, as config.py sizes it for the scheduler
                      "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": workers + 2}})
    with app.app_context():
        db.create_all()
        for n, url in enumerate(urls):
            db.session.add(Source(outlet=Outlet(name=f"报{n}"), type="rss", url=url,
                                  name=f"feed{n}", selectors={}, obey_robots=False))
        db.session.commit()
    poller = Poller(app, fetcher=Fetcher(FetchSettings(trust_env=False, retries=0)),
                    workers=workers, after_store=match_articles)
    longest_write_lock()
    started = time.perf_counter()
    reports = list(poller.run_pass())
    elapsed = time.perf_counter() - started
    with app.app_context():  # every source due again: the next regular poll
        db.session.execute(update(Source).values(next_fetch_at=None))
        db.session.commit()
    started = time.perf_counter()
    routine = list(poller.run_pass())
    routine_elapsed = time.perf_counter() - started
    assert all(r.outcome in ("ok", "not_modified") for r in routine)
    hold = longest_write_lock()
    poller.stop()
    with app.app_context():
        stored = db.session.scalar(select(func.count()).select_from(Article)) or 0
        db.engine.dispose()
    return elapsed, sum(r.outcome == "ok" for r in reports), stored, routine_elapsed, hold


def fetch_only(urls: list[str], workers: int) -> float:
    """The network part alone: the shared Fetcher on `workers` threads, nothing parsed or
    stored; returns seconds."""
    from concurrent.futures import ThreadPoolExecutor

    from scrapers.fetch import Fetcher, FetchSettings

    with Fetcher(FetchSettings(trust_env=False, retries=0, obey_robots=False)) as fetcher:
        started = time.perf_counter()
        with ThreadPoolExecutor(workers) as pool:
            results = list(pool.map(fetcher.fetch, urls))
        elapsed = time.perf_counter() - started
    assert all(r.ok for r in results)
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=int, default=300)
    parser.add_argument("--latency", type=float, default=0.1)
    parser.add_argument("--workers", type=int, default=32)
    parser.add_argument("--items", type=int, default=2, help="entries in each feed")
    parser.add_argument("--pooled-only", action="store_true",
                        help="skip the sequential passes")
    args = parser.parse_args()
    process, urls = start_server_process(args.sources, args.latency, args.items)
    try:
        missed = report(args, urls)
    finally:
        process.kill()
    for miss in missed:
        print(f"MISSED: {miss}")
    return 1 if missed else 0


def report(args: argparse.Namespace, urls: list[str]) -> list[str]:
    """Run the passes, print what they took and return the targets missed."""
    from campaign.core.sqlite import LOCK_TARGET_SECONDS

    pooled, ok_pooled, stored_pooled, routine_pooled, hold = timed_pass(urls, args.workers)
    network_pooled = fetch_only(urls, args.workers)
    print(f"{args.sources} sources of {args.items} entries, {args.latency * 1000:.0f} ms "
          f"latency each (sum of latencies {args.sources * args.latency:.1f} s)")
    print(f"network only (fetch, no parse/store), pooled ({args.workers} threads): "
          f"{network_pooled:.2f} s")
    print(f"first pass, pooled: {pooled:6.2f} s ({pooled / network_pooled:.1f}× the network) "
          f"{ok_pooled} ok, {stored_pooled} articles")
    print(f"routine poll (feeds unchanged, nothing to store), pooled: {routine_pooled:.2f} s "
          f"({routine_pooled / network_pooled:.1f}× the network)")
    print(f"longest write-lock hold of the pooled passes: {hold.seconds:.2f} s by "
          f"{hold.holder} (target < {LOCK_TARGET_SECONDS:.0f} s: logins and requests wait "
          "for it)")
    missed = []
    if (ok_pooled, stored_pooled) != (args.sources, args.items * args.sources):
        missed.append(f"pooled: {ok_pooled} of {args.sources} sources ok, {stored_pooled} "
                      f"articles stored")
    if pooled > MAX_OVER_NETWORK * network_pooled:
        missed.append(f"the pooled first pass took {pooled / network_pooled:.1f}x the network, "
                      f"not <= {MAX_OVER_NETWORK:g}x")
    if hold.seconds >= LOCK_TARGET_SECONDS:
        missed.append(f"a write held SQLite's lock {hold.seconds:.2f} s, not < "
                      f"{LOCK_TARGET_SECONDS:.0f} s")
    if args.pooled_only:
        return missed
    sequential, ok_seq, stored_seq, routine_seq, _hold = timed_pass(urls, 1)
    network_seq = fetch_only(urls, 1)
    print(f"sequential (1 thread): network {network_seq:.2f} s, first pass {sequential:.2f} s "
          f"({ok_seq} ok, {stored_seq} articles), routine poll {routine_seq:.2f} s")
    print(f"pooled against sequential: network {network_seq / network_pooled:.1f}×, first pass "
          f"{sequential / pooled:.1f}×, routine poll {routine_seq / routine_pooled:.1f}× "
          f"(ideal with {args.workers} threads: {min(args.workers, args.sources)}×)")
    cpu = max(0.0, sequential - network_seq) / args.sources * 1000
    print(f"a first pass adds about {cpu:.0f} ms a source to the network time, one at a time "
          "(parse, sign, store, group, match)")
    if (ok_seq, stored_seq) != (ok_pooled, stored_pooled):
        missed.append(f"one at a time: {ok_seq} sources ok and {stored_seq} articles, pooled: "
                      f"{ok_pooled} and {stored_pooled}")
    if sequential / pooled < MIN_POOLED_SPEEDUP:
        missed.append(f"the pooled first pass is {sequential / pooled:.1f}x one at a time, "
                      f"not >= {MIN_POOLED_SPEEDUP:g}x")
    return missed


if __name__ == "__main__":
    sys.exit(main())
