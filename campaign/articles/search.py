"""Finding articles: full-text search of titles and bodies that works for Chinese, and filters.

Chinese has no spaces between words, so the index works on character trigrams. On SQLite an
FTS5 table with the trigram tokenizer (`articles_fts`, rowid = article id) is kept in step with
`articles` and `article_bodies` by triggers; on PostgreSQL pg_trgm GIN indexes on the title and
the body serve ILIKE. Trigrams cannot find one- or two-character terms (工会, 劳模), so those are
matched with a LIKE scan restricted to a window of days: the filters' date range, or the
`SHORT_TERM_WINDOW_DAYS` up to the newest article.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    event,
    func,
    inspect,
    literal_column,
    select,
    table,
    union,
)
from sqlalchemy.orm import contains_eager

from campaign.articles.models import Article, ArticleBody, day_from_number, day_number
from campaign.core.choices import TIERS
from campaign.core.values import date_param, int_param
from campaign.extensions import db
from campaign.planning.models import Outlet

log = logging.getLogger(__name__)

PER_PAGE = 50
SHORT_TERM_WINDOW_DAYS = 92
MIN_INDEXED_TERM = 3  # trigrams: shorter terms cannot use the index
FTS_TABLE = "articles_fts"
TRGM_INDEXES = ("ix_articles_title_trgm", "ix_article_bodies_text_trgm")
KINDS = ("reprint", "original")

SQLITE_FTS_DDL = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5(title, body, tokenize='trigram')",
    ("CREATE TRIGGER IF NOT EXISTS articles_fts_insert AFTER INSERT ON articles BEGIN "
     "INSERT INTO articles_fts(rowid, title, body) VALUES (new.id, new.title, ''); END"),
    ("CREATE TRIGGER IF NOT EXISTS articles_fts_title AFTER UPDATE OF title ON articles BEGIN "
     "UPDATE articles_fts SET title = new.title WHERE rowid = new.id; END"),
    ("CREATE TRIGGER IF NOT EXISTS articles_fts_delete AFTER DELETE ON articles BEGIN "
     "DELETE FROM articles_fts WHERE rowid = old.id; END"),
    ("CREATE TRIGGER IF NOT EXISTS article_bodies_fts_insert AFTER INSERT ON article_bodies "
     "BEGIN UPDATE articles_fts SET body = new.text WHERE rowid = new.article_id; END"),
    ("CREATE TRIGGER IF NOT EXISTS article_bodies_fts_text AFTER UPDATE OF text "
     "ON article_bodies BEGIN UPDATE articles_fts SET body = new.text "
     "WHERE rowid = new.article_id; END"),
    ("CREATE TRIGGER IF NOT EXISTS article_bodies_fts_delete AFTER DELETE ON article_bodies "
     "BEGIN UPDATE articles_fts SET body = '' WHERE rowid = old.article_id; END"),
)
PG_TRGM_DDL = (
    "CREATE INDEX IF NOT EXISTS ix_articles_title_trgm ON articles USING gin (title gin_trgm_ops)",
    ("CREATE INDEX IF NOT EXISTS ix_article_bodies_text_trgm ON article_bodies "
     "USING gin (text gin_trgm_ops)"),
)


def sqlite_has_trigram() -> bool:
    """True when the SQLite library has FTS5's trigram tokenizer (3.34 and later)."""
    return sqlite3.sqlite_version_info >= (3, 34, 0)


def install_fulltext(connection: Connection) -> None:
    """Create the full-text structures of the connection's backend, if missing (idempotent).

    Used when the tables are created from the models (tests, `create_all`); the migration does
    the same with SQL of its own. Without trigram support, search falls back to LIKE scans.
    """
    if connection.dialect.name == "sqlite" and sqlite_has_trigram():
        for statement in SQLITE_FTS_DDL:
            connection.exec_driver_sql(statement)
    elif connection.dialect.name == "postgresql":
        try:
            with connection.begin_nested():
                connection.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except Exception:  # noqa: BLE001  (no rights or no contrib package: ILIKE scans)
            log.warning("pg_trgm unavailable: article search scans without an index")
            return
        for statement in PG_TRGM_DDL:
            connection.exec_driver_sql(statement)


def _after_create(_target: Any, connection: Connection, **_kw: Any) -> None:
    install_fulltext(connection)


event.listen(ArticleBody.__table__, "after_create", _after_create)


def is_fulltext_object(name: str | None, type_: str) -> bool:
    """True for the tables and indexes created by SQL rather than the models (Alembic's
    autogenerate must leave them alone)."""
    if not name:
        return False
    if type_ == "table":
        return name == FTS_TABLE or name.startswith(f"{FTS_TABLE}_")
    return type_ == "index" and name in TRGM_INDEXES


@dataclass
class ArticleFilters:
    """What the articles page asks for: search terms and filters, and the page number."""

    q: str = ""
    outlet_id: int | None = None
    tier: str = ""
    date_from: date | None = None
    date_to: date | None = None
    page_one: bool = False
    kind: str = ""
    page: int = 1

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> ArticleFilters:
        """Read the query string leniently: a value that does not parse is ignored."""
        return cls(
            q=(args.get("q") or "").strip()[:200],
            outlet_id=int_param(args.get("outlet")),
            tier=args.get("tier", "") if args.get("tier", "") in TIERS else "",
            date_from=date_param(args.get("from")),
            date_to=date_param(args.get("to")),
            page_one=args.get("page_one") in ("1", "on", "true"),
            kind=args.get("kind", "") if args.get("kind", "") in KINDS else "",
            page=max(int_param(args.get("page")) or 1, 1),
        )

    def to_args(self, **changes: Any) -> dict[str, str]:
        """The query string of these filters (empty values left out), with `changes`."""
        values = {**asdict(self), **changes}
        args = {"q": values["q"], "outlet": values["outlet_id"], "tier": values["tier"],
                "from": values["date_from"], "to": values["date_to"],
                "page_one": "1" if values["page_one"] else "", "kind": values["kind"],
                "page": values["page"] if values["page"] != 1 else ""}
        return {k: str(v) for k, v in args.items() if v not in ("", None)}

    @property
    def terms(self) -> list[str]:
        """The search words (split on spaces, full-width ones too)."""
        return self.q.split()


