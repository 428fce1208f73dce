"""Writes to campaigns and events. Each function flushes and logs; the caller commits."""

from __future__ import annotations

import logging
from datetime import date, datetime
from typing import Any

from dateutil.relativedelta import relativedelta
from flask_babel import gettext as _
from pydantic import ValidationError
from sqlalchemy import delete, select

from campaign.core.times import local, zone
from campaign.extensions import db
from campaign.planning.instalments import instalment_dates, weekdays_text
from campaign.planning.models import Campaign, EditorialSlot, Event, SlotExcuse
from campaign.planning.rules import CampaignRules, EventInput, EventRules, PlanningError

log = logging.getLogger(__name__)


def get_campaign(slug: str) -> Campaign | None:
    """The campaign with this slug, or None."""
    return db.session.scalar(select(Campaign).where(Campaign.slug == slug))


def save_campaign(
    campaign: Campaign | None, *, name: str, slug: str, starts_on: date | None,
    ends_on: date | None, planning_starts_on: date | None = None,
    follow_up_ends_on: date | None = None,
    timezone: str = "Asia/Shanghai", description: str = "", goals: str = "",
) -> Campaign:
    """Create a campaign (when `campaign` is None) or change one."""
    check_campaign(campaign, {
        "name": name, "slug": slug, "starts_on": starts_on, "ends_on": ends_on,
        "planning_starts_on": planning_starts_on, "follow_up_ends_on": follow_up_ends_on,
        "timezone": timezone})
    if campaign is None:
        campaign = Campaign()
        db.session.add(campaign)
    campaign.name, campaign.slug = name.strip(), slug
    # CampaignRules has refused a missing date.
    campaign.starts_on, campaign.ends_on = starts_on, ends_on  # type: ignore[assignment]
    campaign.planning_starts_on = planning_starts_on
    campaign.follow_up_ends_on = follow_up_ends_on
    campaign.timezone, campaign.description, campaign.goals = timezone, description, goals
    _check_events_still_fit(campaign)
    db.session.flush()
    log.info("saved campaign %s", slug)
    return campaign


def check_campaign(campaign: Campaign | None, fields: dict[str, Any]) -> None:
    """The campaign's name, slug, period and zone pass `CampaignRules`, and the slug is free
    (but for `campaign` itself); PlanningError on the first problem otherwise."""
    try:
        CampaignRules.model_validate(fields)
    except ValidationError as error:
        raise PlanningError.first_of(error) from error
    other = get_campaign(fields["slug"])
    if other is not None and other is not campaign:
        raise PlanningError("slug", _("网址标识 %(slug)s 已被使用", slug=fields["slug"]))


def _check_events_still_fit(campaign: Campaign) -> None:
    for event in campaign.events if campaign.id else []:
        if event.start_date < campaign.first_day or event.end_date > campaign.last_day:
            raise PlanningError(
                "starts_on",
                _("活动“%(title)s”（%(day)s）将超出新的日期范围", title=event.title,
                  day=event.start_date.isoformat()),
            )


def delete_campaign(campaign: Campaign) -> None:
    """Delete a campaign with everything of it. One statement: the database's foreign keys
    (ON DELETE CASCADE) remove its events, their invitations, slots, excuses, rules, matches
    and clippings, its coverage cells, robots, subscriptions and export jobs — the ORM's
    cascade loaded and deleted them row by row, seconds of holding the write lock for a plan
    of thousands of events."""
    log.info("deleting campaign %s", campaign.slug)
    db.session.execute(delete(Campaign).where(Campaign.id == campaign.id))


def _new_key(campaign: Campaign, data: EventInput) -> str:
    taken = {e.key for e in campaign.events}
    day = local(data.starts_at, campaign.timezone).strftime("%m%d")
    base = f"{data.type.replace('_', '-')}-{day}"
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    return key


def save_event(campaign: Campaign, event: Event | None, data: EventInput) -> Event:
    """Create an event in `campaign` (when `event` is None) or change one."""
    EventRules.check(campaign, data)
    key = data.key or (event.key if event else _new_key(campaign, data))
    if any(e.key == key and e is not event for e in campaign.events):
        raise PlanningError("key", _("标识 %(key)s 已被本次活动的其他活动使用", key=key))
    if event is None:
        event = Event(campaign=campaign, sequence=0)
        db.session.add(event)
    else:
        event.sequence = (event.sequence or 0) + 1
    fill_event(event, data, key)
    db.session.flush()
    log.info("saved event %s/%s", campaign.slug, key)
    return event


def keep_duration(event: Event, data: EventInput) -> None:
    """When an edit moves the start and leaves the end as it was, the end moves with the start
    (the event keeps its length) instead of being refused as ending before it starts."""
    if (data.all_day == event.all_day and data.ends_at == event.ends_at
            and data.starts_at != event.starts_at):
        data.ends_at = data.starts_at + (event.ends_at - event.starts_at)


