"""What each dashboard page shows, assembled from the aggregates (the views only render it)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache, partial
from typing import Any
from urllib.parse import quote_plus

from flask import url_for

from campaign.coverage.review import suggested_count
from campaign.coverage.stats import EventStats, SlotState, event_stats, slot_states
from campaign.dashboards import charts
from campaign.dashboards.cube import (
    daily,
    event_outlet_counts,
    event_tiers,
    has_cells,
    scope_event,
    tier_counts,
    top_outlets,
)
from campaign.dashboards.filters import DashboardFilters
from campaign.dashboards.lists import piece_list, reprint_reach
from campaign.dashboards.queries import (
    Counts,
    PieceRow,
    ReprintGroupReach,
    Scope,
    invited_counts,
    pending_counts,
)
from campaign.dashboards.summary import (
    Tile,
    campaign_tiles,
    coverage_tiles,
    events_in_scope,
    total_counts,
)
from campaign.planning.instalments import instalment_dates, period_end
from campaign.planning.models import Campaign, Event

HEATMAP_OUTLETS = 20
TOP_OUTLETS = 15
REPRINT_GROUPS = 10
PAGE_ONE_ROWS = 30
EVENT_PIECE_ROWS = 50  # the newest; "查看全部" opens the paged list


class PiecesLink:
    """Makes the URL of the drill-down list of the pieces behind a chart point: the page's
    filters, changed. (A chart has hundreds of points: the route is built once, and each
    value is quoted once.)"""

    def __init__(self, campaign: Campaign, filters: DashboardFilters, **fixed: str) -> None:
        self.base = url_for("dashboards.coverage_list", slug=campaign.slug)
        self.args = {**filters.to_args(), **fixed}

    def __call__(self, **changes: str) -> str:
        args = {**self.args, **{k: v for k, v in changes.items() if v}}
        if not args:
            return self.base
        return self.base + "?" + "&".join(f"{_quote(k)}={_quote(v)}"
                                          for k, v in sorted(args.items()))


@lru_cache(maxsize=4096)
def _quote(value: str) -> str:
    return quote_plus(value)


def event_link(campaign: Campaign, event: Event) -> str:
    return url_for("dashboards.event_dashboard", slug=campaign.slug, key=event.key)


def article_link(article_id: int) -> str:
    return url_for("sources.article_detail", article_id=article_id)


@dataclass
class CampaignDashboard:
    tiles: list[Tile]
    totals: Counts
    charts: dict[str, dict[str, Any]] = field(default_factory=dict)
    page_one: list[PieceRow] = field(default_factory=list)
    reprints: list[ReprintGroupReach] = field(default_factory=list)
    slots: list[SlotState] = field(default_factory=list)
    has_any_coverage: bool = False
    suggested: int = 0


def campaign_dashboard(campaign: Campaign, filters: DashboardFilters,
                       today: date) -> CampaignDashboard:
    """Tiles, charts, the page-one list and reprint reach of a campaign."""
    scope = Scope(campaign, filters)
    by_tier = tier_counts(scope)
    per_event = event_tiers(scope)
    tiles, states = campaign_tiles(scope, by_tier, per_event, today)
    page = CampaignDashboard(tiles, total_counts(by_tier), slots=states,
                             suggested=suggested_count(campaign))
    page.has_any_coverage = page.totals.pieces > 0 or has_cells(
        Scope(campaign, DashboardFilters()))
    if page.totals.pieces == 0:
        return page
    link = PiecesLink(campaign, filters)
    to_event = partial(event_link, campaign)
    events = [e for e in events_in_scope(campaign, filters) if e.status != "cancelled"]
    reporting = {event_id: total_counts(tiers).outlets for event_id, tiers in per_event.items()}
    heat_outlets = top_outlets(scope, HEATMAP_OUTLETS)
    heat = {(o, e): n for (e, o), n in event_outlet_counts(
        scope, [o.id for o in heat_outlets]).items()}
    page.reprints = reprint_reach(scope, REPRINT_GROUPS)
    page.page_one = piece_list(Scope(campaign, replace(filters, kind="page_one")),
                               PAGE_ONE_ROWS, count=False)[0]
    page.charts = {
        "daily": charts.daily_chart(daily(scope), events, link, to_event),
        "plan": charts.plan_chart(events, invited_counts(campaign), reporting, link, to_event),
        "heatmap": charts.heatmap_chart(heat_outlets, events, heat, link),
        "outlets": charts.top_outlets_chart(heat_outlets[:TOP_OUTLETS], link),
    }
    if page.reprints:
        page.charts["reprints"] = charts.reprint_chart(page.reprints, article_link)
    return page


@dataclass
class EventDashboard:
    tiles: list[Tile]
    totals: Counts
    stats: EventStats
    pieces: list[PieceRow]
    piece_total: int
    slots: list[SlotState]
    reprints: list[ReprintGroupReach]
    charts: dict[str, dict[str, Any]] = field(default_factory=dict)
    outside_days: int = 0
    multi_date: bool = False  # the days chart runs over the planned dates, not D-2…D+7


def planned_dates(event: Event) -> list[date]:
    """The dates an event's slots are planned on: each slot date and instalment (a period
    without fixed days counts its first and last day)."""
    days: set[date] = set()
    for slot in event.slots:
        found = instalment_dates(slot)
        days.update(found if found is not None else (slot.planned_on, period_end(slot)))
    return sorted(days)


def event_dashboard(campaign: Campaign, event: Event, filters: DashboardFilters,
                    today: date) -> EventDashboard:
    """Tiles, coverage list, days around the event, invited against reporting, reprint groups
    and editorial slots of one event."""
    scope = Scope(campaign, filters, event)
    by_tier = tier_counts(scope)
    stats = event_stats(event)
    rows, total = piece_list(scope, EVENT_PIECE_ROWS)
    page = EventDashboard(coverage_tiles(by_tier, pending_counts(scope)), total_counts(by_tier),
                          stats, rows, total,
                          slot_states(event, today), reprint_reach(scope, REPRINT_GROUPS))
    link = PiecesLink(campaign, filters, event=event.key)
    invited_reporting = len(stats.reporting) - len(stats.uninvited_reporting)
    page.charts["invited"] = charts.invited_chart(
        len(event.invited_outlets), invited_reporting, len(stats.uninvited_reporting),
        event.target_outlets, link())
    planned = planned_dates(event)
    if page.totals.pieces and len(planned) > 1:
        page.charts["days"], page.outside_days = charts.dated_day_chart(
            daily(scope), planned, link)
        page.multi_date = True
    elif page.totals.pieces:
        page.charts["days"], page.outside_days = charts.relative_day_chart(
            daily(scope), event.start_date, link)
    if page.reprints:
        page.charts["reprints"] = charts.reprint_chart(page.reprints, article_link)
    return page


def coverage_page(campaign: Campaign, filters: DashboardFilters, limit: int,
                  page: int = 1) -> tuple[list[PieceRow], int, Event | None]:
    """One page of the pieces behind a chart point (the drill-down list), how many there
    are in all, and the event they are about."""
    event = scope_event(Scope(campaign, filters))
    rows, total = piece_list(Scope(campaign, filters, event), limit,
                             offset=(max(page, 1) - 1) * limit)
    return rows, total, event
