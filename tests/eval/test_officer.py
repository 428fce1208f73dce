"""The simulated officer decides the first suggestions of each event through the coverage
review operations, as the labels say."""

from __future__ import annotations

from typing import Any

from campaign.coverage.models import Match
from eval.officer import decide_first, slot_states_of
from eval.scoring import Label, url_key
from tests.factories import Factories


def _suggest(db: Any, event: Any, article: Any) -> Match:
    match = Match(event_id=event.id, article_id=article.id, status="suggested", day=article.day,
                  score=0.5, explanation={})
    db.session.add(match)
    db.session.commit()
    return match


def test_decide_first_accepts_moves_and_rejects(db: Any, make: Factories) -> None:
    """A true suggestion is accepted, one covering another event moved there, a negative
    rejected; the suggestions past the first N stay undecided."""
    campaign = make.campaign()
    rally, briefing = make.event(campaign, key="rally"), make.event(campaign, key="briefing")
    officer = make.user(username="eval-officer")
    true, other, negative, late = (make.article() for _ in range(4))
    matches = [_suggest(db, rally, a) for a in (true, other, negative, late)]
    labels = [Label(url_key(true.url), frozenset({"rally"})),
              Label(url_key(other.url), frozenset({"briefing"})),
              Label(url_key(late.url), frozenset({"rally"}))]
    result = decide_first(campaign.slug, labels, officer.username, first=3)
    assert [m.status for m in matches] == ["accepted", "rejected", "rejected", "suggested"]
    moved = db.session.query(Match).filter_by(event_id=briefing.id, article_id=other.id).one()
    assert (moved.status, moved.decided_by_id) == ("accepted", officer.id)
    assert result["decisions"] == {"accepted": 1, "rejected": 1, "moved": 1}
    assert result["suggestions"] == {"rally": 4, "briefing": 0}
    assert ["briefing", url_key(other.url)] in [list(p) for p in result["decided"]]


def test_slot_states_of_reads_the_trackers_fulfilment(db: Any, make: Factories) -> None:
    """Each slot is reported with its outlet, day and the state the tracker's check gives."""
    from datetime import date

    outlet = make.outlet(name="测试报")
    campaign = make.campaign()
    make.event(campaign, key="editorial", type="editorial_slot",
               slot={"outlet": outlet, "genre": "editorial", "planned_on": date(2006, 4, 30),
                     "page": "第01版"})
    assert slot_states_of(campaign.slug) == [
        {"event": "editorial", "outlet": "测试报", "planned_on": "2006-04-30",
         "state": "missed", "reasons": []}]
