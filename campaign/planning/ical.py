"""iCalendar (RFC 5545) feed of a campaign, for Outlook, WPS and phone calendars."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from icalendar import Calendar
from icalendar import Event as ICalEvent

from campaign.core.choices import EVENT_TYPES
from campaign.core.times import local, utcnow
from campaign.planning.models import Campaign, Event

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
        lines.append(f"{slot.planned_on.isoformat()} {slot.outlet.name} {slot.page}")
    return "\n".join(lines)


def _ical_event(event: Event, stamp_url: str | None) -> ICalEvent:
    item = ICalEvent()
    tz = event.campaign.timezone
    item.add("uid", _uid(event))
    item.add("summary", event.title)
    item.add("dtstamp", utcnow())
    item.add("last-modified", event.updated_at)
    item.add("sequence", event.sequence or 0)
    if event.all_day:
        item.add("dtstart", event.start_date)
        item.add("dtend", local(event.ends_at, tz).date())
    else:
        item.add("dtstart", local(event.starts_at, tz))
        item.add("dtend", local(event.ends_at, tz))
    if event.venue:
        item.add("location", event.venue)
    item.add("description", _describe(event))
    item.add("categories", [str(EVENT_TYPES.get(event.type, event.type))])
    item.add("status", "CANCELLED" if event.status == "cancelled" else "CONFIRMED"
             if event.status in ("confirmed", "held") else "TENTATIVE")
    if stamp_url:
        item.add("url", stamp_url)
    return item


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
        cal.add_component(_ical_event(event, link))
    cal.add_missing_timezones()
    ics: bytes = cal.to_ical()  # icalendar leaves to_ical unannotated
    return ics
