"""Which e-paper days a source walks, and walking them.

Each run walks the last few days (today's issue may appear late, yesterday's may be corrected)
and, for every campaign, the days from a week before its first day to a week after its end plus
its events' windows (matching's default, D-2 … D+10) that this source has not yet walked
successfully — so a campaign entered after the fact, like the 2006 demo, still gets its
coverage. `since`/`until` add a past period (the `fetch --since --until` backfill). Days
walked successfully are kept in `epaper_days`, so later ticks do not walk old issues again.

A day whose pages link articles but yields none (a layout the walker no longer understands),
or whose pages link no article at all (a layout whose article links were not found), is not
walked: it is kept in `epaper_days` with its count of such walks, walked again at the next
run, and from the second such walk in a row fails the run, so the sources page says so.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from campaign.articles.incoming import IncomingArticle, PageImageRef
from campaign.core.times import daterange, zone
from campaign.coverage.rules import DEFAULT_WINDOWS
from campaign.extensions import db
from campaign.ingest.collected import Collected
from campaign.ingest.extraction import PageReader, ReadInThread
from campaign.ingest.models import EpaperDay
from campaign.planning.models import Campaign
from campaign.sources.models import Source
from scrapers.epaper import (
    EpaperArticle,
    EpaperDayWalk,
    EpaperSkip,
    parse_epaper_article,
    walk_epaper,
)
from scrapers.fetch import Fetcher, Outcome

log = logging.getLogger(__name__)

RECENT_DAYS = 3
CAMPAIGN_MARGIN = timedelta(days=7)
# The days matching looks at around an event (its default window), so they are walked too.
EVENT_BEFORE, EVENT_AFTER = (timedelta(days=days) for days in DEFAULT_WINDOWS["other"])
MAX_DAYS_PER_RUN = 100  # a long backlog is walked over several runs
UNREAD_FAILS_AFTER = 2  # walks of a day with articles on its pages but none read
FINAL_MISS = frozenset({404, 410})  # a page that is not there: retrying will not help


# A day this recent whose pages link no article yet is an issue still being published.
NOT_OUT_DAYS = 1


def today_for(source: Source, now: datetime | None = None) -> date:
    """Today's date where the source publishes (a Chinese paper's day is Beijing's)."""
    return (now or datetime.now(zone(source.timezone))).astimezone(zone(source.timezone)).date()


def walked_days(source_id: int) -> set[date]:
    """The days this source has walked successfully."""
    return set(db.session.scalars(sa.select(EpaperDay.day).where(
        EpaperDay.source_id == source_id, EpaperDay.unread_walks == 0)))


def unread_days(source_id: int) -> dict[date, int]:
    """The days whose pages linked articles that no walk could read yet, with the walks."""
    rows = db.session.execute(sa.select(EpaperDay.day, EpaperDay.unread_walks).where(
        EpaperDay.source_id == source_id, EpaperDay.unread_walks > 0))
    return {row.day: row.unread_walks for row in rows}


def campaign_days(campaign: Campaign) -> set[date]:
    """The days to walk for a campaign: its range with a week's margin and its events' windows."""
    days = set(daterange(campaign.first_day - CAMPAIGN_MARGIN, campaign.ends_on + CAMPAIGN_MARGIN))
    for event in campaign.events:
        days.update(daterange(event.start_date - EVENT_BEFORE, event.end_date + EVENT_AFTER))
    return days


def days_to_walk(
    source: Source,
    *,
    today: date,
    since: date | None = None,
    until: date | None = None,
    walked: set[date] | None = None,
) -> list[date]:
    """The days the next run walks: the recent days always, then the days not yet walked of a
    requested period (all of them) and of the campaigns (oldest first, so that a run walks at
    most MAX_DAYS_PER_RUN days besides the recent ones)."""
    walked = walked_days(source.id) if walked is None else walked
    recent = [today - timedelta(days=n) for n in range(RECENT_DAYS)]
    skip = walked | set(recent)
    asked: set[date] = set()
    if since or until:
        asked.update(daterange(since or until or today, until or today))
    wanted: set[date] = set()
    campaigns = db.session.scalars(sa.select(Campaign).options(selectinload(Campaign.events)))
    for campaign in campaigns:
        wanted |= campaign_days(campaign)
    wanted |= set(unread_days(source.id))  # whatever period they came from
    # A period asked for by hand is walked in full; the campaigns' backlog a bit per run.
    period = sorted(day for day in asked - skip if day <= today)
    backlog = sorted(day for day in wanted - skip - asked if day <= today)
    return [*recent, *period, *backlog[:max(0, MAX_DAYS_PER_RUN - len(period))]]


def collect_epaper(source: Source, *, fetcher: Fetcher, since: date | None = None,
                   until: date | None = None, pages: PageReader | None = None) -> Collected:
    """Walk the source's days to walk; a day counts as walked when its index was read (or is
    missing for good) and no page or article of it failed for a reason that may pass. A day's
    pages and stories are fetched as many at a time as the host allows, and the stories read
    by `pages` (in this thread when not given)."""
    reader = pages or ReadInThread()
    today = today_for(source)
    collected = Collected()
    failures = 0
    days = days_to_walk(source, today=today, since=since, until=until)
    tried = unread_days(source.id)
    for day in days:
        problem = _walk_day(source, fetcher, reader, day, collected)
        if problem is None:
            continue
        if problem[0] == "day":
            failures += 1
        if problem[0] == "unread":
            collected.days_unread[day] = tried.get(day, 0) + 1
        collected.problem(*problem[1:])
    if days and failures == len(days):
        collected.outcome = "failed"
    _fail_if_unread_again(collected)
    collected.seen = len(collected.items)
    return collected


