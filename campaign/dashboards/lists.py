"""The bounded lists of the dashboards: pieces newest first, and how far stories spread.

Both read a bounded part of the coverage: the cells tell how many pieces each day has, so a
list of the newest `limit` pieces reads only the days that hold them; reprint reach starts from
the scope's grouped articles (`CoverageReprint`) and loads the members of ten groups.
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import func, select

from campaign.articles.models import Article, day_from_number
from campaign.coverage.cells import refresh_pending
from campaign.coverage.models import Clipping, CoverageReprint
from campaign.dashboards.cube import day_totals, filter_conditions, scope_events, total_pieces
from campaign.dashboards.queries import (
    PieceRow,
    ReprintGroupReach,
    ReprintMember,
    Scope,
    pieces,
)
from campaign.extensions import db
from campaign.planning.models import Event, Outlet
from campaign.reprints.models import ReprintGroup


def _newest_days(scope: Scope, limit: int) -> Scope:
    """The scope narrowed to its latest days that hold its newest `limit` pieces (a piece
    with no known date sorts last: while there are any, nothing is narrowed)."""
    held = 0
    for day, n in day_totals(scope):
        if day == 0:
            return scope
        held += n
        if held >= limit:
            start = day_from_number(day)
            first = scope.filters.date_from
            return replace(scope, filters=replace(
                scope.filters, date_from=max(first, start) if first else start))
    return scope


def piece_list(scope: Scope, limit: int, *, count: bool = True,
               offset: int = 0) -> tuple[list[PieceRow], int]:
    """The scope's pieces, newest first, at most `limit` of them after the first `offset`;
    and how many there are (0 unless `count`). An article accepted for two events is one row
    naming both."""
    total = total_pieces(scope) if count else 0
    p = pieces(_newest_days(scope, offset + limit))
    per_event = (select(p.c.article_id, p.c.clipping_id, p.c.day, p.c.outlet_id, p.c.reprint,
                        Event.key, Event.title)
                 .join(Event, Event.id == p.c.event_id)).subquery("per_event")
    one = (select(per_event.c.article_id, per_event.c.clipping_id, per_event.c.day,
                  per_event.c.outlet_id, per_event.c.reprint,
                  func.min(per_event.c.key).label("event_key"),
                  func.aggregate_strings(per_event.c.title, "、").label("event_title"))
           .group_by(per_event.c.article_id, per_event.c.clipping_id, per_event.c.day,
                     per_event.c.outlet_id, per_event.c.reprint)).subquery("one")
    query = (select(one, Outlet.name, Outlet.tier,
                    func.coalesce(Article.title, Clipping.title).label("title"),
                    func.coalesce(Article.page_number, Clipping.page_number).label("page_no"),
                    func.coalesce(Article.page_name, Clipping.page).label("page"),
                    func.coalesce(Article.genre, Clipping.genre).label("genre"))
             .join(Outlet, Outlet.id == one.c.outlet_id)
             .outerjoin(Article, Article.id == one.c.article_id)
             .outerjoin(Clipping, Clipping.id == one.c.clipping_id)
             .order_by(one.c.day.desc(), Outlet.name, one.c.article_id, one.c.clipping_id)
             .limit(limit).offset(offset))
    rows = [PieceRow(r.article_id, r.day, r.name, r.tier, r.page_no, r.page or "",
                     r.genre or "", r.title or "", r.event_key, r.event_title or "",
                     bool(r.reprint))
            for r in db.session.execute(query)]
    return rows, total


def reprint_reach(scope: Scope, limit: int, member_limit: int = 60) -> list[ReprintGroupReach]:
    """The reprint groups of the scope's accepted articles, widest first (at most `limit`),
    each with its members (at most `member_limit`): the original first, then by date."""
    refresh_pending(db.session())
    conditions = [CoverageReprint.campaign_id == scope.campaign.id,
                  CoverageReprint.event_id.in_([e.id for e in scope_events(scope)]),
                  *filter_conditions(scope, CoverageReprint.day, CoverageReprint.outlet_id)]
    touched = (select(CoverageReprint.group_id)
               .join(Outlet, Outlet.id == CoverageReprint.outlet_id)
               .where(*conditions).distinct()).subquery()
    widest = (select(ReprintGroup.id.label("group_id"), ReprintGroup.size.label("size"))
              .join(touched, touched.c.group_id == ReprintGroup.id)
              .order_by(ReprintGroup.size.desc(), ReprintGroup.id).limit(limit)).subquery()
    members = db.session.execute(
        select(Article.id, Article.reprint_group_id, Article.title, Article.day,
               Article.is_original, Outlet.name, Outlet.tier)
        .join(widest, widest.c.group_id == Article.reprint_group_id)
        .join(Outlet, Outlet.id == Article.outlet_id)
        .order_by(widest.c.size.desc(), Article.reprint_group_id,
                  Article.is_original.desc(), Article.day, Article.id)).all()
    groups: dict[int, ReprintGroupReach] = {}
    for row in members:
        group = groups.setdefault(row.reprint_group_id,
                                  ReprintGroupReach(row.reprint_group_id, row.title))
        if row.is_original:
            group.title = row.title
        if len(group.members) < member_limit:
            group.members.append(ReprintMember(row.id, row.name, row.tier, row.day,
                                               row.is_original))
    return list(groups.values())
