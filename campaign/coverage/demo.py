"""The demo campaign's coverage rules, as the department's officers wrote them."""

from __future__ import annotations

from sqlalchemy import select

from campaign.coverage.models import CoverageRule
from campaign.extensions import db
from campaign.planning.models import Campaign

# event key -> (query, days before, days after); None keeps the type's default window.
DEMO_RULES: dict[str, tuple[str, int | None, int | None]] = {
    "notice": ("宣传月 (部署 OR 意见 OR 筹备 OR 开展)", 0, 3),
    "send-off": ("(赴京 OR 欢送) 表彰 (我省 OR 安徽 OR 我市) -去年", 1, 3),
    "press-briefing": ("宣传月 (新闻通气会 OR 启动)", 0, 3),
    "rally": ('(动员大会 OR "当好主力军" OR 建功十一五) -江苏 -远程教育', 1, 5),
    "editorial-ahrb": ("社论 (劳动者 OR 五一)", 1, 1),
    "commentary-ahgrb": ("评论员 (劳动者 OR 五一 OR 主力军)", 1, 1),
    "column-model-workers": ("劳模风采 OR 劳动模范 OR 劳动奖章", 0, 0),
    "feature-laomo": ("劳模 OR 劳动模范", 0, 1),
    "feature-fengxian": ("奉献 OR 重点工程 OR 工地", 0, 1),
    "feature-mingong": ("农民工 OR 进城务工", 0, 1),
    "hotline-broadcast": ('"政风行风热线" OR 热线直播', 2, 2),
}


def load_demo_rules(campaign: Campaign) -> int:
    """Give the demo's events their coverage rules (only where an event has none yet)."""
    events = {e.key: e for e in campaign.events}
    existing = set(db.session.scalars(select(CoverageRule.event_id).where(
        CoverageRule.event_id.in_([e.id for e in events.values()]))))
    added = 0
    for key, (query, before, after) in DEMO_RULES.items():
        event = events.get(key)
        if event is None or event.id in existing:
            continue
        db.session.add(CoverageRule(event_id=event.id, query=query, days_before=before,
                                    days_after=after, use_synonyms=True))
        added += 1
    db.session.flush()
    return added
