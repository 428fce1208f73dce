"""The fetch scheduler: claim due sources, fetch them on a bounded pool of threads, reschedule.

`Poller` is the engine. `tick()` claims as many due sources as it has idle threads and hands
them to the pool without waiting, so a source that hangs only ever holds one thread (and only
until its own timeout). `run_pass()` claims every chosen source and waits for all of them (the
`fetch` command). Each source is fetched, parsed and signed (MinHash) in its own thread with its
own app context (and so its own database session); one shared, thread-safe `Fetcher` keeps
per-host politeness across all threads. The pages a source lists are fetched a few at a time
(as many as the host allows) and read — parsed, extracted, signed — by a `PageReader`: a pool
of EXTRACT_PROCESSES worker processes, so that parsing uses every core while the threads wait
on the network; a page that crashes its worker is skipped and counted, the pass goes on.

Writes are group-committed (`ingest.write_phase.GroupCommit`): a thread done with the network
queues its source's results, and whichever thread gets the write turn writes every source
queued so far in one transaction.

`run_scheduler()` drives `tick()` from APScheduler's BlockingScheduler in one dedicated process
(the `scheduler` command). The web app never starts it.
"""

from __future__ import annotations

import logging
import queue
import signal
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from types import FrameType
from typing import Any

from flask import Flask

from campaign.core.times import utcnow
from campaign.coverage.matching import match_articles
from campaign.extensions import db
from campaign.ingest.claims import (
    claim_sources,
    drop_claims,
    reclaim_orphans,
    worker_name,
)
from campaign.ingest.collect import collect
from campaign.ingest.collected import AfterStore, Collected
from campaign.ingest.extraction import PageReader, ReadInThread, page_reader
from campaign.ingest.media import keep_media
from campaign.ingest.write_phase import GroupCommit, SourceReport
from campaign.ingest.write_turns import write_turn
from campaign.sources.guard import AddressGuard, allowed_hosts
from campaign.sources.models import Source
from scrapers.fetch import Fetcher, FetchSettings

log = logging.getLogger(__name__)

class SourceHosts(AddressGuard):
    """The fetcher's url_guard and connection guard (see `sources.guard`): no address on the
    local network unless its host is in SOURCE_ALLOW_HOSTS or the allowed-hosts table — not
    even a source's own host. `refresh()` re-reads the table (inside an app context)."""

    def __init__(self, allowed: Sequence[str] = ()) -> None:
        """Guard with the configured `allowed` hosts; the table's hosts come with `refresh`."""
        super().__init__(allowed)
        self._configured = list(allowed)

    def refresh(self) -> None:
        """Allow the configured hosts and those of the allowed-hosts table."""
        self.set_allowed(allowed_hosts(self._configured))


def fetch_settings(config: Mapping[str, Any], guard: SourceHosts | None = None
                   ) -> FetchSettings:
    """The shared fetcher's settings from the app config (FETCH_* keys) and the URL guard."""
    return FetchSettings(
        url_guard=guard or SourceHosts(config.get("SOURCE_ALLOW_HOSTS", [])),
        read_timeout=float(config.get("FETCH_TIMEOUT", 30.0)),
        connect_timeout=min(10.0, float(config.get("FETCH_TIMEOUT", 30.0))),
        total_timeout=float(config.get("FETCH_TOTAL_TIMEOUT", 120.0)),
        min_delay=float(config.get("FETCH_MIN_DELAY", 1.0)),
        max_per_host=int(config.get("FETCH_MAX_PER_HOST", 2)),
        retries=int(config.get("FETCH_RETRIES", 2)),
    )


@dataclass
class PassOptions:
    """What a run of a source is for: a backfill period, the trigger recorded on the run."""

    since: date | None = None
    until: date | None = None
    trigger: str = "scheduled"


