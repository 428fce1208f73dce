"""Reprint groups: copies of one story across outlets."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Mapped, mapped_column

from campaign.core.dbtypes import UTCDateTime
from campaign.core.times import utcnow
from campaign.extensions import Model


class ReprintGroup(Model):
    """Copies of one story across outlets. Its original (the earliest, or the one the others
    credit) is the member with `Article.is_original` set."""

    __tablename__ = "reprint_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    size: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
