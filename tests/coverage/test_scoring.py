"""The calibrated matcher's parts: one text normalisation, event profiles, scope, the model."""

from __future__ import annotations

import json
import re
from datetime import date, time
from pathlib import Path

from campaign.coverage.matching import (
    _texts,
    active_rules,
    decide,
    match_articles,
    matcher_for,
)
from campaign.coverage.models import Match
from campaign.coverage.profiles import PlanText, build_profiles
from campaign.coverage.scoring import (
    FEATURES,
    MODEL_FILE,
    article_grams,
    load_model,
    text_features,
)
from campaign.coverage.textnorm import fold
from tests.factories import beijing

README = Path(__file__).resolve().parents[2] / "README.md"


def test_fold_makes_one_text_of_quotes_widths_spaces_and_traditional_forms():
    """Quotation marks, full-width digits, spaces and traditional characters do not keep two
    writings of one name apart."""
    assert fold("庆祝“五一”大会") == fold("庆祝五一大会") == "庆祝五一大会"
    assert fold("２００７年 职工读书月") == fold("2007年职工读书月")
    assert fold("慶祝勞動節職工大會") == fold("庆祝劳动节职工大会")


def test_fold_converts_a_text_with_a_single_traditional_character():
    """Folding skips OpenCC for a text already simplified; one traditional character anywhere
    in a long simplified text is still enough to convert it (a reprint with one old form)."""
    simplified = "全省职工读书征文比赛在南昌举行。" * 50
    assert fold(simplified + "勞") == fold(simplified + "劳")
    assert fold("㑯" * 3) == fold("㑔" * 3)  # CJK extension A has traditional forms too


def test_a_bigram_every_event_shares_weighs_less_than_one_of_its_own():
    """Within a campaign, the campaign's own name (in every plan) weighs less in a profile than
    the words only one event uses."""
    plans = [PlanText(1, 1, "职工读书月新闻发布会", venue="二楼报告厅"),
             PlanText(2, 1, "职工读书月启动仪式", venue="滨江公园"),
             PlanText(3, 1, "职工读书月征文颁奖")]
    weights = build_profiles(plans)[1].weights
    assert weights["发布"] > weights["读书"] > 0
    assert weights["报告"] > 0  # the venue speaks for the event too


def test_accepted_coverage_adds_its_words_and_rejected_forms_a_counter_profile():
    """Accepted pieces teach the profile their words; rejected ones make a profile of their
    own, without the plan's words."""
    plain = build_profiles([PlanText(1, 1, "职工技能大赛决赛")])[1]
    taught = build_profiles([PlanText(1, 1, "职工技能大赛决赛", accepted=("焊工张明夺得冠军",),
                                      rejected=("厨艺大赛决赛在餐饮学校举行",))])[1]
    assert "焊工" not in plain.weights and taught.weights["焊工"] > 0
    assert "厨艺" in taught.rejected and "决赛" not in taught.rejected


def test_another_province_in_the_headline_is_marked_elsewhere():
    """With the campaign's outlets named after 安徽, a headline placing the event in 江苏 is
    'elsewhere'; one naming 安徽, or no province, is not; national bodies are 'national'."""
    profile = build_profiles([PlanText(1, 1, "职工动员大会", outlets=("安徽日报",))])[1]

    def scope(title: str) -> tuple[float, float]:
        features = text_features(article_grams(title, ""), profile)
        return features["elsewhere"], features["national"]

    assert scope("江苏省总工会召开职工动员大会") == (1.0, 0.0)
    assert scope("安徽省总工会召开职工动员大会") == (0.0, 0.0)
    assert scope("省总工会召开职工动员大会") == (0.0, 0.0)
    assert scope("全国总工会召开职工动员大会") == (0.0, 1.0)


def test_a_home_city_keeps_a_piece_naming_another_province_at_home():
    """With the outlets at home in 江西, a report from 南昌 about students leaving for 上海 is
    not 'elsewhere'; the same lead without a home city is."""
    profile = build_profiles([PlanText(1, 1, "助学送行", outlets=("江西日报",))])[1]

    def elsewhere(title: str, body: str) -> float:
        return text_features(article_grams(title, body), profile)["elsewhere"]

    assert elsewhere("工会为受助学子送行", "今天上午，南昌站广场上，即将去上海读书的学生") == 0.0
    assert elsewhere("工会为受助学子送行", "今天上午，即将去上海读书的学生在站前广场") == 1.0


