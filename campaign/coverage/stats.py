"""What an event got: reporting outlets against invited ones, pieces, page-one pieces, reprints,
the target; and whether each editorial slot ran as planned. Counts are made in SQL."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from campaign.articles.models import Article, day_number
from campaign.coverage.cells import TOTAL_DAY, refresh_pending
from campaign.coverage.models import Clipping, CoverageCell, Match
from campaign.extensions import db
from campaign.planning.instalments import instalment_dates, period_end
from campaign.planning.models import EditorialSlot, Event, Outlet
from campaign.sources.models import Source

SLOT_STATES = ("fulfilled", "partial", "missed", "excused", "review", "due")


@dataclass
class EventStats:
    pieces: int = 0
    page_one: int = 0
    reprints: int = 0
    suggested: int = 0
    reporting: list[Outlet] = field(default_factory=list)
    # Invited, monitored (an enabled source) and silent: "did not report".
    invited_silent: list[Outlet] = field(default_factory=list)
    # Invited and silent but with no enabled source: "not monitored", not "did not report".
    invited_unmonitored: list[Outlet] = field(default_factory=list)
    uninvited_reporting: list[Outlet] = field(default_factory=list)
    target: int | None = None
    invited: int = 0

    @property
    def monitorable(self) -> int:
        """Invited outlets the tracker could see report: monitored, or reporting anyway."""
        return self.invited - len(self.invited_unmonitored)

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
    monitored = _monitored({o.id for o in invited})
    silent = [o for o in invited if o.id not in outlet_ids]
    return EventStats(
        pieces=sum(c.pieces for c in cells), page_one=sum(c.page_one for c in cells),
        reprints=sum(c.reprints for c in cells),
        suggested=suggested, reporting=reporting,
        invited_silent=[o for o in silent if o.id in monitored],
        invited_unmonitored=[o for o in silent if o.id not in monitored],
        uninvited_reporting=[o for o in reporting if o not in invited],
        target=event.target_outlets, invited=len(invited),
    )


def _monitored(outlet_ids: set[int]) -> set[int]:
    """The outlets among `outlet_ids` that have an enabled source."""
    if not outlet_ids:
        return set()
    return set(db.session.scalars(select(Source.outlet_id).where(
        Source.enabled, Source.outlet_id.in_(outlet_ids)).distinct()))


@dataclass
class SlotState:
    """One instalment of a slot (a single-day slot is one), or a slot known only by its period
    (`last_day` set), counted: `found` instalments ran of the `expected`."""

    slot: EditorialSlot
    state: str  # one of SLOT_STATES
    reasons: list[str] = field(default_factory=list)  # what differs, for "partial"
    article_ids: list[int] = field(default_factory=list)
    day: date | None = None  # the instalment's day (a period's first day); set by slot_states
    last_day: date | None = None  # the period's last day, for a slot known only by its period
    found: int = 0
    expected: int = 1
    note: str = ""  # the officer's note on an excused instalment

    @property
    def instalments_ran(self) -> int:
        """How many pieces this state stands for (a period counts every one it found)."""
        if self.last_day is not None:
            return self.found
        return 1 if self.state in ("fulfilled", "partial") else 0


def _genre_fits(slot_genre: str, text: str, genre: str) -> bool:
    text = f"{text} {genre}"
    if slot_genre == "editorial":
        return "社论" in text
    if slot_genre == "commentator":
        return "评论员" in text
    return True


def slot_states(event: Event, today: date) -> list[SlotState]:
    """Each instalment of each slot of an editorial-slot event: fulfilled, partial, missed,
    excused, review or due; a slot known only by its period is one state counting what ran."""
    return events_slot_states([event], today)


def events_slot_states(events: list[Event], today: date) -> list[SlotState]:
    """`slot_states` of each of `events` in turn, read with a fixed number of queries
    whatever the number of events and slots (the slots with their outlets and excuses, then
    what was matched and clipped at the slots' outlets)."""
    slots = _load_slots(events)
    found = _found_all(slots)
    states = []
    for slot in slots:
        days = instalment_dates(slot)
        if days is None:
            states.append(_period_state(slot, found[slot.id], today))
            continue
        # A single day keeps a day's grace either side; an instalment of a rhythm is its day.
        grace = 0 if slot.recurring else 1
        excuses = {e.day: e.note for e in slot.excuses}
        states += [_instalment_state(slot, day, found[slot.id], today, grace=grace,
                                     excuse=excuses.get(day))
                   for day in days]
    return states


def _load_slots(events: list[Event]) -> list[EditorialSlot]:
    """The slots of `events`, event by event in their relationship's order, with their outlets
    and excuses loaded (one query each, not one per slot)."""
    ids = [event.id for event in events]
    if not ids:
        return []
    db.session.execute(select(Event).where(Event.id.in_(ids)).options(
        selectinload(Event.slots).joinedload(EditorialSlot.outlet),
        selectinload(Event.slots).selectinload(EditorialSlot.excuses))).scalars().all()
    return [slot for event in events for slot in event.slots]


@dataclass
class _Found:
    """What was matched or clipped at the slot's outlet around its days."""

    accepted: list[_Candidate] = field(default_factory=list)
    suggested: list[tuple[int, int]] = field(default_factory=list)  # (article id, day number)


def _window(slot: EditorialSlot) -> tuple[date, date]:
    """The days searched for a slot's pieces: its planned days and a day either side."""
    return slot.planned_on - timedelta(days=1), period_end(slot) + timedelta(days=1)


def _found_all(slots: list[EditorialSlot]) -> dict[int, _Found]:
    """Per slot id, what was matched (accepted or suggested) and clipped at the slot's outlet
    for its event within its window: two queries for all the slots."""
    found = {slot.id: _Found() for slot in slots}
    if not slots:
        return found
    windows = {slot.id: _window(slot) for slot in slots}
    first, last = min(w[0] for w in windows.values()), max(w[1] for w in windows.values())
    by_key: dict[tuple[int, int], list[EditorialSlot]] = {}
    for slot in slots:
        by_key.setdefault((slot.event_id, slot.outlet_id), []).append(slot)
    events = sorted({slot.event_id for slot in slots})
    outlets = sorted({slot.outlet_id for slot in slots})
    rows = db.session.execute(
        select(Match.event_id, Article.outlet_id, Article.id, Article.day, Article.page_number,
               Article.title, Article.intro_title, Article.author, Article.genre, Match.status)
        .join(Match, Match.article_id == Article.id)
        .where(Match.event_id.in_(events), Article.outlet_id.in_(outlets),
               Article.day.between(day_number(first), day_number(last)),
               Match.status.in_(("accepted", "suggested")))).all()
    for r in rows:
        for slot in by_key.get((r.event_id, r.outlet_id), []):
            low, high = windows[slot.id]
            if not day_number(low) <= r.day <= day_number(high):
                continue
            if r.status == "accepted":
                found[slot.id].accepted.append(_Candidate(
                    r.day, r.page_number, f"{r.intro_title} {r.title} {r.author}", r.genre,
                    r.id))
            else:
                found[slot.id].suggested.append((r.id, r.day))
    clips = db.session.execute(
        select(Clipping.event_id, Clipping.outlet_id, Clipping.published_on,
               Clipping.page_number, Clipping.title, Clipping.genre)
        .where(Clipping.event_id.in_(events), Clipping.outlet_id.in_(outlets),
               Clipping.published_on.between(first, last))).all()
    for c in clips:
        for slot in by_key.get((c.event_id, c.outlet_id), []):
            low, high = windows[slot.id]
            if low <= c.published_on <= high:
                found[slot.id].accepted.append(_Candidate(
                    day_number(c.published_on), c.page_number, c.title, c.genre, None))
    return found


def _instalment_state(slot: EditorialSlot, day: date, found: _Found, today: date, *,
                      grace: int, excuse: str | None) -> SlotState:
    # Day numbers are yyyymmdd: the days either side are counted as dates.
    near = {day_number(day + timedelta(days=d)) for d in range(-grace, grace + 1)}
    best: SlotState | None = None
    for candidate in (c for c in found.accepted if c.day in near):
        reasons = _differences(slot, day, candidate)
        state = SlotState(slot, "partial" if reasons else "fulfilled", reasons,
                          [candidate.article_id] if candidate.article_id else [], day=day)
        if best is None or len(reasons) < len(best.reasons):
            best = state
    if best is not None:
        return best
    if excuse is not None:
        return SlotState(slot, "excused", day=day, note=excuse)
    waiting = [article_id for article_id, number in found.suggested if number in near]
    if waiting:
        return SlotState(slot, "review", article_ids=waiting, day=day)
    if today > day + timedelta(days=grace):
        return SlotState(slot, "missed", day=day)
    return SlotState(slot, "due", day=day)


def _period_state(slot: EditorialSlot, found: _Found, today: date) -> SlotState:
    """A period with no known days: every piece in it counts, fulfilled once the planned count
    ran; at its end, partial when fewer ran and missed when none did."""
    first, last = day_number(slot.planned_on), day_number(period_end(slot))
    ran = [c for c in found.accepted if first <= c.day <= last]
    expected = slot.expected or 1
    state = SlotState(slot, "due", article_ids=[c.article_id for c in ran if c.article_id],
                      day=slot.planned_on, last_day=period_end(slot), found=len(ran),
                      expected=expected)
    if len(ran) >= expected:
        state.state = "fulfilled"
    elif any(first <= number <= last for _id, number in found.suggested):
        state.state = "review"
    elif today > period_end(slot):
        state.state, state.reasons = ("partial", ["count"]) if ran else ("missed", [])
    return state


@dataclass(frozen=True)
class _Candidate:
    day: int
    page: int | None
    text: str  # 引题, title and author: where 社论 and 评论员 show
    genre: str
    article_id: int | None


def _differences(slot: EditorialSlot, day: date, candidate: _Candidate) -> list[str]:
    reasons = []
    if candidate.day != day_number(day):
        reasons.append("date")
    if slot.page_number is not None and candidate.page != slot.page_number:
        reasons.append("page")
    if not _genre_fits(slot.genre, candidate.text, candidate.genre):
        reasons.append("genre")
    return reasons
