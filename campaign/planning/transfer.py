"""Campaign JSON import and export.

The format (documented in the README):

    {"slug", "name", "starts_on", "ends_on", "planning_starts_on"?, "timezone", "description",
     "goals"?, "events": [{"key", "title", "type", "starts_at", "ends_at", "all_day"?, "venue",
       "owner"?, "status"?, "description"?, "key_messages"?, "keywords": [...],
       "invited_outlets": [outlet names], "target_outlets": N,
       "slot": {"outlet", "genre", "page", "dates"?: [...],
                "starts_on"?, "ends_on"?, "weekdays"?: [...], "count"?}}]}

A column planned as a period gives `starts_on` (or one date in `dates`) with `ends_on`, a
weekday rhythm (ISO numbers, "tue", "周二" or "二") and/or a `count`. A column given one date in an
event that runs longer covers the event's days.

`starts_at`/`ends_at` are ISO 8601; without an offset they are in the campaign's zone; a bare date
makes an all-day event whose `ends_at` is its last day. Every check runs before anything is
written, and the whole import is one transaction: a bad file writes nothing.
"""

from __future__ import annotations

import json
import logging
from datetime import date, datetime, time, timedelta
from typing import Any

from flask_babel import gettext as _

from campaign.core.choices import SLOT_GENRE_ALIASES, SLOT_GENRES
from campaign.core.times import is_valid_zone, local, zone
from campaign.core.values import has_nul, text_field
from campaign.planning.instalments import parse_weekday
from campaign.planning.models import Campaign, Event, Outlet
from campaign.planning.operations import delete_event, get_campaign, save_campaign, save_event
from campaign.planning.outlets import find_outlet
from campaign.planning.validation import FIRST_YEAR, LAST_YEAR, EventInput, PlanningError

log = logging.getLogger(__name__)
DEFAULT_DURATION = timedelta(hours=2)


class CampaignFileError(PlanningError):
    """A campaign file that cannot be imported."""


def _fail(where: str, field: str, message: str) -> CampaignFileError:
    return CampaignFileError(field, message, where=where)


def load_json(text: str | bytes) -> dict[str, Any]:
    """Parse the file's text; refuse anything but a JSON object."""
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise _fail(_("文件"), "json", _("不是有效的 JSON：%(error)s", error=str(error))) from error
    if not isinstance(data, dict):
        raise _fail(_("文件"), "json", _("顶层必须是一个对象"))
    if has_nul(data):  # PostgreSQL refuses NUL in text: say so instead of failing later
        raise _fail(_("文件"), "json", _("文件含有空字符（\\u0000），无法导入"))
    return data


def _text(obj: dict[str, Any], key: str, where: str, *, required: bool = False) -> str:
    return text_field(obj, key, lambda field, message: _fail(where, field, message),
                      required=required)


def _date(obj: dict[str, Any], key: str, where: str, *, required: bool = True) -> date | None:
    raw = _text(obj, key, where, required=required)
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError as error:
        raise _fail(where, key, _("日期格式应为 YYYY-MM-DD：%(value)s", value=raw)) from error


def _moment(raw: Any, key: str, where: str, tz: str) -> tuple[datetime, bool]:
    """An aware datetime and whether the value was a bare date."""
    if not isinstance(raw, str) or not raw.strip():
        raise _fail(where, key, _("缺少必填字段"))
    raw = raw.strip()
    bare_date = len(raw) == 10
    try:
        value = (datetime.combine(date.fromisoformat(raw), time(0)) if bare_date
                 else datetime.fromisoformat(raw))
    except ValueError as error:
        raise _fail(where, key, _("时间格式应为 ISO 8601：%(value)s", value=raw)) from error
    _check_year(value.year, key, where)
    if bare_date:
        return value.replace(tzinfo=zone(tz)), True
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone(tz))
    return value, False


def _check_year(year: int, key: str, where: str) -> None:
    # Before any arithmetic: 0001-01-01 in Beijing is before Python's first UTC instant.
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise _fail(where, key, _("年份须在 %(first)d 至 %(last)d 之间", first=FIRST_YEAR,
                                  last=LAST_YEAR))


