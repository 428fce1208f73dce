"""The review queue's world, shared by the review tests."""

from __future__ import annotations

from datetime import date, time

import pytest

from campaign.coverage.models import Match
from tests.factories import beijing


@pytest.fixture
def queue(make):
    """Two events of campaign pm and three suggested matches; one article suggested for both."""
    campaign = make.campaign(slug="pm")
    rally = make.event(campaign, key="rally", title="动员大会",
                       starts_at=beijing(date(2006, 4, 27), time(9, 0)))
    briefing = make.event(campaign, key="briefing", title="新闻通气会", type="press_briefing",
                          starts_at=beijing(date(2006, 4, 25), time(15, 0)))
    outlet = make.outlet(name="安徽日报")
    first = make.article(outlet, title="通气会召开", published_at=beijing(date(2006, 4, 25)))
    second = make.article(outlet, title="动员大会侧记", published_at=beijing(date(2006, 4, 28)))
    rows = [Match(event_id=briefing.id, article_id=first.id, day=20060425, score=0.4,
                  explanation={"title_terms": ["通气会"], "day_offset": 0}),
            Match(event_id=rally.id, article_id=second.id, day=20060428, score=0.3,
                  explanation={"body_terms": ["动员大会"], "day_offset": 1}),
            Match(event_id=briefing.id, article_id=second.id, day=20060428, score=0.2,
                  explanation={"body_terms": ["通气会"], "day_offset": 3})]
    make.db.session.add_all(rows)
    make.db.session.commit()
    return {"campaign": campaign, "rally": rally, "briefing": briefing, "matches": rows,
            "first": first, "second": second}


@pytest.fixture
def plan(make):
    """A campaign "pm" with the event "rally" and two outlets, for clipping-list imports."""
    campaign = make.campaign(slug="pm")
    event = make.event(campaign, key="rally", title="动员大会")
    make.outlet(name="安徽日报")
    make.outlet(name="安徽电视台", kind="tv")
    return campaign, event
