"""Coverage rules of events, matches of articles to events with the officer's decision, and
manual clippings of coverage that has no URL."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Column,
    Date,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.articles.models import Article
from campaign.core.dbtypes import JSONType, UTCDateTime
from campaign.core.times import utcnow
from campaign.extensions import Model, db
from campaign.planning.models import Event, Outlet

MATCH_STATUSES = ("suggested", "accepted", "rejected")

rule_outlets = Table(
    "coverage_rule_outlets",
    db.metadata,
    Column("event_id", ForeignKey("coverage_rules.event_id", ondelete="CASCADE"),
           primary_key=True),
    Column("outlet_id", ForeignKey("outlets.id", ondelete="CASCADE"), primary_key=True),
)


class CoverageRule(Model):
    """How to recognise an event's coverage: a query, a window around the day, outlets."""

    __tablename__ = "coverage_rules"

    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"),
                                          primary_key=True)
    query: Mapped[str] = mapped_column(Text, default="")
    use_synonyms: Mapped[bool] = mapped_column(default=True)
    # The window: from `days_before` before the event day to `days_after` after its last day.
    days_before: Mapped[int | None] = mapped_column(nullable=True)
    days_after: Mapped[int | None] = mapped_column(nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    event: Mapped[Event] = relationship()
    outlets: Mapped[list[Outlet]] = relationship(secondary=rule_outlets, order_by="Outlet.name")


class Match(Model):
    """An article matched to an event, automatically or by hand, and what an officer decided.

    A decision (`decided_by` set) is never overwritten by a later automatic run; a rejected
    article is never suggested again for that event.
    """

    __tablename__ = "matches"
    __table_args__ = (
        UniqueConstraint("event_id", "article_id"),
        # Dashboards count accepted matches per event by day from this index alone (it
        # carries the article id too, so the matches table itself is never read).
        Index("ix_matches_event_status_day", "event_id", "status", "day", "article_id"),
        Index("ix_matches_article", "article_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(16), default="suggested")
    score: Mapped[float] = mapped_column(default=0.0)
    explanation: Mapped[dict[str, Any]] = mapped_column(JSONType(), default=dict)
    auto: Mapped[bool] = mapped_column(default=True)
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    matched_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Copied from the article so per-event counts by day need no join (dashboards).
    day: Mapped[int | None] = mapped_column(nullable=True)

    event: Mapped[Event] = relationship()
    article: Mapped[Article] = relationship()

    @property
    def decided(self) -> bool:
        return self.decided_by_id is not None


class Clipping(Model):
    """Coverage entered by an officer — print, TV, radio, WeChat — with its link when it has
    one (`url`, empty for print)."""

    __tablename__ = "clippings"
    __table_args__ = (Index("ix_clippings_event", "event_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    outlet_id: Mapped[int] = mapped_column(ForeignKey("outlets.id"))
    published_on: Mapped[date] = mapped_column(Date)
    page: Mapped[str] = mapped_column(String(32), default="")
    page_number: Mapped[int | None] = mapped_column(nullable=True)
    genre: Mapped[str] = mapped_column(String(32), default="")
    title: Mapped[str] = mapped_column(String(500))
    url: Mapped[str] = mapped_column(String(1000), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    # The scan or screenshot, stored under the instance folder (never the static folder).
    file_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    file_type: Mapped[str | None] = mapped_column(String(60), nullable=True)
    file_size: Mapped[int | None] = mapped_column(nullable=True)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    event: Mapped[Event] = relationship()
    outlet: Mapped[Outlet] = relationship()


class CoverageCell(Model):
    """Accepted pieces of one outlet on one day within one scope of a campaign, counted ahead
    (see `campaign.coverage.cells`). Scopes: every event (`event_id` 0, `event_type` ""), the
    events of one type (`event_id` 0, `event_type` set), one event (`event_id` set). Within a
    scope an article accepted for two of its events is one piece. `day` 0: no known date."""

    __tablename__ = "coverage_cells"

    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True)
    event_id: Mapped[int] = mapped_column(primary_key=True)
    event_type: Mapped[str] = mapped_column(String(32), primary_key=True)
    day: Mapped[int] = mapped_column(primary_key=True)
    outlet_id: Mapped[int] = mapped_column(
        ForeignKey("outlets.id", ondelete="CASCADE"), primary_key=True)
    pieces: Mapped[int] = mapped_column(default=0)
    page_one: Mapped[int] = mapped_column(default=0)
    reprints: Mapped[int] = mapped_column(default=0)


class CoverageReprint(Model):
    """An accepted article of an event that belongs to a reprint group (for reprint reach),
    kept with the cells."""

    __tablename__ = "coverage_reprints"
    __table_args__ = (Index("ix_coverage_reprints_campaign_day", "campaign_id", "day"),)

    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    group_id: Mapped[int] = mapped_column(
        ForeignKey("reprint_groups.id", ondelete="CASCADE"))
    day: Mapped[int] = mapped_column()
    outlet_id: Mapped[int] = mapped_column(ForeignKey("outlets.id", ondelete="CASCADE"))
