"""`campaign-tracker match` in short writes (`coverage.match_runs`, issue 16.4): the same
matches, statuses and scores as the one-transaction run it replaces, scored without SQLite's
write lock, and an interrupted run finished by the next.

The archive is generated (`tests/plugins/archives.py`): three events, reports, story mates,
reprints and noise. Chunks are made small (7 articles read at once, the matches of 3 articles, 3
reprint groups, 4 story suggestions a write) so that a few hundred articles make a hundred
writes.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event, select, update

from campaign.articles.models import Article
from campaign.auth.operations import create_user
from campaign.core.sqlite import write_transaction
from campaign.coverage import match_runs, matching, story_matches
from campaign.coverage.cellcheck import live_cells, stored_cells
from campaign.coverage.matching import MatchSummary, decide, match_new
from campaign.coverage.models import CoverageRule, Match
from campaign.extensions import db
from campaign.planning.models import Campaign, Event, Outlet
from tests.plugins.archives import add_articles, build_archive

ARTICLES = 600


@pytest.fixture
def small_writes(monkeypatch: pytest.MonkeyPatch) -> None:
    """7 articles a chunk, read and scored; 3 articles' matches, 3 reprint groups and 4 story
    suggestions a write."""
    for module in (matching, match_runs):
        monkeypatch.setattr(module, "CHUNK", 7)
    monkeypatch.setattr(match_runs, "STORE", 3)
    monkeypatch.setattr(match_runs, "GROUPS", 3)
    monkeypatch.setattr(match_runs, "SUGGESTIONS", 4)


def in_one_transaction(*, full: bool = False) -> MatchSummary:
    """What `campaign-tracker match` ran before: `match_new` in one write transaction."""
    with write_transaction():
        summary = match_new(full=full)
        db.session.commit()
    return summary


def snapshot(summary: MatchSummary) -> dict[str, Any]:
    """The run's counts, every match (by event key and article URL) with its status, score,
    decision and explanation, the campaign's stored cells (by event key and outlet name),
    and what is left new to matching."""
    keys = dict(db.session.execute(select(Event.id, Event.key)).all())
    names = dict(db.session.execute(select(Outlet.id, Outlet.name)).all())
    rows = db.session.execute(select(Match, Article.url).join(Article)).all()
    campaign = db.session.scalar(select(Campaign.id))
    assert campaign is not None
    cells = stored_cells(db.session(), campaign)
    assert cells == live_cells(db.session(), campaign)
    return {
        "summary": (summary.articles, summary.created, summary.updated, summary.withdrawn,
                    summary.accepted, summary.suggested, summary.kept_decisions),
        "matches": sorted((keys[m.event_id], url, m.status, m.score, m.auto, m.day,
                           m.decided_by_id is not None,
                           json.dumps(m.explanation, sort_keys=True, ensure_ascii=False))
                          for m, url in rows),
        "cells": sorted((keys.get(e, ""), t, d, names[o], counts)
                        for (e, t, d, o), counts in cells.items()),
        "left": ([e.key for e in matching._changed_events()],
                 db.session.scalar(select(Article.id).where(matching._new_to_matching())
                                   .limit(1))),
    }


def officers_work(outlets: list[int]) -> None:
    """Between runs: an officer accepts 5 of the drill's suggestions and rejects 3 of the
    rally's, the drill's window is narrowed, the contest cancelled and 100 articles arrive."""
    officer = create_user(username="officer", password="officer-password", role="officer")
    db.session.flush()
    for key, status, count in (("drill", "accepted", 5), ("rally", "rejected", 3)):
        waiting = db.session.scalars(
            select(Match).join(Event).join(Article, Article.id == Match.article_id)
            .where(Event.key == key, Match.status == "suggested")
            .order_by(Article.url).limit(count)).all()
        assert len(waiting) == count
        for match in waiting:
            decide(match, status, officer)
    drill = db.session.scalar(select(Event.id).where(Event.key == "drill"))
    db.session.execute(update(CoverageRule).where(CoverageRule.event_id == drill)
                       .values(days_after=2))
    db.session.execute(update(Event).where(Event.key == "contest").values(status="cancelled"))
    db.session.commit()
    add_articles(outlets, 100, start=ARTICLES)


def three_runs(app: Flask, run: Callable[..., MatchSummary]) -> list[dict[str, Any]]:
    """On a new archive: a first run, the officers' work and a second run, then a full run
    and a re-run of the campaign's events (`--campaign`); a snapshot after each."""
    with app.app_context():
        outlets = build_archive(ARTICLES)
        taken = [snapshot(run())]
        officers_work(outlets)
        taken.append(snapshot(run()))
        taken.append(snapshot(run(full=True)))
        taken.append(snapshot(run(campaign=True)))
    return taken


def one_transaction(*, full: bool = False, campaign: bool = False) -> MatchSummary:
    if campaign:
        with write_transaction():
            summary = matching.rematch_campaign(db.session.scalars(select(Campaign)).one())
            db.session.commit()
        return summary
    return in_one_transaction(full=full)


