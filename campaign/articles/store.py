"""Storing fetched articles once: an idempotent, chunked upsert keyed on the canonical URL.

An article seen again — under a URL it was stored with, or (an e-paper story linked from two
pages of one issue) under another URL with the same outlet, day and body fingerprint — is
updated where the new reading changed something, never stored twice. Nothing here commits:
the fetch job owns the transaction.
"""

from __future__ import annotations

import hashlib
import logging
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from campaign.articles.incoming import IncomingArticle
from campaign.articles.models import Article, ArticleBody, ArticleUrl, day_number
from campaign.articles.urls import canonical_url
from campaign.core.chunks import chunks
from campaign.extensions import db
from campaign.planning.models import Outlet
from campaign.sources.models import Source
from scrapers.extract_text import strip_bidi
from scrapers.genre import infer_genre

log = logging.getLogger(__name__)

BEIJING = ZoneInfo("Asia/Shanghai")
CHUNK_SIZE = 500
MAX_URL_LENGTH = 1000
# Whitespace, punctuation and symbols: what a reprint desk changes without changing the story.
_NOT_TEXT = re.compile(r"[\W_]+")
# Fields copied from an IncomingArticle, with the column length they are cut to (None: no cut).
TEXT_FIELDS: dict[str, int] = {
    "title": 500, "intro_title": 500, "subtitle": 500, "page_name": 100, "genre": 32,
    "author": 200, "editor": 200, "source_credit": 200,
}


@dataclass
class StoreResult:
    """What one call stored: counts of new, really changed and unchanged items, and the ids of
    the articles the items resolved to (in input order, each once)."""

    new: int = 0
    updated: int = 0
    duplicate: int = 0
    article_ids: list[int] = field(default_factory=list)


def normalise_body(text: str) -> str:
    """The body with full-width forms folded (NFKC) and whitespace and punctuation removed."""
    return _NOT_TEXT.sub("", unicodedata.normalize("NFKC", text)).lower()


def body_fingerprint(text: str) -> str:
    """The SHA-256 of the normalised body ("" for an empty body, which matches nothing)."""
    normal = normalise_body(text)
    return hashlib.sha256(normal.encode("utf-8")).hexdigest() if normal else ""


def beijing_day(value: datetime | None) -> int | None:
    """The Beijing date of an aware datetime as a YYYYMMDD integer."""
    return None if value is None else day_number(value.astimezone(BEIJING).date())


@dataclass(frozen=True)
class Delivery:
    """Items of one outlet (from one source, when known) to store with `store_many`, and the
    stored MinHash bytes of their bodies by fingerprint where already computed."""

    outlet_id: int
    source_id: int | None
    items: Sequence[IncomingArticle]
    signatures: Mapping[str, bytes] = field(default_factory=dict)


@dataclass
class _Reading:
    """One incoming item, prepared: canonical URL, column values, body and its fingerprint,
    and which delivery (and outlet) it came with."""

    url: str
    values: dict[str, Any]
    body: str
    fingerprint: str
    delivery: int = 0
    outlet_id: int = 0

    @property
    def print_key(self) -> tuple[int, int, str] | None:
        day = self.values["day"]
        if day is None or not self.fingerprint:
            return None
        return (self.outlet_id, day, self.fingerprint)


def _prepare(item: IncomingArticle) -> _Reading | None:
    url = canonical_url(item.url)
    if not url.startswith(("http://", "https://")) or len(url) > MAX_URL_LENGTH:
        # javascript: or data: links from a hostile page must never become an href.
        log.warning("article url refused (not http(s), or longer than %d): %.120s",
                    MAX_URL_LENGTH, item.url)
        return None
    # Bidi controls are dropped here too, whatever scraper or import produced the item.
    values: dict[str, Any] = {name: strip_bidi(getattr(item, name) or "").strip()[:size]
                              for name, size in TEXT_FIELDS.items()}
    values["published_at"] = item.published_at
    values["day"] = beijing_day(item.published_at)
    values["page_number"] = item.page_number
    body = strip_bidi(item.body).strip()
    if not values["genre"]:  # papers print no genre, but mark editorials and reports
        values["genre"] = infer_genre(title=values["title"], intro_title=values["intro_title"],
                                      author=values["author"], body=body)
    return _Reading(url, values, body, body_fingerprint(body))


def store_articles(outlet: Outlet, items: Sequence[IncomingArticle], *,
                   source: Source | None = None,
                   signatures: Mapping[str, bytes] | None = None) -> StoreResult:
    """Store `items` of `outlet` once each; return what was new, updated and unchanged.

    Works in chunks: one lookup of known URLs (and one of e-paper fingerprints) per chunk,
    `add_all`, one flush. A chunk that collides with a concurrent writer (unique URL) is rolled
    back to its savepoint and retried, when the rows the other process stored are updated.
    `signatures` (stored MinHash bytes by body fingerprint, computed before the write phase)
    are stored with new and changed bodies, so reprint grouping need not compute them.
    Flushes; never commits.
    """
    delivery = Delivery(outlet.id, source.id if source is not None else None, items,
                        signatures or {})
    return store_many([delivery])[0]


