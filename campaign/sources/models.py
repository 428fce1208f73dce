"""Sources with their fetch state, fetch runs, articles (stored once) and reprint groups."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.core.dbtypes import JSONType, UTCDateTime
from campaign.core.times import utcnow
from campaign.extensions import db
from campaign.planning.models import Outlet

SOURCE_TYPES = ("rss", "html", "epaper")


def day_number(day: date) -> int:
    """`day` as the YYYYMMDD integer of `Article.day`."""
    return day.year * 10000 + day.month * 100 + day.day


def day_from_number(value: int) -> date:
    """The date of a YYYYMMDD integer of `Article.day`."""
    return date(value // 10000, value // 100 % 100, value % 100)


class Source(db.Model):
    """A feed, list page or e-paper of an outlet, with the state of its fetching."""

    __tablename__ = "sources"
    __table_args__ = (
        UniqueConstraint("outlet_id", "type", "url"),
        Index("ix_sources_due", "enabled", "next_fetch_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    outlet_id: Mapped[int] = mapped_column(ForeignKey("outlets.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200), default="")
    type: Mapped[str] = mapped_column(String(16))
    # For an e-paper: the day-index pattern with {yyyy}, {mm} and {dd}.
    url: Mapped[str] = mapped_column(String(1000))
    # link_selector, title_selector, date_selector, next_selector, and article_* selectors.
    selectors: Mapped[dict[str, Any]] = mapped_column(JSONType(), default=dict)
    interval_minutes: Mapped[int] = mapped_column(default=60)
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Shanghai")
    obey_robots: Mapped[bool] = mapped_column(default=True)
    enabled: Mapped[bool] = mapped_column(default=True)
    max_pages: Mapped[int] = mapped_column(default=3)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    # Fetch state.
    etag: Mapped[str | None] = mapped_column(String(300), nullable=True)
    last_modified: Mapped[str | None] = mapped_column(String(100), nullable=True)
    content_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    next_fetch_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # A claim: the worker that took the source and until when (a crashed worker's claim lapses).
    claimed_by: Mapped[str | None] = mapped_column(String(100), nullable=True)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    fetch_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    consecutive_failures: Mapped[int] = mapped_column(default=0)
    last_error_kind: Mapped[str | None] = mapped_column(String(40), nullable=True)
    last_error_message: Mapped[str | None] = mapped_column(Text, nullable=True)
    last_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    last_success_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    last_new_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    items_seen: Mapped[int] = mapped_column(default=0)

    outlet: Mapped[Outlet] = relationship()

    def __repr__(self) -> str:
        return f"<Source {self.id} {self.type} {self.url}>"


class FetchRun(db.Model):
    """One fetch of one source: when, what happened, how many articles were new."""

    __tablename__ = "fetch_runs"
    __table_args__ = (Index("ix_fetch_runs_source_started", "source_id", "started_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    outcome: Mapped[str] = mapped_column(String(40), default="running")
    trigger: Mapped[str] = mapped_column(String(16), default="scheduled")
    new_count: Mapped[int] = mapped_column(default=0)
    updated_count: Mapped[int] = mapped_column(default=0)
    duplicate_count: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)

    source: Mapped[Source] = relationship()


class ReprintGroup(db.Model):
    """Copies of one story across outlets. Its original (the earliest, or the one the others
    credit) is the member with `Article.is_original` set."""

    __tablename__ = "reprint_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    size: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Article(db.Model):
    """A published piece, stored once whatever URLs and fetches it came through."""

    __tablename__ = "articles"
    __table_args__ = (
        Index("ix_articles_outlet_day", "outlet_id", "day"),
        Index("ix_articles_day", "day"),
        Index("ix_articles_fingerprint", "fingerprint"),
        Index("ix_articles_reprint_group", "reprint_group_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(1000), unique=True)
    outlet_id: Mapped[int] = mapped_column(ForeignKey("outlets.id", ondelete="CASCADE"))
    source_id: Mapped[int | None] = mapped_column(
        ForeignKey("sources.id", ondelete="SET NULL"), nullable=True
    )
    title: Mapped[str] = mapped_column(String(500), default="")
    intro_title: Mapped[str] = mapped_column(String(500), default="")
    subtitle: Mapped[str] = mapped_column(String(500), default="")
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # The Beijing date as YYYYMMDD: dashboards group and filter on it with a plain index.
    day: Mapped[int | None] = mapped_column(Integer, nullable=True)
    page_number: Mapped[int | None] = mapped_column(nullable=True)
    page_name: Mapped[str] = mapped_column(String(100), default="")
    genre: Mapped[str] = mapped_column(String(32), default="")
    author: Mapped[str] = mapped_column(String(200), default="")
    editor: Mapped[str] = mapped_column(String(200), default="")
    source_credit: Mapped[str] = mapped_column(String(200), default="")
    fingerprint: Mapped[str] = mapped_column(String(64), default="")
    length: Mapped[int] = mapped_column(default=0)
    reprint_group_id: Mapped[int | None] = mapped_column(
        ForeignKey("reprint_groups.id", ondelete="SET NULL"), nullable=True
    )
    is_original: Mapped[bool] = mapped_column(default=True)
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    outlet: Mapped[Outlet] = relationship()
    source: Mapped[Source | None] = relationship()
    body: Mapped[ArticleBody | None] = relationship(
        back_populates="article", cascade="all, delete-orphan", uselist=False
    )
    reprint_group: Mapped[ReprintGroup | None] = relationship()

    @property
    def is_page_one(self) -> bool:
        return self.page_number == 1

    @property
    def is_reprint(self) -> bool:
        return self.reprint_group_id is not None and not self.is_original

    def __repr__(self) -> str:
        return f"<Article {self.id} {self.title[:20]}>"


class ArticleBody(db.Model):
    """The text of an article, kept apart so that lists and counts never load it."""

    __tablename__ = "article_bodies"

    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    text: Mapped[str] = mapped_column(Text, default="")
    # The MinHash signature of the text's character shingles (reprint grouping).
    minhash: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)

    article: Mapped[Article] = relationship(back_populates="body")


class ArticleUrl(db.Model):
    """Every canonical URL an article was seen under (an e-paper story may have two)."""

    __tablename__ = "article_urls"

    url: Mapped[str] = mapped_column(String(1000), primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"),
                                            index=True)


class EpaperDay(db.Model):
    """A day of an e-paper walked by a source: successfully (later ticks skip it), or with its
    articles unread so far (`unread_walks` > 0, walked again)."""

    __tablename__ = "epaper_days"

    source_id: Mapped[int] = mapped_column(
        ForeignKey("sources.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    articles: Mapped[int] = mapped_column(default=0)
    # Walks in a row whose pages linked articles but read none (a layout the walker no longer
    # understands); such a day is not walked: it is tried again, and fails the run from the 2nd.
    unread_walks: Mapped[int] = mapped_column(default=0, server_default="0")


class AllowedHost(db.Model):
    """A host on the local network an administrator allows sources to fetch (the demo site, an
    intranet paper); every other non-public address is refused (see `sources.guard`)."""

    __tablename__ = "allowed_hosts"

    id: Mapped[int] = mapped_column(primary_key=True)
    host: Mapped[str] = mapped_column(String(255), unique=True)
    note: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
