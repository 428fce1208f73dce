"""iCalendar (RFC 5545) feed of a campaign, for Outlook, WPS and phone calendars."""

from __future__ import annotations

from datetime import date, timedelta

from flask import url_for
from flask_babel import gettext as _
from icalendar import Calendar
from icalendar import Event as ICalEvent

from campaign.core.choices import EVENT_TYPES
from campaign.core.times import local, utcnow
from campaign.planning.instalments import instalment_dates, period_end
from campaign.planning.models import Campaign, EditorialSlot, Event

PRODID = "-//campaign-tracker//宣传月日程//ZH"


def _uid(event: Event) -> str:
    # Stable across edits (the key and campaign slug do not change when an event moves),
    # so a subscribed calendar moves the event instead of adding a copy.
    return f"{event.campaign.slug}.{event.key}@campaign-tracker"


def _describe(event: Event) -> str:
    lines = [str(EVENT_TYPES.get(event.type, event.type))]
    if event.description:
        lines.append(event.description)
    if event.key_messages:
        lines.append(event.key_messages)
    if event.invited_outlets:
        lines.append(_("邀请媒体：") + _("、").join(o.name for o in event.invited_outlets))
    for slot in event.slots:
        lines.append(f"{_slot_days(slot)} {slot.outlet.name} {slot.page}")
    return "\n".join(lines)


def _slot_days(slot: EditorialSlot) -> str:
    if slot.recurring and instalment_dates(slot) is None:
        return f"{slot.planned_on.isoformat()}—{period_end(slot).isoformat()}"
    return slot.planned_on.isoformat()


def _instalments(event: Event) -> list[date]:
    """The days of a column's instalments when it has more than one (each is its own VEVENT,
    never an RRULE: calendar clients disagree on rules, and a skipped day stays a plain
    deletion)."""
    days = sorted({day for slot in event.slots for day in instalment_dates(slot) or []})
    return days if len(days) > 1 else []


def _ical_event(event: Event, stamp_url: str | None) -> ICalEvent:
    item = ICalEvent()
    tz = event.campaign.timezone
    item.add("uid", _uid(event))
    item.add("summary", event.title)
    if event.all_day:
        item.add("dtstart", event.start_date)
        item.add("dtend", local(event.ends_at, tz).date())
    else:
        item.add("dtstart", local(event.starts_at, tz))
        item.add("dtend", local(event.ends_at, tz))
    _add_common(item, event, stamp_url)
    return item


def _instalment_event(event: Event, day: date, number: int, stamp_url: str | None) -> ICalEvent:
    item = ICalEvent()
    # The day in the UID: an instalment keeps its UID while the plan around it changes.
    item.add("uid", f"{event.campaign.slug}.{event.key}.{day:%Y%m%d}@campaign-tracker")
    item.add("summary", _("%(title)s（第 %(n)d 期）", title=event.title, n=number))
    item.add("dtstart", day)
    item.add("dtend", day + timedelta(days=1))
    _add_common(item, event, stamp_url)
    return item


def _add_common(item: ICalEvent, event: Event, stamp_url: str | None) -> None:
    item.add("dtstamp", utcnow())
    item.add("last-modified", event.updated_at)
    item.add("sequence", event.sequence or 0)
    if event.venue:
        item.add("location", event.venue)
    item.add("description", _describe(event))
    item.add("categories", [str(EVENT_TYPES.get(event.type, event.type))])
    item.add("status", "CANCELLED" if event.status == "cancelled" else "CONFIRMED"
             if event.status in ("confirmed", "held") else "TENTATIVE")
    if stamp_url:
        item.add("url", stamp_url)


def campaign_calendar(campaign: Campaign) -> bytes:
    """The campaign's events as an .ics file with the VTIMEZONE of its zone."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", campaign.name)
    cal.add("x-wr-timezone", campaign.timezone)
    for event in campaign.events:
        link = url_for("planning.event_detail", slug=campaign.slug, key=event.key, _external=True)
        days = _instalments(event)
        for number, day in enumerate(days, start=1):
            cal.add_component(_instalment_event(event, day, number, link))
        if not days:
            cal.add_component(_ical_event(event, link))
    cal.add_missing_timezones()
    ics: bytes = cal.to_ical()  # icalendar leaves to_ical unannotated
    return ics
