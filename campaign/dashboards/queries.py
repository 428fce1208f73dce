"""Coverage aggregated in SQL for the dashboards: accepted matches and manual clippings as one
row set of "pieces", grouped on the indexed integer day columns with joins to outlets.

Nothing here loads articles into Python: every function returns counts or a bounded list.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    Subquery,
    case,
    func,
    literal,
    null,
    select,
    union_all,
)

from campaign.articles.models import Article, day_from_number
from campaign.coverage.cells import clipping_day, is_reprint
from campaign.coverage.models import Clipping, Match
from campaign.dashboards.filters import DashboardFilters
from campaign.extensions import db
from campaign.planning.models import Campaign, Event, Outlet, event_invited_outlets


@dataclass
class Counts:
    """稿件数, 媒体家数, 头版, 转载 of one tier (or of all)."""

    pieces: int = 0
    outlets: int = 0
    page_one: int = 0
    reprints: int = 0

    def add(self, other: Counts) -> None:
        self.pieces += other.pieces
        self.outlets += other.outlets
        self.page_one += other.page_one
        self.reprints += other.reprints


@dataclass(frozen=True)
class Scope:
    """Whose coverage: a campaign's (all its events or one), seen through the filters."""

    campaign: Campaign
    filters: DashboardFilters
    event: Event | None = None

    def event_conditions(self) -> list[ColumnElement[bool]]:
        conditions: list[ColumnElement[bool]] = [Event.campaign_id == self.campaign.id]
        if self.event is not None:
            conditions.append(Event.id == self.event.id)
        elif self.filters.event_key:
            conditions.append(Event.key == self.filters.event_key)
        if self.filters.event_type:
            conditions.append(Event.type == self.filters.event_type)
        return conditions

    def outlet_conditions(self) -> list[ColumnElement[bool]]:
        conditions: list[ColumnElement[bool]] = []
        if self.filters.tier:
            conditions.append(Outlet.tier == self.filters.tier)
        if self.filters.outlet_id is not None:
            conditions.append(Outlet.id == self.filters.outlet_id)
        return conditions


def _match_conditions(scope: Scope, status: str) -> list[ColumnElement[bool]]:
    """Matches of this status for the scope's events, outlets and days."""
    first, last = scope.filters.day_range
    conditions = [Match.status == status, *scope.event_conditions(),
                  *scope.outlet_conditions()]
    if first is not None:
        conditions.append(Match.day >= first)
    if last is not None:
        conditions.append(Match.day <= last)
    return conditions


def _match_pieces(scope: Scope) -> Select[Any]:
    """Accepted matches of the scope's events, one row each (event, article)."""
    conditions = _match_conditions(scope, "accepted")
    reprint = is_reprint()
    query = (select(Match.article_id.label("article_id"), null().label("clipping_id"),
                    Match.event_id.label("event_id"), Match.day.label("day"),
                    Outlet.id.label("outlet_id"), Outlet.tier.label("tier"),
                    case((Article.page_number == 1, 1), else_=0).label("page_one"),
                    case((reprint, 1), else_=0).label("reprint"))
             .select_from(Match)
             .join(Event, Event.id == Match.event_id)
             .join(Article, Article.id == Match.article_id)
             .join(Outlet, Outlet.id == Article.outlet_id)
             .where(*conditions))
    return _only_kind(query, scope.filters.kind, Article.page_number == 1, reprint)


def _clipping_pieces(scope: Scope) -> Select[Any]:
    """Manual clippings of the scope's events (they are never reprints)."""
    conditions = [*scope.event_conditions(), *scope.outlet_conditions()]
    first, last = scope.filters.day_range
    if first is not None:
        conditions.append(Clipping.published_on >= day_from_number(first))
    if last is not None:
        conditions.append(Clipping.published_on <= day_from_number(last))
    query = (select(null().label("article_id"), Clipping.id.label("clipping_id"),
                    Clipping.event_id.label("event_id"), clipping_day().label("day"),
                    Outlet.id.label("outlet_id"), Outlet.tier.label("tier"),
                    case((Clipping.page_number == 1, 1), else_=0).label("page_one"),
                    literal(0).label("reprint"))
             .select_from(Clipping)
             .join(Event, Event.id == Clipping.event_id)
             .join(Outlet, Outlet.id == Clipping.outlet_id)
             .where(*conditions))
    return _only_kind(query, scope.filters.kind, Clipping.page_number == 1, literal(False))


