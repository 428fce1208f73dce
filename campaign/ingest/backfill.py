"""A long e-paper walk written a few days at a time, a long list or feed a few items at a time
(issue 16.4: no write holds SQLite's write lock for more than about a second). `fetch --source
ID --since D --until D` over months walks thousands of stories; written in one transaction
with their matching, they held the lock for many seconds, and the scheduler and every officer
waited.

The walk's items are cut, in the order walked, into parts of at most PART_ITEMS (`split_days`).
Each part but the last is written in a transaction of its own (`record_part`): its articles
stored, their reprints grouped, `after_store` (matching) run over them, and the days whose
every item is now stored remembered as walked. The last part is written with the run itself
(the FetchRun, the source's state, the claim released). So an interrupted backfill leaves
whole days stored and remembered, and the next one walks only the days left; a day's walk is
remembered only once all its items are stored.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date

from campaign.articles.media import remember_page_images
from campaign.articles.store import Delivery, store_many
from campaign.core.times import utcnow
from campaign.extensions import db
from campaign.ingest.collected import AfterStore, Collected
from campaign.ingest.epaper_days import remember_days, remember_unread_days
from campaign.reprints.linking import group_reprints
from campaign.sources.models import Source

log = logging.getLogger(__name__)

# Items per write. The scheduler writes at most 40 articles at once (`write_phase`), measured
# to hold the lock about half a second with matching on a busy machine; a part is the same.
PART_ITEMS = 40


@dataclass(frozen=True)
class Stored:
    """What storing a run's articles did: new, updated, duplicate, and the articles' ids."""

    new: int = 0
    updated: int = 0
    duplicate: int = 0
    article_ids: tuple[int, ...] = ()

    def plus(self, other: Stored) -> Stored:
        return Stored(self.new + other.new, self.updated + other.updated,
                      self.duplicate + other.duplicate, self.article_ids + other.article_ids)


@dataclass
class Parts:
    """The parts cut off a walk to be written first, and what they wrote (`earlier`) and
    any failure of their matching, for the run's record."""

    waiting: list[Collected] = field(default_factory=list)
    earlier: Stored = field(default_factory=Stored)
    error: str | None = None


def split_days(collected: Collected) -> Parts:
    """Cut `collected` (more than PART_ITEMS items) into parts of at most PART_ITEMS items in
    the order walked: all but the last are returned, the last is left in `collected`. For an
    e-paper walk, a day goes with the part being filled once its last item is placed (so
    with the next part when that item filled one): it is remembered only once all its items
    are stored. A list's or feed's items have no days to remember (`split_items`)."""
    if len(collected.items) <= PART_ITEMS:
        return Parts()
    if not collected.day_spans:
        return split_items(collected)
    if len(collected.day_spans) < 2:
        return Parts()
    parts, current, position = [], _part(collected), 0
    for day, count in collected.day_spans:
        items = collected.items[position:position + count]
        position += count
        while items:
            room = PART_ITEMS - len(current.items)
            current.items.extend(items[:room])
            items = items[room:]
            if len(current.items) == PART_ITEMS:
                parts.append(current)
                current = _part(collected)
        _carry_day(collected, current, day)
    current.items.extend(collected.items[position:])  # (none: every item has its day)
    _keep_last(collected, current)
    return Parts(waiting=parts)


def split_items(collected: Collected) -> Parts:
    """A list's or feed's items (a list paged back with `--since`) in parts of PART_ITEMS, in
    their order, the last left in `collected`. Nothing else of the run is remembered before
    its own write (the feed's validators, the list's state), so an interrupted run leaves its
    first parts stored and the next one reads the source again, storing the rest."""
    items = collected.items
    cut = (len(items) - 1) // PART_ITEMS * PART_ITEMS
    parts = [_part(collected) for _start in range(0, cut, PART_ITEMS)]
    for number, part in enumerate(parts):
        part.items = items[number * PART_ITEMS:(number + 1) * PART_ITEMS]
    collected.items = items[cut:]
    return Parts(waiting=parts)


def _part(collected: Collected) -> Collected:
    return Collected(signatures=collected.signatures)


def _carry_day(collected: Collected, part: Collected, day: date) -> None:
    if day in collected.days_walked:
        part.days_walked[day] = collected.days_walked[day]
    if day in collected.days_unread:
        part.days_unread[day] = collected.days_unread[day]


def _keep_last(collected: Collected, last: Collected) -> None:
    """Leave only the last part's items and days in `collected` (walked days outside every
    span stay too)."""
    spanned = {day for day, _count in collected.day_spans}
    collected.items = last.items
    collected.days_walked = {**{d: n for d, n in collected.days_walked.items()
                                if d not in spanned}, **last.days_walked}
    collected.days_unread = {**{d: n for d, n in collected.days_unread.items()
                                if d not in spanned}, **last.days_unread}
    collected.day_spans = []


def give_back(collected: Collected, parts: list[Collected]) -> None:
    """Put parts that could not be written back in front of `collected`, to be written with
    the run (where a failure is recorded as the run's)."""
    for part in reversed(parts):
        collected.items = part.items + collected.items
        collected.days_walked = {**part.days_walked, **collected.days_walked}
        collected.days_unread = {**part.days_unread, **collected.days_unread}


def record_part(source: Source, part: Collected, after_store: AfterStore | None
                ) -> tuple[Stored, str | None]:
    """Write one part: store its articles, group their reprints, run `after_store` over them
    (in a savepoint: a failure leaves them stored, and is returned), remember its days;
    flush (the caller commits)."""
    result = store_many([Delivery(source.outlet_id, source.id, part.items,
                                  part.signatures)])[0]
    stored = Stored(result.new, result.updated, result.duplicate, tuple(result.article_ids))
    remember_page_images(part.items)
    if stored.new or stored.updated:
        group_reprints(list(stored.article_ids))
    now = utcnow()
    remember_days(source, part.days_walked, now)
    remember_unread_days(source, part.days_unread, now)
    db.session.flush()
    error = None
    if after_store and stored.article_ids:
        try:
            with db.session.begin_nested():
                after_store(list(stored.article_ids))
        except Exception as exc:  # matching belongs to another feature: storing stands
            log.exception("source %s: after_store failed on a part", source.id)
            error = f"after_store: {type(exc).__name__}: {exc}"
    return stored, error
