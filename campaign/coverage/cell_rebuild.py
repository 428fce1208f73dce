"""`campaign-tracker coverage-cells` in short writes (issue 16.4: no write holds SQLite's
write lock for more than about a second). `cells.rebuild` recounts every campaign in one
transaction: on a big archive the scheduler and every officer waited behind it.

Here each campaign is recounted DAYS days at a time, each batch of days in a write of its own
(its day cells and reprint rows replaced, counted from the matches and clippings themselves),
then its totals OUTLETS outlets at a time; the days and outlets to do are read first, without
the write lock. A decision committed meanwhile recounts its own day in its own transaction,
from the same rows, so the cells end true either way; an interrupted run leaves every batch
it wrote true, and the next run (or the next commit of those days) does the rest.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from sqlalchemy import delete, func, select, union
from sqlalchemy.orm import Session

from campaign.core.chunks import chunks
from campaign.core.sqlite import briefly, reading
from campaign.coverage.cells import (
    PENDING,
    REFRESHING,
    TOTAL_DAY,
    clipping_day,
    recount_days,
    take_turn,
    total,
)
from campaign.coverage.models import Clipping, CoverageCell, CoverageReprint, Match
from campaign.extensions import db
from campaign.planning.models import Campaign, Event

DAYS = 31  # campaign days recounted per write
OUTLETS = 100  # outlets whose totals are summed per write


def rebuild_in_writes() -> int:
    """Recount the cells of every campaign from scratch, in short writes each committed (the
    cells of campaigns gone deleted first); how many writes it made."""
    writes = _write(_drop_orphans)
    with reading():
        campaign_ids = list(db.session.scalars(select(Campaign.id).order_by(Campaign.id)))
    for campaign_id in campaign_ids:
        writes += _rebuild_campaign(campaign_id)
    return writes


def _rebuild_campaign(campaign_id: int) -> int:
    writes = 0
    with reading():
        days = _days(campaign_id)
    for part in chunks(days, DAYS):
        writes += _write(partial(_recount_days, campaign_id, part), campaign_id)
    with reading():
        outlets = list(db.session.scalars(select(CoverageCell.outlet_id).where(
            CoverageCell.campaign_id == campaign_id).distinct().order_by(CoverageCell.outlet_id)))
    for group in chunks(outlets, OUTLETS):
        writes += _write(partial(_total, campaign_id, set(group)), campaign_id)
    return writes


def _recount_days(campaign_id: int, days: list[int], session: Session) -> None:
    recount_days(session, campaign_id, days)


def _total(campaign_id: int, outlets: set[int], session: Session) -> None:
    total(session, campaign_id, outlets)


def _write(change: Callable[[Session], object], campaign_id: int | None = None) -> int:
    """Run `change` on the session in a short write of its own (the campaign's turn taken on
    PostgreSQL, the session's own recounting off meanwhile) and commit; 1."""
    session = db.session()

    def counted() -> None:
        if campaign_id is not None:
            take_turn(session, campaign_id)
        session.info[REFRESHING] = True
        try:
            change(session)
        finally:
            session.info[REFRESHING] = False
        session.info.pop(PENDING, None)

    briefly(counted)
    db.session.commit()
    return 1


def _drop_orphans(session: Session) -> None:
    """Delete the cells and reprint rows of campaigns that are no longer there."""
    campaigns = select(Campaign.id)
    session.execute(delete(CoverageCell).where(CoverageCell.campaign_id.not_in(campaigns)))
    session.execute(delete(CoverageReprint).where(CoverageReprint.campaign_id.not_in(campaigns)))


def _days(campaign_id: int) -> list[int]:
    """Every day of the campaign that has cells, reprint rows, accepted matches or clippings
    (0: matches of no known day)."""
    of_campaign = select(Event.id).where(Event.campaign_id == campaign_id)
    queries = union(
        select(func.coalesce(Match.day, 0)).where(Match.event_id.in_(of_campaign),
                                                  Match.status == "accepted"),
        select(clipping_day()).where(Clipping.event_id.in_(of_campaign)),
        select(CoverageCell.day).where(CoverageCell.campaign_id == campaign_id,
                                       CoverageCell.day != TOTAL_DAY),
        select(CoverageReprint.day).where(CoverageReprint.campaign_id == campaign_id))
    return sorted(int(day) for day in db.session.scalars(queries))
