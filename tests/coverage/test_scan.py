"""The engine's one scan: features read from the automaton's hits are `text_features` exactly."""

from __future__ import annotations

from datetime import date

from campaign.coverage.engine import ArticleText, EventRule, Matcher
from campaign.coverage.profiles import PlanText, build_profiles
from campaign.coverage.query import parse
from campaign.coverage.scoring import article_grams, text_features

DAY = date(2011, 5, 1)
TEXT_FEATURES = ("title_cover", "title_prec", "lead_cover", "body_cover", "kw_title", "kw_body",
                 "rejected", "head_name", "head_venue", "other_body", "elsewhere",
                 "national")


def rule(query: str, event_id: int = 1) -> EventRule:
    return EventRule(event_id=event_id, query=parse(query), first_day=DAY, last_day=DAY,
                     event_day=DAY, use_synonyms=False)


def article(title: str, body: str) -> ArticleText:
    return ArticleText(article_id=1, title=title, body=body, day=DAY, outlet_id=1)


def test_features_from_the_scan_are_text_features_to_the_last_bit():
    """For a plan profile with accepted and rejected pieces, larger than a short body and
    smaller than a long one, with a keyword across the headline's end, every textual feature
    the matcher reads from its scan equals `scoring.text_features` of the same texts."""
    profiles = build_profiles([PlanText(
        1, 1, "全省职工技能大赛决赛", keywords=("技能大赛", "焊工"), venue="合肥体育馆",
        description="来自全省各地的焊工、电工同台竞技。" * 3,
        accepted=("焊工张明夺得冠军",), rejected=("厨艺大赛决赛在餐饮学校举行",),
        outlets=("安徽日报",))])
    matcher = Matcher([rule("技能大赛 OR 焊工")], profiles=profiles)
    bodies = ("大赛", "焊工张明夺冠。" + "参赛选手来自十六个市，比赛分理论和实操两部分。" * 20)
    for body in bodies:
        text = article("江苏职工技能", body)  # 技能 | 大赛 meet across the headline's end
        [result] = matcher.match(text)
        expected = text_features(article_grams(text.title, text.body), profiles[1])
        expected.pop("announces")  # (read with the day: `ahead`)
        assert {name: result.features[name] for name in TEXT_FEATURES} == expected


def test_no_term_is_found_astride_two_characters():
    """The scan reads UTF-16: 你丁 holds the two bytes of ŏ astride its characters, and a query
    for ŏ does not find it there."""
    assert Matcher([rule("ŏ")]).match(article("你丁", "你丁你丁")) == []
    assert [r.event_id for r in Matcher([rule("ŏ")]).match(article("ŏ", ""))] == [1]


def test_characters_outside_the_bmp_keep_headline_and_lead_apart():
    """Characters that take two UTF-16 units do not shift where the headline ends or where
    the lead does: a term starting at the lead's 200th character is in the lead, one starting
    just after it in the body, one in the headline there."""
    matcher = Matcher([rule("职工 OR 工会")])
    [last] = matcher.match(article("𠮷职工", "𠀀" * 199 + "工会"))
    [after] = matcher.match(article("𠮷职工", "𠀀" * 200 + "工会"))
    assert last.explanation.title_terms == after.explanation.title_terms == ["职工"]
    assert last.explanation.lead_terms == ["工会"] and last.explanation.body_terms == []
    assert after.explanation.body_terms == ["工会"] and after.explanation.lead_terms == []