def store_many(deliveries: Sequence[Delivery]) -> list[StoreResult]:
    """Store several deliveries (a write phase's sources) together, in shared chunks, with the
    same result for each as if `store_articles` had stored them one after another. Flushes;
    never commits."""
    readings: list[_Reading] = []
    for number, delivery in enumerate(deliveries):
        for reading in filter(None, map(_prepare, delivery.items)):
            reading.delivery, reading.outlet_id = number, delivery.outlet_id
            readings.append(reading)
    results = [StoreResult() for _ in deliveries]
    seen: list[set[int]] = [set() for _ in deliveries]
    created_ids: dict[int, int] = {}
    for chunk in chunks(readings, CHUNK_SIZE):
        state = _store_chunk_retrying(deliveries, chunk, created_ids)
        for number, result in enumerate(results):
            result.new += state.new[number]
            result.updated += state.updated[number]
            result.duplicate += state.duplicate[number]
        for reading, article in zip(chunk, state.order, strict=True):
            if article.id not in seen[reading.delivery]:
                seen[reading.delivery].add(article.id)
                results[reading.delivery].article_ids.append(article.id)
    for delivery, result in zip(deliveries, results, strict=True):
        log.info("stored for outlet %s: %d new, %d updated, %d duplicate", delivery.outlet_id,
                 result.new, result.updated, result.duplicate)
    return results


def _store_chunk_retrying(deliveries: Sequence[Delivery], chunk: Sequence[_Reading],
                          created_ids: dict[int, int]) -> _Chunk:
    attempts = 3
    for attempt in range(attempts):
        try:
            with db.session.begin_nested():
                state = _Chunk(deliveries, created_ids)
                _store_chunk(state, chunk)
                return state
        except IntegrityError:
            if attempt == attempts - 1:
                raise
            log.info("concurrent store of the same articles; retrying the chunk")
    raise AssertionError("unreachable")


class _Chunk:
    """The known articles of one chunk, by URL and by e-paper key, and the counts so far (one
    count per delivery)."""

    def __init__(self, deliveries: Sequence[Delivery], created_ids: dict[int, int]) -> None:
        self.deliveries = deliveries
        # The delivery that created each article earlier in this call, by article id.
        self.created_ids = created_ids
        self.signatures: dict[str, bytes] = {}  # stored MinHash bytes by fingerprint
        for delivery in deliveries:
            self.signatures.update(delivery.signatures)
        self.by_url: dict[str, Article] = {}
        # Articles by (outlet, day, body fingerprint): several when titles differ.
        self.by_print: dict[tuple[int, int | None, str], list[Article]] = {}
        self.known_urls: set[str] = set()
        self.created: dict[int, int] = {}  # id() of articles created in this chunk: delivery
        self.new = [0] * len(deliveries)
        self.updated = [0] * len(deliveries)
        self.duplicate = [0] * len(deliveries)
        self.order: list[Article] = []  # the article each reading of the chunk resolved to

    def remember(self, article: Article, url: str) -> None:
        self.by_url[url] = article
        if article.day is not None and article.fingerprint:
            same = self.by_print.setdefault(
                (article.outlet_id, article.day, article.fingerprint), [])
            if article not in same:
                same.append(article)

    def created_by(self, article: Article) -> int | None:
        """The delivery that created `article` in this call, if one did."""
        number = self.created.get(id(article))
        return number if number is not None else self.created_ids.get(article.id)


def _same_story(candidates: Sequence[Article], reading: _Reading) -> Article | None:
    """The article of the same outlet, day and body that `reading` is another URL of, or None.
    The body alone decides for an e-paper piece (two pages of one issue link one story, with
    their own link texts); otherwise the titles must agree too: feeds that repeat one
    description under distinct titles and links carry distinct pieces."""
    if not candidates or reading.values["page_number"] is not None:
        return candidates[0] if candidates else None
    title = _NOT_TEXT.sub("", reading.values["title"])
    return next((a for a in candidates if _NOT_TEXT.sub("", a.title) == title), None)


def _store_chunk(state: _Chunk, chunk: Sequence[_Reading]) -> None:
    _load_known(state, chunk)
    new_articles: list[Article] = []
    new_urls: list[tuple[str, Article]] = []
    for reading in chunk:
        article = state.by_url.get(reading.url)
        if article is None and reading.print_key is not None:
            article = _same_story(state.by_print.get(reading.print_key, []), reading)
        if article is None:
            article = _new_article(state, reading)
            new_articles.append(article)
            state.new[reading.delivery] += 1
        else:
            _update_article(state, article, reading)
        if reading.url not in state.known_urls:
            new_urls.append((reading.url, article))
            state.known_urls.add(reading.url)
        state.remember(article, reading.url)
        state.order.append(article)
    db.session.flush()  # the updates of known articles
    _insert_new(new_articles)
    if new_urls:
        db.session.execute(insert(ArticleUrl.__table__), [
            {"url": url, "article_id": article.id} for url, article in new_urls])
    state.created_ids.update((a.id, state.created[id(a)]) for a in new_articles)


