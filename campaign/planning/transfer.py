"""Campaign plan import and export.

The file format is described once, in `planning.plan_file` (pydantic models, whose JSON Schema
the app serves at /plan-schema.json and the README links). A plan written the plain way imports:
every outlet missing from the directory is listed at once (and created when asked), page numbers
may be numbers, and events before the start or after the end widen the campaign's preparation
or follow-up time with a notice.

Every check runs before anything is written, and the rows of every event, invitation and slot
are built then too (`PreparedPlan.rows`); the write only sends them, in bulk statements, so a
big plan holds SQLite's write lock for those statements alone, and a bad file writes nothing.
"""

from __future__ import annotations

import json
import logging
import time as clock
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from flask_babel import gettext as _
from pydantic import ValidationError
from sqlalchemy import bindparam, delete, inspect, literal_column, select, update

from campaign.core.bulk import NOTHING, BulkRows, bulk_insert, bulk_update
from campaign.core.sqlite import briefly
from campaign.core.times import local, utcnow, zone
from campaign.extensions import db
from campaign.planning.instalments import weekdays_text
from campaign.planning.models import (
    Campaign,
    EditorialSlot,
    Event,
    Outlet,
    event_invited_outlets,
)
from campaign.planning.operations import get_campaign
from campaign.planning.plan_file import PlanEvent, PlanFile, PlanSlot, error_lines, read_plan
from campaign.planning.rules import (
    MAX_FOLLOW_UP_DAYS,
    MAX_PREPARATION_DAYS,
    EventInput,
    EventRules,
    PlanningError,
    problems,
)

log = logging.getLogger(__name__)
DEFAULT_DURATION = timedelta(hours=2)
# A page of messages is enough to fix a file; the rest are counted.
MAX_LINES = 50


class CampaignFileError(PlanningError):
    """A campaign file that cannot be imported; `lines` holds every problem found."""

    def __init__(self, field: str, message: str, *, where: str = "",
                 lines: list[str] | None = None) -> None:
        super().__init__(field, message, where=where)
        self.lines = lines or [str(self)]

    @classmethod
    def of_lines(cls, lines: list[str]) -> CampaignFileError:
        shown = lines[:MAX_LINES]
        if len(lines) > MAX_LINES:
            shown.append(_("……另有 %(n)d 处问题", n=len(lines) - MAX_LINES))
        error = cls("file", "\n".join(shown), lines=shown)
        error.args = ("\n".join(shown),)
        return error


class UnknownOutletsError(CampaignFileError):
    """Outlets the plan names that the directory does not have (all of them)."""

    def __init__(self, used_by: dict[str, list[str]]) -> None:
        listed = "、".join(_("%(name)s（%(keys)s）", name=name, keys=", ".join(keys[:3]))
                          for name, keys in used_by.items())
        message = _("以下 %(n)d 家媒体不在媒体名录中：%(names)s。可先在媒体名录中添加，"
                    "或选择新建这些媒体后再导入（命令行：--create-outlets）。",
                    n=len(used_by), names=listed)
        super().__init__("outlets", message, where=_("文件"))
        self.names = list(used_by)


@dataclass
class PlanImport:
    """What an import did: the campaign, the outlets it created and what the officer should
    know (events taken as preparation or follow-up time)."""

    campaign: Campaign
    created_outlets: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


@dataclass
class EventRows:
    """One event's rows, built while the plan is read: the event's own (its campaign's id is
    added when written), the outlets it invites and its slots' rows (their `outlet` an Outlet,
    whose id a new outlet gets only when written; no event id yet)."""

    key: str
    event: dict[str, Any]
    invited: list[Outlet]
    slots: list[dict[str, Any]]


