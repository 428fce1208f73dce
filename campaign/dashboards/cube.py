"""The two scans a dashboard makes of its coverage, and every figure derived from them.

A campaign's accepted matches are read twice per page, not once per chart: grouped by (day,
outlet) and by (event, outlet). The groups are few (days x outlets, events x outlets) whatever
the number of articles, and the tiles, daily bars, top outlets, heatmap and plan chart are
sums over them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select

from campaign.dashboards.queries import Counts, OutletTotal, Scope, measures, pieces
from campaign.extensions import db
from campaign.planning.models import Outlet


@dataclass(frozen=True)
class Cell:
    """Pieces, page-one pieces and reprints of one outlet on one day."""

    day: int | None
    outlet_id: int
    tier: str
    pieces: int
    page_one: int
    reprints: int


def day_outlet_cells(scope: Scope) -> list[Cell]:
    """The scope's coverage per (day, outlet). An article has one day and one outlet, so
    counting distinct articles inside each cell counts an article accepted for two events
    once, and the cells add up to the campaign's figures."""
    p = pieces(scope)
    count, _, page_one, reprints = measures(p)
    query = (select(p.c.day, p.c.outlet_id, p.c.tier, count, page_one, reprints)
             .group_by(p.c.day, p.c.outlet_id, p.c.tier))
    return [Cell(*row) for row in db.session.execute(query)]


def tier_counts(cells: list[Cell]) -> dict[str, Counts]:
    """稿件数, 媒体家数, 头版 and 转载 per tier."""
    out: dict[str, Counts] = {}
    outlets: dict[str, set[int]] = defaultdict(set)
    for cell in cells:
        counts = out.setdefault(cell.tier, Counts())
        counts.pieces += cell.pieces
        counts.page_one += cell.page_one
        counts.reprints += cell.reprints
        outlets[cell.tier].add(cell.outlet_id)
    for tier, counts in out.items():
        counts.outlets = len(outlets[tier])
    return out


def daily(cells: list[Cell]) -> list[tuple[int, str, int]]:
    """(day, tier, pieces) for every day with coverage, in day order."""
    totals: dict[tuple[int, str], int] = defaultdict(int)
    for cell in cells:
        if cell.day is not None:
            totals[cell.day, cell.tier] += cell.pieces
    return [(day, tier, n) for (day, tier), n in sorted(totals.items())]


def top_outlets(cells: list[Cell], limit: int) -> list[OutletTotal]:
    """The outlets with the most pieces, most first (ties by name)."""
    totals: dict[int, int] = defaultdict(int)
    for cell in cells:
        totals[cell.outlet_id] += cell.pieces
    if not totals:
        return []
    names = dict(db.session.execute(
        select(Outlet.id, Outlet.name).where(Outlet.id.in_(list(totals)))).all())
    tiers = {cell.outlet_id: cell.tier for cell in cells}
    ranked = sorted(totals, key=lambda o: (-totals[o], names[o]))[:limit]
    return [OutletTotal(o, names[o], tiers[o], totals[o]) for o in ranked]


def event_outlet_counts(scope: Scope) -> dict[tuple[int, int], tuple[str, int]]:
    """(event, outlet) -> (the outlet's tier, pieces)."""
    p = pieces(scope)
    query = (select(p.c.event_id, p.c.outlet_id, p.c.tier, measures(p)[0])
             .group_by(p.c.event_id, p.c.outlet_id, p.c.tier))
    return {(e, o): (tier, n) for e, o, tier, n in db.session.execute(query)}


def event_tiers(counts: dict[tuple[int, int], tuple[str, int]]) -> dict[int, dict[str, Counts]]:
    """Per event and tier: pieces and reporting outlets."""
    out: dict[int, dict[str, Counts]] = {}
    for (event_id, _), (tier, n) in counts.items():
        tier_counts_ = out.setdefault(event_id, {}).setdefault(tier, Counts())
        tier_counts_.pieces += n
        tier_counts_.outlets += 1
    return out
