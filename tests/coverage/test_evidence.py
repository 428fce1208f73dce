"""The evidence features that tell an event's coverage from a look-alike: who acted (another
body than the union), what the headline names (the event's title, its venue), a preview before
the day, and which of two resembling events is nearest in days."""

from __future__ import annotations

from datetime import date, timedelta

from campaign.coverage.engine import ArticleText, EventRule, Matcher, SlotRule
from campaign.coverage.organs import organs_in
from campaign.coverage.profiles import PlanText, build_profiles
from campaign.coverage.query import parse
from campaign.coverage.scoring import article_grams, text_features
from campaign.coverage.textnorm import fold

BRIEFING = PlanText(1, 1, "职工读书月新闻发布会", keywords=("新闻发布会",),
                    venue="市总工会二楼报告厅", outlets=("安徽日报",))
LAUNCH = PlanText(2, 1, "全省职工职工读书月启动仪式", keywords=("启动仪式",), venue="滨江公园",
                  outlets=("安徽日报",))


def features(title: str, body: str = "", plans: tuple[PlanText, ...] = (BRIEFING, LAUNCH),
             event: int = 1) -> dict[str, float]:
    profile = build_profiles(list(plans))[event]
    return text_features(article_grams(title, body), profile)


def test_a_body_is_known_by_its_short_name_at_every_level():
    """省人力资源和社会保障厅 and 市人社局 are the same body (人社); the women's federation and the
    Youth League by any of their names; common words ending in 局 are no body."""
    assert organs_in(fold("省人力资源和社会保障厅")) == organs_in(fold("市人社局")) == {"人社"}
    assert organs_in(fold("省妇女联合会与团省委")) == {"妇联", "共青团"}
    assert organs_in(fold("地税部门")) == {"税务"}
    assert organs_in(fold("市场格局与全局观念")) == frozenset()


def test_another_bodys_briefing_is_marked_other_body():
    """A headline and lead naming the human-resources department and no union is another
    body's activity; the same with 省总工会 named is not."""
    head = "今天上午，省人社厅发布春季招聘安排"
    assert features("省人社厅召开新闻发布会", head)["other_body"] == 1.0
    assert features("新闻发布会召开", "省总工会和省人社厅今天联合发布")["other_body"] == 0.0


def test_a_body_the_plan_names_is_the_campaigns_own():
    """When the plan names a co-organiser (省文旅厅), a piece naming it is not 'other body'."""
    plan = PlanText(1, 1, "职工读书月活动新闻发布会", description="省总工会、省文旅厅联合召开",
                    outlets=("安徽日报",))
    assert features("省文旅厅召开新闻发布会", plans=(plan,))["other_body"] == 0.0
    assert features("省文旅厅召开新闻发布会")["other_body"] == 1.0


def test_a_headline_naming_the_events_title_and_venue():
    """A headline carrying the launch's own words (启动, 滨江公园) names the launch more than one
    carrying only the campaign's name; the venue counts for the launch, not the briefing."""
    named = features("职工读书月活动在滨江公园启动", event=2)
    assert named["head_name"] > features("职工读书月活动举行", event=2)["head_name"]
    assert named["head_venue"] > 0
    assert features("职工读书月活动在滨江公园启动", event=1)["head_venue"] == 0


def rule(event_id: int, day: date) -> EventRule:
    return EventRule(event_id=event_id, query=parse("职工读书月"), first_day=date(2007, 5, 20),
                     last_day=date(2007, 6, 20), event_day=day)


def match(title: str, body: str, day: date) -> dict[int, dict[str, float]]:
    rules = [rule(1, date(2007, 5, 29)), rule(2, date(2007, 6, 1))]
    plans = [PlanText(1, 1, "职工读书月活动部署"), PlanText(2, 1, "职工读书月活动开展")]
    matcher = Matcher(rules, profiles=build_profiles(plans))
    found = matcher.match(ArticleText(1, title, body, day, outlet_id=5))
    return {r.event_id: r.features for r in found}