@dataclass
class PlanWrite:
    """What the write does to the events, decided and converted while the plan is read: the
    campaign's events then (key: id, type and sequence, which an edit raises), the new ones to
    insert, the kept ones whose fields change (changed in place; `retyped`: the ids whose type
    changes), the invitations the kept events had, the ids of the events that go."""

    current: dict[str, tuple[int, str, int]]
    new: list[EventRows]
    kept: list[EventRows]
    invited: set[tuple[int, int]]
    gone: list[int]
    retyped: dict[int, str]
    insert_events: BulkRows
    update_events: BulkRows
    insert_slots: BulkRows


@dataclass
class PreparedPlan:
    """A plan read and checked, not yet written: `write_plan` writes it in a short write."""

    slug: str
    inputs: list[EventInput]
    fields: dict[str, Any]
    existing_id: int | None
    new_outlets: list[Outlet]
    notices: list[str]
    write: PlanWrite


def import_plan(data: dict[str, Any] | bytes | str, *, update: bool = False,
                create_outlets: bool = False) -> PlanImport:
    """Create (or with `update`, replace the plan of) the campaign the file describes.

    `data` is the file's bytes or its parsed object. Nothing is flushed before every check has
    passed; the caller commits on success and rolls back on CampaignFileError. (The web and the
    CLI end the reading transaction between `prepare_plan` and `write_plan`, so that only the
    write holds SQLite's write lock.)
    """
    return write_plan(prepare_plan(data, update=update, create_outlets=create_outlets))


def prepare_plan(data: dict[str, Any] | bytes | str, *, update: bool = False,
                 create_outlets: bool = False,
                 may_replace: Callable[[Campaign], bool] | None = None) -> PreparedPlan:
    """Read and check the plan (reads only: the directory and the existing campaign).
    PermissionError when it would replace a campaign `may_replace` refuses."""
    plan = read_plan_file(data)
    existing = get_campaign(plan.slug)
    if existing is not None and may_replace is not None and not may_replace(existing):
        raise PermissionError(plan.slug)
    if existing is not None and not update:
        raise CampaignFileError("slug", _("活动 %(slug)s 已存在（要覆盖请使用更新模式）",
                                          slug=plan.slug), where=_("活动"))
    outlets, created = _outlets(plan, create=create_outlets)
    inputs = [_event_input(event, plan.timezone, outlets) for event in plan.events]
    notices: list[str] = []
    fields = _campaign_fields(plan, inputs, notices)
    return prepare_events(fields, inputs, existing=existing,
                          new_outlets=[outlets[name] for name in created], notices=notices)


def prepare_events(fields: dict[str, Any], inputs: list[EventInput], *,
                   existing: Campaign | None, new_outlets: list[Outlet] | None = None,
                   notices: list[str] | None = None) -> PreparedPlan:
    """Check the events against the campaign's `fields` and decide the write (reads only):
    the plan import's second half, and a copy's (`campaign.planning.copies`)."""
    _check_events(Campaign(**fields), inputs)  # a transient row: the checks read its dates
    rows = [_rows(data, fields["timezone"]) for data in inputs]
    return PreparedPlan(slug=fields["slug"], inputs=inputs, fields=fields,
                        existing_id=existing.id if existing else None,
                        new_outlets=new_outlets or [], notices=notices or [],
                        write=_plan_write(rows, existing.id if existing else None))


def write_plan(prepared: PreparedPlan) -> PlanImport:
    """Write a prepared plan: the campaign and new outlets through the ORM, the events, their
    invitations and slots in bulk. Refused when the campaign or its events changed meanwhile
    (another import or an officer's edit between the reading and the write)."""
    existing = get_campaign(prepared.slug)
    if (existing.id if existing else None) != prepared.existing_id or (
            existing is not None and _current_events(existing.id) != prepared.write.current):
        raise CampaignFileError("slug", _("活动 %(slug)s 在导入期间被修改，请重新导入",
                                          slug=prepared.slug), where=_("活动"))
    campaign = existing or Campaign()
    for name, value in prepared.fields.items():
        setattr(campaign, name, value)
    db.session.add(campaign)
    db.session.add_all(prepared.new_outlets)
    started = clock.monotonic()
    db.session.flush()
    _write_events(campaign, prepared.write)
    db.session.expire(campaign, ["events"])
    log.info("imported campaign %s with %d events (flush %.2f s)", campaign.slug,
             len(prepared.inputs), clock.monotonic() - started)
    return PlanImport(campaign=campaign, notices=prepared.notices,
                      created_outlets=[o.name for o in prepared.new_outlets])


