"""The matching engine: windows, outlet restrictions, synonyms, slots, scores, explanations."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from campaign.coverage.engine import ArticleText, EventRule, Matcher, SlotRule, may_auto_accept
from campaign.coverage.profiles import PlanText, build_profiles
from campaign.coverage.query import parse

RALLY = EventRule(event_id=1, query=parse("动员大会 (五一 OR 建功十一五) -江苏"),
                  first_day=date(2006, 4, 27), last_day=date(2006, 5, 2),
                  event_day=date(2006, 4, 27), invited=frozenset({10}))
BRIEFING = EventRule(event_id=2, query=parse("宣传月 新闻通气会"),
                     first_day=date(2006, 4, 25), last_day=date(2006, 4, 28),
                     event_day=date(2006, 4, 25))


def article(title, body="", day=date(2006, 4, 28), outlet=10, page=None, genre="", aid=100):
    return ArticleText(article_id=aid, title=title, body=body, day=day, outlet_id=outlet,
                       page_number=page, genre=genre)


def test_match_with_explanation():
    """A report of the rally matches with the terms found in the title and body named."""
    results = Matcher([RALLY, BRIEFING]).match(article(
        "全省职工动员大会隆重召开", "为庆祝五一国际劳动节，省总工会……", page=1))
    assert [r.event_id for r in results] == [1]
    explanation = results[0].explanation
    assert explanation.title_terms == ["动员大会"]
    assert explanation.lead_terms == ["五一"]
    assert explanation.day_offset == 1 and explanation.invited and explanation.page_one
    assert 0 < results[0].score <= 1


def test_outside_window_does_not_match():
    """The same text a week after the window is not a match."""
    assert Matcher([RALLY]).match(article("动员大会", "五一", day=date(2006, 5, 10))) == []


def test_not_term_excludes_near_miss():
    """Another province's rally is excluded by the query's NOT term."""
    assert Matcher([RALLY]).match(article("江苏省总工会召开五一动员大会")) == []


def test_synonyms_widen_a_term():
    """With synonyms on, 新闻发布会 counts for 新闻通气会 (the query holds); with them off it
    does not, and an officer's own query (strict) then rules the article out."""
    text = article("宣传月新闻发布会在合肥举行", day=date(2006, 4, 25))
    found = Matcher([BRIEFING]).match(text)
    assert [r.event_id for r in found] == [2] and found[0].features["query"] == 1.0
    literal = replace(BRIEFING, event_id=3, use_synonyms=False)
    assert [r.features["query"] for r in Matcher([literal]).match(text)] == [0.0]
    assert Matcher([replace(literal, strict=True)]).match(text) == []


def test_outlet_restriction():
    """An event restricted to some outlets ignores the others."""
    only = EventRule(event_id=4, query=parse("社论"), first_day=date(2006, 4, 29),
                     last_day=date(2006, 5, 1), event_day=date(2006, 4, 30),
                     outlet_ids=frozenset({7}),
                     slots=(SlotRule(7, date(2006, 4, 30), "社论", 1),))
    matcher = Matcher([only])
    assert matcher.match(article("本报社论：向劳动者致敬", day=date(2006, 4, 30), outlet=8)) == []
    hit = matcher.match(article("本报社论：向劳动者致敬", day=date(2006, 4, 30), outlet=7,
                                page=1, genre="社论"))
    assert hit[0].explanation.slot == "match"
    partial = matcher.match(article("本报社论：向劳动者致敬", day=date(2006, 4, 30), outlet=7,
                                    page=2, genre="社论"))
    assert partial[0].explanation.slot == "outlet_day"
    assert partial[0].score < hit[0].score


def test_one_article_may_match_several_events():
    """An article reporting two events matches both."""
    results = Matcher([RALLY, BRIEFING]).match(article(
        "宣传月新闻通气会后召开五一动员大会", day=date(2006, 4, 27)))
    assert {r.event_id for r in results} == {1, 2}


def test_no_rules_no_matches():
    """A matcher without rules matches nothing (and does not fail)."""
    assert Matcher([]).match(article("动员大会")) == []