def test_of_two_events_a_piece_resembles_alike_the_nearest_in_days_is_marked():
    """A piece naming only the campaign, printed the day after the second event, is 'nearest'
    to that one, not to the first of three days before."""
    found = match("职工读书月活动", "职工读书月活动", date(2007, 6, 2))
    assert found[2]["nearest"] == 1.0 and found[1]["nearest"] == 0.0


def test_a_preview_before_the_day_is_marked_ahead():
    """A piece printed before the event that says 明天 announces it ('ahead'); the same words
    after the event, or a piece before it without them, do not."""
    assert match("明天职工读书月活动开展", "", date(2007, 5, 31))[2]["ahead"] == 1.0
    assert match("职工读书月活动开展", "", date(2007, 5, 31))[2]["ahead"] == 0.0
    assert match("明天职工读书月活动开展", "", date(2007, 6, 2))[2]["ahead"] == 0.0


def test_the_planned_piece_of_a_slot_is_marked_for_the_other_events():
    """A commentary in its planned slot (outlet, day, page) is 'other_slot' for the launch it
    resembles, never for its own slot's event."""
    day = date(2007, 6, 2)
    commentary = EventRule(event_id=1, query=parse("评论员"), first_day=day, last_day=day,
                           event_day=day, slots=(SlotRule(7, day, "评论员文章", 1),))
    launch = rule(2, date(2007, 6, 1))
    found = {r.event_id: r.features for r in Matcher([commentary, launch]).match(
        ArticleText(1, "让职工读书月活动深入人心", "本报评论员", day, outlet_id=7, page_number=1,
                    genre="评论员文章"))}
    assert found[1]["slot_place"] == 1.0 and found[1]["other_slot"] == 0.0
    assert found[2]["other_slot"] == 1.0


def test_another_body_or_a_nearer_event_goes_to_review():
    """A pair that names another body and no union, or that another resembling event is
    nearer in days, is never accepted unreviewed, whatever its probability."""
    from campaign.coverage.engine import Explanation, may_auto_accept

    assert may_auto_accept(Explanation(invited=True, involved=True))
    assert not may_auto_accept(Explanation(invited=True, involved=True, other_body=True))
    assert not may_auto_accept(Explanation(invited=True, involved=True, nearer_other=True))
    found = match("职工读书月活动", "职工读书月活动", date(2007, 6, 2))
    assert found[1]["nearest"] == 0.0  # (the first event, three days before: nearer_other)


def test_a_pair_too_weak_to_contend_is_not_nearer_another():
    """A piece printed on the second event's own day that resembles the first (eight days
    before) far more: the first is the nearest contender; the second pair, too weak to
    contend, is not marked nearer_other (it is only weak)."""
    day = date(2007, 6, 9)
    rules = [rule(1, day - timedelta(days=8)), rule(2, day)]
    plans = [PlanText(1, 1, "职工读书月职工读书征文颁奖举行", keywords=("征文颁奖",)),
             PlanText(2, 1, "职工读书月职工书屋图书捐赠")]
    found = {r.event_id: r for r in Matcher(rules, profiles=build_profiles(plans)).match(
        ArticleText(1, "职工读书月职工读书征文颁奖举行", "职工读书月职工读书征文颁奖", day, 5))}
    assert found[1].features["nearest"] == 1.0 and not found[1].explanation.nearer_other
    assert found[2].features["nearest"] == 0.0 and not found[2].explanation.nearer_other


def test_the_venue_is_named_only_when_most_of_it_is_there():
    """A headline sharing only 工会 with a venue (市总工会二楼报告厅) does not name the venue in
    words; one naming the hall does."""
    day = date(2007, 6, 1)
    plans = [PlanText(1, 1, "职工读书月活动启动仪式", venue="市总工会二楼报告厅"),
             PlanText(2, 1, "职工读书月征文颁奖", venue="市总工会大院")]
    matcher = Matcher([rule(1, day), rule(2, date(2007, 6, 10))], profiles=build_profiles(plans))

    def venue(title: str) -> bool:
        found = {r.event_id: r for r in matcher.match(ArticleText(1, title, "", day, 5))}
        return found[1].explanation.venue

    assert not venue("市总工会开展职工读书月活动启动仪式")
    assert venue("职工读书月活动启动仪式在市总工会二楼报告厅举行")