def import_plan_briefly(data: dict[str, Any] | bytes | str, *, update: bool = False,
                        create_outlets: bool = False,
                        may_replace: Callable[[Campaign], bool] | None = None) -> PlanImport:
    """`import_plan` for a request or command of its own: the plan is read and checked in a
    reading transaction, which then ends, and only the write takes SQLite's write lock (a
    login or a scheduler tick meanwhile does not wait for the checks)."""
    return write_briefly(prepare_plan(data, update=update, create_outlets=create_outlets,
                                      may_replace=may_replace))


def write_briefly(prepared: PreparedPlan) -> PlanImport:
    """End the reading transaction (nothing was written) and write `prepared` in a write
    transaction that takes the lock at its BEGIN; the caller commits."""
    return briefly(lambda: write_plan(prepared))


def import_campaign(data: dict[str, Any] | bytes | str, *, update: bool = False,
                    create_outlets: bool = False) -> Campaign:
    """`import_plan` for callers that need the campaign only."""
    return import_plan(data, update=update, create_outlets=create_outlets).campaign


def read_plan_file(data: dict[str, Any] | bytes | str) -> PlanFile:
    """The plan file read and checked by its models; CampaignFileError with every problem."""
    try:
        return read_plan(data)
    except ValidationError as error:
        raise CampaignFileError.of_lines(error_lines(error, _raw(data, error))) from error


def _raw(data: dict[str, Any] | bytes | str, error: ValidationError) -> Any:
    """The parsed file, to name events by key in messages (only once the JSON parser has
    accepted it, so its depth and numbers are known to be sane)."""
    errors = error.errors()
    if isinstance(data, dict) or any(e["type"] == "json_invalid" for e in errors) or not any(
            len(e["loc"]) > 1 and e["loc"][0] == "events" for e in errors):
        return data  # (no problem of an event: no event to name)
    try:
        return json.loads(data)
    except ValueError:
        return None


def _outlets(plan: PlanFile, *, create: bool) -> tuple[dict[str, Outlet], list[str]]:
    """Every outlet the plan names, by the name it uses (one query); unknown names are refused
    all at once, or created with `create`."""
    directory: dict[str, Outlet] = {}
    rows = db.session.scalars(select(Outlet)).all()
    for outlet in rows:
        for alias in outlet.alias_list:
            directory.setdefault(alias.strip(), outlet)
    directory.update({outlet.name: outlet for outlet in rows})  # a name beats an alias
    used_by: dict[str, list[str]] = {}
    for event in plan.events:
        for name in event.outlet_names:
            if name not in directory:
                used_by.setdefault(name, []).append(event.key)
    unknown = list(used_by)
    if unknown and not create:
        raise UnknownOutletsError(used_by)
    for name in unknown:
        directory[name] = Outlet(name=name, tier="other", kind=guess_kind(name), region="",
                                 aliases=[])
    return directory, unknown


def guess_kind(name: str) -> str:
    """A new outlet's kind from its name (the officer checks it in the directory)."""
    if "电视" in name:
        return "tv"
    if "广播" in name or "电台" in name:
        return "radio"
    if name.endswith("网"):
        return "web"
    if name.endswith(("客户端", "公众号")):
        return "new_media"
    return "newspaper"


def _moment(raw: str, tz: str) -> tuple[datetime, bool]:
    """An aware datetime and whether the value was a bare date (plan_file checked the form)."""
    if len(raw) == 10:
        return datetime.combine(date.fromisoformat(raw), time(0), tzinfo=zone(tz)), True
    value = datetime.fromisoformat(raw)
    return (value if value.tzinfo else value.replace(tzinfo=zone(tz))), False