# Written by `_insert_new`; `id` comes from the database, the timestamps from column defaults.
_INSERT_COLUMNS = [c.key for c in Article.__table__.columns
                   if c.key not in ("id", "first_seen_at", "updated_at")]


def _insert_new(articles: list[Article]) -> None:
    """Insert new articles with executemany, then read their ids back by URL in one query.

    (The ORM would insert row by row on SQLite, which cannot order RETURNING rows of a
    multi-row insert.) The Article objects stay out of the session: they only carry values.
    """
    if not articles:
        return
    db.session.execute(insert(Article.__table__),
                       [{key: getattr(a, key) for key in _INSERT_COLUMNS} for a in articles])
    ids = dict(db.session.execute(select(Article.url, Article.id).where(
        Article.url.in_([a.url for a in articles]))).all())
    for article in articles:
        article.id = ids[article.url]
    db.session.execute(insert(ArticleBody.__table__), [
        {"article_id": a.id, "text": a.body.text if a.body else "",
         "minhash": a.body.minhash if a.body else None}
        for a in articles])


def _load_known(state: _Chunk, chunk: Sequence[_Reading]) -> None:
    """One query for the URLs already stored, one for e-paper keys, one to load those rows."""
    urls = {r.url for r in chunk}
    url_ids = dict(db.session.execute(
        select(ArticleUrl.url, ArticleUrl.article_id).where(ArticleUrl.url.in_(urls))).all())
    state.known_urls.update(url_ids)
    wanted = {r.print_key for r in chunk if r.print_key and r.url not in url_ids}
    print_ids: dict[tuple[int, int | None, str], list[int]] = {}
    if wanted:
        rows = db.session.execute(
            select(Article.id, Article.outlet_id, Article.day, Article.fingerprint).where(
                Article.outlet_id.in_({key[0] for key in wanted}),
                Article.fingerprint.in_({key[2] for key in wanted}))).all()
        for article_id, outlet_id, day, fp in sorted(rows):
            if (outlet_id, day, fp) in wanted:
                print_ids.setdefault((outlet_id, day, fp), []).append(article_id)
    ids = set(url_ids.values()) | {i for same in print_ids.values() for i in same}
    if not ids:
        return
    articles = {a.id: a for a in db.session.scalars(
        select(Article).options(selectinload(Article.body)).where(Article.id.in_(ids)))}
    for url, article_id in url_ids.items():
        state.by_url[url] = articles[article_id]
    for key, same in print_ids.items():
        state.by_print[key] = [articles[article_id] for article_id in same]


def _new_article(state: _Chunk, reading: _Reading) -> Article:
    delivery = state.deliveries[reading.delivery]
    article = Article(
        url=reading.url, outlet_id=delivery.outlet_id, source_id=delivery.source_id,
        fingerprint=reading.fingerprint, length=len(reading.body),
        reprint_group_id=None, is_original=True, **reading.values,
    )
    # Transient: it carries the values to `_insert_new` and never joins the session.
    article.body = ArticleBody(text=reading.body, minhash=state.signatures.get(reading.fingerprint))
    state.created[id(article)] = reading.delivery
    return article


def _update_article(state: _Chunk, article: Article, reading: _Reading) -> None:
    """Copy what changed. Empty readings never blank a stored value (a feed without page
    numbers does not erase what the e-paper said). Counts the item as updated or duplicate."""
    changed = False
    for name, value in reading.values.items():
        if value in ("", None) or getattr(article, name) == value:
            continue
        setattr(article, name, value)
        changed = True
    body = article.body
    if reading.body and (body is None or body.text != reading.body):
        if body is None:
            article.body = body = ArticleBody(text="")
        if reading.fingerprint != article.fingerprint:  # another text, not a reformatting
            note_changed_text(db.session, article)
        # A new text needs a new signature: the one computed with it, or none yet.
        body.text, body.minhash = reading.body, state.signatures.get(reading.fingerprint)
        article.fingerprint, article.length = reading.fingerprint, len(reading.body)
        changed = True
    if state.created_by(article) == reading.delivery:
        return  # the same item twice in one delivery: still one new article
    if changed:
        state.updated[reading.delivery] += 1
    else:
        state.duplicate[reading.delivery] += 1


# Groups a store detached a member from (its text changed), for reprints to split in its next
# grouping run (under this key of the session's info).
CHANGED_GROUPS = "reprint_groups_changed"


def note_changed_text(session: Any, article: Any) -> None:
    """Take an article whose text changed out of its group (the next `group_reprints` run finds
    its copies again) and remember the group, whose other members may no longer hold together
    without it."""
    if article.reprint_group_id is None:
        return
    session.info.setdefault(CHANGED_GROUPS, set()).add(article.reprint_group_id)
    article.reprint_group_id, article.is_original = None, True
