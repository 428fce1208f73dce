"""The write phase of fetch runs: what a run collected becomes stored articles, reprint groups,
matches (`after_store`, coverage matching when the scheduler runs), a FetchRun and the
source's new fetch state. `fetch_source` runs both phases of one source in the foreground.

`record_many` writes several runs in one transaction: each source's articles are stored in
shared chunks (`store_many`), the reprints of all of them are grouped at once, and the hook is
called once over every stored article (one matcher for all). `GroupCommit` is how the
scheduler's threads use it: a thread done with the network queues its source's results, and
whichever thread gets the write turn writes the sources queued so far (up to 48 sources and 40
articles, `next_batch`, so that no write holds SQLite's lock long), so a pass of hundreds of
sources makes a few dozen write transactions, not one per source. A batch that fails is
written again one source at a time, so a broken source fails alone; a source's results are
never half-written (one transaction holds all of them) — except a long e-paper walk (a
`fetch --since --until` backfill), whose first parts of 40 items are written each on its own,
whole days remembered as walked only once stored (`backfill`), and the rest with the run.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import partial

from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from campaign.articles.media import remember_page_images
from campaign.articles.store import Delivery, store_many
from campaign.core.times import utcnow
from campaign.extensions import db
from campaign.ingest.backfill import Parts, Stored, give_back, record_part, split_days
from campaign.ingest.claims import release
from campaign.ingest.collect import collect
from campaign.ingest.collected import FAILED, AfterStore, Collected
from campaign.ingest.epaper_days import remember_days, remember_unread_days
from campaign.ingest.write_turns import retrying
from campaign.reprints.linking import group_reprints
from campaign.sources.models import FetchRun, Source
from scrapers.fetch import Fetcher

log = logging.getLogger(__name__)

# At most this many sources, and (unless one source brings more alone) this many articles in
# one write transaction, so the write lock is never held long. The writing thread shares the
# process with the fetch threads parsing and signing, so a write of many articles is slow:
# 48 feeds of 30 new articles held the lock 1.1 s on the busy 2-core machine, batches of 300
# articles 1.7 s, of 40 articles 0.55 s (benchmarks/bench_poll.py --items 30), with the
# first pass no slower.
MAX_BATCH = 48
MAX_BATCH_ITEMS = 40


@dataclass(frozen=True, slots=True)
class SourceReport:
    """How one source's run went, for summaries and progress bars."""

    source_id: int
    name: str
    outcome: str
    new: int = 0
    updated: int = 0
    duplicate: int = 0
    error: str | None = None


@dataclass(eq=False)
class Queued:
    """A source whose network phase is done, waiting for a write turn, and its report once
    written."""

    source_id: int
    collected: Collected
    started_at: datetime
    trigger: str
    report: SourceReport | None = None
    earlier: Parts = field(default_factory=Parts)  # parts of a long walk written first


def next_batch(queue: list[Queued]) -> list[Queued]:
    """Take the next write's sources off the front of `queue`: at most MAX_BATCH of them, with
    at most MAX_BATCH_ITEMS articles together (at least one source, however many it brings: a
    source's results are never split)."""
    taken, items = 0, 0
    for pending in queue[:MAX_BATCH]:
        items += len(pending.collected.items)
        if taken and items > MAX_BATCH_ITEMS:
            break
        taken += 1
    batch = queue[:taken]
    del queue[:taken]
    return batch


