"""待审核 N beside the accepted counts of the leaders' dashboards: what review may still add."""

from __future__ import annotations

from datetime import date, time

from campaign.coverage.matching import add_match
from campaign.coverage.models import Match
from campaign.dashboards.filters import DashboardFilters
from campaign.dashboards.queries import Counts, Scope, pending_counts
from campaign.reprints.models import ReprintGroup
from tests.factories import beijing
from tests.html import soup


def world(make, db):
    """A rally and a briefing: 甲报 has an accepted piece; 甲报 and 乙报 (municipal) have
    suggested ones, one of them a page-one reprint suggested for both events; one rejected."""
    campaign = make.campaign(slug="pm")
    a = make.outlet(name="甲报", tier="provincial")
    b = make.outlet(name="乙报", tier="municipal")
    rally = make.event(campaign, key="rally", type="rally", starts_at=beijing(date(2006, 4, 27)))
    briefing = make.event(campaign, key="briefing", type="press_briefing",
                          starts_at=beijing(date(2006, 4, 25)))
    group = ReprintGroup(size=2)
    db.session.add(group)
    db.session.flush()
    day = beijing(date(2006, 4, 27), time(8))
    add_match(rally, make.article(a, published_at=day), make.user())

    def suggest(article, event, status="suggested"):
        db.session.add(Match(event_id=event.id, article_id=article.id, status=status,
                             day=article.day, explanation={}))

    suggest(make.article(a, published_at=day), rally)
    reprint = make.article(b, published_at=day, page_number=1, reprint_group_id=group.id,
                           is_original=False)
    suggest(reprint, rally)
    suggest(reprint, briefing)
    suggest(make.article(b, published_at=day), rally, status="rejected")
    db.session.commit()
    return campaign, rally


def test_pending_counts_each_waiting_article_once(make, db):
    """Suggested matches count as pieces once per article, page one and reprints too; outlets
    only those not reporting yet; rejected ones not at all."""
    campaign, _ = world(make, db)
    assert pending_counts(Scope(campaign, DashboardFilters())) == Counts(2, 1, 1, 1)


def test_pending_counts_follow_the_filters_and_the_event(make, db):
    """A tier filter or an event's scope narrows what waits the way it narrows the counts."""
    campaign, rally = world(make, db)
    provincial = DashboardFilters(tier="provincial")
    assert pending_counts(Scope(campaign, provincial)) == Counts(1, 0, 0, 0)
    assert pending_counts(Scope(campaign, DashboardFilters(), rally)).pieces == 2


def test_leader_sees_pending_beside_the_counts(client, login, make, db):
    """The leader's campaign and event dashboards show 待审核 N on the tiles that have some."""
    world(make, db)
    login("leader")
    for url in ("/campaigns/pm/dashboard", "/campaigns/pm/events/rally/dashboard"):
        page = soup(client.get(url).get_data(as_text=True))
        pending = {tile["data-kpi"]: tile.select_one(".kpi-pending").get_text(strip=True)
                   for tile in page.select(".kpi") if tile.select_one(".kpi-pending")}
        assert pending == {"pieces": "待审核 2", "outlets": "待审核 1", "page_one": "待审核 1",
                           "reprints": "待审核 1"}, url


def test_summary_page_shows_pending_beside_the_accepted_counts(client, login, make, db):
    """The work-summary page lists the accepted counts with 待审核 N beside those with some;
    the draft text itself counts accepted coverage only."""
    world(make, db)
    login("leader")
    page = soup(client.get("/campaigns/pm/summary").get_data(as_text=True))
    counts = {li["data-count"]: li.get_text(" ", strip=True)
              for li in page.select("#summary-counts li")}
    assert counts == {"pieces": "稿件数 1 待审核 2", "outlets": "媒体家数 1 待审核 1",
                      "page_one": "头版 0 待审核 1", "reprints": "转载 0 待审核 1"}
    assert "待审核" not in page.select_one(".summary-readonly").get_text()