def _outlets(names: Any, where: str, field: str) -> list[Outlet]:
    if names is None:
        return []
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise _fail(where, field, _("应为媒体名称的列表"))
    outlets = []
    for name in names:
        outlet = find_outlet(name)
        if outlet is None:
            raise _fail(where, field, _("未知的媒体：%(name)s（请先在媒体名录中添加）", name=name))
        outlets.append(outlet)
    return outlets


def _keywords(value: Any, where: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(k, str) for k in value):
        raise _fail(where, "keywords", _("应为文本列表"))
    return value


def _target(value: Any, where: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise _fail(where, "target_outlets", _("应为整数"))
    return value


def _slot(raw: Any, where: str, data: EventInput) -> None:
    if raw is None:
        return
    if not isinstance(raw, dict):
        raise _fail(where, "slot", _("应为对象"))
    outlet_name = _text(raw, "outlet", f"{where}.slot", required=True)
    found = _outlets([outlet_name], f"{where}.slot", "outlet")
    genre = _text(raw, "genre", f"{where}.slot") or "other"
    genre = SLOT_GENRE_ALIASES.get(genre, genre)
    if genre not in SLOT_GENRES:
        raise _fail(f"{where}.slot", "genre", _("未知的体裁：%(genre)s", genre=genre))
    dates = raw.get("dates") or []
    if not isinstance(dates, list):
        raise _fail(f"{where}.slot", "dates", _("应为日期列表"))
    parsed = []
    for value in dates:
        try:
            parsed.append(date.fromisoformat(str(value)))
        except ValueError as error:
            raise _fail(f"{where}.slot", "dates", _("日期格式应为 YYYY-MM-DD：%(value)s",
                                                    value=value)) from error
    data.slot_outlet, data.slot_genre = found[0], genre
    data.slot_page, data.slot_dates = _text(raw, "page", f"{where}.slot"), parsed
    _slot_period(raw, f"{where}.slot", data)


def _slot_period(raw: dict[str, Any], where: str, data: EventInput) -> None:
    """A column's period: `starts_on`, `ends_on`, `weekdays`, `count` (each optional)."""
    starts_on = _date(raw, "starts_on", where, required=False)
    if starts_on is not None:
        if data.slot_dates and data.slot_dates != [starts_on]:
            raise _fail(where, "starts_on", _("按期间刊出的专栏只填一个开始日期"))
        data.slot_dates = [starts_on]
    data.slot_ends_on = _date(raw, "ends_on", where, required=False)
    data.slot_weekdays = _weekdays(raw.get("weekdays"), where)
    count = raw.get("count")
    if count is not None and (isinstance(count, bool) or not isinstance(count, int)):
        raise _fail(where, "count", _("应为整数"))
    data.slot_count = count
    if (data.slot_genre == "column" and not data.slot_recurring and len(data.slot_dates) == 1
            and _event_last_day(data) > data.slot_dates[0]):
        data.slot_ends_on = _event_last_day(data)


def _weekdays(value: Any, where: str) -> list[int]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise _fail(where, "weekdays", _('应为星期的列表，如 ["tue", "fri"]'))
    try:
        return sorted({parse_weekday(v) for v in value})
    except ValueError as error:
        raise _fail(where, "weekdays", _("无法识别的星期：%(value)s", value=str(error))) from error


def _event_last_day(data: EventInput) -> date:
    """The event's last day in its own zone (an all-day end is the midnight after it)."""
    end = data.ends_at - timedelta(seconds=1) if data.all_day else data.ends_at
    return end.date() if end.tzinfo is None else end.astimezone(data.starts_at.tzinfo).date()


def parse_event(raw: Any, index: int, tz: str) -> EventInput:
    """One event of the file, parsed; errors name the event (its key or position) and field."""
    where = _("第 %(n)d 个活动", n=index + 1)
    if not isinstance(raw, dict):
        raise _fail(where, "event", _("应为对象"))
    key = _text(raw, "key", where, required=True)
    where = _("%(where)s（%(key)s）", where=where, key=key)
    starts_at, starts_all_day = _moment(raw.get("starts_at"), "starts_at", where, tz)
    all_day = bool(raw.get("all_day", starts_all_day))
    if raw.get("ends_at") in (None, ""):
        ends_at = starts_at + (timedelta(days=1) if all_day else DEFAULT_DURATION)
    else:
        ends_at, ends_is_date = _moment(raw.get("ends_at"), "ends_at", where, tz)
        if all_day and ends_is_date:
            ends_at += timedelta(days=1)  # the file names the last day; we store the day after
    data = EventInput(
        key=key, title=_text(raw, "title", where, required=True),
        type=_text(raw, "type", where, required=True), starts_at=starts_at, ends_at=ends_at,
        all_day=all_day, venue=_text(raw, "venue", where), owner=_text(raw, "owner", where),
        status=_text(raw, "status", where) or "planned",
        description=_text(raw, "description", where),
        key_messages=_text(raw, "key_messages", where),
        keywords=_keywords(raw.get("keywords"), where),
        invited_outlets=_outlets(raw.get("invited_outlets"), where, "invited_outlets"),
        target_outlets=_target(raw.get("target_outlets"), where),
    )
    _slot(raw.get("slot"), where, data)
    if data.type == "editorial_slot" and raw.get("slot") is None:
        raise _fail(where, "slot", _("媒体版面须指定刊发媒体"))
    return data


def import_campaign(data: dict[str, Any], *, update: bool = False) -> Campaign:
    """Create (or with `update`, replace the plan of) the campaign the file describes.

    The caller commits on success and rolls back on CampaignFileError, so a bad file writes
    nothing (every row is only flushed until then).
    """
    where = _("活动")
    slug = _text(data, "slug", where, required=True)
    tz = _text(data, "timezone", where) or "Asia/Shanghai"
    if not is_valid_zone(tz):
        raise _fail(where, "timezone", _("未知的时区：%(tz)s", tz=tz))
    existing = get_campaign(slug)
    if existing is not None and not update:
        raise _fail(where, "slug", _("活动 %(slug)s 已存在（要覆盖请使用更新模式）", slug=slug))
    events = data.get("events", [])
    if not isinstance(events, list):
        raise _fail(where, "events", _("应为活动列表"))
    try:
        return _write(existing, data, slug, tz, events)
    except CampaignFileError:
        raise
    except PlanningError as error:
        raise _fail(error.where or where, error.field, error.message) from error


def _write(
    existing: Campaign | None, data: dict[str, Any], slug: str, tz: str, events: list[Any]
) -> Campaign:
    where = _("活动")
    campaign = save_campaign(
        existing, name=_text(data, "name", where, required=True), slug=slug,
        starts_on=_date(data, "starts_on", where), ends_on=_date(data, "ends_on", where),
        planning_starts_on=_date(data, "planning_starts_on", where, required=False),
        timezone=tz, description=_text(data, "description", where),
        goals=_text(data, "goals", where),
    )
    keys = set()
    for index, raw in enumerate(events):
        parsed = parse_event(raw, index, tz)
        if parsed.key in keys:
            raise _fail(_("第 %(n)d 个活动", n=index + 1), "key", _("标识重复：%(key)s",
                                                                   key=parsed.key))
        keys.add(parsed.key)
        current = next((e for e in campaign.events if e.key == parsed.key), None)
        try:
            save_event(campaign, current, parsed)
        except PlanningError as error:
            where_event = _("%(where)s（%(key)s）", where=_("第 %(n)d 个活动", n=index + 1),
                                key=parsed.key)
            raise _fail(where_event, error.field, error.message) from error
    for event in list(campaign.events):
        if event.key not in keys:
            delete_event(event)
    log.info("imported campaign %s with %d events", slug, len(keys))
    return campaign


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
        "timezone": campaign.timezone, "description": campaign.description,
        "goals": campaign.goals, "events": [export_event(e) for e in campaign.events],
    }
