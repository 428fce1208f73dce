"""Every figure of a dashboard, summed in SQL from the coverage cells of its scope.

The cells (`campaign.coverage.cells`) hold a campaign's accepted pieces per (scope, day,
outlet), counted ahead; a page reads a few hundred of them whatever the number of articles,
and every query here returns a handful of rows: per tier, per day and tier, the top outlets,
per event and tier, per event for a few outlets.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy import ColumnElement, false, func, select

from campaign.coverage.cells import TOTAL_DAY, refresh_pending
from campaign.coverage.models import CoverageCell
from campaign.dashboards.queries import Counts, OutletTotal, Scope
from campaign.extensions import db
from campaign.planning.models import Event, Outlet

Cell = CoverageCell


def scope_event(scope: Scope) -> Event | None:
    """The one event the scope is about, if any (the event page, or `?event=` of a list)."""
    if scope.event is not None:
        return scope.event
    if scope.filters.event_key:
        return scope.campaign.event_with_key(scope.filters.event_key)
    return None


def scope_events(scope: Scope) -> list[Event]:
    """The campaign's events in the scope (all, those of a type, or one)."""
    events = list(scope.campaign.events)
    if scope.event is not None or scope.filters.event_key:
        one = scope_event(scope)
        events = [one] if one is not None else []
    if scope.filters.event_type:
        events = [e for e in events if e.type == scope.filters.event_type]
    return events


def cell_conditions(scope: Scope, *, per_event: bool = False,
                    by_day: bool = False) -> list[ColumnElement[bool]]:
    """The cells of the scope, seen through its filters (day range, tier, outlet). With
    `per_event`, the cells of each event of the scope instead of the scope's own. Without a
    day range the totals over every day are read, unless `by_day` asks for the day cells (day
    0 holds pieces with no known date; a day range leaves them out)."""
    conditions: list[ColumnElement[bool]] = [Cell.campaign_id == scope.campaign.id]
    one = scope_event(scope)
    if scope.filters.event_key and one is None:
        return [false()]
    if per_event:
        conditions += [Cell.event_id.in_([e.id for e in scope_events(scope)]),
                       Cell.event_type == ""]
    elif one is not None:
        if scope.filters.event_type and one.type != scope.filters.event_type:
            return [false()]
        conditions += [Cell.event_id == one.id, Cell.event_type == ""]
    else:
        conditions += [Cell.event_id == 0, Cell.event_type == scope.filters.event_type]
    if scope.filters.day_range == (None, None):
        conditions.append(Cell.day >= 0 if by_day else Cell.day == TOTAL_DAY)
    else:
        conditions.append(Cell.day > 0)
    return conditions + filter_conditions(scope, Cell.day, Cell.outlet_id)


def filter_conditions(scope: Scope, day: Any, outlet_id: Any) -> list[ColumnElement[bool]]:
    """The scope's date range on `day`, and its tier and outlet on `outlet_id` (the query
    joins `Outlet`)."""
    conditions: list[ColumnElement[bool]] = []
    first, last = scope.filters.day_range
    if first is not None:
        conditions.append(day >= first)
    if last is not None:
        conditions.append(day <= last)
    if scope.filters.tier:
        conditions.append(Outlet.tier == scope.filters.tier)
    if scope.filters.outlet_id is not None:
        conditions.append(outlet_id == scope.filters.outlet_id)
    return conditions


def measure(kind: str) -> Any:
    """The cells' column counting the pieces of a kind ("" all, page one, reprints)."""
    return {"page_one": Cell.page_one, "reprint": Cell.reprints}.get(kind, Cell.pieces)


def _cells(scope: Scope, *columns: Any, per_event: bool = False, by_day: bool = False) -> Any:
    refresh_pending(db.session())  # this transaction's own writes count too
    n = measure(scope.filters.kind)
    conditions = cell_conditions(scope, per_event=per_event, by_day=by_day)
    return (select(*columns).select_from(Cell).join(Outlet, Outlet.id == Cell.outlet_id)
            .where(*conditions, n > 0))


def tier_counts(scope: Scope) -> dict[str, Counts]:
    """稿件数, 媒体家数, 头版 and 转载 per tier (of every kind of piece, whatever the filters'
    kind: the tiles show page-one pieces and reprints beside the total)."""
    scope = replace(scope, filters=replace(scope.filters, kind=""))
    query = _cells(scope, Outlet.tier, func.sum(Cell.pieces),
                   func.count(Cell.outlet_id.distinct()), func.sum(Cell.page_one),
                   func.sum(Cell.reprints)).group_by(Outlet.tier)
    return {tier: Counts(int(n), outlets, int(p), int(r))
            for tier, n, outlets, p, r in db.session.execute(query)}


def total_pieces(scope: Scope) -> int:
    """How many pieces (of the filters' kind) the scope has."""
    return int(db.session.scalar(_cells(scope, func.sum(measure(scope.filters.kind)))) or 0)


def daily(scope: Scope) -> list[tuple[int, str, int]]:
    """(day, tier, pieces) for every day with coverage, in day order."""
    query = (_cells(scope, Cell.day, Outlet.tier, func.sum(measure(scope.filters.kind)),
                    by_day=True)
             .where(Cell.day > 0).group_by(Cell.day, Outlet.tier)
             .order_by(Cell.day, Outlet.tier))
    return [(day, tier, int(n)) for day, tier, n in db.session.execute(query)]


def day_totals(scope: Scope) -> list[tuple[int, int]]:
    """(day, pieces), the latest day first (day 0, no known date, last)."""
    query = (_cells(scope, Cell.day, func.sum(measure(scope.filters.kind)), by_day=True)
             .group_by(Cell.day).order_by(Cell.day.desc()))
    return [(day, int(n)) for day, n in db.session.execute(query)]


def top_outlets(scope: Scope, limit: int) -> list[OutletTotal]:
    """The outlets with the most pieces, most first (ties by name)."""
    total = func.sum(measure(scope.filters.kind))
    query = (_cells(scope, Outlet.id, Outlet.name, Outlet.tier, total)
             .group_by(Outlet.id, Outlet.name, Outlet.tier)
             .order_by(total.desc(), Outlet.name).limit(limit))
    return [OutletTotal(o, name, tier, int(n)) for o, name, tier, n in db.session.execute(query)]


def event_tiers(scope: Scope) -> dict[int, dict[str, Counts]]:
    """Per event of the scope and tier: pieces and reporting outlets."""
    query = (_cells(scope, Cell.event_id, Outlet.tier, func.sum(measure(scope.filters.kind)),
                    func.count(Cell.outlet_id.distinct()), per_event=True)
             .group_by(Cell.event_id, Outlet.tier))
    out: dict[int, dict[str, Counts]] = {}
    for event_id, tier, n, outlets in db.session.execute(query):
        out.setdefault(event_id, {})[tier] = Counts(int(n), outlets)
    return out


def event_outlet_counts(scope: Scope, outlet_ids: list[int]) -> dict[tuple[int, int], int]:
    """(event, outlet) -> pieces, for these outlets and the events of the scope."""
    if not outlet_ids:
        return {}
    query = (_cells(scope, Cell.event_id, Cell.outlet_id, func.sum(measure(scope.filters.kind)),
                    per_event=True)
             .where(Cell.outlet_id.in_(outlet_ids)).group_by(Cell.event_id, Cell.outlet_id))
    return {(e, o): int(n) for e, o, n in db.session.execute(query)}


def has_cells(scope: Scope) -> bool:
    """True when the scope has at least one piece."""
    return db.session.execute(_cells(scope, Cell.day).limit(1)).first() is not None
