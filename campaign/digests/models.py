"""Who receives digests and alerts, the robots of a campaign, and the sent-log."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.auth.models import User
from campaign.core.dbtypes import UTCDateTime
from campaign.core.times import utcnow
from campaign.extensions import Model
from campaign.planning.models import Campaign

ROBOT_KINDS = ("wecom", "dingtalk", "feishu")
DELIVERY_STATES = ("sending", "retry", "sent", "failed", "cancelled")


class DigestSubscription(Model):
    """What one user receives about one campaign: the digest, the alerts, or both."""

    __tablename__ = "digest_subscriptions"
    __table_args__ = (UniqueConstraint("user_id", "campaign_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    digest: Mapped[bool] = mapped_column(default=True)
    alerts: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    user: Mapped[User] = relationship()
    campaign: Mapped[Campaign] = relationship()


class Robot(Model):
    """A group-chat robot (WeCom, DingTalk, Feishu webhook) an admin set up for a campaign."""

    __tablename__ = "digest_robots"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(120), default="")
    kind: Mapped[str] = mapped_column(String(16))
    url: Mapped[str] = mapped_column(String(1000))
    # DingTalk's signing secret (SEC…), or Feishu's; empty when the robot is not signed.
    secret: Mapped[str] = mapped_column(String(200), default="")
    # A robot with a keyword check only posts messages that contain the keyword.
    keyword: Mapped[str] = mapped_column(String(60), default="")
    digest: Mapped[bool] = mapped_column(default=True)
    alerts: Mapped[bool] = mapped_column(default=True)
    enabled: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    campaign: Mapped[Campaign] = relationship()


class Delivery(Model):
    """The sent-log: one row per (campaign, kind, period, recipient), claimed before sending
    (with a lease, so a crash between claim and send is retried once the lease lapses)."""

    __tablename__ = "digest_deliveries"
    __table_args__ = (UniqueConstraint("campaign_id", "kind", "period", "recipient"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))  # daily, weekly, test, alert:<what>
    period: Mapped[str] = mapped_column(String(120))  # 2006-04-26, 2006-W22, 2006-04-26/slot-3
    recipient: Mapped[str] = mapped_column(String(300))  # mail:addr, robot:7, webhook:<url>
    state: Mapped[str] = mapped_column(String(16), default="sending")
    attempts: Mapped[int] = mapped_column(default=0)
    worker: Mapped[str] = mapped_column(String(120), default="")
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    next_try_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # Why the last try failed; of a cancelled row, why it was not sent.
    last_error: Mapped[str] = mapped_column(Text, default="")
    # What is sent (JSON: the message in its reader's language and where it goes), stored
    # with the first claim so every retry sends the same, whatever the day.
    message: Mapped[str] = mapped_column(Text, default="")
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    campaign: Mapped[Campaign] = relationship()


class RobotSend(Model):
    """One message posted to a rate-limited robot webhook (DingTalk), kept a minute: every
    process counts the others' sends here (`ratelimit`)."""

    __tablename__ = "digest_robot_sends"
    __table_args__ = (Index("ix_digest_robot_sends_robot_sent_at", "robot", "sent_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    robot: Mapped[str] = mapped_column(String(64))  # SHA-256 of the webhook URL (hex)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime())
