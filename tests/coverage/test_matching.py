"""Matching runs over stored articles: creating matches, auto-accepting, keeping decisions."""

from __future__ import annotations

from datetime import date, time, timedelta

from sqlalchemy import select

from campaign.coverage.matching import (
    decide,
    match_articles,
    move,
    rematch_campaign,
    rematch_events,
)
from campaign.coverage.models import CoverageRule, Match
from campaign.coverage.rules import DEFAULT_WINDOWS
from tests.factories import beijing


def setup_rally(make, **rule):
    campaign = make.campaign(slug="pm")
    outlet = make.outlet(name="安徽日报")
    event = make.event(campaign, key="rally", title="庆祝五一暨建功十一五动员大会",
                       type="rally", starts_at=beijing(date(2006, 4, 27), time(9, 0)),
                       keywords=["动员大会"])
    event.invited_outlets = [outlet]
    make.db.session.add(CoverageRule(event_id=event.id, query=rule.get("query", "动员大会 五一"),
                                     use_synonyms=True))
    make.db.session.commit()
    return campaign, outlet, event


def matches(db, event):
    return {m.article_id: m for m in db.session.scalars(
        select(Match).where(Match.event_id == event.id))}


def test_report_in_title_is_accepted(make, db):
    """A page-one report naming the event in its title (and its lead) is matched and accepted
    automatically."""
    _, outlet, event = setup_rally(make)
    article = make.article(outlet, title="全省职工庆祝五一动员大会隆重召开", page_number=1,
                           published_at=beijing(date(2006, 4, 28)),
                           body="省总工会昨天召开庆祝五一暨建功十一五动员大会。")
    summary = match_articles([article.id])
    assert summary.created == 1
    match = matches(db, event)[article.id]
    assert match.status == "accepted"
    assert match.explanation["title_terms"] == ["动员大会", "五一"]
    assert match.day == 20060428


def test_lead_mention_is_not_accepted_unreviewed(make, db):
    """A piece that names the event only in its lead, in an outlet not invited, days after
    the event, is not accepted without review (at most it waits as a suggestion)."""
    _, _, event = setup_rally(make)
    other = make.outlet(name="某晚报")
    article = make.article(other, title="本市新闻", published_at=beijing(date(2006, 4, 30)),
                           body="前几天的五一动员大会上，我市劳模受到表彰。" + "天气晴。" * 60)
    match_articles([article.id])
    assert all(m.status == "suggested" for m in matches(db, event).values())


def test_passing_mention_deep_in_body_is_not_accepted(make, db):
    """A passing mention deep in the body of another story is not accepted without review,
    even in an invited outlet on the day."""
    _, outlet, event = setup_rally(make)
    article = make.article(outlet, title="高炉旁的钢铁汉子", page_number=1,
                           published_at=beijing(date(2006, 4, 28)),
                           body="天气晴。" * 80 + "他在五一动员大会上发言。")
    match_articles([article.id])
    assert all(m.status == "suggested" for m in matches(db, event).values())


def test_rejection_survives_rematch(make, db, login):
    """A rejected match stays rejected when matching runs again."""
    _, outlet, event = setup_rally(make)
    officer = make.user(role="officer")
    article = make.article(outlet, title="五一动员大会召开",
                           published_at=beijing(date(2006, 4, 27)),
                           body="省总工会召开庆祝五一暨建功十一五动员大会。")
    match_articles([article.id])
    decide(matches(db, event)[article.id], "rejected", officer)
    db.session.commit()
    summary = match_articles([article.id])
    rematch_events([event])
    assert summary.kept_decisions == 1
    assert matches(db, event)[article.id].status == "rejected"


def test_changed_query_withdraws_undecided_but_keeps_accepted(make, db):
    """After the query changes, undecided matches that no longer hold go; decisions stay."""
    _, outlet, event = setup_rally(make)
    officer = make.user(role="officer")
    kept = make.article(outlet, title="五一动员大会召开",
                        published_at=beijing(date(2006, 4, 27)), body="省总工会召开五一动员大会。")
    dropped = make.article(outlet, title="五一动员大会侧记",
                           published_at=beijing(date(2006, 4, 28)),
                           body="省总工会召开庆祝五一动员大会。")
    match_articles([kept.id, dropped.id])
    decide(matches(db, event)[kept.id], "accepted", officer)
    rule = db.session.get(CoverageRule, event.id)
    rule.query = "建功十一五"
    db.session.commit()
    rematch_events([event])
    now = matches(db, event)
    assert set(now) == {kept.id}
    assert now[kept.id].status == "accepted"