def _fail_if_unread_again(collected: Collected) -> None:
    """Fail the run when a day's articles stayed unread for UNREAD_FAILS_AFTER walks."""
    stuck = sorted(day for day, walks in collected.days_unread.items()
                   if walks >= UNREAD_FAILS_AFTER)
    if stuck:
        kind = "epaper_empty" if set(stuck) <= collected.days_empty else "epaper_unread"
        collected.fail(kind, ", ".join(day.isoformat() for day in stuck))


def _walk_day(source: Source, fetcher: Fetcher, reader: PageReader, day: date,
              collected: Collected) -> tuple[str, str, str] | None:
    """Walk one day into `collected`; return (what, kind, message) of its worst problem."""

    skips: list[EpaperSkip] = []
    walks: list[EpaperDayWalk] = []
    articles: list[IncomingArticle] = []
    try:
        for item in walk_epaper(fetcher, source.url, start=day, end=day, tz=source.timezone,
                                on_skip=skips.append, on_day=walks.append,
                                concurrency=fetcher.settings.max_per_host,
                                parse=_parser(reader)):
            articles.append(IncomingArticle(
                url=item.url, title=item.title, body=item.body, published_at=item.published_at,
                intro_title=item.intro_title, subtitle=item.subtitle,
                page_number=item.page_number or None, page_name=item.page_name,
                author=item.author, source_credit=item.source_credit,
                page_image=_page_image(item)))  # fmt: skip
    except Exception as exc:  # a page the parser chokes on fails its day, not the run
        log.exception("source %s: e-paper day %s", source.id, day)
        return "day", "parse_error", f"{day}: {type(exc).__name__}: {exc}"
    collected.items.extend(articles)
    collected.day_spans.append((day, len(articles)))
    collected.skipped += sum(walk.skipped for walk in walks)
    passing = [skip for skip in skips if skip.status not in FINAL_MISS]
    # Stories that timed out or answered 5xx may load next time; stories that are there but
    # give nothing, or answer 404 while the pages link them, mean the layout is not understood.
    if not passing and any(walk.unread for walk in walks):
        return "unread", "epaper_unread", day.isoformat()
    # Pages that link no article at all: a layout whose links were not found (or an issue not
    # out yet), never a day without news — retried and shown like an unread day.
    if not passing and any(walk.empty for walk in walks):
        if day >= today_for(source) - timedelta(days=NOT_OUT_DAYS):
            return None  # today's issue not out yet: walked again next time, no problem yet
        collected.days_empty.add(day)
        return "unread", "epaper_empty", day.isoformat()
    day_missing = any(skip.what == "day" and skip.status in FINAL_MISS for skip in skips)
    if not passing and not (day_missing and day >= today_for(source) - timedelta(days=2)):
        collected.days_walked[day] = len(articles)
    if not passing:
        return None
    worst = next((skip for skip in passing if skip.what == "day"), passing[0])
    kind = worst.outcome.value if isinstance(worst.outcome, Outcome) else str(worst.outcome)
    return worst.what, kind, f"{day} {worst.what} {worst.url}: {worst.error or kind}"


def _parser(reader: PageReader) -> Callable[..., EpaperArticle]:
    """`parse_epaper_article` run by `reader` (in a worker process when it has them)."""

    def parse(*args: Any, **kwargs: Any) -> EpaperArticle:
        return reader.call(parse_epaper_article, *args, **kwargs)

    return parse


def _page_image(item: EpaperArticle) -> PageImageRef | None:
    """The story's page image and outline, when its page has both."""
    if not item.page_image_url or not item.area_coords:
        return None
    return PageImageRef(item.page_image_url, item.page_pdf_url, item.area_coords,
                        item.page_image_size)


def remember_days(source: Source, days: Mapping[date, int], now: datetime) -> None:
    """Record (or refresh) the days walked successfully; flush."""
    for row, count in _upsert(source, days, now):
        row.articles, row.unread_walks = max(row.articles, count), 0


def remember_unread_days(source: Source, days: Mapping[date, int], now: datetime) -> None:
    """Record how many walks in a row read none of each day's linked articles; flush."""
    for row, walks in _upsert(source, days, now):
        row.unread_walks = walks


def _upsert(source: Source, days: Mapping[date, int], now: datetime
            ) -> Iterator[tuple[EpaperDay, int]]:
    """Each day's row (made when missing, its `fetched_at` set to `now`) with the day's value
    for the caller to record; flushes once the caller has."""
    if not days:
        return
    existing = {row.day: row for row in _rows(source.id, days)}
    for day, value in days.items():
        row = existing.get(day)
        if row is None:
            row = EpaperDay(source_id=source.id, day=day, articles=0, unread_walks=0)
            db.session.add(row)
        row.fetched_at = now
        yield row, value
    db.session.flush()


def _rows(source_id: int, days: Iterable[date]) -> list[EpaperDay]:
    return list(db.session.scalars(
        sa.select(EpaperDay).where(EpaperDay.source_id == source_id, EpaperDay.day.in_(list(days)))
    ))