def _only_kind(query: Select[Any], kind: str, page_one: Any, reprint: Any) -> Select[Any]:
    if kind == "page_one":
        return query.where(page_one)
    if kind == "reprint":
        return query.where(reprint)
    return query


def pending_counts(scope: Scope) -> Counts:
    """What waits for review in the scope (suggested matches, whatever the filters' kind): an
    article once however many events it is suggested for; outlets only those not reporting yet,
    so the figure says how many more the tile may gain."""
    scope = Scope(scope.campaign, replace(scope.filters, kind=""), scope.event)
    conditions = _match_conditions(scope, "suggested")
    waiting = (select(Article.id.label("article_id"), Outlet.id.label("outlet_id"),
                      case((Article.page_number == 1, 1), else_=0).label("page_one"),
                      case((is_reprint(), 1), else_=0).label("reprint"))
               .select_from(Match)
               .join(Event, Event.id == Match.event_id)
               .join(Article, Article.id == Match.article_id)
               .join(Outlet, Outlet.id == Article.outlet_id)
               .where(*conditions).distinct().subquery("waiting"))
    n, page_one, reprints = db.session.execute(select(
        func.count(), func.coalesce(func.sum(waiting.c.page_one), 0),
        func.coalesce(func.sum(waiting.c.reprint), 0)).select_from(waiting)).one()
    reporting = select(pieces(scope).c.outlet_id)
    outlets = db.session.scalar(select(func.count(waiting.c.outlet_id.distinct()))
                                .where(waiting.c.outlet_id.not_in(reporting))) or 0
    return Counts(int(n), int(outlets), int(page_one), int(reprints))


def pieces(scope: Scope) -> Subquery:
    """Every accepted piece of the scope: matched articles and clippings, as one row set."""
    return union_all(_match_pieces(scope), _clipping_pieces(scope)).subquery("pieces")


@dataclass
class OutletTotal:
    id: int
    name: str
    tier: str
    pieces: int


def invited_counts(campaign: Campaign) -> dict[int, int]:
    """How many outlets each event of the campaign invited."""
    query = (select(event_invited_outlets.c.event_id, func.count())
             .join(Event, Event.id == event_invited_outlets.c.event_id)
             .where(Event.campaign_id == campaign.id)
             .group_by(event_invited_outlets.c.event_id))
    return {row[0]: row[1] for row in db.session.execute(query)}


@dataclass
class PieceRow:
    """One line of a coverage list: a matched article or a manual clipping."""

    article_id: int | None
    day: int | None
    outlet: str
    tier: str
    page_number: int | None
    page: str
    genre: str
    title: str
    event_key: str
    event_title: str
    reprint: bool = False

    @property
    def date(self) -> datetime.date | None:
        return day_from_number(self.day) if self.day else None


@dataclass
class ReprintMember:
    article_id: int
    outlet: str
    tier: str
    day: int | None
    is_original: bool


@dataclass
class ReprintGroupReach:
    """A story and how far it spread: its original first, then the outlets that reprinted it."""

    group_id: int
    title: str
    members: list[ReprintMember] = field(default_factory=list)

    @property
    def original(self) -> ReprintMember | None:
        return next((m for m in self.members if m.is_original), None)

    @property
    def reprints(self) -> list[ReprintMember]:
        return [m for m in self.members if not m.is_original]

    @property
    def outlet_count(self) -> int:
        return len({m.outlet for m in self.members})

