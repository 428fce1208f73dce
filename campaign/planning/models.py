"""Campaigns, their events, editorial slots, and the outlets they invite."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Column, Date, ForeignKey, Index, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.auth.models import User
from campaign.core.dbtypes import JSONType, UTCDateTime, json_list
from campaign.core.times import local, utcnow
from campaign.extensions import Model, db

event_invited_outlets = Table(
    "event_invited_outlets",
    db.metadata,
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("outlet_id", ForeignKey("outlets.id", ondelete="CASCADE"), primary_key=True),
)

# The officers a campaign is restricted to. None listed: every officer may edit it (the
# default); some listed: only they and administrators may.
campaign_editors = Table(
    "campaign_editors",
    db.metadata,
    Column("campaign_id", ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)


class Outlet(Model):
    """A newspaper, station, site or account that may report on the campaign."""

    __tablename__ = "outlets"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    aliases: Mapped[list[str]] = mapped_column(JSONType(), default=list)
    tier: Mapped[str] = mapped_column(String(16), default="provincial")
    kind: Mapped[str] = mapped_column(String(16), default="newspaper")
    region: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    @property
    def alias_list(self) -> list[str]:
        return [str(a) for a in json_list(self.aliases)]

    def __repr__(self) -> str:
        return f"<Outlet {self.name}>"


class Campaign(Model):
    """A campaign period (a propaganda month) and what it aims at."""

    __tablename__ = "campaigns"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    # Preparation (notices, send-offs) often happens before the official period starts.
    planning_starts_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    # Follow-up (a wrap-up meeting, the summary) often happens after the official end.
    follow_up_ends_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Shanghai")
    description: Mapped[str] = mapped_column(Text, default="")
    goals: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    events: Mapped[list[Event]] = relationship(
        back_populates="campaign",
        cascade="all, delete-orphan",
        order_by="Event.starts_at",
    )
    editors: Mapped[list[User]] = relationship(secondary=campaign_editors,
                                               order_by="User.username")

    @property
    def first_day(self) -> date:
        """The first day events may fall on (the preparation start, or the period start)."""
        if self.planning_starts_on and self.planning_starts_on < self.starts_on:
            return self.planning_starts_on
        return self.starts_on

    @property
    def last_day(self) -> date:
        """The last day events may fall on (the follow-up end, or the period end)."""
        if self.follow_up_ends_on and self.follow_up_ends_on > self.ends_on:
            return self.follow_up_ends_on
        return self.ends_on

    def event_with_key(self, key: str | None) -> Event | None:
        """The campaign's event with this key, or None."""
        return next((e for e in self.events if e.key == key), None)

    @property
    def events_in_order(self) -> list[Event]:
        """The events in date order, equal starts in the order they were made (the loaded
        collection is ordered by start only, and an event added since is at its end)."""
        return sorted(self.events, key=lambda e: (e.starts_at, e.id))

    def __repr__(self) -> str:
        return f"<Campaign {self.slug}>"


