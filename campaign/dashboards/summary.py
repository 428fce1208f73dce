"""The KPI tiles of a dashboard, in the officers' own terms, each broken down by tier."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l

from campaign.core.choices import TIERS
from campaign.coverage.stats import SlotState, events_slot_states
from campaign.dashboards.filters import KPI_TIERS, DashboardFilters
from campaign.dashboards.queries import Counts, Scope, pending_counts
from campaign.planning.models import Campaign, Event


@dataclass
class TierValue:
    tier: str
    label: str
    value: str


@dataclass
class Tile:
    """One KPI: its name, its figure, and the same figure per tier."""

    key: str
    label: str
    value: str
    tiers: list[TierValue] = field(default_factory=list)
    link_args: dict[str, str] = field(default_factory=dict)
    pending: int = 0  # 待审核: how many more suggested matches could add, once reviewed


def _tier_values(values: dict[str, str]) -> list[TierValue]:
    return [TierValue(t, str(TIERS[t]), values.get(t, "0")) for t in KPI_TIERS]


def total_counts(by_tier: dict[str, Counts]) -> Counts:
    """The tiers added up (each piece and each outlet belongs to exactly one tier)."""
    total = Counts()
    for counts in by_tier.values():
        total.add(counts)
    return total


def events_in_scope(campaign: Campaign, filters: DashboardFilters) -> list[Event]:
    """The campaign's events the filters let through (type, date range)."""
    events = list(campaign.events)
    if filters.event_type:
        events = [e for e in events if e.type == filters.event_type]
    if filters.date_from:
        events = [e for e in events if e.end_date >= filters.date_from]
    if filters.date_to:
        events = [e for e in events if e.start_date <= filters.date_to]
    return events


def is_held(event: Event, today: date) -> bool:
    """Held: marked so, or over (and not cancelled)."""
    return event.status == "held" or (event.status != "cancelled" and event.end_date < today)


def coverage_tiles(by_tier: dict[str, Counts], pending: Counts | None = None) -> list[Tile]:
    """稿件数, 媒体家数, 头版 and 转载, each with its tiers, and what waits for review."""
    total = total_counts(by_tier)
    waiting = pending or Counts()
    specs = [("pieces", _l("稿件数"), {}), ("outlets", _l("媒体家数"), {}),
             ("page_one", _l("头版"), {"kind": "page_one"}),
             ("reprints", _l("转载"), {"kind": "reprint"})]
    return [Tile(key, str(label), str(getattr(total, key)),
                 _tier_values({t: str(getattr(c, key)) for t, c in by_tier.items()}), args,
                 pending=getattr(waiting, key))
            for key, label, args in specs]


def events_tile(per_event: dict[int, dict[str, Counts]], events: list[Event],
                today: date) -> Tile:
    """Held events with coverage, out of held events; per tier: held events that tier covered.
    `per_event` is `cube.event_tiers` of the scope."""
    held = {e.id for e in events if is_held(e, today)}
    covered = {event_id for event_id in per_event if event_id in held}
    per_tier = {t: sum(1 for event_id in covered if t in per_event[event_id])
                for t in KPI_TIERS}
    return Tile("events", str(_l("有报道的活动")), f"{len(covered)} / {len(held)}",
                _tier_values({t: f"{n} / {len(held)}" for t, n in per_tier.items()}))


def scoped_slot_states(events: list[Event], filters: DashboardFilters,
                       today: date) -> list[SlotState]:
    """The state of every editorial slot of `events` that the filters let through."""
    states = events_slot_states(events, today)
    if filters.tier:
        states = [s for s in states if s.slot.outlet.tier == filters.tier]
    if filters.outlet_id is not None:
        states = [s for s in states if s.slot.outlet_id == filters.outlet_id]
    if filters.date_from:
        states = [s for s in states if (s.last_day or s.day or s.slot.planned_on)
                  >= filters.date_from]
    if filters.date_to:
        states = [s for s in states if (s.day or s.slot.planned_on) <= filters.date_to]
    return states


def slots_tile(states: list[SlotState]) -> Tile:
    """Editorial slots that ran as planned, out of those planned (an instalment the paper
    skipped with the officer's note is not planned any more); per tier of the slot's outlet."""
    def fraction(selected: list[SlotState]) -> str:
        planned = [s for s in selected if s.state != "excused"]
        done = sum(1 for s in planned if s.state == "fulfilled")
        return f"{done} / {len(planned)}"

    per_tier = {t: fraction([s for s in states if s.slot.outlet.tier == t]) for t in KPI_TIERS}
    return Tile("slots", str(_l("版面落实")), fraction(states), _tier_values(per_tier))


def campaign_tiles(scope: Scope, by_tier: dict[str, Counts],
                   per_event: dict[int, dict[str, Counts]],
                   today: date) -> tuple[list[Tile], list[SlotState]]:
    """Every tile of the campaign dashboard, and the slot states behind the last one.
    `by_tier` and `per_event` are the scope's counts per tier and per event and tier."""
    events = events_in_scope(scope.campaign, scope.filters)
    states = scoped_slot_states(events, scope.filters, today)
    tiles = [*coverage_tiles(by_tier, pending_counts(scope)),
             events_tile(per_event, events, today),
             slots_tile(states)]
    return tiles, states