def _event_input(event: PlanEvent, tz: str, outlets: dict[str, Outlet]) -> EventInput:
    starts_at, bare = _moment(event.starts_at, tz)
    all_day = bare if event.all_day is None else event.all_day
    if event.ends_at is None:
        ends_at = starts_at + (timedelta(days=1) if all_day else DEFAULT_DURATION)
    else:
        ends_at, ends_bare = _moment(event.ends_at, tz)
        if all_day and ends_bare:
            ends_at += timedelta(days=1)  # the file names the last day; we store the day after
    data = EventInput(
        key=event.key, title=event.title, type=event.type, starts_at=starts_at,
        ends_at=ends_at, all_day=all_day, venue=event.venue, owner=event.owner,
        status=event.status, description=event.description, key_messages=event.key_messages,
        keywords=event.keywords, invited_outlets=[outlets[n] for n in event.invited_outlets],
        target_outlets=event.target_outlets,
    )
    if event.slot is not None:
        _slot_input(event.slot, data, outlets)
    return data


def _slot_input(slot: PlanSlot, data: EventInput, outlets: dict[str, Outlet]) -> None:
    data.slot_outlet, data.slot_genre, data.slot_page = outlets[slot.outlet], slot.genre, slot.page
    data.slot_dates = [slot.starts_on] if slot.starts_on else list(slot.dates)
    data.slot_ends_on, data.slot_weekdays, data.slot_count = slot.ends_on, slot.weekdays, slot.count
    # A column given one date in an event that runs longer covers the event's days.
    if (data.slot_genre == "column" and not data.slot_recurring and len(data.slot_dates) == 1
            and _event_last_day(data) > data.slot_dates[0]):
        data.slot_ends_on = _event_last_day(data)


def _event_first_day(data: EventInput) -> date:
    return data.starts_at.date()


def _event_last_day(data: EventInput) -> date:
    """The event's last day in its own zone (an all-day end is the midnight after it)."""
    end = data.ends_at - timedelta(seconds=1) if data.all_day else data.ends_at
    return end.astimezone(data.starts_at.tzinfo).date()


def _span(inputs: list[EventInput]) -> tuple[date, date] | None:
    days = [day for data in inputs
            for day in (_event_first_day(data), _event_last_day(data), *data.slot_dates,
                        *([data.slot_ends_on] if data.slot_ends_on else []))]
    return (min(days), max(days)) if days else None


def _campaign_fields(plan: PlanFile, inputs: list[EventInput],
                     notices: list[str]) -> dict[str, Any]:
    """The campaign's fields, its preparation and follow-up widened to hold every event."""
    planning_starts_on, follow_up_ends_on = plan.planning_starts_on, plan.follow_up_ends_on
    span = _span(inputs)
    # Widened as far as allowed; an event further out is then refused by name.
    earliest = plan.starts_on - timedelta(days=MAX_PREPARATION_DAYS)
    latest = plan.ends_on + timedelta(days=MAX_FOLLOW_UP_DAYS)
    if span is not None and span[0] < min(plan.starts_on, planning_starts_on or plan.starts_on):
        planning_starts_on = max(span[0], earliest)
        notices.append(_("有活动早于开始日期 %(start)s：%(first)s 起计为筹备期。",
                         start=plan.starts_on.isoformat(), first=planning_starts_on.isoformat()))
    if span is not None and span[1] > max(plan.ends_on, follow_up_ends_on or plan.ends_on):
        follow_up_ends_on = min(span[1], latest)
        notices.append(_("有活动晚于结束日期 %(end)s：至 %(last)s 计为后续工作时间。",
                         end=plan.ends_on.isoformat(), last=follow_up_ends_on.isoformat()))
    # The file's own dates passed `rules.CampaignRules`; widened, they stay within its limits.
    return {"name": plan.name, "slug": plan.slug, "timezone": plan.timezone,
            "starts_on": plan.starts_on, "ends_on": plan.ends_on,
            "planning_starts_on": planning_starts_on, "follow_up_ends_on": follow_up_ends_on,
            "description": plan.description, "goals": plan.goals}