def test_body_only_mention_scores_below_a_lead_mention():
    """The same words deep in the body say less than in the lead: the lead's share of the
    event's profile weighs in on its own."""
    late_mention = article("本地新闻", "天气晴。" * 80 + "五一动员大会", page=1)
    lead_mention = article("本地新闻", "五一动员大会召开。", page=1)
    matcher = Matcher([RALLY])
    assert matcher.match(late_mention)[0].score < matcher.match(lead_mention)[0].score


def test_slot_piece_belongs_to_its_slot():
    """The planned editorial scores far higher for its slot than for an event it mentions only
    in its body."""
    editorial = EventRule(event_id=5, query=parse("社论 OR 致敬"), first_day=date(2006, 4, 29),
                          last_day=date(2006, 5, 1), event_day=date(2006, 4, 30),
                          slots=(SlotRule(10, date(2006, 4, 30), "社论", 1),))
    piece = article("向劳动者致敬", "本报社论 五一前夕，全省职工召开动员大会……",
                    day=date(2006, 4, 30), page=1, genre="社论")
    scores = {r.event_id: r.score for r in Matcher([RALLY, editorial]).match(piece)}
    assert scores[5] > scores.get(1, 0.0) + 0.3


def test_planned_piece_in_its_slot_may_be_accepted_though_it_names_another_province():
    """Where a piece ran says what it is: the planned commentary in its slot is not taken for
    another province's (neither in its features nor in its reasons) and may be accepted
    unreviewed though its headline names one; the same text on another page of that issue
    (only partly the slot) is placed elsewhere and not kept (probability 0)."""
    commentary = EventRule(event_id=6, query=parse("安全"), first_day=date(2006, 4, 29),
                           last_day=date(2006, 5, 1), event_day=date(2006, 4, 30),
                           invited=frozenset({10}),
                           slots=(SlotRule(10, date(2006, 4, 30), "评论员文章", 1),))
    profiles = build_profiles([PlanText(event_id=6, group=1, title="安全生产评论员文章",
                                        outlets=("安徽日报",))])
    matcher = Matcher([commentary], profiles=profiles)
    text = "江苏的教训值得记取", "本报评论员 安全生产是职工的生命线……"
    (in_slot,) = matcher.match(article(*text, day=date(2006, 4, 30), page=1, genre="评论员文章"))
    (elsewhere,) = matcher.match(article(*text, day=date(2006, 4, 30), page=3, genre="评论员文章"))
    assert in_slot.explanation.slot == "match" and not in_slot.explanation.elsewhere
    assert in_slot.features["elsewhere"] == 0.0
    assert may_auto_accept(in_slot.explanation)
    assert elsewhere.explanation.slot == "outlet_day" and elsewhere.explanation.elsewhere
    assert elsewhere.features["elsewhere"] == 1.0
    assert not may_auto_accept(elsewhere.explanation) and elsewhere.score == 0.0


def test_a_slot_piece_is_confirmed_by_its_genre_or_its_column_name():
    """In the slot's outlet, day and page, a piece is 'slot_named' when its genre is the
    planned one or its headline carries the column's name; one that is only placed there is
    not."""
    column = EventRule(event_id=7, query=parse("劳模风采"), first_day=date(2006, 4, 29),
                       last_day=date(2006, 5, 1), event_day=date(2006, 4, 30),
                       slots=(SlotRule(10, date(2006, 4, 30), "专栏", 1),))
    profiles = build_profiles([PlanText(event_id=7, group=1, title="一版专栏“劳模风采”")])
    matcher = Matcher([column], profiles=profiles)
    day = date(2006, 4, 30)
    (named,) = matcher.match(article("【劳模风采】焊花里的青春", "车间里……", day=day, page=1))
    (placed,) = matcher.match(article("焊花里的青春", "车间里……", day=day, page=1))
    assert named.explanation.slot == placed.explanation.slot == "match"
    assert (named.features["slot_named"], placed.features["slot_named"]) == (1.0, 0.0)
