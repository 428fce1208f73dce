"""`campaign-tracker match` in short writes (issue 16.4: no write holds SQLite's write lock for
more than about a second). A run over a big archive scores for minutes; it used to hold the
lock all along, so the scheduler's writes and every officer's decision waited or failed.

Here everything slow is read in deferred transactions (no write lock), and what it found is
stored in short writes (`briefly`), each committed on its own: the matches of STORE articles
created, updated or withdrawn (a chunk of CHUNK is read and scored at once), GROUPS reprint
groups settled, SUGGESTIONS story suggestions stored, a chunk of marks. Each write reads
again what it changes (an officer's decision made meanwhile is kept, as always). The matches,
statuses and scores are those of the one-transaction functions (`matching.match_new`,
`matching.rematch_events`; `tests/coverage/test_match_runs.py` compares them).

An interrupted run leaves a state the next run finishes: an event is marked matched only once
its window, its reprints, its stories and its dropped matches are stored, and the articles new
to matching only once every event has met them. Marks carry the run's start, so an event or
article edited meanwhile stays new to matching. Memory holds one chunk, the matcher, the ids
of the reprint groups touched and the story suggestions found.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from itertools import chain
from typing import Any

from sqlalchemy import select

from campaign.articles.models import Article
from campaign.core.chunks import chunks
from campaign.core.sqlite import briefly, reading
from campaign.core.times import utcnow
from campaign.coverage.matching import (
    CHUNK,
    MatchSummary,
    _add,
    _add_stories,
    _changed_events,
    _events,
    _held_outside,
    _mark,
    _new_rows,
    _new_to_matching,
    _Pass,
    _rows_of,
    _rows_of_day,
    _rules_for,
    _Scored,
    _window_days,
    _window_ids,
    active_rules,
    homes_for,
    log,
    suggest_min_score,
)
from campaign.coverage.models import Match
from campaign.coverage.reprint_matches import propagate_groups
from campaign.coverage.story_matches import (
    StoryFinds,
    find_stories,
    store_stories,
    withdraw_seen_orphans,
)
from campaign.coverage.withdrawals import withdraw
from campaign.extensions import db
from campaign.planning.models import Event

# Per write: a write should take a few tens of milliseconds of work, so that even a machine
# so busy that a process gets a fifth of a core keeps every hold under a second.
STORE = 100  # articles whose matches are stored (a chunk of CHUNK is read and scored at once)
GROUPS = 50  # reprint groups settled
SUGGESTIONS = 100  # story suggestions stored


def _write(change: Any) -> Any:
    """Run `change` in a short write (the reading transaction ended first) and commit, with
    no garbage collection meanwhile: a full collection of the run's heap (the matcher's
    profiles) takes a few tenths of a second, more on a busy machine, and would hold the
    lock all that time (it runs after the commit instead)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        done = briefly(change)
        db.session.commit()
    finally:
        if enabled:
            gc.enable()
    return done


def match_new_in_batches(*, full: bool = False) -> MatchSummary:
    """`matching.match_new` in short writes: events never matched or edited since (every
    event with `full`) over their windows, then the articles new to matching against every
    event, then those articles marked matched as of the run's start."""
    db.session.commit()
    as_of = utcnow()
    with reading():
        changed = [e.id for e in (db.session.scalars(select(Event).order_by(Event.id))
                                  if full else _changed_events())]
    summary = rematch_in_batches(changed) if changed else MatchSummary()
    with reading():
        rules = active_rules()
        waiting = db.session.scalar(select(Article.id).where(_new_to_matching()).limit(1))
    if waiting is None:
        db.session.rollback()
        return summary  # (no article is new: the matcher need not be built)
    if {r.event_id for r in rules} - set(changed):
        # Some events were not read again: the new articles still meet them.
        with reading():
            run = _Pass(rules, withdraw_stale=True)
        _add(summary, _feed(run, _new_rows()))
    with reading():
        finds = find_stories((row.id for rows in _new_rows() for row in rows), rules,
                             suggest_min_score(), homes_for(rules))
    _add_stories(summary, _store_stories(finds))
    _mark_new_articles(as_of)
    return summary


