"""Row claims on sources: which worker fetches which source, so no source is fetched twice.

A claim is a lease: `claimed_by` names the worker and `claimed_until` when its claim lapses, so a
crashed worker's sources are taken up again after the lease. Claiming also moves `next_fetch_at`
one interval ahead, so a second scheduler (or a manual `fetch`) does not fetch the source again in
the same interval even after the first worker has finished.

On PostgreSQL the due rows are locked with ``SELECT … FOR UPDATE SKIP LOCKED`` and updated in the
same short transaction; on SQLite (one writer at a time) each row is taken with a conditional
``UPDATE`` whose row count says whether we won it. Claims are committed at once: other processes
must see them while the fetch runs.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta

import sqlalchemy as sa

from campaign.core.times import utcnow
from campaign.extensions import db
from campaign.sources.models import Source

log = logging.getLogger(__name__)

BACKOFF_CAP = timedelta(days=1)
DEFAULT_LEASE = timedelta(minutes=30)


def worker_name() -> str:
    """A name for this process's claims: host, pid and a random tag (pids are reused)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def _unclaimed(now: datetime) -> sa.ColumnElement[bool]:
    return sa.or_(Source.claimed_until.is_(None), Source.claimed_until < now)


def _due(now: datetime) -> sa.ColumnElement[bool]:
    return sa.or_(
        Source.next_fetch_at.is_(None),
        Source.next_fetch_at <= now,
        Source.fetch_requested_at.is_not(None),
    )


def _candidates(
    now: datetime, limit: int, source_ids: Sequence[int] | None, force: bool
) -> sa.Select[int]:
    conditions = [Source.enabled.is_(True), _unclaimed(now)]
    if not force:
        conditions.append(_due(now))
    if source_ids is not None:
        conditions.append(Source.id.in_(list(source_ids)))
    return (
        sa.select(Source.id)
        .where(*conditions)
        .order_by(Source.fetch_requested_at.is_(None), Source.next_fetch_at.is_not(None),
                  Source.next_fetch_at, Source.id)
        .limit(limit)
    )


def _claim_values(worker: str, now: datetime, lease: timedelta) -> dict[str, object]:
    # next_fetch_at moves one interval ahead (computed per row in SQL is awkward across
    # backends, so a provisional lease-length step; `release` sets the real one).
    return {"claimed_by": worker, "claimed_until": now + lease, "next_fetch_at": now + lease}


def claim_sources(
    *,
    worker: str,
    limit: int,
    now: datetime | None = None,
    lease: timedelta = DEFAULT_LEASE,
    source_ids: Sequence[int] | None = None,
    force: bool = False,
) -> list[int]:
    """Claim up to `limit` due, enabled, unclaimed sources for `worker`; commit; return ids.

    `source_ids` restricts the choice; `force` takes them even when not due (a manual fetch),
    but never a source another live worker holds.
    """
    now = now or utcnow()
    if limit <= 0:
        return []
    if db.engine.dialect.name == "postgresql":
        ids = _claim_locked(worker, now, lease, limit, source_ids=source_ids, force=force)
    else:
        ids = _claim_conditional(worker, now, lease, limit, source_ids=source_ids, force=force)
    db.session.commit()
    if ids:
        log.info("worker %s claimed sources %s", worker, ids)
    return ids


def _claim_locked(
    worker: str, now: datetime, lease: timedelta, limit: int, *,
    source_ids: Sequence[int] | None, force: bool,
) -> list[int]:
    query = _candidates(now, limit, source_ids, force).with_for_update(skip_locked=True)
    ids = list(db.session.scalars(query))
    if ids:
        db.session.execute(
            sa.update(Source).where(Source.id.in_(ids)).values(**_claim_values(worker, now, lease))
        )
    return ids


def _claim_conditional(
    worker: str, now: datetime, lease: timedelta, limit: int, *,
    source_ids: Sequence[int] | None, force: bool,
) -> list[int]:
    candidates = list(db.session.scalars(_candidates(now, limit, source_ids, force)))
    db.session.commit()  # end the read: each UPDATE below is its own short write
    ids = []
    for source_id in candidates:
        conditions = [Source.id == source_id, Source.enabled.is_(True), _unclaimed(now)]
        if not force:
            conditions.append(_due(now))
        result = db.session.execute(
            sa.update(Source).where(*conditions).values(**_claim_values(worker, now, lease))
        )
        db.session.commit()
        if result.rowcount == 1:  # type: ignore[attr-defined]
            ids.append(source_id)
    return ids


def backoff(interval: timedelta, failures: int) -> timedelta:
    """The wait before the next try: the interval, doubled per consecutive failure, capped at
    one day (a failing source keeps being tried at the cap, never given up on)."""
    if failures <= 0:
        return interval
    return min(interval * (1 << min(failures, 20)), max(BACKOFF_CAP, interval))


def release(source: Source, *, worker: str, started_at: datetime, now: datetime | None = None,
            flush: bool = True, wait: timedelta | None = None) -> bool:
    """Reschedule `source` after a run and drop `worker`'s claim; flush (unless `flush` is
    False: a write phase of many sources flushes them all at once).

    The next fetch is one interval (backed off after failures) from now, or later when the
    site asked for a `wait` (Retry-After, a feed's TTL; at most a day). A "fetch now" request
    made while the run was going is kept, so it gets a run of its own. Returns False (and only
    reschedules) when the claim was no longer ours (the lease lapsed and another worker took it).
    """
    now = now or utcnow()
    interval = timedelta(minutes=max(1, source.interval_minutes))
    delay = backoff(interval, source.consecutive_failures)
    if wait is not None:
        delay = max(delay, min(wait, BACKOFF_CAP))
    source.next_fetch_at = now + delay
    ours = source.claimed_by == worker
    if ours:
        source.claimed_by = None
        source.claimed_until = None
    else:
        log.warning("source %s: claim of %s had passed to %s", source.id, worker,
                    source.claimed_by)
    requested = source.fetch_requested_at
    if requested is not None and requested <= started_at:
        source.fetch_requested_at = None
    if flush:
        db.session.flush()
    return ours


def drop_claims(worker: str) -> int:
    """Release every claim `worker` still holds without rescheduling (a pass that stopped
    before fetching them); flush; return how many."""
    result = db.session.execute(
        sa.update(Source).where(Source.claimed_by == worker)
        .values(claimed_by=None, claimed_until=None, next_fetch_at=utcnow())
    )
    db.session.flush()
    return int(result.rowcount)  # type: ignore[attr-defined]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # somebody else's process: alive
        return True
    return True


def reclaim_orphans(now: datetime | None = None) -> int:
    """Release the claims of workers on this host whose process is gone (a scheduler killed
    mid-pass), so their sources need not wait for the lease; flush; return how many."""
    now = now or utcnow()
    prefix = f"{socket.gethostname()}:"
    held = db.session.execute(
        sa.select(Source.id, Source.claimed_by)
        .where(Source.claimed_by.startswith(prefix, autoescape=True), Source.claimed_until >= now)
    ).all()
    orphans = [source_id for source_id, owner in held
               if owner is not None and owner.split(":")[1].isdigit()
               and not _alive(int(owner.split(":")[1]))]
    if orphans:
        db.session.execute(
            sa.update(Source).where(Source.id.in_(orphans))
            .values(claimed_by=None, claimed_until=None, next_fetch_at=now)
        )
        db.session.flush()
        log.info("released claims of stopped workers on sources %s", orphans)
    return len(orphans)
