"""Incremental matching (`match_new`, what `campaign-tracker match` runs): only events never
matched or edited since, and articles new or changed since, are read again."""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any

from sqlalchemy import select

from campaign.articles.models import Article
from campaign.coverage.matching import match_new, rematch_events
from campaign.coverage.models import CoverageRule, Match
from tests.factories import beijing


def two_events(make: Any, db: Any) -> Any:
    """A rally (27 April) with three reports in its window and a broadcast (20 May) with two
    in its own; the windows do not overlap."""
    campaign = make.campaign(slug="incr")
    outlet = make.outlet(name="安徽日报")
    rally = make.event(campaign, key="rally", title="庆祝五一动员大会",
                       starts_at=beijing(date(2006, 4, 27), time(9, 0)), keywords=["动员大会"])
    broadcast = make.event(campaign, key="hotline", title="政风行风热线直播", type="broadcast",
                           starts_at=beijing(date(2006, 5, 20), time(9, 0)),
                           keywords=["行风热线"])
    db.session.add(CoverageRule(event_id=rally.id, query="动员大会"))
    db.session.add(CoverageRule(event_id=broadcast.id, query="行风热线"))
    for n in range(3):
        make.article(outlet, title=f"全省五一动员大会召开{n}", body="动员大会在合肥召开。",
                     published_at=beijing(date(2006, 4, 27) + timedelta(days=n)))
    for n in range(2):
        make.article(outlet, title=f"行风热线直播{n}", body="行风热线今天直播。",
                     published_at=beijing(date(2006, 5, 20) + timedelta(days=n)))
    db.session.commit()
    return rally, broadcast, outlet


def matched(db: Any) -> set[tuple[int, int]]:
    return {(m.event_id, m.article_id) for m in db.session.scalars(select(Match))}


def test_first_run_matches_every_window(make, db):
    """The first run (nothing marked yet) matches both events over their windows."""
    rally, broadcast, _ = two_events(make, db)
    summary = match_new()
    assert summary.articles == 5
    assert {e for e, _ in matched(db)} == {rally.id, broadcast.id}
    assert len(matched(db)) == 5


def test_rerun_with_nothing_new_reads_no_article(make, db):
    """A second run with no new or changed article, event or rule reads no article and
    changes no match."""
    two_events(make, db)
    match_new()
    db.session.commit()
    before = matched(db)
    summary = match_new()
    assert summary.articles == 0
    assert (summary.created, summary.withdrawn) == (0, 0)
    assert matched(db) == before


def test_new_article_alone_is_matched(make, db):
    """After a run, a new article is the only one read, and it is matched."""
    rally, _, outlet = two_events(make, db)
    match_new()
    db.session.commit()
    article = make.article(outlet, title="五一动员大会侧记", body="动员大会现场。",
                           published_at=beijing(date(2006, 4, 28)))
    db.session.commit()
    summary = match_new()
    assert summary.articles == 1
    assert (rally.id, article.id) in matched(db)


def test_changed_article_is_read_again(make, db):
    """An article stored again with another title is read again, and its stale match goes."""
    rally, _, _ = two_events(make, db)
    match_new()
    db.session.commit()
    article = db.session.scalar(select(Article).where(Article.title == "全省五一动员大会召开0"))
    article.title = "全省春耕生产"
    article.body.text = "春耕。"
    db.session.commit()
    summary = match_new()
    assert summary.articles == 1
    assert (rally.id, article.id) not in matched(db)


def test_edited_rule_rematches_only_its_window(make, db):
    """An edited rule re-reads its own event's window (3 articles), not the other's."""
    rally, broadcast, _ = two_events(make, db)
    match_new()
    db.session.commit()
    db.session.get(CoverageRule, rally.id).query = "与此无关"
    db.session.commit()
    summary = match_new()
    assert summary.articles == 3
    assert {e for e, _ in matched(db)} == {broadcast.id}


def test_edit_saved_with_its_rematch_is_not_redone(make, db):
    """An event edited and re-matched at once (as its form does) is not read again by the
    next run."""
    rally, _, _ = two_events(make, db)
    match_new()
    db.session.commit()
    rally.title = "庆祝五一暨建功十一五动员大会"
    rematch_events([rally])
    db.session.commit()
    assert match_new().articles == 0


def test_full_reads_every_window(make, db):
    """`full` reads every event's window again even with nothing new."""
    two_events(make, db)
    match_new()
    db.session.commit()
    assert match_new(full=True).articles == 5
