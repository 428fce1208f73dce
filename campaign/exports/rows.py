"""The clipping list (剪报目录): one row builder behind every export format.

Rows come from two queries — accepted (or otherwise filtered) matches of scraped articles, and
officers' manual clippings — each streamed with `yield_per` and merged in date order, so a list
of 100,000 rows never sits in memory at once.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from heapq import merge
from itertools import islice
from typing import Any, TypeVarTuple

from sqlalchemy import Select, func, select
from sqlalchemy.orm import aliased

from campaign.articles.models import Article, ArticleBody, day_from_number, day_number
from campaign.core.choices import TIERS
from campaign.core.chunks import chunks
from campaign.coverage.models import MATCH_STATUSES, Clipping, Match
from campaign.extensions import db
from campaign.planning.models import Campaign, Event, Outlet
from scrapers.bylines import person_names

# Rows fetched from the database per round trip while streaming.
BATCH = 1000
STATUS_CHOICES = (*MATCH_STATUSES, "all")
# The column types of a query that _outlet_filters narrows and gives back.
Columns = TypeVarTuple("Columns")


@dataclass(frozen=True)
class ClippingFilter:
    """Which coverage a clipping list holds. `status` "all" keeps every match."""

    campaign_id: int
    event_ids: tuple[int, ...] = ()
    date_from: date | None = None
    date_to: date | None = None
    outlet_id: int | None = None
    tier: str | None = None
    status: str = "accepted"

    @property
    def statuses(self) -> tuple[str, ...]:
        return MATCH_STATUSES if self.status == "all" else (self.status,)


@dataclass
class ClippingRow:
    """One line of the clipping list, in the officers' columns."""

    seq: int
    day: date | None
    outlet: str
    tier: str
    page: str
    genre: str
    title: str
    author: str
    source: str
    url: str
    event_title: str
    event_key: str
    event_id: int
    kind: str  # "article" or "clipping"
    item_id: int
    status: str
    page_number: int | None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def tier_label(self) -> str:
        return str(TIERS.get(self.tier, self.tier))

    @property
    def is_page_one(self) -> bool:
        return self.page_number == 1


def page_label(number: int | None, name: str) -> str:
    """"第01版 要闻" from a page number and name; whichever part is known."""
    name = (name or "").strip()
    if number is None:
        return name
    head = f"第{number:02d}版"
    return f"{head} {name}" if name and name != head else head


def _article_query(f: ClippingFilter) -> Select[*tuple[Any, ...]]:
    original = aliased(Article)
    original_outlet = aliased(Outlet)
    # A correlated subquery rather than a join: a group with two flagged originals must not
    # double a row.
    reprint_of = (select(original_outlet.name)
                  .join(original, original.outlet_id == original_outlet.id)
                  .where(original.reprint_group_id == Article.reprint_group_id,
                         original.is_original, original.id != Article.id)
                  .order_by(original.published_at, original.id).limit(1)
                  .correlate(Article).scalar_subquery())
    query = (select(Article.id, Article.day, Article.published_at, Article.page_number,
                    Article.page_name, Article.genre, Article.title, Article.author,
                    Article.source_credit, Article.url, Article.is_original,
                    Article.reprint_group_id, Outlet.name, Outlet.tier, Event.id, Event.key,
                    Event.title, Match.status, reprint_of)
             .join(Match, Match.article_id == Article.id)
             .join(Event, Match.event_id == Event.id)
             .join(Outlet, Article.outlet_id == Outlet.id)
             .where(Event.campaign_id == f.campaign_id, Match.status.in_(f.statuses))
             .order_by(Article.day, Article.published_at, Article.id, Event.starts_at))
    if f.event_ids:
        query = query.where(Event.id.in_(f.event_ids))
    if f.date_from:
        query = query.where(Article.day >= day_number(f.date_from))
    if f.date_to:
        query = query.where(Article.day <= day_number(f.date_to))
    return _outlet_filters(query, f)


def _clipping_query(f: ClippingFilter) -> Select[*tuple[Any, ...]]:
    query = (select(Clipping.id, Clipping.published_on, Clipping.page_number, Clipping.page,
                    Clipping.genre, Clipping.title, Outlet.name, Outlet.tier, Event.id,
                    Event.key, Event.title, Clipping.url)
             .join(Event, Clipping.event_id == Event.id)
             .join(Outlet, Clipping.outlet_id == Outlet.id)
             .where(Event.campaign_id == f.campaign_id)
             .order_by(Clipping.published_on, Clipping.id))
    if "accepted" not in f.statuses:  # manual clippings are accepted by definition
        query = query.where(Clipping.id.is_(None))
    if f.event_ids:
        query = query.where(Event.id.in_(f.event_ids))
    if f.date_from:
        query = query.where(Clipping.published_on >= f.date_from)
    if f.date_to:
        query = query.where(Clipping.published_on <= f.date_to)
    return _outlet_filters(query, f)