class Poller:
    """Claims sources and fetches them on `workers` daemon threads sharing one `fetcher`."""

    def __init__(
        self,
        app: Flask,
        *,
        fetcher: Fetcher,
        workers: int = 8,
        worker: str | None = None,
        lease: timedelta | None = None,
        after_store: AfterStore | None = None,
        hosts: SourceHosts | None = None,
        pages: PageReader | None = None,
    ) -> None:
        """Start the pool; `worker` names this process's claims (a unique default); `hosts`
        (the fetcher's guard) re-reads the allowed hosts at every claim; `pages` reads the
        fetched pages (the extraction processes; the fetch threads themselves when not
        given)."""
        self.app = app
        self.hosts = hosts
        self.fetcher = fetcher
        self.pages = pages or ReadInThread()
        self.workers = max(1, workers)
        self.worker = worker or worker_name()
        self.lease = lease or timedelta(seconds=int(app.config.get("FETCH_LEASE_SECONDS", 1800)))
        # (source id, options, where to put the report: None for ticks, nobody waits on them)
        self._jobs: queue.Queue[tuple[int, PassOptions, queue.Queue[SourceReport] | None] | None]
        self._jobs = queue.Queue()
        self._busy = 0
        self._lock = threading.Lock()
        self.writes = GroupCommit(worker=self.worker, after_store=after_store)
        self._threads = [threading.Thread(target=self._work, name=f"fetch-{n}", daemon=True)
                         for n in range(self.workers)]
        for thread in self._threads:
            thread.start()

    @property
    def busy(self) -> int:
        """Sources claimed and not yet finished."""
        with self._lock:
            return self._busy

    def tick(self) -> int:
        """Claim due sources for the idle threads and queue them; return how many."""
        with self.app.app_context():
            self._refresh_hosts()
            with write_turn():
                ids = claim_sources(worker=self.worker, limit=self.workers - self.busy,
                                    lease=self.lease)
        self._submit(ids, PassOptions(), None)
        return len(ids)

    def run_pass(
        self,
        *,
        source_ids: Sequence[int] | None = None,
        force: bool = False,
        options: PassOptions | None = None,
    ) -> Iterator[SourceReport]:
        """Claim the chosen sources (the due ones, or `source_ids`; `force` takes them even if
        not due), fetch them and yield a report as each finishes."""
        return self.fetch(self.claim(source_ids=source_ids, force=force), options)

    def claim(self, *, source_ids: Sequence[int] | None = None, force: bool = False
              ) -> list[int]:
        """Claim every chosen source that no live worker holds (see `run_pass`)."""
        with self.app.app_context():
            self._refresh_hosts()
            with write_turn():
                return claim_sources(worker=self.worker, limit=100_000, lease=self.lease,
                                     source_ids=source_ids, force=force)

    def _refresh_hosts(self) -> None:
        if self.hosts is not None:
            self.hosts.refresh()
            db.session.rollback()  # end the read before the claim's writes

    def fetch(self, ids: Sequence[int], options: PassOptions | None = None
              ) -> Iterator[SourceReport]:
        """Fetch sources this worker has claimed; yield a report as each finishes."""
        done: queue.Queue[SourceReport] = queue.Queue()
        self._submit(ids, options or PassOptions(), done)
        for _ in ids:
            yield done.get()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until no source is in flight; False if `timeout` passed first."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.busy:
            if deadline is not None and time.monotonic() > deadline:
                return False
            time.sleep(0.05)
        return True

    def stop(self) -> None:
        """Stop taking work, give back the claims not finished (they are due again) and stop
        the extraction processes."""
        while True:
            try:
                self._jobs.get_nowait()
            except queue.Empty:
                break
        for _ in self._threads:
            self._jobs.put(None)
        with self.app.app_context():
            dropped = drop_claims(self.worker)
            db.session.commit()
        if dropped:
            log.info("worker %s gave back %s unfinished claims", self.worker, dropped)
        self.pages.close()

    def _submit(self, ids: Sequence[int], options: PassOptions,
                done: queue.Queue[SourceReport] | None) -> None:
        with self._lock:
            self._busy += len(ids)
        for source_id in ids:
            self._jobs.put((source_id, options, done))

    def _work(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            source_id, options, done = job
            try:
                report = self.run_source(source_id, options)
            finally:
                with self._lock:
                    self._busy -= 1
            if done is not None:
                done.put(report)

    def run_source(self, source_id: int, options: PassOptions) -> SourceReport:
        """Fetch one claimed source in its own app context and commit once; never raises."""
        with self.app.app_context():
            try:
                return self._run(source_id, options)
            except Exception as exc:  # one source's bug must not kill the thread or the pass
                db.session.rollback()
                log.exception("source %s: run failed", source_id)
                failed = Collected().fail("internal_error", f"{type(exc).__name__}: {exc}")
                return self.writes.write(source_id, failed, started_at=utcnow(),
                                         trigger=options.trigger)

    def _run(self, source_id: int, options: PassOptions) -> SourceReport:
        source = db.session.get(Source, source_id)
        if source is None:
            return SourceReport(source_id, "", "gone")
        started_at = utcnow()
        trigger = options.trigger
        if trigger == "scheduled" and source.fetch_requested_at is not None:
            trigger = "manual"  # someone pressed "fetch now"
        collected = collect(source, fetcher=self.fetcher, since=options.since,
                            until=options.until, pages=self.pages)
        db.session.rollback()  # end the read transaction before the write phase
        return self.writes.write(source_id, collected, started_at=started_at, trigger=trigger)

def make_poller(app: Flask, *, workers: int | None = None, worker: str | None = None,
                lease: timedelta | None = None, match: bool = True) -> Poller:
    """A Poller configured from the app (FETCH_WORKERS, FETCH_* fetcher settings,
    EXTRACT_PROCESSES) that matches the stored articles to events as they arrive (unless
    `match` is false)."""
    config = app.config
    hosts = SourceHosts(config.get("SOURCE_ALLOW_HOSTS", []))
    return Poller(
        app,
        fetcher=Fetcher(fetch_settings(config, hosts), transport=hosts.transport()),
        hosts=hosts,
        workers=workers or int(config.get("FETCH_WORKERS", 8)),
        worker=worker,
        lease=lease,
        after_store=match_articles if match else None,
        pages=page_reader(config),
    )


@dataclass(frozen=True)
class PeriodicJob:
    """A job of a higher floor run beside the fetch ticks (the digests), every `seconds`."""

    name: str
    run: Callable[[], None]
    seconds: float


def _media_job(app: Flask, poller: Poller) -> Callable[[], None]:
    """The scheduler's media pass: page images, clippings and archived copies of what was
    matched since (`campaign.ingest.media`), with the fetcher's politeness."""

    def job() -> None:
        with app.app_context():
            try:
                keep_media(poller.fetcher, keep_pdfs=bool(app.config.get("MEDIA_KEEP_PDFS")))
            except Exception:  # a media problem must not stop the scheduler
                log.exception("media pass failed")
                db.session.rollback()
            finally:
                db.session.remove()

    return job


def run_scheduler(app: Flask, *, ticks: int = 0, tick_seconds: float | None = None,
                  workers: int | None = None, echo: Callable[[str], None] = log.info,
                  jobs: Sequence[PeriodicJob] = ()) -> None:
    """Run the scheduler until SIGINT/SIGTERM, or for `ticks` ticks; then finish in-flight
    sources (briefly) and give back the rest of the claims. `jobs` run on their own
    intervals in the same scheduler (first at start)."""
    from apscheduler.schedulers.blocking import BlockingScheduler

    seconds = tick_seconds or float(app.config.get("SCHEDULER_TICK_SECONDS", 10))
    poller = make_poller(app, workers=workers)
    with app.app_context():
        orphans = reclaim_orphans()
        db.session.commit()
    if orphans:
        echo(f"released {orphans} claims of stopped schedulers on this host")
    scheduler = BlockingScheduler(job_defaults={"coalesce": True, "max_instances": 1},
                                  timezone="UTC")
    count = 0
    stopping = threading.Event()  # a signal that came before the scheduler was running

    def tick() -> None:
        nonlocal count
        count += 1
        claimed = poller.tick()
        if claimed:
            log.info("tick %s: %s sources claimed, %s in flight", count, claimed, poller.busy)
        if (stopping.is_set() or (ticks and count >= ticks)) and scheduler.running:
            scheduler.shutdown(wait=False)

    def stop(_signum: int, _frame: FrameType | None) -> None:
        stopping.set()
        if scheduler.running:
            scheduler.shutdown(wait=False)

    scheduler.add_job(tick, "interval", seconds=seconds, next_run_time=datetime.now().astimezone(),
                      id="fetch-tick")
    for job in jobs:
        if ticks:  # a bounded run (--once) runs each job once, whole, before its ticks
            job.run()
        scheduler.add_job(job.run, "interval", seconds=job.seconds, id=job.name,
                          next_run_time=None if ticks else datetime.now().astimezone())
    scheduler.add_job(_media_job(app, poller), "interval", seconds=max(60.0, 6 * seconds),
                      id="media")
    # Both signals are handled here, so Ctrl-C works even where SIGINT was inherited ignored
    # (a process started in the background by a shell).
    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    echo(f"scheduler {poller.worker}: a tick every {seconds:g} s, {poller.workers} threads")
    try:
        scheduler.start()
    except KeyboardInterrupt:
        pass
    finally:
        poller.wait(timeout=None if ticks else 5.0)
        poller.stop()
        poller.fetcher.close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        echo("scheduler stopped")