def test_what_keeps_a_piece_naming_another_province_from_being_elsewhere():
    """A piece naming another province is not elsewhere when: the plan places the event
    there (a visit), the plan is national, a one-character name of home stands in the
    headline (闽宁协作), or the province only names a street (江西路)."""
    def elsewhere(headline: str, title: str = "慰问援疆女职工", venue: str = "") -> float:
        profile = build_profiles([PlanText(1, 1, title, venue=venue,
                                           outlets=("福建日报",))])[1]
        return text_features(article_grams(headline, ""), profile)["elsewhere"]

    assert elsewhere("省总工会赴新疆昌吉慰问女职工") == 1.0
    assert elsewhere("省总工会赴新疆昌吉慰问女职工", venue="新疆昌吉") == 0.0
    assert elsewhere("省总工会赴新疆昌吉慰问女职工", title="全国女职工慰问活动") == 0.0
    assert elsewhere("省总工会赴宁夏开展闽宁协作") == 0.0
    assert elsewhere("江西路社区举办女职工维权咨询") == 0.0


def test_outlets_named_after_a_city_tell_the_home_province():
    """A campaign whose outlets are named after cities (合肥日报) is at home in their province."""
    profile = build_profiles([PlanText(1, 1, "职工动员大会", outlets=("合肥日报", "某某网"))])[1]
    assert profile.home == frozenset({"安徽"})


def test_the_shipped_model_names_every_feature_and_orders_its_thresholds():
    """model.json weighs exactly the features the matcher computes, and suggest ≤ accept."""
    model = load_model()
    assert set(model.weights) == set(FEATURES)
    assert 0 < model.suggest_min <= model.auto_accept < 1
    assert model.probability(dict.fromkeys(FEATURES, 0.0)) < model.suggest_min


def test_readme_states_the_shipped_thresholds():
    """The README's defaults of COVERAGE_AUTO_ACCEPT and COVERAGE_SUGGEST_MIN are the ones in
    model.json (refitting the model means updating the README)."""
    data = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    text = README.read_text(encoding="utf-8")
    accept = re.search(r"`COVERAGE_AUTO_ACCEPT` \| [^|]*now ([0-9.]+)", text)
    suggest = re.search(r"`COVERAGE_SUGGEST_MIN` \| [^|]*now ([0-9.]+)", text)
    assert accept and float(accept.group(1)) == data["auto_accept"]
    assert suggest and float(suggest.group(1)) == data["suggest_min"]


def _quiz(make):
    campaign = make.campaign(slug="skills")
    outlet = make.outlet(name="江淮工人报")
    event = make.event(campaign, key="final", title="全省职工技能大赛决赛", type="other",
                       starts_at=beijing(date(2006, 5, 10), time(9)), keywords=["技能大赛"])
    event.invited_outlets = [outlet]
    make.db.session.commit()
    return event, outlet


def test_an_accepted_decision_raises_the_score_of_a_similar_piece(make, db, login):
    """Once an officer accepts a report naming the winner, a later piece about that winner,
    which never names the contest, scores higher than it did before the decision."""
    _event, outlet = _quiz(make)
    first = make.article(outlet, title="焊工张明夺得全省职工技能大赛决赛冠军",
                         published_at=beijing(date(2006, 5, 10)), body="全省职工技能大赛决赛结束。")
    later = make.article(outlet, title="冠军焊工张明回到车间",
                         published_at=beijing(date(2006, 5, 12)), body="焊工张明说，夺冠只是开始。")
    def score_of_later() -> float:
        matcher = matcher_for(active_rules())
        found = [r.score for r in matcher.match(_texts([later.id])[0])]
        return max(found, default=0.0)

    before = score_of_later()
    match_articles([first.id])
    match = db.session.scalar(db.select(Match).where(Match.article_id == first.id))
    decide(match, "accepted", login("officer"))
    assert score_of_later() > before