def _outlet_filters(
    query: Select[*Columns], f: ClippingFilter
) -> Select[*Columns]:
    if f.outlet_id:
        query = query.where(Outlet.id == f.outlet_id)
    if f.tier:
        query = query.where(Outlet.tier == f.tier)
    return query


def _source_text(credit: str, reprint_of: str | None, is_reprint: bool) -> str:
    if is_reprint and reprint_of:
        return f"转载自 {reprint_of}"
    return (credit or "").strip()


def outlet_names() -> frozenset[str]:
    """Every outlet name and alias of the directory: none of them is ever an author."""
    names: set[str] = set()
    for name, aliases in db.session.execute(select(Outlet.name, Outlet.aliases)):
        names.add(name)
        names.update(str(a) for a in aliases or ())
    return frozenset(names)


def export_author(author: str, outlets: frozenset[str]) -> str:
    """The people of a stored byline, joined by 、 — roles (记者, 通讯员) and outlet names
    left out, so "记者 王海" is "王海" and "安徽日报" is nobody. A byline without any Chinese
    (a Latin name) is kept as it is unless it names an outlet."""
    text = " ".join((author or "").split())
    if not any("\u4e00" <= c <= "\u9fff" for c in text):
        return "" if text in outlets else text
    return "、".join(n for n in person_names(text) if n not in outlets)


def _article_rows(f: ClippingFilter) -> Iterator[tuple[tuple[Any, ...], ClippingRow]]:
    outlets = outlet_names()
    result = db.session.execute(_article_query(f).execution_options(yield_per=BATCH))
    for r in result:
        is_reprint = r[11] is not None and not r[10]
        row = ClippingRow(
            seq=0, day=day_from_number(r[1]) if r[1] else None, outlet=r[12], tier=r[13],
            page=page_label(r[3], r[4]), genre=r[5] or "", title=r[6] or "",
            author=export_author(r[7] or "", outlets),
            source=_source_text(r[8], r[18], is_reprint), url=r[9], event_title=r[16],
            event_key=r[15], event_id=r[14], kind="article", item_id=r[0], status=r[17],
            page_number=r[3], extra={"published_at": r[2], "reprint": is_reprint})
        yield (r[1] or 0, 0, r[0]), row


def _clipping_rows(f: ClippingFilter) -> Iterator[tuple[tuple[Any, ...], ClippingRow]]:
    result = db.session.execute(_clipping_query(f).execution_options(yield_per=BATCH))
    for r in result:
        row = ClippingRow(
            seq=0, day=r[1], outlet=r[6], tier=r[7], page=_clipping_page(r[2], r[3]),
            genre=r[4] or "", title=r[5], author="", source="", url=r[11] or "",
            event_title=r[10],
            event_key=r[9], event_id=r[8], kind="clipping", item_id=r[0], status="accepted",
            page_number=r[2], extra={"reprint": False})
        yield (day_number(r[1]), 1, r[0]), row


def _clipping_page(number: int | None, page: str) -> str:
    # An officer may have typed "第01版 要闻" or just "要闻"; do not number it twice.
    if page and (page.startswith("第") or number is None):
        return page
    return page_label(number, page)


def iter_clipping_rows(f: ClippingFilter) -> Iterator[ClippingRow]:
    """The clipping list of `f` in date order, numbered from 1, streamed from the database."""
    merged = merge(_article_rows(f), _clipping_rows(f), key=lambda pair: pair[0])
    for seq, (_key, row) in enumerate(merged, start=1):
        row.seq = seq
        yield row


def openings(article_ids: list[int], length: int = 200) -> dict[int, str]:
    """The first `length` characters of each article's body, by article id."""
    found: dict[int, str] = {}
    for chunk in chunks(article_ids, BATCH):
        query = select(ArticleBody.article_id, ArticleBody.text).where(
            ArticleBody.article_id.in_(chunk))
        for article_id, body in db.session.execute(query):
            text = " ".join((body or "").split())
            found[article_id] = text[:length] + ("……" if len(text) > length else "")
    return found


def campaign_events(campaign: Campaign, f: ClippingFilter | None = None) -> list[Event]:
    """The campaign's events in date order (only the filter's, when it names some)."""
    events = campaign.events_in_order
    if f and f.event_ids:
        events = [e for e in events if e.id in f.event_ids]
    return events


def count_clipping_rows(f: ClippingFilter) -> int:
    """How many rows the clipping list of `f` has (for pagination)."""
    total = 0
    for query in (_article_query(f), _clipping_query(f)):
        counted = select(func.count()).select_from(query.order_by(None).subquery())
        total += db.session.scalar(counted) or 0
    return total


def page_of_rows(f: ClippingFilter, page: int, per_page: int) -> list[ClippingRow]:
    """Rows `(page-1)*per_page` … of the list, numbered as in the whole list."""
    start = (page - 1) * per_page
    return list(islice(iter_clipping_rows(f), start, start + per_page))
