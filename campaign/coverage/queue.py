"""The review queue in pages: a campaign's suggested matches in story order, cut into pages
that never split a story block.

The whole queue is read once as plain rows (ids, outlet, day, headline, the report a story
suggestion follows) so that blocks are the same whichever page is shown; only the rows of the
page asked for are loaded as objects. A page holds up to `size` rows; a block that would cross
the boundary starts the next page instead (a block larger than a page is a page of its own).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from campaign.articles.models import Article, day_from_number
from campaign.core.chunks import chunks
from campaign.coverage.models import Match
from campaign.coverage.stories import clusters, story_text
from campaign.coverage.story_matches import plan_common
from campaign.extensions import db
from campaign.planning.models import Campaign, Event

PAGE_SIZES = (20, 50, 100, 200)
DEFAULT_PAGE_SIZE = 50
LOAD_CHUNK = 500
# One event's suggestions whose story groups a web process remembers (the latest used): the
# whole queue is read again for each page and by each officer, but clustered once per change.
STORY_MEMORY = 64


@dataclass(frozen=True, slots=True)
class QueueRow:
    """One suggested match as the queue orders and groups it, without loading it."""

    match_id: int
    event_id: int
    article_id: int
    outlet_id: int
    day: date | None
    headline: str
    story_of: int | None


@dataclass
class StoryBlock:
    """Suggestions of one event that tell one story: decided together in the queue. `follows`
    is the accepted report they were suggested after, when they were."""

    event: Event
    matches: list[Match]
    follows: Article | None = None


@dataclass(frozen=True, slots=True)
class Unit:
    """Rows shown together: a story block (`block`), or one lone suggestion."""

    match_ids: tuple[int, ...]
    block: bool
    follows: int | None = None


@dataclass
class QueuePage:
    """One page of the queue: its matches in story order, its blocks keyed by the id of each
    block's first match, and where it stands among the pages."""

    matches: list[Match]
    blocks: dict[int, StoryBlock]
    page: int
    pages: int
    size: int
    total: int


def queue_rows(campaign: Campaign, event: Event | None = None) -> list[QueueRow]:
    """The campaign's suggested matches (of one event when given), oldest article first."""
    query = (select(Match.id, Match.event_id, Match.article_id, Article.outlet_id, Article.day,
                    Article.intro_title, Article.title, Article.subtitle, Match.explanation)
             .join(Match.event).join(Match.article)
             .where(Event.campaign_id == campaign.id, Match.status == "suggested")
             .order_by(Match.day.asc().nulls_last(), Article.published_at, Match.id))
    if event is not None:
        query = query.where(Match.event_id == event.id)
    rows = []
    for row in db.session.execute(query):
        seed = (row[8] or {}).get("story_of")
        rows.append(QueueRow(row[0], row[1], row[2], row[3],
                             day_from_number(row[4]) if row[4] else None,
                             " ".join(p for p in row[5:8] if p),
                             int(seed) if seed else None))
    return rows


def story_units(rows: list[QueueRow]) -> list[Unit]:
    """The queue as units in story order: the suggestions that follow one accepted report form
    a block, and so do suggestions of one event whose reports tell one story; each unit stands
    where its first row stood, lone suggestions are units of one."""
    keyed: dict[tuple[int, int], list[QueueRow]] = {}
    rest: dict[int, list[QueueRow]] = {}
    for row in rows:
        if row.story_of is not None:
            keyed.setdefault((row.event_id, row.story_of), []).append(row)
        else:
            rest.setdefault(row.event_id, []).append(row)
    grouped: list[Unit] = [Unit(tuple(r.match_id for r in found), True, seed)
                           for (_event, seed), found in keyed.items()]
    common = plan_common(rest) if any(len(found) > 1 for found in rest.values()) \
        else frozenset()
    for found in rest.values():
        if len(found) < 2:
            continue
        by_article = {r.article_id: r.match_id for r in found}
        grouped.extend(Unit(tuple(by_article[i] for i in group), True)
                       for group in event_stories(tuple(found), common))
    return _in_queue_order(rows, grouped)


@lru_cache(maxsize=STORY_MEMORY)
def event_stories(found: tuple[QueueRow, ...], common: frozenset[str]
                  ) -> tuple[tuple[int, ...], ...]:
    """The stories (article ids) among one event's suggestions: a pure function of the rows
    (ids, outlet, day, headline) and the plan's common marks, so it is remembered by those —
    a queue that changed in any of them is clustered again."""
    texts = [story_text(r.article_id, r.outlet_id, r.day, r.headline, "") for r in found]
    return tuple(tuple(group) for group in clusters(texts, common))


def _in_queue_order(rows: list[QueueRow], grouped: list[Unit]) -> list[Unit]:
    order = {r.match_id: n for n, r in enumerate(rows)}
    unit_of: dict[int, Unit] = {}
    for found in grouped:
        unit = Unit(tuple(sorted(found.match_ids, key=order.__getitem__)), True, found.follows)
        unit_of.update((i, unit) for i in unit.match_ids)
    units: list[Unit] = []
    placed: set[int] = set()
    for row in rows:
        if row.match_id in placed:
            continue
        unit = unit_of.get(row.match_id) or Unit((row.match_id,), False)
        units.append(unit)
        placed.update(unit.match_ids)
    return units


def paginate(units: list[Unit], size: int) -> list[list[Unit]]:
    """Units cut into pages of up to `size` rows; a unit is never split, and one that would
    cross a page's end starts the next page."""
    pages: list[list[Unit]] = []
    current: list[Unit] = []
    filled = 0
    for unit in units:
        if current and filled + len(unit.match_ids) > size:
            pages.append(current)
            current, filled = [], 0
        current.append(unit)
        filled += len(unit.match_ids)
    if current:
        pages.append(current)
    return pages


def queue_page(campaign: Campaign, *, page: int = 1, size: int = DEFAULT_PAGE_SIZE,
               event: Event | None = None) -> QueuePage:
    """Page `page` of the campaign's review queue (the last page when `page` is past it)."""
    rows = queue_rows(campaign, event)
    pages = paginate(story_units(rows), size)
    page = max(1, min(page, len(pages)))
    units = pages[page - 1] if pages else []
    loaded = _load_matches([i for u in units for i in u.match_ids])
    follows = _articles([u.follows for u in units if u.follows is not None])
    matches: list[Match] = []
    blocks: dict[int, StoryBlock] = {}
    for unit in units:
        found = [loaded[i] for i in unit.match_ids if i in loaded]
        if not found:
            continue
        seed = follows.get(unit.follows) if unit.follows is not None else None
        if unit.block and (len(found) > 1 or seed is not None):
            blocks[found[0].id] = StoryBlock(found[0].event, found, seed)
        matches.extend(found)
    return QueuePage(matches, blocks, page, max(len(pages), 1), size, len(rows))


def _load_matches(ids: list[int]) -> dict[int, Match]:
    loaded: dict[int, Match] = {}
    for batch in chunks(ids, LOAD_CHUNK):
        loaded.update((m.id, m) for m in db.session.scalars(
            select(Match).where(Match.id.in_(batch))
            .options(joinedload(Match.event),
                     joinedload(Match.article).joinedload(Article.outlet))))
    return loaded


def _articles(ids: list[int]) -> dict[int, Article]:
    found: dict[int, Article] = {}
    for batch in chunks(ids, LOAD_CHUNK):
        found.update((a.id, a) for a in db.session.scalars(
            select(Article).where(Article.id.in_(batch))))
    return found