class GroupCommit:
    """Writes the results of a pool's fetch threads in shared transactions (see the module's
    docstring), releasing each source's claim held by `worker`."""

    def __init__(self, *, worker: str, after_store: AfterStore | None = None) -> None:
        """Writes for `worker`'s claims, calling `after_store` over the stored articles."""
        self.worker = worker
        self.after_store = after_store
        self._pending: list[Queued] = []  # waiting to be written (guarded by _lock)
        self._lock = threading.Lock()
        self._writing = threading.Lock()  # held by the thread writing a batch

    @property
    def queued(self) -> int:
        """Sources waiting for a write turn."""
        with self._lock:
            return len(self._pending)

    def write(self, source_id: int, collected: Collected, *, started_at: datetime,
              trigger: str) -> SourceReport:
        """Queue the source's results; the thread whose write turn comes writes every queued
        source in one transaction. Returns once this source is written (or failed)."""
        mine = Queued(source_id, collected, started_at, trigger)
        mine.earlier = self._write_parts(source_id, collected)
        with self._lock:
            self._pending.append(mine)
        while mine.report is None:
            with self._writing:
                if mine.report is not None:
                    break  # written in another thread's batch
                with self._lock:
                    batch = next_batch(self._pending)
                self._write_batch(batch)
        assert mine.report is not None  # the loop ends once it is set
        return mine.report

    def _write_parts(self, source_id: int, collected: Collected) -> Parts:
        """Write the first parts of a long e-paper walk (`backfill.split_days`) each in a
        transaction of its own, taking turns with the other threads' writes; a part that
        cannot be written goes back, with those after it, to be written with the run."""
        parts = split_days(collected)
        for number, part in enumerate(parts.waiting):
            try:
                with self._writing:
                    stored, error = retrying(partial(self._record_part, source_id, part),
                                              f"a part of source {source_id}")
            except Exception:  # busy after every attempt, or a bug: the run's write says so
                db.session.rollback()
                log.exception("source %s: a part of its walk could not be written", source_id)
                give_back(collected, parts.waiting[number:])
                break
            parts.earlier = parts.earlier.plus(stored)
            parts.error = parts.error or error
        parts.waiting = []
        return parts

    def _record_part(self, source_id: int, part: Collected) -> tuple[Stored, str | None]:
        source = db.session.get(Source, source_id)
        if source is None:
            raise LookupError(f"source {source_id} is gone")
        return record_part(source, part, self.after_store)

    def _write_batch(self, batch: list[Queued]) -> None:
        """Write `batch` in one transaction; if that fails, each source alone, so one broken
        source fails by itself. Every source of the batch leaves with a report."""
        try:
            self._commit(batch)
            return
        except OperationalError as exc:  # still busy after every attempt, or gone
            db.session.rollback()
            log.exception("could not write %d sources; their claims lapse", len(batch))
            for pending in batch:
                pending.report = SourceReport(pending.source_id, "", FAILED, error=str(exc))
            return
        except Exception as exc:  # one source's bug must not kill the thread or the pass
            db.session.rollback()
            if len(batch) > 1:
                log.exception("a write of %d sources failed; writing them one by one", len(batch))
                for pending in batch:
                    self._write_batch([pending])
                return
            log.exception("source %s: write failed", batch[0].source_id)
            error = exc
        self._record_crash(batch[0], error)

    def _commit(self, batch: list[Queued]) -> None:
        """Record every source of `batch`, release the claims, commit; retry when busy. Reports
        are set only once the commit succeeded."""
        reports = retrying(partial(self._record, batch), f"{len(batch)} sources")
        for pending, report in zip(batch, reports, strict=True):
            pending.report = report

    def _record(self, batch: list[Queued]) -> list[SourceReport]:
        sources = {s.id: s for s in db.session.scalars(
            select(Source).where(Source.id.in_([p.source_id for p in batch])))}
        recordings = {p.source_id: Recording(sources[p.source_id], p.collected, p.started_at,
                                             p.trigger, earlier=p.earlier)
                      for p in batch if p.source_id in sources}
        record_many(list(recordings.values()), after_store=self.after_store,
                    each=self._release)
        return [_report(recordings[p.source_id]) if p.source_id in recordings
                else SourceReport(p.source_id, "", "gone") for p in batch]

    def _release(self, recording: Recording) -> None:
        wait = recording.collected.wait_seconds
        release(recording.source, worker=self.worker, started_at=recording.started_at,
                flush=False, wait=timedelta(seconds=wait) if wait else None)

    def _record_crash(self, pending: Queued, exc: Exception) -> None:
        """Record a source whose write raised as failed (so it backs off and shows), and
        release it. If even that fails (the database is gone), the claim lapses after the
        lease."""
        pending.collected = Collected().fail("internal_error", f"{type(exc).__name__}: {exc}")
        pending.started_at = utcnow()
        try:
            self._commit([pending])
        except Exception:  # the database itself is gone
            db.session.rollback()
            log.exception("source %s: could not record the failure", pending.source_id)
            pending.report = SourceReport(pending.source_id, "", FAILED, error=str(exc))


def _label(source: Source) -> str:
    return source.name or f"{source.outlet.name} {source.type}"


def _report(recording: Recording) -> SourceReport:
    run = recording.run
    assert run is not None
    return SourceReport(recording.source.id, _label(recording.source), run.outcome,
                        run.new_count, run.updated_count, run.duplicate_count, run.error)


@dataclass(eq=False)
class Recording:
    """One source's run in a write phase: what was collected, then what was stored and run."""

    source: Source
    collected: Collected
    started_at: datetime
    trigger: str = "scheduled"
    stored: Stored = field(default_factory=Stored)
    run: FetchRun | None = None
    earlier: Parts = field(default_factory=Parts)  # what parts written before stored


def record_many(recordings: Sequence[Recording], *, after_store: AfterStore | None = None,
                each: Callable[[Recording], None] | None = None) -> None:
    """The write phase of several runs at once, for one transaction: store each source's
    articles, group the reprints of all of them together, add each FetchRun and update each
    source's fetch state (then call `each`, e.g. to release the claim), flush once, and run
    `after_store` once over every stored article. Flushes; the caller commits.

    A source's results are never half-written: if anything here raises, the caller rolls the
    whole transaction back.
    """
    _store(recordings)
    remember_page_images(item for r in recordings for item in r.collected.items)
    _group([r.stored for r in recordings])
    now = utcnow()
    for recording in recordings:
        recording.run = _add_run(recording, now)
        remember_days(recording.source, recording.collected.days_walked, now)
        remember_unread_days(recording.source, recording.collected.days_unread, now)
        if each is not None:
            each(recording)
    db.session.flush()
    if after_store:
        _after_store_all(after_store, recordings)
    for recording in recordings:
        run = recording.run
        assert run is not None
        log.info("source %s: %s, %s new, %s updated, %s duplicate", recording.source.id,
                 run.outcome, run.new_count, run.updated_count, run.duplicate_count)


