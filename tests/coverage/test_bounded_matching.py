"""Matching at any archive size: no statement grows with the number of articles, chunked runs
decide as one big run would, and withdrawals go out in bulk statements."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, time, timedelta
from typing import Any

import pytest
from sqlalchemy import event, select

from campaign.coverage import cells, matching, reprint_matches, story_matches, withdrawals
from campaign.coverage.cellcheck import live_cells, stored_cells
from campaign.coverage.matching import rematch_events
from campaign.coverage.models import CoverageRule, Match
from campaign.reprints.models import ReprintGroup
from tests.factories import beijing

SMALL_CHUNK = 4
# Ten columns of a match row, two rows per INSERT (the page size set below), or a chunk of
# ids with a few other values: far below the articles the run reads.
BOUND = 24
ARTICLES = 60
STORY = "省总工会召开庆祝五一动员大会，号召广大职工建功立业。"


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every chunked statement of matching, reprints, stories, withdrawals and cells takes 4
    values."""
    for module in (matching, reprint_matches, story_matches, withdrawals, cells):
        monkeypatch.setattr(module, "CHUNK", SMALL_CHUNK)


def rally_world(make: Any, db: Any) -> Any:
    """A rally with a query, 60 articles over its window in 30 invited outlets, paired into
    reprint groups: each report and its copy a day later in another outlet."""
    campaign = make.campaign(slug="bounded")
    rally = make.event(campaign, key="rally", title="庆祝五一动员大会", type="rally",
                       starts_at=beijing(date(2006, 4, 27), time(9, 0)), keywords=["动员大会"])
    db.session.add(CoverageRule(event_id=rally.id, query="动员大会 五一"))
    outlets = [make.outlet(name=f"测试报{n}") for n in range(30)]
    rally.invited_outlets = outlets  # (only outlets the plan involves are accepted unreviewed)
    for n in range(ARTICLES // 2):
        group = ReprintGroup(size=2)
        db.session.add(group)
        db.session.flush()
        day = date(2006, 4, 26) + timedelta(days=n % 6)
        make.article(outlets[n], title=f"五一动员大会召开{n}", body=STORY + f"第{n}篇",
                     page_number=1, published_at=beijing(day), reprint_group_id=group.id,
                     is_original=True)
        # The copy says nothing of the query: it matches only as its original's reprint.
        make.article(outlets[(n + 7) % 30], title=f"职工新闻{n}", body=f"建功立业第{n}篇",
                     published_at=beijing(day + timedelta(days=1)),
                     reprint_group_id=group.id, is_original=False)
    db.session.commit()
    return rally


@contextmanager
def largest_statement(db: Any) -> Iterator[list[int]]:
    """The most parameters any one statement sent inside the block (`found[0]`)."""
    connection = db.session.connection()
    connection.execution_options(insertmanyvalues_page_size=2)
    found = [0]

    def listener(_conn: Any, _cursor: Any, _statement: str, parameters: Any, _context: Any,
                 executemany: bool) -> None:
        # A list is one parameter set per row (executemany); an insert of several rows in one
        # VALUES list is one flat set.
        one = parameters[0] if isinstance(parameters, list) and parameters else parameters
        found[0] = max(found[0], len(one or ()))

    engine = connection.engine
    event.listen(engine, "before_cursor_execute", listener)
    try:
        yield found
    finally:
        event.remove(engine, "before_cursor_execute", listener)


def snapshot(db: Any, rally: Any) -> dict[int, tuple[str, float, object]]:
    return {m.article_id: (m.status, m.score, (m.explanation or {}).get("reprint_of") is not None)
            for m in db.session.scalars(select(Match).where(Match.event_id == rally.id))}


def test_no_statement_grows_with_the_articles(make, db, small_chunks):
    """Re-matching an event over 60 articles (and their reprint groups) with chunks of 4
    sends no statement with more than 24 parameters."""
    rally = rally_world(make, db)
    with largest_statement(db) as found:
        summary = rematch_events([rally])
    assert summary.articles == ARTICLES
    assert len(snapshot(db, rally)) == ARTICLES
    assert 0 < found[0] <= BOUND


def test_chunked_run_decides_as_one_pass(make, db, monkeypatch):
    """Matches made in chunks of 4 (statuses, scores, derived copies) equal those of a run
    that reads every article in one chunk."""
    rally = rally_world(make, db)
    rematch_events([rally])
    whole = snapshot(db, rally)
    for match in db.session.scalars(select(Match)):
        db.session.delete(match)
    db.session.commit()
    for module in (matching, reprint_matches, story_matches, withdrawals, cells):
        monkeypatch.setattr(module, "CHUNK", SMALL_CHUNK)
    rematch_events([rally])
    assert snapshot(db, rally) == whole
    assert any(derived for _, _, derived in whole.values())


def test_withdrawals_are_bulk_statements(make, db, queries, small_chunks):
    """When the query no longer holds, the 60 undecided matches (30 direct, 30 derived) go in
    DELETEs of 4 ids each, the last of each kind shorter: 16 statements, not one per row."""
    rally = rally_world(make, db)
    rematch_events([rally])
    db.session.get(CoverageRule, rally.id).query = "与此无关"
    db.session.commit()
    with queries.counting() as seen:
        summary = rematch_events([rally])
    deletes = [s for s in seen if s.lstrip().upper().startswith("DELETE FROM MATCHES")]
    assert summary.withdrawn == ARTICLES
    assert snapshot(db, rally) == {}
    assert len(deletes) == 2 * -(-(ARTICLES // 2) // SMALL_CHUNK)


def test_bulk_withdrawal_keeps_the_cells_true(make, db, small_chunks):
    """After a bulk withdrawal commits, the dashboards' cells equal a count from scratch (the
    withdrawn days were recounted)."""
    rally = rally_world(make, db)
    rematch_events([rally])
    db.session.commit()
    assert stored_cells(db.session, rally.campaign_id)
    db.session.get(CoverageRule, rally.id).query = "与此无关"
    db.session.commit()
    rematch_events([rally])
    db.session.commit()
    assert stored_cells(db.session, rally.campaign_id) == live_cells(db.session,
                                                                     rally.campaign_id)
    assert not any(n for (e, _, d, _), (n, _, _) in
                   stored_cells(db.session, rally.campaign_id).items() if d >= 0)