def _check_events(campaign: Campaign, inputs: list[EventInput]) -> None:
    """Every event against the campaign (`rules.EventRules`): each problem, by event and field."""
    lines = []
    for index, data in enumerate(inputs):
        try:
            EventRules.model_validate(data, context={"campaign": campaign})
        except ValidationError as error:
            where = _("%(where)s（%(key)s）", where=_("第 %(n)d 个活动", n=index + 1),
                      key=data.key)
            lines += [f"{where}: {name}: {message}" for name, message in problems(error)]
    if lines:
        raise CampaignFileError.of_lines(lines)


def _current_events(campaign_id: int) -> dict[str, tuple[int, str, int]]:
    """The campaign's events as they are now: key: (id, type, sequence)."""
    events = Event.__table__
    return {row.key: (row.id, row.type, row.sequence or 0) for row in db.session.execute(
        select(events.c.id, events.c.key, events.c.type, events.c.sequence)
        .where(events.c.campaign_id == campaign_id))}


# The event fields a plan sets, compared to tell a kept event that changes from one that does
# not (an unchanged event is not written: its SEQUENCE stays, so calendars see no change).
COMPARED = ("title", "type", "starts_at", "ends_at", "all_day", "venue", "owner", "status",
            "description", "key_messages", "keywords", "target_outlets")


def _plan_write(rows: list[EventRows], campaign_id: int | None) -> PlanWrite:
    """Which events are new, kept (changed in place when their fields change, keeping their
    ids, so their matches and their slots' excuses stay) and gone, with the bulk statements'
    values converted now."""
    dialect = db.session.get_bind().dialect
    events = Event.__table__
    current = _current_events(campaign_id) if campaign_id is not None else {}
    stored = {row.key: row._asdict() for row in db.session.execute(
        select(events.c.key, *(events.c[name] for name in COMPARED))
        .where(events.c.campaign_id == campaign_id))} if current else {}
    new = [row for row in rows if row.key not in current]
    kept = [row for row in rows if row.key in current]
    changed = [row for row in kept
               if any(row.event[name] != stored[row.key][name] for name in COMPARED)]
    listed = {row.key for row in rows}
    slots = [{k: v for k, v in slot.items() if k != "outlet"} for row in new for slot in row.slots]
    return PlanWrite(
        current=current, new=new, kept=kept, invited=_invited(current),
        gone=[event_id for key, (event_id, _t, _s) in current.items() if key not in listed],
        retyped={current[row.key][0]: row.event["type"] for row in kept
                 if row.event["type"] != current[row.key][1]},
        insert_events=bulk_insert(events, [row.event for row in new], dialect,
                                  late=["campaign_id"]) if new else NOTHING,
        update_events=bulk_update(events, [
            {**{name: row.event[name] for name in COMPARED}, "updated_at": row.event["updated_at"],
             "id": current[row.key][0]} for row in changed
        ], dialect, also={"sequence": events.c.sequence + literal_column("1")}),
        insert_slots=bulk_insert(EditorialSlot.__table__, slots, dialect,
                                 late=["event_id", "outlet_id"]) if slots else NOTHING)


def _invited(current: dict[str, tuple[int, str, int]]) -> set[tuple[int, int]]:
    """The (event, outlet) invitations of the events in `current`."""
    invited, found = event_invited_outlets, set[tuple[int, int]]()
    for chunk in _chunks([event_id for event_id, _t, _s in current.values()]):
        found.update((row.event_id, row.outlet_id) for row in db.session.execute(
            select(invited.c.event_id, invited.c.outlet_id)
            .where(invited.c.event_id.in_(chunk))))
    return found


