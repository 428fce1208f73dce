"""The event coverage page: the rule form (query, synonyms, window, outlets), the matches with
their reasons in words, the stats and slot states, and the links from the planning pages."""

from __future__ import annotations

from datetime import date, time

import pytest
from sqlalchemy import select

from campaign.coverage.matching import match_articles
from campaign.coverage.models import CoverageRule, Match
from campaign.coverage.rules import DEFAULT_WINDOWS, suggest_query
from campaign.planning.models import EditorialSlot, Outlet
from campaign.sources.models import Source
from tests.factories import beijing
from tests.html import field_errors, soup

URL = "/campaigns/pm/events/rally/coverage"
RULE_URL = URL + "/rule"


@pytest.fixture
def rally(app, make, monkeypatch):
    """A rally on 27 April 2006 with 安徽日报 invited, a page-one report and a weak mention
    (kept as a suggestion: these tests are about the pages, not the model's thresholds)."""
    monkeypatch.setitem(app.config, "COVERAGE_SUGGEST_MIN", 0.01)
    campaign = make.campaign(slug="pm")
    outlet = make.outlet(name="安徽日报")
    event = make.event(campaign, key="rally", title="庆祝五一暨建功十一五动员大会", type="rally",
                       starts_at=beijing(date(2006, 4, 27), time(9, 0)), keywords=["动员大会"])
    event.invited_outlets = [outlet, make.outlet(name="新安晚报")]
    make.db.session.add(CoverageRule(event_id=event.id, query="动员大会 五一"))
    make.db.session.commit()
    strong = make.article(outlet, title="全省职工庆祝五一动员大会隆重召开", page_number=1,
                          page_name="要闻", published_at=beijing(date(2006, 4, 27), time(9, 0)),
                          body="省总工会召开庆祝五一暨建功十一五动员大会。")
    weak = make.article(make.outlet(name="某晚报"), title="本市新闻",
                        published_at=beijing(date(2006, 4, 29)),
                        body="前几天的五一动员大会上，我市劳模受到表彰。" + "天气晴。" * 60)
    match_articles([strong.id, weak.id])
    make.db.session.commit()
    return {"campaign": campaign, "event": event, "outlet": outlet, "strong": strong,
            "weak": weak}


def statuses(db, event):
    return {m.article_id: m.status for m in db.session.scalars(
        select(Match).where(Match.event_id == event.id))}


def test_page_lists_matches_with_reasons_in_words(client, login, rally):
    """Each match shows its article (link, outlet, Beijing time, page) and its reasons in words."""
    login("officer")
    page = soup(client.get(URL).get_data(as_text=True))
    accepted = page.select_one('table.matches[data-status="accepted"]')
    row = accepted.select_one(f'tr[data-article-id="{rally["strong"].id}"]')
    assert row.select_one("a.article-title")["href"] == f"/articles/{rally['strong'].id}"
    meta = row.select_one(".article-meta").get_text(" ", strip=True)
    assert "安徽日报" in meta and "2006-04-27 09:00" in meta and "第01版 要闻" in meta
    reasons = row.select_one(".reasons").get_text(strip=True)
    assert reasons == "标题含：动员大会、五一；活动当天；邀请媒体；头版"
    suggested = page.select_one('table.matches[data-status="suggested"]')
    assert "导语含：动员大会、五一；D+2" in suggested.get_text()


def test_good_query_saves_and_rematches(client, login, db, rally):
    """A new query is stored, the event re-matched, and the flash says what changed."""
    login("officer")
    response = client.post(RULE_URL, data={"query": "隆重召开", "use_synonyms": "y"})
    assert response.status_code == 302
    assert db.session.get(CoverageRule, rally["event"].id).query == "隆重召开"
    assert set(statuses(db, rally["event"])) == {rally["strong"].id}
    flash = soup(client.get(URL).get_data(as_text=True)).select_one(".flash-success").get_text()
    assert "撤回 1 条" in flash


