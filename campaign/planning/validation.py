"""Checks on a planned event before it is written, shared by the form and the JSON import."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import gettext as _

from campaign.core.choices import EVENT_STATUSES, EVENT_TYPES, SLOT_GENRES
from campaign.core.times import local
from campaign.planning.instalments import plan_days
from campaign.planning.models import Campaign, Outlet

KEY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,79}$")
SLUG_PATTERN = KEY_PATTERN
# A campaign's dates fall in these years: "0207" or "9999" is a typo, and a page or chart laid
# out over centuries is megabytes long (or past Python's last date).
FIRST_YEAR, LAST_YEAR = 1990, 2100
# A campaign is a month or a season (the propaganda month, a year-long survey at most);
# preparation (notices, coordination) starts weeks, at most a year, before it.
MAX_PERIOD_DAYS = 366
MAX_PREPARATION_DAYS = 366
# Follow-up (a wrap-up meeting, the summary) ends weeks, at most a year, after it.
MAX_FOLLOW_UP_DAYS = 366
# Officers count target outlets in tens (8 provincial outlets, "10余家"); the whole directory
# of every tier is a few hundred.
MAX_TARGET_OUTLETS = 10_000
# A column runs at most every day of a campaign and its preparation.
MAX_SLOT_COUNT = MAX_PERIOD_DAYS + MAX_PREPARATION_DAYS


class PlanningError(ValueError):
    """Input that cannot be saved; `field` names the form field (or the JSON key)."""

    def __init__(self, field: str, message: str, *, where: str = "") -> None:
        super().__init__(f"{where}: {field}: {message}" if where else message)
        self.field = field
        self.message = message
        self.where = where


@dataclass
class EventInput:
    """Everything an event is made of, already parsed (aware datetimes, outlet rows)."""

    title: str
    type: str
    starts_at: datetime
    ends_at: datetime
    key: str = ""
    all_day: bool = False
    venue: str = ""
    owner: str = ""
    status: str = "planned"
    description: str = ""
    key_messages: str = ""
    keywords: list[str] = field(default_factory=list)
    invited_outlets: list[Outlet] = field(default_factory=list)
    target_outlets: int | None = None
    slot_outlet: Outlet | None = None
    slot_genre: str = ""
    slot_page: str = ""
    slot_dates: list[date] = field(default_factory=list)
    # A column planned as a period: its first day is the one slot date (or the start date).
    slot_ends_on: date | None = None
    slot_weekdays: list[int] = field(default_factory=list)
    slot_count: int | None = None

    @property
    def slot_recurring(self) -> bool:
        return bool(self.slot_ends_on or self.slot_weekdays or self.slot_count is not None)


def check_event(campaign: Campaign, data: EventInput) -> None:
    """Raise PlanningError naming the first field that is wrong."""
    if not data.title.strip():
        raise PlanningError("title", _("请填写活动名称"))
    if data.key and not KEY_PATTERN.match(data.key):
        raise PlanningError("key", _("标识只能包含小写字母、数字、- 和 _"))
    if data.type not in EVENT_TYPES:
        raise PlanningError("type", _("未知的活动类型：%(type)s", type=data.type))
    if data.status not in EVENT_STATUSES:
        raise PlanningError("status", _("未知的状态：%(status)s", status=data.status))
    if data.ends_at < data.starts_at:
        raise PlanningError("ends_at", _("结束时间早于开始时间"))
    _check_in_range(campaign, data)
    check_target_outlets(data.target_outlets)
    if data.type == "editorial_slot":
        _check_slot(campaign, data)


def target_outlets_message() -> str:
    return _("目标报道媒体家数须在 0 至 %(max)d 之间", max=MAX_TARGET_OUTLETS)


def check_target_outlets(value: int | None) -> None:
    """Raise PlanningError unless the target is empty or 0..MAX_TARGET_OUTLETS."""
    if value is not None and not 0 <= value <= MAX_TARGET_OUTLETS:
        raise PlanningError("target_outlets", target_outlets_message())


def _range_message(campaign: Campaign) -> str:
    return _(
        "活动日期须在本次活动期间（%(start)s 至 %(end)s）之内",
        start=campaign.first_day.isoformat(),
        end=campaign.last_day.isoformat(),
    )


def _last_day(campaign: Campaign, data: EventInput) -> date:
    start_day = local(data.starts_at, campaign.timezone).date()
    end_at = local(data.ends_at, campaign.timezone)
    end_day = end_at.date()
    if data.all_day and end_day > start_day and end_at.time() == end_at.time().min:
        end_day = date.fromordinal(end_day.toordinal() - 1)
    return end_day


def _check_in_range(campaign: Campaign, data: EventInput) -> None:
    start_day = local(data.starts_at, campaign.timezone).date()
    end_day = _last_day(campaign, data)
    if start_day < campaign.first_day or start_day > campaign.last_day:
        raise PlanningError("starts_at", _range_message(campaign))
    if end_day > campaign.last_day:
        raise PlanningError("ends_at", _range_message(campaign))


def _check_slot(campaign: Campaign, data: EventInput) -> None:
    if data.slot_outlet is None:
        raise PlanningError("slot_outlet", _("媒体版面须指定刊发媒体"))
    if data.slot_genre not in SLOT_GENRES:
        raise PlanningError("slot_genre", _("未知的体裁：%(genre)s", genre=data.slot_genre))
    for day in data.slot_dates:
        if day < campaign.first_day or day > campaign.last_day:
            raise PlanningError("slot_dates", _range_message(campaign))
    if data.slot_recurring:
        _check_period(campaign, data)


def _check_period(campaign: Campaign, data: EventInput) -> None:
    if len(data.slot_dates) > 1:
        raise PlanningError("slot_dates", _("按期间刊出的专栏只填一个开始日期"))
    first = slot_first_day(campaign, data)
    if data.slot_count is not None and not 1 <= data.slot_count <= MAX_SLOT_COUNT:
        raise PlanningError("slot_count", _("期数须在 1 至 %(max)d 之间", max=MAX_SLOT_COUNT))
    if data.slot_ends_on is not None and data.slot_ends_on < first:
        raise PlanningError("slot_ends_on", _("刊出结束日期早于开始日期"))
    if any(not 1 <= w <= 7 for w in data.slot_weekdays):
        raise PlanningError("slot_weekdays", _("星期须为 1（周一）至 7（周日）"))
    event_end = _last_day(campaign, data)
    days = plan_days(first, ends_on=data.slot_ends_on, weekdays=data.slot_weekdays,
                     count=data.slot_count,
                     open_end=event_end if event_end > first else campaign.ends_on)
    if days == []:
        raise PlanningError("slot_weekdays", _("所选星期在刊出期间内没有日期"))
    last = max(days) if days else data.slot_ends_on or first
    if last > campaign.last_day:
        raise PlanningError("slot_ends_on", _range_message(campaign))


def slot_first_day(campaign: Campaign, data: EventInput) -> date:
    """The slot's first day: its one date, or the event's start date."""
    if data.slot_dates:
        return min(data.slot_dates)
    return local(data.starts_at, campaign.timezone).date()


def _last_allowed_end(starts_on: date) -> date:
    return date.fromordinal(starts_on.toordinal() + MAX_PERIOD_DAYS - 1)


def year_message(label: str) -> str:
    """The message for a campaign date outside FIRST_YEAR..LAST_YEAR; `label` names the field."""
    return _("%(field)s的年份须在 %(first)d 至 %(last)d 之间", field=label,
             first=FIRST_YEAR, last=LAST_YEAR)


def _check_years(**days: date | None) -> None:
    labels = {"starts_on": _("开始日期"), "ends_on": _("结束日期"),
              "planning_starts_on": _("筹备开始日期"), "follow_up_ends_on": _("后续工作截止日期")}
    for name, day in days.items():
        if day is not None and not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise PlanningError(name, year_message(labels[name]))


def check_campaign_fields(
    *, name: str, slug: str, starts_on: date | None, ends_on: date | None,
    planning_starts_on: date | None, timezone: str, follow_up_ends_on: date | None = None,
) -> None:
    """Raise PlanningError for a campaign that cannot be saved."""
    from campaign.core.times import is_valid_zone

    if not name.strip():
        raise PlanningError("name", _("请填写活动名称"))
    if not SLUG_PATTERN.match(slug):
        raise PlanningError("slug", _("网址标识只能包含小写字母、数字、- 和 _"))
    if starts_on is None:
        raise PlanningError("starts_on", _("请填写开始日期"))
    if ends_on is None:
        raise PlanningError("ends_on", _("请填写结束日期"))
    _check_years(starts_on=starts_on, ends_on=ends_on, planning_starts_on=planning_starts_on,
                 follow_up_ends_on=follow_up_ends_on)
    if ends_on < starts_on:
        raise PlanningError("ends_on", _("结束日期早于开始日期"))
    if (ends_on - starts_on).days + 1 > MAX_PERIOD_DAYS:
        raise PlanningError("ends_on", _("活动期间最长 %(days)d 天（%(start)s 起至多到 %(end)s）",
                                         days=MAX_PERIOD_DAYS, start=starts_on.isoformat(),
                                         end=_last_allowed_end(starts_on).isoformat()))
    if planning_starts_on and planning_starts_on > starts_on:
        raise PlanningError("planning_starts_on", _("筹备开始日期须不晚于开始日期"))
    if planning_starts_on and (starts_on - planning_starts_on).days > MAX_PREPARATION_DAYS:
        raise PlanningError("planning_starts_on", _("筹备开始日期最早为开始日期前 %(days)d 天",
                                                    days=MAX_PREPARATION_DAYS))
    if follow_up_ends_on and follow_up_ends_on < ends_on:
        raise PlanningError("follow_up_ends_on", _("后续工作截止日期须不早于结束日期"))
    if follow_up_ends_on and (follow_up_ends_on - ends_on).days > MAX_FOLLOW_UP_DAYS:
        raise PlanningError("follow_up_ends_on", _("后续工作截止日期最晚为结束日期后 %(days)d 天",
                                                   days=MAX_FOLLOW_UP_DAYS))
    if not is_valid_zone(timezone):
        raise PlanningError("timezone", _("未知的时区：%(tz)s", tz=timezone))
