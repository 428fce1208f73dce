"""Story clusters: reports of one story at different outlets, found by the facts they share;
the rest of a story suggested once one report is accepted; the queue deciding a story at once;
and no unreviewed acceptance from an outlet the campaign never involved."""

from __future__ import annotations

from datetime import date, time

import pytest
from sqlalchemy import select

from campaign.coverage.explain import explanation_text
from campaign.coverage.matching import match_articles
from campaign.coverage.models import CoverageRule, Match
from campaign.coverage.stories import (
    clusters,
    plan_marks,
    same_story,
    story_marks,
    story_text,
)
from tests.factories import beijing
from tests.html import soup

D = date(2030, 3, 10)
QUEUE = "/campaigns/st/review"


def text(article_id: int, outlet_id: int, day: date, title: str, body: str = ""):
    return story_text(article_id, outlet_id, day, title, body)


def test_marks_are_counted_numbers_and_quoted_names_not_dates() -> None:
    """A report's marks are its counted numbers and quoted names; dates and times are not."""
    marks = story_marks("3月10日上午9时，1200余名职工在“青松湖”码头参加"
                        "《河港安全手册》首发，历时2小时")
    assert {"1200名", "青松湖", "河港安全手册", "2小时"} <= marks
    assert not any(mark.startswith(("3", "10", "9")) and mark[-1] in "月日时" for mark in marks)


def test_two_outlets_sharing_two_facts_within_days_tell_one_story() -> None:
    """Two outlets' reports that share two facts, two days apart, are one story."""
    a = text(1, 1, D, "河港码头举行防汛演练", "1200名职工参加，出动冲锋舟36艘。")
    b = text(2, 2, date(2030, 3, 12), "千人上阵练防汛", "演练出动冲锋舟36艘，1200名职工参与。")
    assert same_story(a, b)


def test_same_outlet_or_far_apart_or_plan_words_only_are_not_one_story() -> None:
    """One outlet's two reports, reports a week apart, and reports sharing only what the
    plan says are not one story."""
    a = text(1, 1, D, "河港码头举行防汛演练", "1200名职工参加，出动冲锋舟36艘。")
    same_outlet = text(2, 1, D, "防汛演练花絮", "1200名职工参加，出动冲锋舟36艘。")
    far = text(3, 2, date(2030, 3, 20), "再练防汛", "1200名职工参加，出动冲锋舟36艘。")
    assert not same_story(a, same_outlet)
    assert not same_story(a, far)
    c = text(4, 3, D, "“平安河港”月活动启动", "“平安河港”月启动，《河港守则》发布。")
    d = text(5, 4, D, "职工书画展开幕", "“平安河港”月期间，《河港守则》展板亮相。")
    common = plan_marks(["“平安河港”月", "《河港守则》宣讲"])
    assert same_story(c, d)
    assert not same_story(c, d, common)


def test_clusters_link_reports_into_stories_and_leave_lone_ones_out() -> None:
    """Reports of one story form one cluster (chained through a shared report); a lone
    report forms none."""
    a = text(1, 1, D, "防汛演练", "1200名职工，冲锋舟36艘。")
    b = text(2, 2, D, "演练", "冲锋舟36艘，1200名职工。")
    c = text(3, 3, date(2030, 3, 11), "练兵", "1200名职工，冲锋舟36艘。")
    lone = text(4, 4, D, "春耕", "播种300亩。")
    assert clusters([a, b, c, lone]) == [[1, 2, 3]]


@pytest.fixture
def story(app, make, monkeypatch):
    """A drill on 10 March 2030 with 江城日报 invited; its report suggested there (nothing is
    accepted unreviewed here), and another outlet's report of the same drill in its own words
    that the query does not find."""
    monkeypatch.setitem(app.config, "COVERAGE_SUGGEST_MIN", 0.3)
    monkeypatch.setitem(app.config, "COVERAGE_AUTO_ACCEPT", 0.999)
    campaign = make.campaign(slug="st", name="河港安全月", starts_on=date(2030, 3, 1),
                             ends_on=date(2030, 3, 31))
    invited = make.outlet(name="江城日报")
    other = make.outlet(name="江城晚报")
    event = make.event(campaign, key="drill", title="河港防汛应急演练", type="other",
                       starts_at=beijing(D, time(9, 0)), keywords=["防汛应急演练"])
    event.invited_outlets = [invited]
    make.db.session.add(CoverageRule(event_id=event.id, query="防汛应急演练"))
    make.db.session.commit()
    report = make.article(invited, title="河港举行防汛应急演练", published_at=beijing(D),
                          body="1200名职工参加，出动冲锋舟36艘。" + "演练有序。" * 20)
    mate = make.article(other, title="千人上阵护河港", published_at=beijing(date(2030, 3, 11)),
                        body="出动冲锋舟36艘，1200名职工参与。" + "现场有序。" * 20)
    match_articles([report.id, mate.id])
    make.db.session.commit()
    return {"campaign": campaign, "event": event, "report": report, "mate": mate}


