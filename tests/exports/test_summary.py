"""The work-summary draft: sentences in the seed's style, checked against the numbers."""

from __future__ import annotations

from datetime import date

import pytest

from campaign.coverage.stats import EventStats
from campaign.exports.summary import (
    about,
    chinese_number,
    coverage_clause,
    outlets_phrase,
    summary_sentences,
    summary_text,
)
from campaign.planning.models import Outlet

TODAY = date(2006, 6, 1)


def texts(app, world):
    with app.test_request_context():
        return [s.text for s in summary_sentences(world.campaign, TODAY)]


def test_send_off_sentence(app, world):
    """8 in-province outlets, 9 pieces, 3 on page one — as the officer would write it."""
    assert texts(app, world)[0] == (
        "4月24日，欢送赴京受表彰先进集体和先进个人代表活动，省内8家新闻媒体作了报道"
        "（省级媒体4家、市级媒体4家），刊发稿件9篇，其中头版3篇。")


def test_briefing_sentence(app, world):
    """A briefing counts the invited and reporting outlets by tier, and how many invitees were
    monitorable (no outlet of this world has a source: only 新华社, which reported, counts)."""
    assert texts(app, world)[1] == (
        "4月25日，召开了有中央和省级6家新闻媒体参加的宣传月新闻通气会，中央1家新闻媒体作了报道，"
        "邀请的6家媒体中可监测1家，其中1家作了报道（安徽日报、安徽工人日报、新安晚报等5家媒体未纳入监测）。")


def test_slots_told_together(app, world):
    """Editorial and commentator article in one sentence; three features as 三个整版."""
    found = texts(app, world)
    assert "4月30日前后，安徽日报、安徽工人日报分别刊发了社论和评论员文章。" in found
    assert ("安徽日报分别在5月2日、3日、4日，以“劳模”、“奉献”、“民工”为主题，用三个整版集中宣传。"
            in found)


def test_sentences_in_date_order_and_totals(app, world):
    """The draft opens with the period, runs in date order and closes with the totals."""
    with app.test_request_context():
        text = summary_text(world.campaign, TODAY)
    opening, body, totals = text.split("\n")
    assert opening == "2006年4月25日至5月25日，我们开展了“2006年工人阶级和工会工作宣传月”活动。"
    days = ["4月24日", "4月25日", "4月30日", "5月2日"]
    assert [body.index(d) for d in days] == sorted(body.index(d) for d in days)
    assert totals == ("活动期间，共有9家新闻媒体（中央1家、省级4家、市级4家）刊发相关报道15篇，"
                      "其中头版5篇。")


def test_missed_slot_and_empty_event(app, world, make):
    """A slot that did not run is left out; an event without coverage says so."""
    make.event(world.campaign, key="rally", type="rally", title="庆祝五一动员大会",
               starts_at=world.events["send-off"].starts_at.replace(day=27))
    make.event(world.campaign, key="late", type="editorial_slot", title="新安晚报专栏",
               starts_at=world.events["send-off"].starts_at.replace(day=28),
               slot={"outlet": world.outlets["新安晚报"], "planned_on": date(2006, 4, 28),
                     "genre": "column", "page": "一版"})
    found = texts(app, world)
    assert "4月27日，召开了庆祝五一动员大会，暂未收集到媒体报道。" in found
    assert not any("新安晚报从" in t for t in found)


def test_cancelled_events_left_out(app, world, db):
    """A cancelled event is not in the draft."""
    world.events["briefing"].status = "cancelled"
    db.session.commit()
    assert not any("通气会" in t for t in texts(app, world))


@pytest.mark.parametrize(("count", "said"), [(1, "1"), (8, "8"), (10, "10"), (13, "10余"),
                                             (20, "20"), (27, "20余")])
def test_about(count, said):
    """Counts are rounded the way the seed does ("10余家")."""
    assert about(count) == said


def test_numbers_in_words():
    """两个整版, 三个整版, digits past ten."""
    assert [chinese_number(n) for n in (1, 2, 3, 10, 12)] == ["一", "两", "三", "十", "12"]


def test_phrases():
    """Outlets of several tiers are named by tier; in-province outlets as 省内."""
    central, provincial = Outlet(name="a", tier="central"), Outlet(name="b", tier="provincial")
    municipal = Outlet(name="c", tier="municipal")
    assert outlets_phrase([provincial, municipal]) == "省内2家新闻媒体"
    assert outlets_phrase([central, provincial] * 6) == "中央和省级10余家新闻媒体"
    stats = EventStats(pieces=2, page_one=0, reporting=[provincial, municipal])
    assert coverage_clause(stats) == "省内2家新闻媒体作了报道（省级媒体1家、市级媒体1家）"
    assert coverage_clause(EventStats()) == "暂未收集到媒体报道"
    mixed = EventStats(pieces=4, page_one=1, reporting=[central, provincial, municipal])
    assert coverage_clause(mixed) == (
        "3家新闻媒体作了报道（中央媒体1家、省级媒体1家、市级媒体1家），刊发稿件4篇，其中头版1篇")


def test_page_one_column(app, world, make, db):
    """A page-one column tells its first day, its page and how many days it ran."""
    from campaign.planning.models import EditorialSlot
    from tests.factories import beijing
    from tests.plugins.worlds import accept

    outlet = world.outlets["安徽工人日报"]
    column = make.event(world.campaign, key="column", type="editorial_slot",
                        title="安徽工人日报一版专栏：劳动者之歌",
                        starts_at=beijing(date(2006, 4, 21)),
                        slot={"outlet": outlet, "planned_on": date(2006, 4, 21),
                              "genre": "column", "page": "一版"})
    for day in (24, 26):
        db.session.add(EditorialSlot(event=column, outlet_id=outlet.id,
                                     planned_on=date(2006, 4, day), genre="column", page="一版"))
    db.session.commit()
    for day in (21, 24):  # the 26th did not run
        article = make.article(outlet, title=f"劳动者之歌（{day}）", page_number=1,
                               published_at=beijing(date(2006, 4, day)),
                               url=f"http://news.test/column/{day}")
        accept(db, column, article)
    found = texts(app, world)
    assert found[0] == "安徽工人日报从4月21日开始在一版开设了“劳动者之歌”专栏，共刊发2期。"


def test_totals_count_an_article_of_two_events_once(app, world, make):
    """An article accepted for a second event is still one piece in the closing totals (as on
    the dashboard), not two."""
    from campaign.coverage.matching import add_match

    def totals() -> str:
        with app.test_request_context():
            return summary_text(world.campaign, TODAY).split("\n")[-1]

    before = totals()
    article = next(iter(world.articles.values()))
    add_match(world.events["briefing"], article, make.user())
    make.db.session.commit()
    assert totals() == before