class Event(Model):
    """A planned event of a campaign: a briefing, a rally, an editorial slot, a broadcast…"""

    __tablename__ = "events"
    __table_args__ = (
        UniqueConstraint("campaign_id", "key"),
        Index("ix_events_campaign_starts", "campaign_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(String(300))
    type: Mapped[str] = mapped_column(String(32), default="other")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # For all-day events `ends_at` is the midnight after the last day (exclusive end).
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    all_day: Mapped[bool] = mapped_column(default=False)
    venue: Mapped[str] = mapped_column(String(200), default="")
    owner: Mapped[str] = mapped_column(String(120), default="")
    status: Mapped[str] = mapped_column(String(16), default="planned")
    description: Mapped[str] = mapped_column(Text, default="")
    key_messages: Mapped[str] = mapped_column(Text, default="")
    keywords: Mapped[list[str]] = mapped_column(JSONType(), default=list)
    target_outlets: Mapped[int | None] = mapped_column(nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    # When its window was last matched (None: never); an edit of the event or its coverage
    # rule after this makes matching read the window again.
    matched_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # Bumped on every change so subscribed calendars see the new version (iCalendar SEQUENCE).
    sequence: Mapped[int] = mapped_column(default=0)

    campaign: Mapped[Campaign] = relationship(back_populates="events")
    invited_outlets: Mapped[list[Outlet]] = relationship(
        secondary=event_invited_outlets, order_by="Outlet.name"
    )
    slots: Mapped[list[EditorialSlot]] = relationship(
        back_populates="event",
        cascade="all, delete-orphan",
        order_by="EditorialSlot.planned_on",
    )

    @property
    def keyword_list(self) -> list[str]:
        return [str(k) for k in json_list(self.keywords)]

    @property
    def short_title(self) -> str:
        """The title without the slot's outlet name in front ("安徽日报整版专题：劳模" shows as
        "整版专题：劳模"): calendar bars are narrow, and the outlet is in the tooltip."""
        if self.slots:
            name = self.slots[0].outlet.name
            rest = self.title.removeprefix(name).lstrip(" ：:·")
            if rest and rest != self.title:
                return rest
        return self.title

    @property
    def local_start(self) -> datetime:
        return local(self.starts_at, self.campaign.timezone)

    @property
    def local_end(self) -> datetime:
        return local(self.ends_at, self.campaign.timezone)

    @property
    def start_date(self) -> date:
        return self.local_start.date()

    @property
    def end_date(self) -> date:
        """The last day the event occupies (inclusive)."""
        if self.all_day:
            return (self.local_end - timedelta(seconds=1)).date()
        return self.local_end.date()

    def occupies(self, day: date) -> bool:
        return self.start_date <= day <= self.end_date

    def __repr__(self) -> str:
        return f"<Event {self.key} {self.type}>"


PAGE_NUMBER = re.compile(r"(\d+)")
CHINESE_NUMERALS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
                    "十": 10, "头": 1}


def page_number(page: str) -> int | None:
    """The page number in "一版", "第01版", "A1", "头版"; None when there is none."""
    page = page.strip()
    if not page:
        return None
    match = PAGE_NUMBER.search(page)
    if match:
        return int(match.group(1))
    if page[0] in CHINESE_NUMERALS:
        return CHINESE_NUMERALS[page[0]]
    return None


class EditorialSlot(Model):
    """A planned piece in a named outlet: an editorial, a column day, a full-page feature.

    A column or series is one row planned as a period: `planned_on` is its first day, with
    `ends_on`, a weekday rhythm (`weekdays`, ISO numbers "2,5") or a count (`expected`);
    `campaign.planning.instalments` turns that into the days it runs.
    """

    __tablename__ = "editorial_slots"
    __table_args__ = (UniqueConstraint("event_id", "planned_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    outlet_id: Mapped[int] = mapped_column(ForeignKey("outlets.id"))
    planned_on: Mapped[date] = mapped_column(Date)
    genre: Mapped[str] = mapped_column(String(16), default="editorial")
    page: Mapped[str] = mapped_column(String(32), default="")
    ends_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    weekdays: Mapped[str] = mapped_column(String(16), default="")
    expected: Mapped[int | None] = mapped_column(nullable=True)

    event: Mapped[Event] = relationship(back_populates="slots")
    outlet: Mapped[Outlet] = relationship()
    excuses: Mapped[list[SlotExcuse]] = relationship(
        back_populates="slot", cascade="all, delete-orphan", order_by="SlotExcuse.day")

    @property
    def page_number(self) -> int | None:
        return page_number(self.page)

    @property
    def weekday_numbers(self) -> list[int]:
        """The ISO weekdays (1 = Monday) of the rhythm; empty when there is none."""
        return sorted({int(w) for w in self.weekdays.split(",")
                       if w.strip().isdigit() and 1 <= int(w) <= 7})

    @property
    def recurring(self) -> bool:
        """Planned as a period (an end, a rhythm or a count) rather than one day."""
        return bool(self.ends_on or self.weekday_numbers or self.expected)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"outlet": self.outlet.name, "genre": self.genre,
                               "page": self.page, "date": self.planned_on.isoformat()}
        if self.recurring:
            out.update(ends_on=self.ends_on.isoformat() if self.ends_on else None,
                       weekdays=self.weekday_numbers, count=self.expected)
        return out


class SlotExcuse(Model):
    """An instalment of a slot that the paper skipped for a reason the officer noted."""

    __tablename__ = "slot_excuses"
    __table_args__ = (UniqueConstraint("slot_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slot_id: Mapped[int] = mapped_column(ForeignKey("editorial_slots.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    excused_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    slot: Mapped[EditorialSlot] = relationship(back_populates="excuses")