def rematch_in_batches(event_ids: Sequence[int]) -> MatchSummary:
    """`matching.rematch_events` in short writes: the events' windows (and the articles
    outside holding an undecided match of them) scored a chunk at a time and each chunk
    stored; reprints carried, the matches of events that can no longer match withdrawn, their
    stories followed, and only then the events marked matched as of the start."""
    db.session.commit()
    as_of = utcnow()
    with reading():
        rules = _rules_for(_events(event_ids))
        run = _Pass(rules, withdraw_stale=True)
        days = _window_days(rules)
        # (Read before any chunk is stored, as `score_events` does.)
        held = sorted(_held_outside([r.event_id for r in rules], set(days)))
    rows = chain((rows for day in days for rows in _rows_of_day(day)), _rows_of(held))
    summary = _feed(run, rows)
    dropped = sorted(set(event_ids) - {r.event_id for r in rules})
    summary.withdrawn += _withdraw_all(dropped)
    with reading():
        finds = find_stories(_window_ids(rules), rules, run.floor, run.homes)
    _add_stories(summary, _store_stories(finds))
    for part in chunks(sorted(event_ids), CHUNK):
        _write(lambda part=part: _mark(Event, Event.id.in_(part), as_of))
    return summary


def _feed(run: _Pass, rows: Iterable[list[Any]]) -> MatchSummary:
    """Score each chunk of rows reading and store it in a write of its own (its stale
    matches withdrawn there too), STORE articles per write; then carry the matches across
    the reprint groups touched, GROUPS per write. `_Pass.finish`, in short writes."""
    for chunk in _reading(rows):
        for scored in _split(run.score(chunk)):
            _write(lambda scored=scored: _store_chunk(run, scored))
    summary = run.summary
    summary.withdrawn += run.stale.count
    for part in chunks(sorted(run.groups), GROUPS):
        created, withdrawn = _write(lambda part=part: propagate_groups(
            part, run.rules, run.threshold, run.floor))
        summary.created += created
        summary.withdrawn += withdrawn
    log.info("matched %d articles: %d new, %d updated, %d withdrawn, %d decisions kept",
             summary.articles, summary.created, summary.updated, summary.withdrawn,
             summary.kept_decisions)
    return summary


def _split(scored: _Scored) -> Iterator[_Scored]:
    """A scored chunk as parts of STORE articles, each with its own results (and every
    reprint group of the chunk: noting a group twice changes nothing)."""
    for ids in chunks(scored.article_ids, STORE):
        keep = set(ids)
        yield _Scored(ids, {i: scored.days[i] for i in ids},
                      [r for r in scored.results if r.article_id in keep], scored.groups)


def _store_chunk(run: _Pass, scored: _Scored) -> None:
    """Store a scored chunk and withdraw its stale matches now (not when CHUNK have
    gathered: the next write is another transaction)."""
    run.store(scored)
    run.stale.done()


def _reading(rows: Iterable[list[Any]]) -> Iterator[list[Any]]:
    """Each chunk of `rows` read in a deferred transaction (the write lock not taken)."""
    source = iter(rows)
    while True:
        with reading():
            chunk = next(source, None)
        if chunk is None:
            return
        yield chunk


def _withdraw_all(event_ids: list[int]) -> int:
    """Withdraw every undecided match of these events (they can no longer match: cancelled,
    or a rule that cannot be built), CHUNK matches per write."""
    withdrawn = 0
    for part in chunks(event_ids, CHUNK):
        while gone := _write(lambda part=part: withdraw(list(db.session.scalars(
                select(Match).where(Match.event_id.in_(part), Match.decided_by_id.is_(None))
                .order_by(Match.id).limit(CHUNK))))):
            withdrawn += gone
    return withdrawn


def _store_stories(finds: StoryFinds) -> tuple[int, int]:
    """`store_stories` in writes: the orphans seen reading withdrawn CHUNK at a time, then
    the suggestions SUGGESTIONS at a time; (created, withdrawn)."""
    withdrawn = created = 0
    for ids in chunks(finds.orphans, CHUNK):
        withdrawn += _write(lambda ids=ids: withdraw_seen_orphans(ids))
    for part in chunks(finds.found, SUGGESTIONS):
        found = StoryFinds(finds.event_ids, finds.score, part)
        c, w = _write(lambda found=found: store_stories(found, orphans=False))
        created, withdrawn = created + c, withdrawn + w
    return created, withdrawn


def _mark_new_articles(as_of: datetime) -> None:
    """Mark the articles new to matching as matched as of `as_of`, CHUNK per write (one
    edited after `as_of` stays new: its mark is older than its edit)."""
    last = 0
    while True:
        with reading():
            ids = list(db.session.scalars(select(Article.id).where(
                _new_to_matching(), Article.id > last).order_by(Article.id).limit(CHUNK)))
        if not ids:
            db.session.rollback()
            return
        _write(lambda ids=ids: _mark(Article, Article.id.in_(ids) & _new_to_matching(), as_of))
        last = ids[-1]
