"""Outlets: the built-in starter directory and the writes that keep the list."""

from __future__ import annotations

import logging

from flask_babel import gettext as _
from sqlalchemy import select

from campaign.core.choices import KINDS, TIERS
from campaign.extensions import db
from campaign.planning.models import Outlet
from campaign.planning.rules import PlanningError
from scrapers.extract_text import strip_bidi

log = logging.getLogger(__name__)

# (name, tier, kind, region, aliases) — the outlets DOMAIN.md names: the main central media,
# the Anhui provincial media, and the 17 city party papers of 2006.
STARTER_DIRECTORY: list[tuple[str, str, str, str, tuple[str, ...]]] = [
    ("人民日报", "central", "newspaper", "全国", ("人民网",)),
    ("新华社", "central", "web", "全国", ("新华网", "新华通讯社")),
    ("工人日报", "central", "newspaper", "全国", ("中工网",)),
    ("中央电视台", "central", "tv", "全国", ("央视", "CCTV")),
    ("中央人民广播电台", "central", "radio", "全国", ("中国之声",)),
    ("光明日报", "central", "newspaper", "全国", ("光明网",)),
    ("经济日报", "central", "newspaper", "全国", ("中国经济网",)),
    ("安徽日报", "provincial", "newspaper", "安徽", ()),
    ("安徽工人日报", "provincial", "newspaper", "安徽", ()),
    ("新安晚报", "provincial", "newspaper", "安徽", ()),
    ("市场星报", "provincial", "newspaper", "安徽", ()),
    ("安徽电视台", "provincial", "tv", "安徽", ("安徽卫视",)),
    ("安徽人民广播电台", "provincial", "radio", "安徽", ("安徽电台",)),
    ("中安在线", "provincial", "web", "安徽", ("安徽新闻网",)),
    ("合肥日报", "municipal", "newspaper", "合肥", ()),
    ("芜湖日报", "municipal", "newspaper", "芜湖", ()),
    ("蚌埠日报", "municipal", "newspaper", "蚌埠", ()),
    ("淮南日报", "municipal", "newspaper", "淮南", ()),
    ("马鞍山日报", "municipal", "newspaper", "马鞍山", ()),
    ("淮北日报", "municipal", "newspaper", "淮北", ()),
    ("铜陵日报", "municipal", "newspaper", "铜陵", ()),
    ("安庆日报", "municipal", "newspaper", "安庆", ()),
    ("黄山日报", "municipal", "newspaper", "黄山", ()),
    ("滁州日报", "municipal", "newspaper", "滁州", ()),
    ("阜阳日报", "municipal", "newspaper", "阜阳", ()),
    ("宿州日报", "municipal", "newspaper", "宿州", ()),
    ("巢湖日报", "municipal", "newspaper", "巢湖", ()),
    ("六安日报", "municipal", "newspaper", "六安", ()),
    ("亳州晚报", "municipal", "newspaper", "亳州", ()),
    ("池州日报", "municipal", "newspaper", "池州", ()),
    ("宣城日报", "municipal", "newspaper", "宣城", ()),
]


def all_outlets() -> list[Outlet]:
    """Every outlet, central first, then by name."""
    order = {tier: i for i, tier in enumerate(TIERS)}
    outlets = db.session.scalars(select(Outlet)).all()
    return sorted(outlets, key=lambda o: (order.get(o.tier, 99), o.name))


def find_outlet(name: str) -> Outlet | None:
    """The outlet called `name`, by its name or one of its aliases."""
    name = name.strip()
    outlet = db.session.scalar(select(Outlet).where(Outlet.name == name))
    if outlet is not None:
        return outlet
    return next((o for o in db.session.scalars(select(Outlet)) if name in o.alias_list), None)


def save_outlet(
    outlet: Outlet | None, *, name: str, tier: str, kind: str, region: str = "",
    aliases: list[str] | None = None,
) -> Outlet:
    """Create an outlet (when `outlet` is None) or change one; bidi controls are dropped from
    its name and aliases (they would reverse the text around them wherever it is shown)."""
    name = strip_bidi(name).strip()
    aliases = [strip_bidi(alias) for alias in aliases or []]
    if not name:
        raise PlanningError("name", _("请填写媒体名称"))
    if tier not in TIERS:
        raise PlanningError("tier", _("未知的级别：%(tier)s", tier=tier))
    if kind not in KINDS:
        raise PlanningError("kind", _("未知的媒体类型：%(kind)s", kind=kind))
    other = db.session.scalar(select(Outlet).where(Outlet.name == name))
    if other is not None and other is not outlet:
        raise PlanningError("name", _("媒体 %(name)s 已存在", name=name))
    if outlet is None:
        outlet = Outlet()
        db.session.add(outlet)
    outlet.name, outlet.tier, outlet.kind, outlet.region = name, tier, kind, region.strip()
    outlet.aliases = [a.strip() for a in (aliases or []) if a.strip() and a.strip() != name]
    db.session.flush()
    return outlet


def load_starter_directory() -> int:
    """Add the outlets of the starter directory that are missing; return how many were added."""
    existing = set(db.session.scalars(select(Outlet.name)))
    added = 0
    for name, tier, kind, region, aliases in STARTER_DIRECTORY:
        if name in existing:
            continue
        db.session.add(Outlet(name=name, tier=tier, kind=kind, region=region,
                              aliases=list(aliases)))
        added += 1
    db.session.flush()
    log.info("starter directory: %d outlets added", added)
    return added
