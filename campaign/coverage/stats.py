"""What an event got: reporting outlets against invited ones, pieces, page-one pieces, reprints,
the target; and whether each editorial slot ran as planned. Counts are made in SQL."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, select

from campaign.articles.models import Article, day_number
from campaign.coverage.cells import TOTAL_DAY, refresh_pending
from campaign.coverage.models import Clipping, CoverageCell, Match
from campaign.extensions import db
from campaign.planning.models import EditorialSlot, Event, Outlet

SLOT_STATES = ("fulfilled", "partial", "missed", "review", "due")


@dataclass
class EventStats:
    pieces: int = 0
    page_one: int = 0
    reprints: int = 0
    suggested: int = 0
    reporting: list[Outlet] = field(default_factory=list)
    invited_silent: list[Outlet] = field(default_factory=list)
    uninvited_reporting: list[Outlet] = field(default_factory=list)
    target: int | None = None

    @property
    def target_met(self) -> bool | None:
        return None if self.target is None else len(self.reporting) >= self.target


def event_stats(event: Event) -> EventStats:
    """Accepted coverage of an event (matched articles and manual clippings), summed from
    its coverage cells."""
    refresh_pending(db.session())
    # The event's total over every day: one cell per reporting outlet.
    cells = db.session.execute(
        select(Outlet, CoverageCell.pieces, CoverageCell.page_one, CoverageCell.reprints)
        .join(Outlet, Outlet.id == CoverageCell.outlet_id)
        .where(CoverageCell.campaign_id == event.campaign_id,
               CoverageCell.event_id == event.id, CoverageCell.event_type == "",
               CoverageCell.day == TOTAL_DAY)
        .order_by(Outlet.name)).all()
    reporting = [cell[0] for cell in cells]
    outlet_ids = {o.id for o in reporting}
    suggested = db.session.scalar(select(func.count()).select_from(Match).where(
        Match.event_id == event.id, Match.status == "suggested")) or 0
    invited = list(event.invited_outlets)
    return EventStats(
        pieces=sum(c.pieces for c in cells), page_one=sum(c.page_one for c in cells),
        reprints=sum(c.reprints for c in cells),
        suggested=suggested, reporting=reporting,
        invited_silent=[o for o in invited if o.id not in outlet_ids],
        uninvited_reporting=[o for o in reporting if o not in invited],
        target=event.target_outlets,
    )


@dataclass
class SlotState:
    slot: EditorialSlot
    state: str  # one of SLOT_STATES
    reasons: list[str] = field(default_factory=list)  # what differs, for "partial"
    article_ids: list[int] = field(default_factory=list)


def _genre_fits(slot_genre: str, text: str, genre: str) -> bool:
    text = f"{text} {genre}"
    if slot_genre == "editorial":
        return "社论" in text
    if slot_genre == "commentator":
        return "评论员" in text
    return True


def slot_states(event: Event, today: date) -> list[SlotState]:
    """Each slot of an editorial-slot event: fulfilled, partial, missed, review or due."""
    return [_slot_state(event, slot, today) for slot in event.slots]


def _slot_state(event: Event, slot: EditorialSlot, today: date) -> SlotState:
    near = [day_number(slot.planned_on + timedelta(days=d)) for d in (-1, 0, 1)]
    rows = db.session.execute(
        select(Article.id, Article.day, Article.page_number, Article.title, Article.intro_title,
               Article.author, Article.genre, Match.status)
        .join(Match, Match.article_id == Article.id)
        .where(Match.event_id == event.id, Article.outlet_id == slot.outlet_id,
               Article.day.in_(near), Match.status.in_(("accepted", "suggested")))).all()
    clips = db.session.scalars(select(Clipping).where(
        Clipping.event_id == event.id, Clipping.outlet_id == slot.outlet_id,
        Clipping.published_on.between(slot.planned_on - timedelta(days=1),
                                      slot.planned_on + timedelta(days=1)))).all()
    candidates = [_Candidate(r.day, r.page_number, f"{r.intro_title} {r.title} {r.author}",
                             r.genre, r.id) for r in rows if r.status == "accepted"]
    candidates += [_Candidate(day_number(c.published_on), c.page_number, c.title, c.genre, None)
                   for c in clips]
    best: SlotState | None = None
    for candidate in candidates:
        reasons = _differences(slot, candidate)
        state = SlotState(slot, "partial" if reasons else "fulfilled", reasons,
                          [candidate.article_id] if candidate.article_id else [])
        if best is None or len(reasons) < len(best.reasons):
            best = state
    if best is not None:
        return best
    if any(r.status == "suggested" for r in rows):
        return SlotState(slot, "review", article_ids=[r.id for r in rows])
    if today > slot.planned_on + timedelta(days=1):
        return SlotState(slot, "missed")
    return SlotState(slot, "due")


@dataclass(frozen=True)
class _Candidate:
    day: int
    page: int | None
    text: str  # 引题, title and author: where 社论 and 评论员 show
    genre: str
    article_id: int | None


def _differences(slot: EditorialSlot, candidate: _Candidate) -> list[str]:
    reasons = []
    if candidate.day != day_number(slot.planned_on):
        reasons.append("date")
    if slot.page_number is not None and candidate.page != slot.page_number:
        reasons.append("page")
    if not _genre_fits(slot.genre, candidate.text, candidate.genre):
        reasons.append("genre")
    return reasons