def test_bad_query_is_refused_with_the_position_highlighted(client, login, db, rally):
    """A query that does not parse answers 422 with the parser's message and marks the spot."""
    login("officer")
    response = client.post(RULE_URL, data={"query": "动员大会 AND (五一", "use_synonyms": "y"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "括号没有闭合" in field_errors(html)["query"][0]
    problem = soup(html).select_one("#query-problem")
    assert problem.select_one(".before").get_text() == "动员大会 AND "
    assert problem.select_one("mark.at").get_text() == "("
    assert problem.select_one(".after").get_text() == "五一"
    assert db.session.get(CoverageRule, rally["event"].id).query == "动员大会 五一"
    assert len(statuses(db, rally["event"])) == 2


def test_window_days_are_saved_and_blank_means_the_default(client, login, db, rally):
    """Days before/after are stored; a blank one stays None and the type's default is hinted."""
    login("officer")
    hint = soup(client.get(URL).get_data(as_text=True)).select_one("#field-days_before .hint")
    before, after = DEFAULT_WINDOWS["rally"]
    assert hint.get_text() == f"默认：前{before}天至后{after}天"
    client.post(RULE_URL, data={"query": "动员大会 五一", "use_synonyms": "y",
                                "days_before": "2", "days_after": "1"})
    rule = db.session.get(CoverageRule, rally["event"].id)
    assert (rule.days_before, rule.days_after) == (2, 1)
    assert rally["weak"].id not in statuses(db, rally["event"])  # 29 April is D+2
    client.post(RULE_URL, data={"query": "动员大会 五一", "use_synonyms": "y",
                                "days_before": "", "days_after": ""})
    assert (rule.days_before, rule.days_after) == (None, None)


def test_negative_window_days_are_refused(client, login, rally):
    """A negative number of days is refused on its field."""
    login("officer")
    response = client.post(RULE_URL, data={"query": "动员大会", "days_after": "-1"})
    assert response.status_code == 422
    assert field_errors(response.get_data(as_text=True))["days_after"]


def test_synonyms_toggle_changes_what_matches(client, login, db, make, rally):
    """With synonyms on, 庆祝大会 counts as 动员大会 (and the group is listed); off, it does not."""
    login("officer")
    other = make.article(rally["outlet"], title="五一庆祝大会在合肥举行",
                         published_at=beijing(date(2006, 4, 27)))
    client.post(RULE_URL, data={"query": "动员大会 五一", "use_synonyms": "y"})
    assert other.id in statuses(db, rally["event"])
    groups = soup(client.get(URL).get_data(as_text=True)).select("#synonym-groups li")
    assert any("庆祝大会" in g.get_text() for g in groups)
    client.post(RULE_URL, data={"query": "动员大会 五一"})
    assert other.id not in statuses(db, rally["event"])
    assert db.session.get(CoverageRule, rally["event"].id).use_synonyms is False


def test_use_suggestion_saves_the_suggested_query(client, login, db, rally):
    """The 使用建议 button stores the query suggested from the event."""
    login("officer")
    client.post(RULE_URL, data={"query": "随便", "use_suggestion": "1", "use_synonyms": "y"})
    rule = db.session.get(CoverageRule, rally["event"].id)
    assert rule.query == suggest_query(rally["event"])


def test_outlet_restriction_drops_other_outlets(client, login, db, rally):
    """Restricting the rule to one outlet withdraws the undecided matches of the others."""
    login("officer")
    client.post(RULE_URL, data={"query": "动员大会 五一", "use_synonyms": "y",
                                "outlets": [str(rally["outlet"].id)]})
    assert statuses(db, rally["event"]) == {rally["strong"].id: "accepted"}


def test_decisions_survive_a_rule_change(client, login, db, rally):
    """A match an officer accepted stays when a new query no longer finds it."""
    login("officer")
    weak_match = db.session.scalar(select(Match).where(Match.article_id == rally["weak"].id))
    client.post(f"/campaigns/pm/matches/{weak_match.id}/accept")
    response = client.post(RULE_URL, data={"query": "隆重召开"}, follow_redirects=True)
    assert statuses(db, rally["event"])[rally["weak"].id] == "accepted"
    assert "保留人工决定 1 条" in response.get_data(as_text=True)


def test_leader_sees_everything_but_no_forms(client, login, rally):
    """A leader reads the rule, stats and matches, with no form or button, and POST is 403."""
    login("leader")
    html = client.get(URL).get_data(as_text=True)
    main = soup(html).select_one("main")
    assert main.select("form") == []
    assert "动员大会 五一" in main.select_one("#rule").get_text()
    assert main.select('table.matches tr.match-row')
    assert client.post(RULE_URL, data={"query": "x"}).status_code == 403


def test_stats_show_counts_and_invited_outlets_that_wrote_nothing(client, login, rally, db):
    """The stats show pieces, outlets against invited ones, page one, and 邀请未报道 (for an
    invited outlet with an enabled source; without one it is 未监测)."""
    silent = db.session.scalar(select(Outlet).where(Outlet.name == "新安晚报"))
    db.session.add(Source(outlet=silent, type="rss", name="新安晚报", url="http://xawb.test/rss",
                          selectors={}))
    db.session.commit()
    login("leader")
    page = soup(client.get(URL).get_data(as_text=True))
    assert page.select_one("#stat-pieces").get_text(strip=True) == "1"
    assert page.select_one("#stat-outlets").get_text(" ", strip=True).startswith("1")
    assert "邀请 2 家" in page.select_one("#stat-outlets").get_text()
    assert page.select_one("#stat-page-one").get_text(strip=True) == "1"
    assert "新安晚报" in page.select_one("#invited-silent").get_text()


def test_slot_states_are_shown_in_words(client, login, make, db):
    """Editorial slots show 部分相符 with what differs, 未刊发, as their states say."""
    login("officer")
    campaign = make.campaign(slug="pm")
    paper = make.outlet(name="安徽日报")
    event = make.event(campaign, key="editorial", title="安徽日报社论", type="editorial_slot",
                       starts_at=beijing(date(2006, 4, 30), time(0, 0)),
                       ends_at=beijing(date(2006, 4, 30), time(23, 59)),
                       slot={"outlet_id": paper.id, "planned_on": date(2006, 4, 30),
                             "genre": "editorial", "page": "一版"})
    make.event(campaign, key="commentary", type="editorial_slot", title="评论员文章",
               slot={"outlet_id": paper.id, "planned_on": date(2006, 5, 1),
                     "genre": "commentator", "page": "一版"})
    article = make.article(paper, title="本报社论：当好主力军", page_number=3,
                           published_at=beijing(date(2006, 4, 30)))
    db.session.add(Match(event_id=event.id, article_id=article.id, status="accepted",
                         day=20060430, explanation={}))
    db.session.commit()
    page = soup(client.get("/campaigns/pm/events/editorial/coverage").get_data(as_text=True))
    state = page.select_one('tr.slot-row[data-slot-date="2006-04-30"] .slot-state')
    assert state.get_text() == "部分相符（版面不符）"
    alerts = soup(client.get("/campaigns/pm").get_data(as_text=True)).select_one("#coverage-alerts")
    missed = alerts.select_one('li[data-state="missed"]')
    assert "评论员文章" in missed.get_text() and "未刊发" in missed.get_text()


def test_planning_pages_link_to_coverage_and_review(client, login, rally):
    """The event page links to its coverage; the campaign page to the queue with its count."""
    login("leader")
    event_page = soup(client.get("/campaigns/pm/events/rally").get_data(as_text=True))
    assert event_page.select_one("#coverage-link")["href"].endswith(URL)
    assert "待审核 1 条" in event_page.select_one(".coverage-link").get_text()
    campaign_page = soup(client.get("/campaigns/pm").get_data(as_text=True))
    link = campaign_page.select_one("#review-link")
    assert link["href"].endswith("/campaigns/pm/review")
    assert link.select_one(".count").get_text() == "1"


def test_unknown_event_is_404(client, login, rally):
    """A coverage page of an event that does not exist answers 404."""
    login("officer")
    assert client.get("/campaigns/pm/events/nope/coverage").status_code == 404


def test_slot_alerts_list_missed_and_soon_due_slots_by_event(app, make, db):
    """A column's missed days group on one line; a slot due within three days is listed, a
    later one is not."""
    from campaign.coverage.review import campaign_slot_alerts

    campaign = make.campaign(slug="pm")
    paper = make.outlet(name="安徽工人日报")
    column = make.event(campaign, key="column", type="editorial_slot", title="一版专栏",
                        slot={"outlet_id": paper.id, "planned_on": date(2006, 4, 21),
                              "genre": "column", "page": "一版"})
    db.session.add(EditorialSlot(event=column, outlet_id=paper.id,
                                 planned_on=date(2006, 4, 24), genre="column", page="一版"))
    make.event(campaign, key="editorial", type="editorial_slot", title="社论",
               slot={"outlet_id": paper.id, "planned_on": date(2006, 4, 30),
                     "genre": "editorial", "page": "一版"})
    db.session.commit()
    alerts = campaign_slot_alerts(campaign, today=date(2006, 4, 27))
    assert [(a.event.key, a.state, len(a.slots)) for a in alerts] == [("column", "missed", 2),
                                                                      ("editorial", "due", 1)]
    assert [a.event.key for a in campaign_slot_alerts(campaign, today=date(2006, 4, 26))] == [
        "column"]
