"""Exports run in the background: a job row per requested file, its progress, the worker
holding it (a lease) and, once written, where the file lies until it expires."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.auth.models import User
from campaign.core.dbtypes import JSONType, UTCDateTime
from campaign.core.times import utcnow
from campaign.extensions import Model
from campaign.planning.models import Campaign

JOB_STATES = ("queued", "running", "done", "failed", "expired")


class ExportJob(Model):
    """One export asked for on the exports page (or the CLI): `format` and the clipping-list
    filter (`filters`, the page's query arguments) say what to write; `done` of `total` rows
    say how far it is; `claimed_by` / `claimed_until` are the lease of the worker writing it,
    so a job left running by a dead process is taken up again once the lease lapses."""

    __tablename__ = "export_jobs"
    __table_args__ = (Index("ix_export_jobs_status_created", "status", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    requested_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    format: Mapped[str] = mapped_column(String(16))
    filters: Mapped[dict[str, Any]] = mapped_column(JSONType(), default=dict)
    status: Mapped[str] = mapped_column(String(16), default="queued")
    done: Mapped[int] = mapped_column(default=0)
    total: Mapped[int | None] = mapped_column(nullable=True)
    attempts: Mapped[int] = mapped_column(default=0)
    claimed_by: Mapped[str | None] = mapped_column(String(120), nullable=True)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    download_name: Mapped[str] = mapped_column(String(255), default="")
    file: Mapped[str | None] = mapped_column(String(255), nullable=True)  # in the export folder
    error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    campaign: Mapped[Campaign] = relationship()
    requested_by: Mapped[User | None] = relationship()

    @property
    def percent(self) -> int:
        """How far the job is, 0-100 (100 once done)."""
        if self.status == "done":
            return 100
        if not self.total:
            return 0
        return min(99, int(100 * self.done / self.total))

    @property
    def finished(self) -> bool:
        return self.status in ("done", "failed", "expired")