@dataclass
class ArticlePage:
    """One page of results, how many matched in all, and the day window short terms used."""

    articles: list[Article]
    total: int
    page: int
    per_page: int
    window: tuple[date, date] | None = None

    @property
    def pages(self) -> int:
        return max((self.total + self.per_page - 1) // self.per_page, 1)


def search_articles(filters: ArticleFilters, *, per_page: int | None = None) -> ArticlePage:
    """The articles matching `filters`, newest first, one page (PER_PAGE by default)."""
    per_page = per_page or PER_PAGE
    conditions = _filter_conditions(filters)
    window = None
    short = [t for t in filters.terms if len(t) < MIN_INDEXED_TERM]
    if short:
        window = _short_term_window(filters)
        conditions.append(Article.day.between(day_number(window[0]), day_number(window[1])))
    conditions += [Article.id.in_(_term_matches(term)) for term in filters.terms
                   if len(term) < MIN_INDEXED_TERM or not _use_fts()]
    indexed = [t for t in filters.terms if len(t) >= MIN_INDEXED_TERM]
    if indexed and _use_fts():
        conditions.append(Article.id.in_(_fts_matches(indexed)))
    base = select(Article).join(Article.outlet).where(*conditions)
    total = db.session.scalar(select(func.count()).select_from(base.subquery())) or 0
    query = (base.options(contains_eager(Article.outlet))
             .order_by(Article.published_at.desc().nulls_last(), Article.id.desc())
             .limit(per_page).offset((filters.page - 1) * per_page))
    return ArticlePage(list(db.session.scalars(query)), total, filters.page, per_page, window)


def _filter_conditions(filters: ArticleFilters) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if filters.outlet_id is not None:
        conditions.append(Article.outlet_id == filters.outlet_id)
    if filters.tier:
        conditions.append(Outlet.tier == filters.tier)
    if filters.date_from:
        conditions.append(Article.day >= day_number(filters.date_from))
    if filters.date_to:
        conditions.append(Article.day <= day_number(filters.date_to))
    if filters.page_one:
        conditions.append(Article.page_number == 1)
    if filters.kind == "reprint":
        conditions += [Article.reprint_group_id.is_not(None), Article.is_original.is_(False)]
    elif filters.kind == "original":
        conditions.append(Article.is_original.is_(True))
    return conditions


def _short_term_window(filters: ArticleFilters) -> tuple[date, date]:
    """The filters' days, completed to SHORT_TERM_WINDOW_DAYS (up to the newest article)."""
    span = timedelta(days=SHORT_TERM_WINDOW_DAYS - 1)
    start, end = filters.date_from, filters.date_to
    if start and end:
        return start, end
    if start:
        return start, start + span
    if end is None:
        newest = db.session.scalar(select(func.max(Article.day)))
        end = day_from_number(newest) if newest else date.today()  # noqa: DTZ011
    return end - span, end


def _like_pattern(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _term_matches(term: str) -> Select[Any]:
    """Ids of articles whose title or body contains `term` (ILIKE; pg_trgm serves it on
    PostgreSQL for terms of three characters or more)."""
    pattern = _like_pattern(term)
    return union(
        select(Article.id).where(Article.title.ilike(pattern, escape="\\")),
        select(ArticleBody.article_id).where(ArticleBody.text.ilike(pattern, escape="\\")),
    )  # type: ignore[return-value]


def _fts_matches(terms: list[str]) -> Select[Any]:
    """Ids of articles containing every term, from the SQLite FTS5 trigram index."""
    expression = " AND ".join('"{}"'.format(t.replace('"', '""')) for t in terms)
    fts = table(FTS_TABLE, literal_column("rowid"))
    return select(literal_column("rowid")).select_from(fts).where(
        literal_column(FTS_TABLE).op("MATCH")(expression))


def _use_fts() -> bool:
    """True on SQLite when the FTS table exists (not on PostgreSQL, nor old SQLite)."""
    engine = db.engine
    if engine.dialect.name != "sqlite":
        return False
    key = str(engine.url)
    if key not in _FTS_PRESENT and FTS_TABLE in inspect(engine).get_table_names():
        _FTS_PRESENT.add(key)  # only a positive answer is kept: `db upgrade` may add it later
    return key in _FTS_PRESENT


_FTS_PRESENT: set[str] = set()


def page_label(article: Article) -> str:
    """"第01版 要闻": the page number and name, as printed on e-paper pages."""
    parts = []
    if article.page_number is not None:
        parts.append(_("第%(n)02d版", n=article.page_number))
    if article.page_name:
        parts.append(article.page_name)
    return " ".join(parts)


def reprint_group_members(article: Article) -> list[Article]:
    """The articles of `article`'s reprint group: the original first, then by date."""
    if article.reprint_group_id is None:
        return []
    query = (select(Article).join(Article.outlet).options(contains_eager(Article.outlet))
             .where(Article.reprint_group_id == article.reprint_group_id)
             .order_by(Article.is_original.desc(), Article.published_at.asc().nulls_last(),
                       Article.id))
    return list(db.session.scalars(query))


def paragraphs(text: str) -> list[str]:
    """The body's paragraphs (its non-empty lines), for display as text."""
    return [line.strip() for line in text.splitlines() if line.strip()]
