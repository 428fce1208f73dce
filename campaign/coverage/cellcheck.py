"""The coverage cells checked: counted again row by row in Python, independently of the SQL
count of `campaign.coverage.cells`, and read as stored (for checks and tests)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from campaign.articles.models import Article
from campaign.coverage.cells import TOTAL_DAY, cell_day
from campaign.coverage.models import Clipping, CoverageCell, Match
from campaign.planning.models import Event


@dataclass
class _Cell:
    articles: set[int] = field(default_factory=set)
    page_one: set[int] = field(default_factory=set)
    reprints: set[int] = field(default_factory=set)
    clippings: int = 0
    clippings_page_one: int = 0


def _count_in_python(session: Session, campaign_id: int
                     ) -> dict[tuple[int, str, int, int], _Cell]:
    """The campaign's cells counted row by row in Python: the independent check of the SQL
    count (`live_cells`)."""
    cells: dict[tuple[int, str, int, int], _Cell] = defaultdict(_Cell)
    matches = session.execute(
        select(Match.event_id, Event.type, Match.article_id, Match.day, Article.outlet_id,
               Article.page_number, Article.reprint_group_id, Article.is_original)
        .join(Event, Event.id == Match.event_id)
        .join(Article, Article.id == Match.article_id)
        .where(Event.campaign_id == campaign_id, Match.status == "accepted"))
    for event_id, event_type, article_id, match_day, outlet_id, page, group, original in matches:
        for key in _scope_keys(event_id, event_type, cell_day(match_day), outlet_id):
            cell = cells[key]
            cell.articles.add(article_id)
            if page == 1:
                cell.page_one.add(article_id)
            if group is not None and not original:
                cell.reprints.add(article_id)
    clippings = session.execute(
        select(Clipping.event_id, Event.type, Clipping.published_on, Clipping.outlet_id,
               Clipping.page_number)
        .join(Event, Event.id == Clipping.event_id).where(Event.campaign_id == campaign_id))
    for event_id, event_type, published_on, outlet_id, page in clippings:
        for key in _scope_keys(event_id, event_type, cell_day(published_on), outlet_id):
            cells[key].clippings += 1
            cells[key].clippings_page_one += page == 1
    return cells


def _scope_keys(event_id: int, event_type: str, day: int, outlet_id: int
                ) -> tuple[tuple[int, str, int, int], ...]:
    """The cells a piece counts in: every event's, its type's and its event's."""
    return ((0, "", day, outlet_id), (0, event_type, day, outlet_id),
            (event_id, "", day, outlet_id))


def live_cells(session: Session, campaign_id: int) -> dict[tuple[int, str, int, int],
                                                           tuple[int, int, int]]:
    """The campaign's cells as they should be, counted now from matches and clippings (for
    checks and tests): (event, type, day, outlet) -> (pieces, page one, reprints)."""
    cells = _count_in_python(session, campaign_id)
    out = {key: (len(c.articles) + c.clippings, len(c.page_one) + c.clippings_page_one,
                 len(c.reprints)) for key, c in cells.items()}
    totals: dict[tuple[int, str, int, int], tuple[int, int, int]] = {}
    for (e, t, _, o), (n, p, r) in out.items():
        before = totals.get((e, t, TOTAL_DAY, o), (0, 0, 0))
        totals[e, t, TOTAL_DAY, o] = (before[0] + n, before[1] + p, before[2] + r)
    return out | totals


def stored_cells(session: Session, campaign_id: int) -> dict[tuple[int, str, int, int],
                                                             tuple[int, int, int]]:
    """The campaign's cells as stored."""
    rows = session.execute(select(
        CoverageCell.event_id, CoverageCell.event_type, CoverageCell.day,
        CoverageCell.outlet_id, CoverageCell.pieces, CoverageCell.page_one,
        CoverageCell.reprints).where(CoverageCell.campaign_id == campaign_id))
    return {(e, t, d, o): (n, p, r) for e, t, d, o, n, p, r in rows}
