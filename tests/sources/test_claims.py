"""Row claims: only due, unclaimed sources are taken; leases lapse; release reschedules."""

from __future__ import annotations

import os
import socket
from datetime import timedelta

from campaign.core.times import utcnow
from campaign.ingest.claims import (
    BACKOFF_CAP,
    backoff,
    claim_sources,
    drop_claims,
    reclaim_orphans,
    release,
)
from campaign.sources.models import Source


def add_source(db, make, **kw) -> Source:
    """An enabled RSS source of a new outlet, committed to the test's transaction."""
    defaults = {"type": "rss", "url": f"http://127.0.0.1:9/{os.urandom(4).hex()}.xml",
                "selectors": {}, "interval_minutes": 60}
    source = Source(outlet=make.outlet(), **{**defaults, **kw})
    db.session.add(source)
    db.session.commit()
    return source


def test_only_due_enabled_sources_are_claimed(db, make):
    """New, overdue and requested sources are claimed; future, disabled ones are not."""
    now = utcnow()
    new = add_source(db, make)
    overdue = add_source(db, make, next_fetch_at=now - timedelta(minutes=1))
    requested = add_source(db, make, next_fetch_at=now + timedelta(hours=1),
                           fetch_requested_at=now)
    add_source(db, make, next_fetch_at=now + timedelta(hours=1))
    add_source(db, make, enabled=False)
    claimed = claim_sources(worker="a", limit=10, now=now)
    assert sorted(claimed) == sorted([new.id, overdue.id, requested.id])
    assert claimed[0] == requested.id  # a "fetch now" goes first


def test_a_claimed_source_is_not_claimed_again(db, make):
    """A second worker (or a second call) gets nothing while the first one's lease runs, even
    when forced; the source is not due again within its interval either."""
    source = add_source(db, make)
    assert claim_sources(worker="a", limit=5) == [source.id]
    assert claim_sources(worker="b", limit=5) == []
    assert claim_sources(worker="b", limit=5, source_ids=[source.id], force=True) == []
    db.session.refresh(source)
    assert source.claimed_by == "a" and source.next_fetch_at > utcnow()


def test_a_crashed_workers_claim_lapses(db, make):
    """After the lease, another worker takes the source."""
    source = add_source(db, make)
    now = utcnow()
    assert claim_sources(worker="a", limit=5, now=now, lease=timedelta(minutes=5)) == [source.id]
    later = now + timedelta(minutes=6)
    assert claim_sources(worker="b", limit=5, now=later) == [source.id]


def test_force_takes_a_source_that_is_not_due(db, make):
    """A manual fetch of chosen sources takes them before their time, and only them."""
    chosen = add_source(db, make, next_fetch_at=utcnow() + timedelta(hours=1))
    add_source(db, make)
    assert claim_sources(worker="a", limit=5, source_ids=[chosen.id], force=True) == [chosen.id]


def test_limit_is_respected(db, make):
    """A tick takes no more sources than it has idle threads."""
    for _ in range(3):
        add_source(db, make)
    assert len(claim_sources(worker="a", limit=2)) == 2
    assert claim_sources(worker="a", limit=0) == []


def test_release_reschedules_and_keeps_a_later_request(db, make):
    """Release clears the claim and sets the next fetch an interval on; a "fetch now" made
    during the run survives for a run of its own, one made before it is cleared."""
    source = add_source(db, make, interval_minutes=30)
    before = utcnow()
    source.fetch_requested_at = before
    db.session.commit()
    claim_sources(worker="a", limit=5)
    db.session.refresh(source)
    started = utcnow()
    assert release(source, worker="a", started_at=started)
    assert source.claimed_by is None and source.claimed_until is None
    assert source.fetch_requested_at is None
    assert timedelta(minutes=29) < source.next_fetch_at - utcnow() <= timedelta(minutes=30)
    claim_sources(worker="a", limit=5, source_ids=[source.id], force=True)
    db.session.refresh(source)
    source.fetch_requested_at = utcnow() + timedelta(seconds=1)  # asked while running
    release(source, worker="a", started_at=started)
    assert source.fetch_requested_at is not None


def test_release_by_a_worker_that_lost_the_claim(db, make):
    """A worker whose lease lapsed does not clear the new owner's claim."""
    source = add_source(db, make, claimed_by="b", claimed_until=utcnow() + timedelta(minutes=5))
    assert not release(source, worker="a", started_at=utcnow())
    assert source.claimed_by == "b"


def test_backoff_doubles_and_caps_at_a_day():
    """interval × 2^failures, capped at one day; never zero, never given up."""
    hour = timedelta(hours=1)
    assert backoff(hour, 0) == hour
    assert backoff(hour, 1) == 2 * hour
    assert backoff(hour, 3) == 8 * hour
    assert backoff(hour, 10) == BACKOFF_CAP
    assert backoff(hour, 10_000) == BACKOFF_CAP
    assert backoff(timedelta(days=2), 3) == timedelta(days=2)  # an interval above the cap


def test_drop_claims_gives_sources_back(db, make):
    """A stopping worker gives back its claims; the sources are due at once."""
    source = add_source(db, make)
    claim_sources(worker="a", limit=5)
    assert drop_claims("a") == 1
    assert claim_sources(worker="b", limit=5) == [source.id]


def test_claims_of_dead_processes_on_this_host_are_released(db, make):
    """On start, claims held by a process of this host that no longer exists are released;
    a live process's claims are kept."""
    host = socket.gethostname()
    until = utcnow() + timedelta(minutes=30)
    dead = add_source(db, make, claimed_by=f"{host}:999999999:abc", claimed_until=until)
    alive = add_source(db, make, claimed_by=f"{host}:{os.getpid()}:abc", claimed_until=until)
    assert reclaim_orphans() == 1
    db.session.refresh(dead)
    db.session.refresh(alive)
    assert dead.claimed_by is None and alive.claimed_by is not None
