"""What a digest says: a campaign's coverage over one day (daily) or seven (weekly), read
from coverage, planning and sources. Nothing here writes; rendering is in `render`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from campaign.articles.models import Article, day_number
from campaign.coverage.models import Clipping, Match
from campaign.coverage.review import campaign_slot_alerts, suggested_count
from campaign.extensions import db
from campaign.planning.models import Campaign, Event, Outlet
from campaign.sources.models import Source

WEEKLY_AFTER_END = 4  # weekly digests for this many weeks after the campaign's last day
# Days a digest can be made for (a week either side stays within the calendar).
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(9999, 12, 1)


@dataclass(frozen=True)
class Piece:
    """One accepted piece of coverage (a matched article or a manual clipping)."""

    outlet: str
    title: str
    day: date
    page: str
    page_one: bool
    url: str = ""  # the article's address on its site ("" for a clipping)
    path: str = ""  # where it is in the app


@dataclass
class EventCoverage:
    """The new accepted pieces of one event."""

    title: str
    path: str
    pieces: list[Piece] = field(default_factory=list)


@dataclass(frozen=True)
class SlotLine:
    """A planned editorial slot: its event, outlet, page and day."""

    event: str
    outlet: str
    page: str
    day: date
    path: str


@dataclass
class Digest:
    """A campaign's digest for `day`: what was accepted on `first`..`last`, and what waits."""

    campaign: Campaign
    kind: str  # daily | weekly
    day: date
    first: date
    last: date
    events: list[EventCoverage] = field(default_factory=list)
    slots_due: list[SlotLine] = field(default_factory=list)
    slots_missed: list[SlotLine] = field(default_factory=list)
    silent: list[str] = field(default_factory=list)  # monitored invited outlets, nothing yet
    unmonitored: list[str] = field(default_factory=list)  # invited, no enabled source: 未监测
    queue: int = 0

    @property
    def pieces(self) -> list[Piece]:
        return [piece for event in self.events for piece in event.pieces]

    @property
    def page_one(self) -> list[Piece]:
        return [piece for piece in self.pieces if piece.page_one]

    @property
    def period(self) -> str:
        return digest_period(self.kind, self.day)


def digest_period(kind: str, day: date) -> str:
    """The sent-log's period key of the digest of `day`: the day, or the ISO week of a
    weekly digest."""
    if kind == "weekly":
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    return day.isoformat()


def digest_kind(campaign: Campaign, day: date) -> str | None:
    """Which digest goes out on `day`: daily from the day after the campaign starts to the
    day after it ends, then weekly (on the weekday after its end) for four weeks; else None."""
    if campaign.starts_on < day <= campaign.ends_on + timedelta(days=1):
        return "daily"
    after = (day - campaign.ends_on).days - 1
    if 0 < after <= 7 * WEEKLY_AFTER_END and after % 7 == 0:
        return "weekly"
    return None


def build_digest(campaign: Campaign, day: date, kind: str | None = None) -> Digest:
    """The digest sent on the morning of `day`: yesterday's accepted coverage (the last seven
    days for a weekly one), slots due today and tomorrow, slots missed, silent invited
    outlets, the review queue's size."""
    kind = kind or digest_kind(campaign, day) or "daily"
    first = day - timedelta(days=7 if kind == "weekly" else 1)
    digest = Digest(campaign, kind, day, first, day - timedelta(days=1))
    digest.events = _coverage(campaign, digest.first, digest.last)
    digest.slots_due, digest.slots_missed = _slots(campaign, day)
    digest.silent, digest.unmonitored = silent_so_far(campaign, day)
    digest.queue = suggested_count(campaign)
    return digest


def event_path(campaign: Campaign, event: Event) -> str:
    return f"/campaigns/{campaign.slug}/events/{event.key}"


def _coverage(campaign: Campaign, first: date, last: date) -> list[EventCoverage]:
    by_event: dict[int, EventCoverage] = {}
    events = {e.id: e for e in campaign.events}
    for event in campaign.events:
        by_event[event.id] = EventCoverage(event.title, event_path(campaign, event))
    matches = db.session.scalars(
        select(Match).join(Match.event).join(Match.article)
        .where(Event.campaign_id == campaign.id, Match.status == "accepted",
               Match.day.between(day_number(first), day_number(last)))
        .options(joinedload(Match.article).joinedload(Article.outlet))
        .order_by(Match.day, Article.published_at, Match.id))
    for match in matches:
        article = match.article
        by_event[match.event_id].pieces.append(Piece(
            article.outlet.name, article.title, _article_day(article, first),
            article.page_name or (f"{article.page_number}" if article.page_number else ""),
            article.page_number == 1, article.url, f"/articles/{article.id}"))
    clippings = db.session.scalars(
        select(Clipping).where(Clipping.event_id.in_(list(events)),
                               Clipping.published_on.between(first, last))
        .options(joinedload(Clipping.outlet)).order_by(Clipping.published_on, Clipping.id))
    for clip in clippings:
        by_event[clip.event_id].pieces.append(Piece(
            clip.outlet.name, clip.title, clip.published_on, clip.page,
            clip.page_number == 1, "", event_path(campaign, events[clip.event_id]) + "/coverage"))
    return [entry for entry in by_event.values() if entry.pieces]


def _article_day(article: Article, fallback: date) -> date:
    if article.day is None:
        return fallback
    value = article.day
    return date(value // 10000, value // 100 % 100, value % 100)


def _slots(campaign: Campaign, day: date) -> tuple[list[SlotLine], list[SlotLine]]:
    due: list[SlotLine] = []
    missed: list[SlotLine] = []
    for alert in campaign_slot_alerts(campaign, today=day, within=1):
        target = missed if alert.state == "missed" else due
        for slot, slot_day in zip(alert.slots, alert.days, strict=True):
            target.append(SlotLine(alert.event.title, slot.outlet.name, slot.page, slot_day,
                                   event_path(campaign, alert.event)))
    return due, missed


def silent_so_far(campaign: Campaign, day: date) -> tuple[list[str], list[str]]:
    """Invited outlets (of events begun before `day`) with no accepted piece yet: those with
    an enabled source (monitored), and those without one (listed as 未监测, not counted)."""
    invited: dict[int, Outlet] = {}
    for event in campaign.events:
        if event.status != "cancelled" and event.starts_at.date() < day:
            invited.update({o.id: o for o in event.invited_outlets})
    if not invited:
        return [], []
    event_ids = [e.id for e in campaign.events]
    covered = set(db.session.scalars(
        select(Article.outlet_id).join(Match, Match.article_id == Article.id)
        .where(Match.event_id.in_(event_ids), Match.status == "accepted"))) | set(
        db.session.scalars(select(Clipping.outlet_id).where(Clipping.event_id.in_(event_ids))))
    monitored = set(db.session.scalars(
        select(Source.outlet_id).where(Source.outlet_id.in_(list(invited)), Source.enabled)))
    quiet = sorted((o for o in invited.values() if o.id not in covered), key=lambda o: o.name)
    return ([o.name for o in quiet if o.id in monitored],
            [o.name for o in quiet if o.id not in monitored])