def _write_events(campaign: Campaign, write: PlanWrite) -> None:
    """Remove the events the file no longer lists, change the kept ones that change and insert
    the new ones, with their invitations and slots."""
    if write.gone:  # through the ORM: their slots, excuses and matches go, and are counted
        for event in db.session.scalars(select(Event).where(Event.id.in_(write.gone))):
            db.session.delete(event)
        db.session.flush()
    connection = db.session.connection()
    ids = {row.key: write.current[row.key][0] for row in write.kept}
    if write.retyped:  # through the ORM's bulk update by key with the campaign: the coverage
        # cells recount that campaign (and only it)
        db.session.execute(update(Event), [
            {"id": event_id, "campaign_id": campaign.id, "type": kind}
            for event_id, kind in write.retyped.items()])
    write.update_events.send(connection)
    if write.kept:
        _update_slots(write.kept, ids)
    write.insert_events.send(connection, [(campaign.id,)] * len(write.new))
    if write.new:
        events = Event.__table__
        ids.update(db.session.execute(select(events.c.key, events.c.id).where(
            events.c.campaign_id == campaign.id)).all())
    _write_invitations([*write.kept, *write.new], ids, write.invited)
    outlet_ids = _outlet_ids(slot["outlet"] for row in write.new for slot in row.slots)
    write.insert_slots.send(connection, [(ids[row.key], outlet_ids[id(slot["outlet"])])
                                         for row in write.new for slot in row.slots])


def _update_slots(kept: list[EventRows], ids: dict[str, int]) -> None:
    """Each kept event's slots: one of the same day is changed in place when it changes (its
    excuses stay), the others are removed (with their excuses) or added."""
    slots = EditorialSlot.__table__
    existing: dict[tuple[int, date], dict[str, Any]] = {}
    for chunk in _chunks(list(ids.values())):
        existing.update({(row.event_id, row.planned_on): row._asdict()
                         for row in db.session.execute(select(slots).where(
                             slots.c.event_id.in_(chunk)))})
    outlet_ids = _outlet_ids(slot["outlet"] for row in kept for slot in row.slots)
    changed, added = [], []
    for row in kept:
        for slot in row.slots:
            values = {k: v for k, v in slot.items() if k != "outlet"}
            values.update(event_id=ids[row.key], outlet_id=outlet_ids[id(slot["outlet"])])
            was = existing.pop((ids[row.key], slot["planned_on"]), None)
            if was is None:
                added.append(values)
            elif any(was[name] != value for name, value in values.items()):
                changed.append({**values, "id": was["id"]})
    for chunk in _chunks([was["id"] for was in existing.values()]):
        db.session.execute(delete(slots).where(slots.c.id.in_(chunk)))
    dialect = db.session.get_bind().dialect
    bulk_update(slots, changed, dialect).send(db.session.connection())
    bulk_insert(slots, added, dialect).send(db.session.connection())


def _chunks(values: list[int], size: int = 900) -> list[list[int]]:
    """`values` in pieces small enough for one IN (...) on every database."""
    return [values[start:start + size] for start in range(0, len(values), size)]


def _write_invitations(events: list[EventRows], ids: dict[str, int],
                       had: set[tuple[int, int]]) -> None:
    """The invitations of `events` as the plan lists them: those the kept events `had` and no
    longer list are removed, those they lack added."""
    outlet_ids = _outlet_ids(outlet for rows in events for outlet in rows.invited)
    wanted = {(ids[rows.key], outlet_ids[id(o)]) for rows in events for o in rows.invited}
    invited, dialect = event_invited_outlets, db.session.get_bind().dialect
    dropped = [{"event": event, "outlet": outlet} for event, outlet in sorted(had - wanted)]
    if dropped:
        db.session.connection().execute(delete(invited).where(
            invited.c.event_id == bindparam("event"), invited.c.outlet_id == bindparam("outlet")),
            dropped)
    bulk_insert(invited, [], dialect, late=["event_id", "outlet_id"]).send(
        db.session.connection(), sorted(wanted - had))