def _match(db, event, article):
    return db.session.scalar(select(Match).where(Match.event_id == event.id,
                                                 Match.article_id == article.id))


def test_accepting_a_report_suggests_the_rest_of_its_story(client, login, make, story) -> None:
    """Accepting one report of a story makes the other outlet's report of it a suggestion for
    the event, saying which accepted report it follows."""
    db = make.db
    report = _match(db, story["event"], story["report"])
    assert _match(db, story["event"], story["mate"]) is None
    login("officer")
    response = client.post(f"/campaigns/st/matches/{report.id}/accept", data={"next": QUEUE})
    assert response.status_code == 302
    mate = _match(db, story["event"], story["mate"])
    assert mate is not None and mate.status == "suggested"
    assert mate.explanation["story_of"] == story["report"].id


def test_report_attributed_to_another_event_is_not_suggested(client, login, make, story
                                                             ) -> None:
    """A report of the story already matched to another event of the campaign (the facts
    were announced at one event and told at another) is not suggested for this one."""
    db = make.db
    other = make.event(story["campaign"], key="brief", title="防汛工作通报会", type="other",
                       starts_at=beijing(D, time(15, 0)))
    db.session.add(Match(event_id=other.id, article_id=story["mate"].id, auto=False,
                         status="accepted", score=1.0, explanation={}))
    db.session.commit()
    report = _match(db, story["event"], story["report"])
    login("officer")
    client.post(f"/campaigns/st/matches/{report.id}/accept", data={"next": QUEUE})
    assert _match(db, story["event"], story["mate"]) is None


def test_report_placed_in_another_province_is_not_suggested(client, login, make, story
                                                            ) -> None:
    """With the campaign at home in 湖北 (its invited outlet's region), another outlet's report
    sharing the story's facts but placing them in 江西 is not suggested when the report is
    accepted; the same facts placed in 武汉 (a home city) are."""
    db = make.db
    story["event"].invited_outlets[0].region = "湖北"
    elsewhere = make.article(story["mate"].outlet, title="江西河港千人上阵",
                             published_at=beijing(date(2030, 3, 11)),
                             body="出动冲锋舟36艘，1200名职工参与。" + "现场有序。" * 20)
    home = make.article(story["mate"].outlet, title="武汉河港千人上阵",
                        published_at=beijing(date(2030, 3, 11)),
                        body="出动冲锋舟36艘，1200名职工参与。" + "现场有序。" * 20)
    db.session.commit()
    report = _match(db, story["event"], story["report"])
    login("officer")
    client.post(f"/campaigns/st/matches/{report.id}/accept", data={"next": QUEUE})
    assert _match(db, story["event"], elsewhere) is None
    found = _match(db, story["event"], home)
    assert found is not None and found.explanation["story_of"] == story["report"].id


def test_rejecting_the_report_withdraws_its_story_suggestions(client, login, make, story) -> None:
    """Once the report a story suggestion follows is rejected, the suggestion is withdrawn."""
    db = make.db
    report = _match(db, story["event"], story["report"])
    login("officer")
    client.post(f"/campaigns/st/matches/{report.id}/accept", data={"next": QUEUE})
    assert _match(db, story["event"], story["mate"]) is not None
    client.post(f"/campaigns/st/matches/{report.id}/reject", data={"next": QUEUE})
    assert _match(db, story["event"], story["mate"]) is None


def test_queue_shows_a_story_as_one_block_decided_at_once(client, login, make, story) -> None:
    """The queue shows a story's suggestions under one heading naming the accepted report,
    and its 整组接受 button accepts every suggestion of the block."""
    db = make.db
    event = story["event"]
    third = make.article(make.outlet(name="江城电视台"), title="冲锋舟驰援演练",
                         published_at=beijing(date(2030, 3, 11)),
                         body="冲锋舟36艘出动，1200名职工参加。" + "画面。" * 20)
    login("officer")
    report = _match(db, event, story["report"])
    client.post(f"/campaigns/st/matches/{report.id}/accept", data={"next": QUEUE})
    match_articles([third.id])
    db.session.commit()
    page = soup(client.get(QUEUE).get_data(as_text=True))
    head = page.select_one("tr.story-block-head")
    assert "同一报道 2 篇" in head.get_text()
    assert story["report"].title in head.get_text()
    form = page.select_one(f"form#block-form-{head['data-block']}")
    ids = [i["value"] for i in form.select("input[name=match_ids]")]
    response = client.post(form["action"], data={"match_ids": ids, "action": "accept",
                                                 "next": QUEUE})
    assert response.status_code == 302
    assert {_match(db, event, a).status for a in (story["mate"], third)} == {"accepted"}


