"""Reprints carry the event of their story."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from campaign.coverage.matching import decide, match_articles, rematch_events
from campaign.coverage.models import CoverageRule, Match
from campaign.reprints.models import ReprintGroup
from tests.factories import beijing


def setup(make, db):
    campaign = make.campaign(slug="pm")
    paper = make.outlet(name="安徽工人日报")
    event = make.event(campaign, key="commentary", title="评论员文章", type="rally",
                       starts_at=beijing(date(2006, 4, 30)))
    db.session.add(CoverageRule(event_id=event.id, query="本报评论员 主力军"))
    group = ReprintGroup(size=2)
    db.session.add(group)
    db.session.commit()
    original = make.article(paper, title="让主力军的旗帜高高飘扬", page_number=1,
                            body="本报评论员 ……主力军……", reprint_group_id=group.id,
                            is_original=True, published_at=beijing(date(2006, 4, 30)))
    # The central paper's copy is abridged, retitled and a week later: its text alone
    # would not match (no 本报评论员), and it is outside the event's own window.
    copy = make.article(make.outlet(name="工人日报"), title="安徽：让劳动者更有尊严",
                        body="……主力军……", reprint_group_id=group.id, is_original=False,
                        published_at=beijing(date(2006, 5, 8)))
    return event, original, copy


def status(db, event, article):
    match = db.session.scalar(select(Match).where(Match.event_id == event.id,
                                                  Match.article_id == article.id))
    return None if match is None else (match.status, match.explanation.get("reprint_of"))


def test_reprint_follows_its_original(make, db):
    """The copy of a matched story is matched to the same event, saying whose copy it is."""
    event, original, copy = setup(make, db)
    match_articles([original.id, copy.id])
    assert status(db, event, original)[1] is None
    assert status(db, event, copy)[1] == original.id


def test_rejected_reprint_stays_rejected(make, db):
    """An officer's rejection of a derived match survives the next run."""
    event, original, copy = setup(make, db)
    match_articles([original.id, copy.id])
    derived = db.session.scalar(select(Match).where(Match.article_id == copy.id))
    decide(derived, "rejected", make.user())
    db.session.commit()
    match_articles([original.id, copy.id])
    assert status(db, event, copy)[0] == "rejected"


def test_derived_match_withdrawn_with_its_source(make, db):
    """When the original no longer matches, the copy's derived match goes too."""
    event, original, copy = setup(make, db)
    match_articles([original.id, copy.id])
    rule = db.session.get(CoverageRule, event.id)
    rule.query = "与此无关的词"
    db.session.commit()
    rematch_events([event])
    assert status(db, event, original) is None
    assert status(db, event, copy) is None
