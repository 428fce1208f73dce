"""The work-summary draft's words: quotes nest one kind, every sentence has a verb, and each
sentence's tense follows the campaign's dates — for the demo plan, the 2006 month with its
coverage, a campaign with no coverage, a future campaign and a column-only plan."""

from __future__ import annotations

import re
from datetime import date, time

import pytest

from campaign.coverage.matching import add_match
from campaign.exports.summary import quoted, summary_sentences, summary_text
from campaign.planning.demo import DEMO_SLUG, load_demo
from campaign.planning.operations import get_campaign
from tests.factories import beijing

AFTER = date(2006, 6, 1)  # after the 2006 month
BEFORE = date(2006, 3, 1)  # before it (and before its preparation)
DURING = date(2006, 5, 1)
# Words that make a clause a sentence: what the draft's sentences may do.
VERBS = ("召开", "举行", "举办", "开展", "下发", "刊发", "开设", "报道", "收集", "参加", "邀请",
         "宣传", "统计", "开始", "欢送", "发布")
PAST_MARKS = ("了", "作了报道", "共刊发")


def nesting_errors(text: str) -> list[str]:
    """What is wrong with the quotation marks of ``text``: “ inside “ (one kind nested), ‘
    outside a “”, or a mark left open or closed twice."""
    errors, stack = [], []
    for i, char in enumerate(text):
        if char == "“":
            if "“" in stack:
                errors.append(f"“ inside “ at {i}")
            stack.append(char)
        elif char == "‘":
            if stack[-1:] != ["“"]:
                errors.append(f"‘ outside “” at {i}")
            stack.append(char)
        elif char in "”’" and (not stack or stack.pop() != {"”": "“", "’": "‘"}[char]):
            errors.append(f"{char} unmatched at {i}")
    return errors + [f"{mark} left open" for mark in stack] + (
        ['straight quote "'] if '"' in text else [])


def sentences_of(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=。)", text.replace("\n", "")) if s]


def check_words(text: str) -> None:
    assert nesting_errors(text) == [], text
    for sentence in sentences_of(text):
        assert any(verb in sentence for verb in VERBS), f"no verb: {sentence}"


def check_tense(app, campaign, today: date) -> None:
    """A sentence about a day still to come says 将 and no past mark; a day gone by never 将."""
    with app.test_request_context():
        for sentence in summary_sentences(campaign, today):
            if sentence.day > today:
                assert "将" in sentence.text, sentence.text
                assert not any(m in sentence.text for m in PAST_MARKS), sentence.text
            else:
                assert "将" not in sentence.text, sentence.text


def draft(app, campaign, today: date) -> str:
    with app.test_request_context():
        return summary_text(campaign, today)


def test_quoted_nests_inner_quotes():
    """A quote inside a quote becomes ‘’; straight quotes are paired first."""
    assert quoted("一版专栏“劳模风采”") == "“一版专栏‘劳模风采’”"
    assert quoted('庆祝五一暨"当好主力军"动员大会') == "“庆祝五一暨‘当好主力军’动员大会”"
    assert nesting_errors("开设了“一版专栏“劳模风采””专栏") == ["“ inside “ at 8"]


@pytest.mark.parametrize("today", [AFTER, DURING, BEFORE])
def test_demo_plan(app, db, today):
    """The demo campaign (no coverage yet): quotes, verbs and tense at three dates."""
    load_demo()
    db.session.commit()
    campaign = get_campaign(DEMO_SLUG)
    text = draft(app, campaign, today)
    check_words(text)
    check_tense(app, campaign, today)
    opening = text.split("\n")[0]
    assert {AFTER: "我们开展了", DURING: "我们正在开展", BEFORE: "我们将开展"}[today] in opening


def test_demo_with_coverage(app, coverage_world):
    """The 2006 month with its coverage, told after it: every sentence checked."""
    text = draft(app, coverage_world.campaign, AFTER)
    check_words(text)
    check_tense(app, coverage_world.campaign, AFTER)
    assert text.endswith("其中头版5篇。")