def _drill(make, *, slug: str, name: str = "", outlet: str = "江城日报", region: str = "",
           title: str = "职工防汛应急演练"):
    """A campaign with one drill on D (keyword 防汛应急演练) and one invited outlet."""
    campaign = make.campaign(slug=slug, name=name or slug, starts_on=date(2030, 3, 1),
                             ends_on=date(2030, 3, 31))
    paper = make.outlet(name=outlet, region=region)
    event = make.event(campaign, key="drill", title=title, type="other",
                       starts_at=beijing(D, time(9, 0)), keywords=["防汛应急演练"])
    event.invited_outlets = [paper]
    make.db.session.commit()
    return event, paper


def test_outlet_the_campaign_never_involved_is_never_accepted_unreviewed(app, make) -> None:
    """A report that would be accepted at an invited outlet is only suggested when its outlet
    takes part in no event of the campaign."""
    event, invited = _drill(make, slug="inv", title="河港防汛应急演练")
    stranger = make.outlet(name="无名网")
    body = "河港防汛应急演练今天举行。" + "演练有序。" * 20
    ours = make.article(invited, title="河港防汛应急演练举行", published_at=beijing(D),
                        page_number=1, body=body)
    theirs = make.article(stranger, title="河港防汛应急演练举行", published_at=beijing(D),
                          page_number=1, body=body + "。")
    match_articles([ours.id, theirs.id])
    make.db.session.commit()
    assert _match(make.db, event, ours).status == "accepted"
    found = _match(make.db, event, theirs)
    assert found is not None and found.status == "suggested"
    assert found.score >= app.config.get("COVERAGE_AUTO_ACCEPT", 0.73)


@pytest.mark.parametrize(("outlet", "region", "campaign_name"), [
    ("湖北日报", "", "防汛宣传月"),  # the outlet's name says the province
    ("江城日报", "湖北", "防汛宣传月"),  # its region does
    ("江城日报", "", "湖北省总工会防汛宣传月"),  # the campaign's name does
])
def test_piece_placed_in_another_province_is_not_kept(
        app, make, outlet: str, region: str, campaign_name: str) -> None:
    """At an invited outlet, a report whose headline places the same kind of activity in
    another province than the campaign's home (read from its outlets' names and regions and its
    own name) is not kept at all, not even as a suggestion; the campaign's own report with the
    same words is accepted, and so is one from a home city that also names another province."""
    event, paper = _drill(make, slug="far", name=campaign_name, outlet=outlet, region=region)
    body = "职工防汛应急演练今天举行。" + "演练有序。" * 20
    ours = make.article(paper, title="职工防汛应急演练举行", published_at=beijing(D),
                        page_number=1, body=body)
    theirs = make.article(paper, title="江西职工防汛应急演练举行", published_at=beijing(D),
                          page_number=1, body=body + "。")
    helpers = make.article(paper, title="武汉职工防汛应急演练举行", published_at=beijing(D),
                           page_number=1, body="江西的专家也来观摩。" + body)
    match_articles([ours.id, theirs.id, helpers.id])
    make.db.session.commit()
    assert _match(make.db, event, ours).status == "accepted"
    assert _match(make.db, event, theirs) is None
    assert _match(make.db, event, helpers).status == "accepted"


def test_national_piece_is_only_suggested_with_its_reason(app, make) -> None:
    """A report placing the same kind of activity at national level (全国) is only suggested
    at an invited outlet, with the reason in words."""
    event, paper = _drill(make, slug="nat", name="防汛宣传月", outlet="湖北日报")
    theirs = make.article(paper, title="全国职工防汛应急演练举行", published_at=beijing(D),
                          page_number=1, body="职工防汛应急演练今天举行。" + "演练有序。" * 20)
    match_articles([theirs.id])
    make.db.session.commit()
    found = _match(make.db, event, theirs)
    assert found is not None and found.status == "suggested"
    assert found.explanation["elsewhere"] is True
    with app.test_request_context():
        assert "报道地点在外省或全国" in explanation_text(found.explanation)
