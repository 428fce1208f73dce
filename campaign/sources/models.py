"""Sources with their fetch state, their fetch runs, and the local hosts they may fetch."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.core.dbtypes import JSONType, UTCDateTime
from campaign.core.times import utcnow
from campaign.extensions import Model
from campaign.planning.models import Outlet

SOURCE_TYPES = ("rss", "html", "epaper")


class Source(Model):
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


class FetchRun(Model):
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
    # Items or links that could not be read and were left out (the rest were stored), and a
    # warning code such as "charset:big5hkscs:1" (some bytes did not fit the declared charset).
    skipped_count: Mapped[int] = mapped_column(default=0, server_default="0")
    warning: Mapped[str | None] = mapped_column(String(200), nullable=True)

    source: Mapped[Source] = relationship()


class AllowedHost(Model):
    """A host on the local network an administrator allows sources to fetch (the demo site, an
    intranet paper); every other non-public address is refused (see `sources.guard`)."""

    __tablename__ = "allowed_hosts"

    id: Mapped[int] = mapped_column(primary_key=True)
    host: Mapped[str] = mapped_column(String(255), unique=True)
    note: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