def _add_run(recording: Recording, now: datetime) -> FetchRun:
    source, collected = recording.source, recording.collected
    stored = recording.earlier.earlier.plus(recording.stored)
    run = FetchRun(
        source_id=source.id, started_at=recording.started_at, finished_at=now,
        outcome=collected.outcome, trigger=recording.trigger, new_count=stored.new,
        updated_count=stored.updated, duplicate_count=stored.duplicate + collected.known,
        error=(f"{collected.error_kind}: {collected.error}" if collected.error_kind
               else recording.earlier.error),
        skipped_count=collected.skipped, warning=collected.warning,
    )  # fmt: skip
    db.session.add(run)
    _update_state(source, collected, stored.new, recording.started_at, now)
    return run


def _after_store_all(hook: AfterStore, recordings: Sequence[Recording]) -> None:
    """One hook call over the articles of every run (one matcher for all). If it fails, each
    run's articles get a call of their own, so only the runs whose articles fail say so."""
    stored = [r for r in recordings if r.stored.article_ids]
    if len(stored) > 1:
        ids = list(dict.fromkeys(i for r in stored for i in r.stored.article_ids))
        try:
            with db.session.begin_nested():
                hook(ids)
            return
        except Exception:  # the hook belongs to another feature; storing must not depend on it
            log.exception("after_store failed for %d sources at once; one by one", len(stored))
    for recording in stored:
        assert recording.run is not None
        _after_store(hook, recording.source, recording.run, list(recording.stored.article_ids))


def _after_store(hook: AfterStore, source: Source, run: FetchRun, ids: list[int]) -> None:
    """Run the hook in a savepoint: if matching fails, the articles stay stored (matching can
    run again over them later) and the run says what went wrong."""
    try:
        with db.session.begin_nested():
            hook(ids)
    except Exception as exc:  # the hook belongs to another feature; storing must not depend on it
        log.exception("source %s: after_store failed", source.id)
        run.error = run.error or f"after_store: {type(exc).__name__}: {exc}"
        db.session.flush()


def _store(recordings: Sequence[Recording]) -> None:
    """Store every run's collected articles together (`store_many`), with their signatures."""
    storing = [r for r in recordings if r.collected.items]
    results = store_many([
        Delivery(r.source.outlet_id, r.source.id, r.collected.items, r.collected.signatures)
        for r in storing])
    for recording, result in zip(storing, results, strict=True):
        recording.stored = Stored(result.new, result.updated, result.duplicate,
                                   tuple(result.article_ids))


def _group(stored: Sequence[Stored]) -> None:
    """Group the reprints of the runs that stored something new or changed, all at once:
    unchanged articles keep their groups; new and edited ones may join or bridge groups."""
    ids = [i for result in stored if result.new or result.updated for i in result.article_ids]
    if ids:
        group_reprints(ids)


def _update_state(source: Source, collected: Collected, new: int, started_at: datetime,
                  now: datetime) -> None:
    source.last_attempt_at = started_at
    source.items_seen = (source.items_seen or 0) + collected.seen
    if collected.outcome == FAILED:
        source.consecutive_failures = (source.consecutive_failures or 0) + 1
        source.last_error_kind, source.last_error_message = collected.error_kind, collected.error
        return
    source.consecutive_failures = 0
    source.last_success_at = now
    if new:
        source.last_new_at = now
    source.last_error_kind, source.last_error_message = collected.error_kind, collected.error
    if collected.conditional is not None:
        state = collected.conditional
        source.etag, source.last_modified = state.etag, state.last_modified
        source.content_hash = state.content_hash


def fetch_source(
    source: Source,
    *,
    fetcher: Fetcher,
    since: date | None = None,
    until: date | None = None,
    trigger: str = "scheduled",
    after_store: AfterStore | None = None,
) -> FetchRun:
    """Fetch `source`, store what it publishes and record the run; flush (the caller commits).

    `since`/`until` backfill a past period: e-paper days in the range, list pages back to
    `since`. Network or parsing trouble never raises: it becomes the run's outcome and the
    source's last error.
    """
    started_at = utcnow()
    collected = collect(source, fetcher=fetcher, since=since, until=until)
    return record(source, collected, started_at=started_at, trigger=trigger,
                  after_store=after_store)


def record(
    source: Source,
    collected: Collected,
    *,
    started_at: datetime,
    trigger: str = "scheduled",
    after_store: AfterStore | None = None,
) -> FetchRun:
    """The write phase: store the articles, group reprints, add the FetchRun and update the
    source's fetch state; flush."""
    recording = Recording(source, collected, started_at, trigger)
    record_many([recording], after_store=after_store)
    assert recording.run is not None
    return recording.run
