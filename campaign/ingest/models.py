"""Fetch state kept by ingest: the e-paper days a source has walked."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from campaign.core.dbtypes import UTCDateTime
from campaign.core.times import utcnow
from campaign.extensions import Model


class EpaperDay(Model):
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