def in_batches(*, full: bool = False, campaign: bool = False) -> MatchSummary:
    if campaign:
        return match_runs.rematch_in_batches(list(db.session.scalars(select(Event.id))))
    return match_runs.match_new_in_batches(full=full)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_batched_runs_store_what_one_transaction_stored(tmp_path, committed_app, small_writes,
                                                        backend):
    """On two copies of a generated archive, a first run, a run after decisions, a narrowed
    window, a cancelled event and new articles, a full run and a campaign's re-run: the
    batched runs report the same counts and leave the same matches (status, score,
    explanation, decisions kept), the same coverage cells and nothing new to matching."""
    results = []
    for name, run in (("one", one_transaction), ("batched", in_batches)):
        (tmp_path / name).mkdir()
        with committed_app(tmp_path / name, backend=backend) as app:
            results.append(three_runs(app, run))
    one, batched = results
    assert one[0]["matches"] and one[1]["summary"][3] and one[2]["summary"][6]
    assert all(taken["left"] == ([], None) for taken in batched)
    assert batched == one


def lock_is_free(database: Path) -> bool:
    other = sqlite3.connect(str(database), isolation_level=None, timeout=0)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        other.close()


def test_chunks_are_scored_without_the_write_lock_and_committed_one_by_one(
        tmp_path, committed_app, small_writes, monkeypatch):
    """SQLite: whenever a chunk is scored or stories are looked for, another connection takes
    the write lock at once; and the run commits at least once per chunk of articles it
    matched."""
    free: list[bool] = []
    for owner, name in ((matching._Pass, "score"), (match_runs, "find_stories")):
        original = getattr(owner, name)

        def noting(*args: Any, _original: Any = original, **kwargs: Any) -> Any:
            free.append(lock_is_free(tmp_path / "sched.db"))
            return _original(*args, **kwargs)

        monkeypatch.setattr(owner, name, noting)
    with committed_app(tmp_path) as app, app.app_context():
        build_archive(ARTICLES)
        commits: list[int] = []

        def committed(_session: Any) -> None:
            commits.append(1)

        event.listen(db.session, "after_commit", committed)
        try:
            summary = match_runs.match_new_in_batches()
        finally:
            event.remove(db.session, "after_commit", committed)
    assert summary.created and free and all(free)
    assert summary.articles > 100
    assert len(commits) >= summary.articles // 7


def test_an_interrupted_run_is_finished_by_the_next(tmp_path, committed_app, small_writes,
                                                    monkeypatch):
    """A run that fails once some chunks' matches are stored leaves every event and article
    new to matching; the next run then stores what an uninterrupted run stores."""
    with committed_app(tmp_path) as app, app.app_context():
        build_archive(ARTICLES)
        original = match_runs._store_chunk

        def failing(run: Any, scored: Any) -> None:
            if db.session.scalar(select(Match.id).limit(1)) is not None:
                raise RuntimeError("power cut")  # once a chunk's matches are stored
            original(run, scored)

        monkeypatch.setattr(match_runs, "_store_chunk", failing)
        with pytest.raises(RuntimeError):
            match_runs.match_new_in_batches()
        db.session.rollback()
        assert db.session.scalar(select(Match.id).limit(1)) is not None  # chunks stored
        assert sorted(e.key for e in matching._changed_events()) == ["contest", "drill", "rally"]
        monkeypatch.setattr(match_runs, "_store_chunk", original)
        resumed = snapshot(match_runs.match_new_in_batches())
    (tmp_path / "whole").mkdir()
    with committed_app(tmp_path / "whole") as app, app.app_context():
        build_archive(ARTICLES)
        whole = snapshot(match_runs.match_new_in_batches())
    assert resumed["matches"] == whole["matches"] and resumed["cells"] == whole["cells"]
    assert resumed["left"] == ([], None)


def test_orphans_seen_reading_are_withdrawn_unless_their_report_is_accepted_again(app, make,
                                                                                 db):
    """`store_stories(orphans=False)` leaves orphaned story suggestions alone;
    `withdraw_seen_orphans` withdraws those whose report is still not accepted and keeps one
    whose report was accepted again since it was seen."""
    campaign = make.campaign()
    rally = make.event(campaign, key="rally")
    first, second, third, fourth = (make.article() for _ in range(4))
    orphans = [Match(event_id=rally.id, article_id=article.id, status="suggested", auto=True,
                     score=0.5, explanation={"story_of": report.id})
               for article, report in ((second, first), (fourth, third))]
    db.session.add_all(orphans)
    db.session.commit()
    seen = story_matches.find_stories([], [matching._rules_for([rally])[0]], 0.5).orphans
    assert seen == sorted(m.id for m in orphans)
    assert story_matches.store_stories(story_matches.StoryFinds([rally.id], 0.5),
                                       orphans=False) == (0, 0)
    db.session.add(Match(event_id=rally.id, article_id=third.id, status="accepted", auto=True,
                         score=0.9, explanation={}))
    db.session.commit()
    assert story_matches.withdraw_seen_orphans(seen) == 1
    db.session.commit()
    assert [m.article_id for m in db.session.scalars(select(Match).where(
        Match.status == "suggested"))] == [fourth.id]
