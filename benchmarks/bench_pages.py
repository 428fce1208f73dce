"""Ingesting article pages: CPU per page against trafilatura alone, and 2 extraction processes
against 1, in the same run.

Usage: .venv/bin/python benchmarks/bench_pages.py [--pages 10000] [--sources 10] [--seed 17]

Writes a news site of ``--pages`` article pages and their list pages to a temporary folder
(`benchmarks/news_pages.py`: portal pages with a navigation bar, credit line, related links,
rank list and footer; a third of the outlets in GBK) and serves them as static files from a
child process (a real site is another machine: its work is not counted). Then, in this run:

* **trafilatura alone**: ``trafilatura.extract(body)`` over every page's bytes, read from the
  files; CPU seconds per page, measured before, between and after the passes and averaged
  (the machine's load moves while the benchmark runs);
* **the tracker**: a fetch pass over ``--sources`` list sources through the scheduler's own
  `Poller` — claim, list pages, the article pages fetched FETCH_MAX_PER_HOST at a time,
  extraction and signatures, the write phase (store, search index, reprint grouping,
  FetchRuns) — on a fresh SQLite database, with EXTRACT_PROCESSES=0 (the fetch threads read
  the pages, as before the pool), 1 and 2. Its CPU is this process's plus its workers' (from
  /proc), per page: *reading* is everything from the list page to the signed article, in
  every process; *writing* is the write phase (thread CPU time of the threads writing).

The site is one local host: no minimum gap between its requests (FETCH_MIN_DELAY=0), and
FETCH_MAX_PER_HOST at its default, 2. Besides each pass's pages a second, the cores it kept
busy (its CPU seconds over its seconds) and the machine's load average are printed: on a
machine shared with other work a pass cannot use cores it does not get.

Targets (exit 1 when one is missed): reading a page in the 2-process pass costs at most 1.5x
trafilatura alone (the write phase — SQLite rows, the trigram search index, reprint grouping
— is printed beside it, not counted); the 2-process pass stores pages at least 1.5x as fast
as the 1-process pass; every pass stores every page, all passes store the same articles, and
those say what the pages say (headline, body, time, author, editor, credit).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import news_pages  # noqa: E402

MAX_CPU_RATIO = 1.5
MIN_SPEEDUP = 1.5
PER_HOST = 2  # FETCH_MAX_PER_HOST's default
MODES = (0, 1, 2)  # EXTRACT_PROCESSES of each pass


@dataclass
class Pass:
    """What one fetch pass did and cost: CPU seconds of this process (`cpu_here`, of which
    `cpu_writing` in the write phase) and of its extraction workers."""

    processes: int
    pages: int
    wall: float
    cpu_here: float
    cpu_writing: float
    cpu_workers: float
    articles: dict[str, tuple[Any, ...]]
    load: float = 0.0  # the machine's load average over the last minute, at the end

    @property
    def reading(self) -> float:
        """CPU seconds a page from list page to signed article, in every process."""
        return (self.cpu_here - self.cpu_writing + self.cpu_workers) / max(self.pages, 1)

    @property
    def writing(self) -> float:
        """CPU seconds a page in the write phase (store, search index, reprints, runs)."""
        return self.cpu_writing / max(self.pages, 1)

    @property
    def rate(self) -> float:
        return self.pages / self.wall


def process_cpu(pid: int) -> float:
    """User + system CPU seconds of a live process, from /proc (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class WriteClock:
    """Counts the CPU time the poller's threads spend in write phases (thread CPU time)."""

    def __init__(self, poller: Any) -> None:
        self.seconds = 0.0
        self._lock = threading.Lock()
        write = poller.writes._write_batch

        def timed(batch: Any) -> None:
            started = time.thread_time()
            try:
                write(batch)
            finally:
                with self._lock:
                    self.seconds += time.thread_time() - started

        poller.writes._write_batch = timed


def trafilatura_alone(bodies: list[bytes]) -> float:
    """CPU seconds per page of a bare `trafilatura.extract` call on each page's bytes."""
    import trafilatura

    trafilatura.extract(bodies[0])
    started = time.process_time()
    for body in bodies:
        trafilatura.extract(body)
    return (time.process_time() - started) / len(bodies)


def make_app(folder: Path, base: str, args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from campaign import create_app
    from campaign.extensions import db
    from campaign.planning.models import Outlet
    from campaign.sources.models import Source

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.db'}",
                      "SECRET_KEY": "bench", "INSTANCE_PATH": str(folder), "TESTING": True,
                      "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 10}})
    with app.app_context():
        db.create_all()
        for k in range(args.sources):
            db.session.add(Source(
                outlet=Outlet(name=f"第{k + 1}新闻网"), type="html", name=f"s{k}",
                url=f"{base}/s{k}/list_0.html", obey_robots=False,
                max_pages=news_pages.list_pages(args.pages, args.sources),
                selectors={"link_selector": "ul.news-list a", "next_selector": ".pages a"}))
        db.session.commit()
    return app


def stored(app) -> dict[str, tuple[Any, ...]]:  # type: ignore[no-untyped-def]
    """Every stored article by URL path: what the comparisons look at."""
    from urllib.parse import urlsplit

    from sqlalchemy import select

    from campaign.articles.models import Article
    from campaign.extensions import db

    with app.app_context():
        rows = db.session.scalars(select(Article)).all()
        return {urlsplit(a.url).path: (a.title, a.body.text if a.body else "",
                                       a.published_at.isoformat() if a.published_at else None,
                                       a.author, a.editor, a.source_credit) for a in rows}


def run_pass(folder: Path, base: str, args: argparse.Namespace, processes: int) -> Pass:
    """One fetch pass of every source with `processes` extraction processes."""
    from campaign.coverage.matching import match_articles
    from campaign.ingest.extraction import ReadInProcesses, ReadInThread
    from campaign.ingest.scheduler import Poller
    from scrapers.fetch import Fetcher, FetchSettings

    folder.mkdir()
    app = make_app(folder, base, args)
    reader = ReadInProcesses(processes) if processes else ReadInThread()
    pids: list[int] = []
    if isinstance(reader, ReadInProcesses):
        reader.call(os.getpid)  # start the workers before the clock
        pids = reader.pool.pids()
    fetcher = Fetcher(FetchSettings(trust_env=False, retries=0, min_delay=0.0,
                                    max_per_host=PER_HOST))
    poller = Poller(app, fetcher=fetcher, workers=8, after_store=match_articles, pages=reader)
    writing = WriteClock(poller)
    workers_before = sum(process_cpu(pid) for pid in pids)
    cpu_before, started = time.process_time(), time.perf_counter()
    reports = list(poller.run_pass())
    wall, cpu_here = time.perf_counter() - started, time.process_time() - cpu_before
    load = os.getloadavg()[0]
    cpu_workers = sum(process_cpu(pid) for pid in pids) - workers_before
    if isinstance(reader, ReadInProcesses) and reader.pool.pids() != pids:
        raise SystemExit("an extraction worker was replaced during the pass")
    poller.stop()
    fetcher.close()
    bad = [r for r in reports if r.outcome != "ok"]
    if bad:
        print(f"  runs not ok: {bad[:3]}")
    articles = stored(app)
    return Pass(processes, len(articles), wall, cpu_here, writing.seconds, cpu_workers,
                articles, load)


def agreement(articles: dict[str, tuple[Any, ...]],
              truths: dict[str, news_pages.PageTruth]) -> int:
    """How many stored articles say what their page says."""
    agree = 0
    for path, truth in truths.items():
        got = articles.get(path)
        if got is None:
            continue
        title, body, published, author, editor, credit = got
        expected_time = f"{truth.published.replace(' ', 'T')}:00+08:00"
        if (title, body, author, editor, credit) == (
                truth.title, "\n".join(truth.paragraphs), truth.author, truth.editor,
                truth.credit) and published is not None and (
                published == expected_time or _utc(published) == _utc(expected_time)):
            agree += 1
    return agree


def _utc(value: str) -> Any:
    from datetime import UTC, datetime

    return datetime.fromisoformat(value).astimezone(UTC)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=10_000)
    parser.add_argument("--sources", type=int, default=10)
    parser.add_argument("--seed", type=int, default=17)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-pages-") as tmp:
        folder = Path(tmp)
        truths = news_pages.write_site(folder / "site", pages=args.pages, sources=args.sources,
                                       seed=args.seed)
        bodies = [(folder / "site" / path.lstrip("/")).read_bytes() for path in truths]
        server, base = news_pages.serve(folder / "site")
        try:
            baselines = [trafilatura_alone(bodies)]
            passes = []
            for processes in MODES:
                passes.append(run_pass(folder / f"pass{processes}", base, args, processes))
                baselines.append(trafilatura_alone(bodies))
        finally:
            server.kill()
            server.join()
    return report(args, truths, baselines, passes)


def report(args: argparse.Namespace, truths: dict[str, news_pages.PageTruth],
           baselines: list[float], passes: list[Pass]) -> int:
    alone = statistics.mean(baselines)
    size = sum(len(t.paragraphs) for t in truths.values()) / len(truths)
    print(f"{args.pages:,} article pages of {args.sources} list sources "
          f"({size:.1f} paragraphs a page), served from files on 127.0.0.1")
    print(f"trafilatura alone: {alone * 1000:.2f} ms CPU a page "
          f"(runs: {', '.join(f'{b * 1000:.2f}' for b in baselines)})")
    print("CPU ms a page: reading = list page to signed article, in this process and the "
          "workers; writing = the write phase")
    print(f"{'EXTRACT_PROCESSES':<18}{'pages':>6}{'seconds':>8}{'pages/s':>8}{'cores':>6}"
          f"{'load':>5}{'reading':>8}{'x traf.':>8}{'writing':>8}{'all':>7}{'x traf.':>8}"
          f"{'agree':>7}")
    for p in passes:
        whole = p.reading + p.writing
        print(f"{p.processes:<18}{p.pages:>6}{p.wall:>8.1f}{p.rate:>8.1f}"
              f"{whole * p.pages / p.wall:>6.2f}{p.load:>5.1f}"
              f"{p.reading * 1000:>8.2f}{p.reading / alone:>8.2f}{p.writing * 1000:>8.2f}"
              f"{whole * 1000:>7.2f}{whole / alone:>8.2f}{agreement(p.articles, truths):>7}")
    by = {p.processes: p for p in passes}
    ratio = by[2].reading / alone
    speedup = by[2].rate / by[1].rate
    print(f"2 processes: reading a page costs {ratio:.2f}x trafilatura alone (target <= "
          f"{MAX_CPU_RATIO}); {speedup:.2f}x the pages a second of 1 process (target >= "
          f"{MIN_SPEEDUP}), {by[2].rate / by[0].rate:.2f}x the fetch threads reading alone")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of this process {peak:.0f} MiB")
    missed = []
    if ratio > MAX_CPU_RATIO:
        missed.append(f"reading a page costs {ratio:.2f}x trafilatura alone, not "
                      f"<= {MAX_CPU_RATIO}x")
    if speedup < MIN_SPEEDUP:
        missed.append(f"2 processes store {speedup:.2f}x the pages a second of 1, "
                      f"not >= {MIN_SPEEDUP}x")
    for p in passes:
        if p.pages != len(truths):
            missed.append(f"EXTRACT_PROCESSES={p.processes} stored {p.pages} of {len(truths)}")
        if p.articles != passes[0].articles:
            missed.append(f"EXTRACT_PROCESSES={p.processes} stored other articles than "
                          f"EXTRACT_PROCESSES={passes[0].processes}")
        agree = agreement(p.articles, truths)
        if agree != len(truths):
            missed.append(f"EXTRACT_PROCESSES={p.processes}: only {agree} articles say what "
                          "their page says")
    for miss in missed:
        print(f"MISSED: {miss}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