def test_campaign_without_coverage(app, make, db):
    """Past events without coverage say nothing was found, with a verb; so do the totals."""
    campaign = make.campaign(name='庆祝五一暨"当好主力军、建功十一五"宣传月')
    make.event(campaign, key="rally", type="rally", title='庆祝五一暨"当好主力军"动员大会')
    make.event(campaign, key="brief", type="press_briefing", title="宣传月新闻通气会",
               starts_at=beijing(date(2006, 4, 25), time(15)))
    db.session.commit()
    text = draft(app, campaign, AFTER)
    check_words(text)
    assert text.split("\n") == [
        "2006年4月25日至5月25日，我们开展了“庆祝五一暨‘当好主力军、建功十一五’宣传月”活动。",
        ("4月25日，召开了宣传月新闻通气会，暂未收集到媒体报道。"
        "4月27日，召开了庆祝五一暨“当好主力军”动员大会，暂未收集到媒体报道。"),
        "活动期间，暂未收集到媒体报道。"]


def test_future_campaign(app, make, db):
    """A campaign that has not started is told in the future tense, its invitations as 拟邀请,
    and its totals say it has not started."""
    campaign = make.campaign()
    paper, agency = make.outlet(name="安徽日报"), make.outlet(name="新华社", tier="central")
    make.event(campaign, key="brief", type="press_briefing", title="宣传月新闻通气会",
               starts_at=beijing(date(2006, 4, 25), time(15)), invited_outlets=[paper, agency])
    make.event(campaign, key="send-off", type="send_off", title="欢送劳模赴京",
               starts_at=beijing(date(2006, 4, 24), time(9)))
    make.event(campaign, key="editorial", type="editorial_slot", title="安徽日报社论",
               starts_at=beijing(date(2006, 4, 30)),
               slot={"outlet": paper, "planned_on": date(2006, 4, 30), "genre": "editorial",
                     "page": "一版"})
    db.session.commit()
    text = draft(app, campaign, BEFORE)
    check_words(text)
    check_tense(app, campaign, BEFORE)
    assert text.split("\n") == [
        f"2006年4月25日至5月25日，我们将开展“{campaign.name}”活动。",
        ("4月24日，将欢送劳模赴京。"
        "4月25日，将召开宣传月新闻通气会，拟邀请中央和省级2家新闻媒体参加。"
        "4月30日，安徽日报将在一版刊发社论。"),
        "活动尚未开始，报道情况将在活动开展后统计。"]


def column_plan(make, db, title):
    campaign = make.campaign()
    paper = make.outlet(name="安徽工人日报")
    event = make.event(campaign, key="column", type="editorial_slot", title=title,
                       all_day=True, starts_at=beijing(date(2006, 4, 27), time(0)),
                       ends_at=beijing(date(2006, 5, 25), time(0)),
                       slot={"outlet": paper, "planned_on": date(2006, 4, 27), "genre": "column",
                             "page": "一版", "ends_on": date(2006, 5, 25), "expected": 2})
    db.session.commit()
    return campaign, event, paper


def test_column_only_plan_after_it_ran(app, make, db):
    """A plan of one column named in quotes: 开设了“劳模风采”专栏 (not “…“…””专栏)."""
    campaign, event, paper = column_plan(make, db, "一版专栏“劳模风采”")
    for day in (28, 30):
        add_match(event, make.article(paper, title=f"劳模风采{day}", page_number=1,
                                      published_at=beijing(date(2006, 4, day), time(6))),
                  make.user())
    db.session.commit()
    text = draft(app, campaign, AFTER)
    check_words(text)
    check_tense(app, campaign, AFTER)
    assert "安徽工人日报从4月27日开始在一版开设了“劳模风采”专栏，共刊发2期。" in text


def test_column_only_plan_before_it_runs(app, make, db):
    """The same plan before the campaign: 将…开设, 专栏 said once for a name ending in 专栏."""
    campaign, _event, _paper = column_plan(make, db, "安徽工人日报：劳模风采专栏")
    text = draft(app, campaign, BEFORE)
    check_words(text)
    check_tense(app, campaign, BEFORE)
    assert "安徽工人日报将从4月27日开始在一版开设“劳模风采专栏”。" in text