def move_event(event: Event, day: date) -> Event:
    """Move the event to start on `day` at the same local time, keeping its length; its slot
    dates move by as many days. Refused (PlanningError) outside the campaign's days."""
    shift = relativedelta(days=(day - event.start_date).days)
    return save_event(event.campaign, event, shifted_input(event, shift, status=event.status))


def fill_event(event: Event, data: EventInput, key: str) -> None:
    """Set the event's fields, invitations and slots from checked input (no flush: the plan
    import fills thousands of events and writes them in one short flush)."""
    event.key, event.title, event.type = key, data.title.strip(), data.type
    event.starts_at, event.ends_at, event.all_day = data.starts_at, data.ends_at, data.all_day
    event.venue, event.owner, event.status = data.venue, data.owner, data.status
    event.description, event.key_messages = data.description, data.key_messages
    event.keywords = _unique([k.strip() for k in data.keywords if k.strip()])
    event.invited_outlets = list(dict.fromkeys(data.invited_outlets))
    event.target_outlets = data.target_outlets
    _apply_slots(event, data)


def _apply_slots(event: Event, data: EventInput) -> None:
    if data.type != "editorial_slot" or data.slot_outlet is None:
        event.slots = []
        return
    days = sorted(set(data.slot_dates)) or [local(data.starts_at, event.campaign.timezone).date()]
    existing = {slot.planned_on: slot for slot in event.slots}
    slots = []
    for day in days:
        slot = existing.get(day) or EditorialSlot(planned_on=day)
        slot.outlet, slot.genre, slot.page = data.slot_outlet, data.slot_genre, data.slot_page
        # A column planned as a period is its one slot (EventRules refused more dates).
        slot.ends_on, slot.expected = data.slot_ends_on, data.slot_count
        slot.weekdays = weekdays_text(data.slot_weekdays)
        slots.append(slot)
    event.slots = slots


def excuse_instalment(slot: EditorialSlot, day: date, note: str, user_id: int | None) -> None:
    """Record that the paper skipped the slot's instalment of `day`, with the officer's note
    (a second excuse of the same day replaces the note)."""
    note = note.strip()
    if not note:
        raise PlanningError("note", _("请填写说明"))
    # A period without fixed days has no instalment to excuse: its count is what it is.
    if day not in (instalment_dates(slot) or []):
        raise PlanningError("day", _("%(day)s 不是本栏目的刊出日期", day=day.isoformat()))
    excuse = next((e for e in slot.excuses if e.day == day), None)
    if excuse is None:
        excuse = SlotExcuse(day=day)
        slot.excuses.append(excuse)
    excuse.note, excuse.excused_by_id = note, user_id
    db.session.flush()
    log.info("excused slot %s instalment %s", slot.id, day)


def withdraw_excuse(slot: EditorialSlot, day: date) -> None:
    """Take back the excuse of the slot's instalment of `day` (nothing when there is none)."""
    slot.excuses = [e for e in slot.excuses if e.day != day]
    db.session.flush()
    log.info("withdrew the excuse of slot %s instalment %s", slot.id, day)


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def delete_event(event: Event) -> None:
    """Delete an event with its slots."""
    log.info("deleting event %s", event.key)
    # Removing it from the campaign's collection deletes it (delete-orphan) and keeps the
    # loaded collection true to the database for the rest of the transaction.
    event.campaign.events.remove(event)
    db.session.flush()


def shifted_input(event: Event, shift: relativedelta, *, status: str) -> EventInput:
    """The event as input to save_event, every date moved by `shift` in local wall-clock time
    (a move keeps the event's status; a copy to another year starts planned)."""
    campaign = event.campaign
    slot = event.slots[0] if event.slots else None
    return EventInput(
        key=event.key, title=event.title, type=event.type,
        starts_at=_shift_local(event.starts_at, campaign, shift),
        ends_at=_shift_local(event.ends_at, campaign, shift),
        all_day=event.all_day, venue=event.venue, owner=event.owner, status=status,
        description=event.description, key_messages=event.key_messages,
        keywords=event.keyword_list, invited_outlets=list(event.invited_outlets),
        target_outlets=event.target_outlets,
        slot_outlet=slot.outlet if slot else None,
        slot_genre=slot.genre if slot else "",
        slot_page=slot.page if slot else "",
        slot_dates=[s.planned_on + shift for s in event.slots],
        **_period_of(slot, shift),
    )


def _period_of(slot: EditorialSlot | None, shift: relativedelta) -> dict[str, Any]:
    """A column's period shifted like its first day (the weekday rhythm stays)."""
    if slot is None or not slot.recurring:
        return {}
    return {"slot_ends_on": slot.ends_on + shift if slot.ends_on else None,
            "slot_weekdays": slot.weekday_numbers, "slot_count": slot.expected}


def _shift_local(value: datetime, campaign: Campaign, shift: relativedelta) -> datetime:
    """Shift in local wall-clock time, so 09:00 Beijing stays 09:00 Beijing."""
    tz = zone(campaign.timezone)
    wall = value.astimezone(tz).replace(tzinfo=None) + shift
    return wall.replace(tzinfo=tz)