def test_move_to_another_event(make, db):
    """Moving a match rejects it for its event and accepts it for the other one."""
    campaign, outlet, event = setup_rally(make)
    officer = make.user(role="officer")
    other = make.event(campaign, key="brief", title="新闻通气会", type="press_briefing",
                       starts_at=beijing(date(2006, 4, 25), time(15, 0)))
    article = make.article(outlet, title="五一动员大会召开",
                           published_at=beijing(date(2006, 4, 27)),
                           body="省总工会召开庆祝五一暨建功十一五动员大会。")
    match_articles([article.id])
    moved = move(matches(db, event)[article.id], other, officer)
    db.session.commit()
    assert moved.event_id == other.id and moved.status == "accepted"
    assert matches(db, event)[article.id].status == "rejected"
    match_articles([article.id])
    assert matches(db, event)[article.id].status == "rejected"
    assert matches(db, other)[article.id].status == "accepted"


def test_article_outside_window_is_not_matched(make, db):
    """A report two weeks later is outside the rally's window and is not matched."""
    _, outlet, event = setup_rally(make)
    late = make.article(outlet, title="五一动员大会精神在基层",
                        published_at=beijing(date(2006, 5, 12)))
    match_articles([late.id])
    assert matches(db, event) == {}


def test_article_at_2330_beijing_on_last_day_is_inside(app, make, db, monkeypatch):
    """An article at 23:30 Beijing time on the window's last day (15:30 UTC) is inside, one
    at 00:30 the next day is outside (every match in the window kept, to see the window)."""
    monkeypatch.setitem(app.config, "COVERAGE_SUGGEST_MIN", 0.0)
    _, outlet, event = setup_rally(make)
    last = date(2006, 4, 27) + timedelta(days=DEFAULT_WINDOWS["rally"][1])
    edge = make.article(outlet, title="五一动员大会", published_at=beijing(last, time(23, 30)))
    after = make.article(outlet, title="五一动员大会",
                         published_at=beijing(last + timedelta(days=1), time(0, 30)))
    match_articles([edge.id, after.id])
    assert set(matches(db, event)) == {edge.id}


def test_cancelled_event_is_not_matched(make, db):
    """A cancelled event gets no new matches."""
    _, outlet, event = setup_rally(make)
    event.status = "cancelled"
    db.session.commit()
    article = make.article(outlet, title="五一动员大会", published_at=beijing(date(2006, 4, 27)))
    match_articles([article.id])
    assert matches(db, event) == {}


def test_rematching_one_event_scores_as_a_full_pass(make, db):
    """Re-matching one event (its rule saved) gives its matches the scores a pass over the
    whole campaign gives them: the other events still compete for the article."""
    campaign = make.campaign(slug="three")
    outlet = make.outlet(name="江淮日报")
    day = beijing(date(2006, 4, 27), time(9))
    events = [make.event(campaign, key=key, title=title, type="other", starts_at=day,
                         keywords=[word])
              for key, title, word in (("forum", "职工技能论坛", "技能论坛"),
                                       ("award", "技能大赛颁奖仪式", "颁奖"),
                                       ("visit", "走访困难职工", "走访"))]
    make.db.session.commit()
    article = make.article(outlet, title="技能大赛颁奖仪式上的职工技能论坛",
                           published_at=beijing(date(2006, 4, 27)), body="职工技能论坛举行。")
    rematch_campaign(campaign)
    full = {m.event_id: m.score for m in matches_of(db, article)}
    assert full, "the article matched nothing: the test proves nothing"
    for event in events:
        rematch_events([event])
    assert {m.event_id: m.score for m in matches_of(db, article)} == full


def matches_of(db, article):
    return db.session.scalars(select(Match).where(Match.article_id == article.id)).all()