def _outlet_ids(outlets: Iterable[Outlet]) -> dict[int, int]:
    """Each outlet's id by the object's identity: once per outlet, not once per row."""
    return {id(outlet): _id(outlet) for outlet in {id(o): o for o in outlets}.values()}


def _id(outlet: Outlet) -> int:
    """The outlet's id without a query (the reading transaction has ended and expired it)."""
    identity = inspect(outlet).identity
    return int(identity[0]) if identity else outlet.id


def _rows(data: EventInput, tz: str) -> EventRows:
    """The rows of one event, built while the plan is read (see `EventRows`)."""
    now = utcnow()
    event = {
        "key": data.key, "title": data.title.strip(),
        "type": data.type, "starts_at": data.starts_at, "ends_at": data.ends_at,
        "all_day": data.all_day, "venue": data.venue, "owner": data.owner,
        "status": data.status, "description": data.description,
        "key_messages": data.key_messages,
        "keywords": list(dict.fromkeys(k.strip() for k in data.keywords if k.strip())),
        "target_outlets": data.target_outlets, "sequence": 0, "created_at": now,
        "updated_at": now,
    }
    return EventRows(key=data.key, event=event, invited=list(data.invited_outlets),
                     slots=_slots(data, tz))


def _slots(data: EventInput, tz: str) -> list[dict[str, Any]]:
    """The slot rows `operations.fill_event` would make for a new event (no ids yet)."""
    if data.type != "editorial_slot" or data.slot_outlet is None:
        return []
    days = sorted(set(data.slot_dates)) or [local(data.starts_at, tz).date()]
    return [{"outlet": data.slot_outlet, "planned_on": day, "genre": data.slot_genre,
             "page": data.slot_page, "ends_on": data.slot_ends_on,
             "weekdays": weekdays_text(data.slot_weekdays), "expected": data.slot_count}
            for day in days]


def _export_moment(event: Event, value: datetime, *, end: bool) -> str:
    tz = event.campaign.timezone
    if event.all_day:
        return (event.end_date if end else event.start_date).isoformat()
    return local(value, tz).isoformat()


def export_event(event: Event) -> dict[str, Any]:
    """One event in the file format."""
    out: dict[str, Any] = {
        "key": event.key, "title": event.title, "type": event.type,
        "starts_at": _export_moment(event, event.starts_at, end=False),
        "ends_at": _export_moment(event, event.ends_at, end=True),
        "all_day": event.all_day, "venue": event.venue, "owner": event.owner,
        "status": event.status, "description": event.description,
        "key_messages": event.key_messages, "keywords": event.keyword_list,
        "invited_outlets": [o.name for o in event.invited_outlets],
        "target_outlets": event.target_outlets,
    }
    if event.slots:
        out["slot"] = _export_slot(event)
    return out


def _export_slot(event: Event) -> dict[str, Any]:
    first = event.slots[0]
    out: dict[str, Any] = {"outlet": first.outlet.name, "genre": first.genre, "page": first.page}
    if not first.recurring:
        out["dates"] = [s.planned_on.isoformat() for s in event.slots]
        return out
    out["starts_on"] = first.planned_on.isoformat()
    if first.ends_on:
        out["ends_on"] = first.ends_on.isoformat()
    if first.weekday_numbers:
        out["weekdays"] = first.weekday_numbers
    if first.expected:
        out["count"] = first.expected
    return out


def export_campaign(campaign: Campaign) -> dict[str, Any]:
    """The campaign in the file format."""
    return {
        "slug": campaign.slug, "name": campaign.name,
        "starts_on": campaign.starts_on.isoformat(), "ends_on": campaign.ends_on.isoformat(),
        "planning_starts_on": (campaign.planning_starts_on.isoformat()
                               if campaign.planning_starts_on else None),
        "follow_up_ends_on": (campaign.follow_up_ends_on.isoformat()
                              if campaign.follow_up_ends_on else None),
        "timezone": campaign.timezone, "description": campaign.description,
        "goals": campaign.goals, "events": [export_event(e) for e in campaign.events],
    }
