"""The rules a campaign and a planned event obey, as pydantic models.

`CampaignRules` is the campaign part of the plan file (`plan_file.PlanFile` extends it with the
events) and what `operations.save_campaign` validates for the form and a copy. `EventRules`
checks a planned event (`EventInput`, from the form, the plan file, a move or a copy) against
its campaign, which is given as the validation context: the event's days must fall within the
campaign's. Each rule is a validator of the field it names, so a form shows the message beside
that field and a plan import names it in its line. Messages are Chinese, translated with the
page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Annotated, Any

from flask_babel import gettext as _
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from campaign.core.choices import EVENT_STATUSES, EVENT_TYPES, SLOT_GENRES
from campaign.core.times import is_valid_zone, local
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

    @classmethod
    def first_of(cls, error: ValidationError) -> PlanningError:
        """The first problem a rule model found, on its field."""
        field_name, message = problems(error)[0]
        return cls(field_name, message)


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


def invalid(message: str) -> PydanticCustomError:
    """A rule's failure; the message is already translated (no context: pydantic leaves it)."""
    return PydanticCustomError("plan", message)


def field_error(name: str, message: str, value: Any = None) -> ValidationError:
    """A failure on field `name`, raised from a validator that sees several fields."""
    return ValidationError.from_exception_data("plan", [InitErrorDetails(
        type=invalid(message), loc=(name,), input=value)])


def problems(error: ValidationError) -> list[tuple[str, str]]:
    """(field, message) of each failure, in field order; a value of the wrong kind (pydantic's
    own English) is said in Chinese."""
    found = []
    for e in error.errors(include_url=False):
        if e["type"] == "plan":
            message = e["msg"]
        elif e["type"] == "missing" or e.get("input") is None:
            message = _("缺少必填字段")
        else:
            message = _("值无效：%(value)s", value=str(e.get("input"))[:40])
        found.append((".".join(str(p) for p in e["loc"]) or "event", message))
    return found


def clean_text(value: str) -> str:
    if "\x00" in value:  # PostgreSQL refuses NUL in text
        raise invalid(_("含有空字符（\\u0000）"))
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:  # a lone surrogate such as "\ud800"
        raise invalid(_("含有无效的字符（单独的代理码位）")) from error
    return value


def required(value: str) -> str:
    if not value.strip():
        raise invalid(_("缺少必填字段"))
    return value.strip()


def check_year(value: date) -> date:
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise invalid(_("年份须在 %(first)d 至 %(last)d 之间", first=FIRST_YEAR,
                        last=LAST_YEAR))
    return value


def year_message(label: str) -> str:
    """The message for a campaign date outside FIRST_YEAR..LAST_YEAR; `label` names the field."""
    return _("%(field)s的年份须在 %(first)d 至 %(last)d 之间", field=label,
             first=FIRST_YEAR, last=LAST_YEAR)


def _key(value: str) -> str:
    if not KEY_PATTERN.match(value):
        raise invalid(_("标识只能包含小写字母、数字、- 和 _"))
    return value


def _slug(value: str) -> str:
    if not SLUG_PATTERN.match(value):
        raise invalid(_("网址标识只能包含小写字母、数字、- 和 _"))
    return value


Name = Annotated[str, AfterValidator(clean_text), AfterValidator(required)]
Day = Annotated[date, AfterValidator(check_year),
                Field(description="YYYY-MM-DD", json_schema_extra={"format": "date"})]
Key = Annotated[str, AfterValidator(_key), Field(pattern=KEY_PATTERN.pattern)]
Slug = Annotated[str, AfterValidator(_slug), Field(pattern=SLUG_PATTERN.pattern)]


def _last_allowed_end(starts_on: date) -> date:
    return date.fromordinal(starts_on.toordinal() + MAX_PERIOD_DAYS - 1)


class CampaignRules(BaseModel):
    """A campaign's name, address and period: the end after the start, a year at most,
    preparation and follow-up at most a year either side, a known time zone."""

    model_config = ConfigDict(extra="ignore")

    slug: Slug
    name: Annotated[Name, Field(max_length=200)]
    starts_on: Day
    ends_on: Day
    planning_starts_on: Day | None = None
    follow_up_ends_on: Day | None = None
    timezone: Annotated[str, BeforeValidator(lambda v: v or "Asia/Shanghai")] = "Asia/Shanghai"

    @field_validator("ends_on")
    @classmethod
    def _after_start(cls, value: date, info: ValidationInfo) -> date:
        start = info.data.get("starts_on")
        if start is None:
            return value
        if value < start:
            raise invalid(_("结束日期早于开始日期"))
        if (value - start).days + 1 > MAX_PERIOD_DAYS:
            raise invalid(_("活动期间最长 %(days)d 天（%(start)s 起至多到 %(end)s）",
                            days=MAX_PERIOD_DAYS, start=start.isoformat(),
                            end=_last_allowed_end(start).isoformat()))
        return value

    @field_validator("planning_starts_on")
    @classmethod
    def _preparation(cls, value: date | None, info: ValidationInfo) -> date | None:
        start = info.data.get("starts_on")
        if value is None or start is None:
            return value
        if value > start:
            raise invalid(_("筹备开始日期须不晚于开始日期"))
        if (start - value).days > MAX_PREPARATION_DAYS:
            raise invalid(_("筹备开始日期最早为开始日期前 %(days)d 天",
                            days=MAX_PREPARATION_DAYS))
        return value

    @field_validator("follow_up_ends_on")
    @classmethod
    def _follow_up(cls, value: date | None, info: ValidationInfo) -> date | None:
        end = info.data.get("ends_on")
        if value is None or end is None:
            return value
        if value < end:
            raise invalid(_("后续工作截止日期须不早于结束日期"))
        if (value - end).days > MAX_FOLLOW_UP_DAYS:
            raise invalid(_("后续工作截止日期最晚为结束日期后 %(days)d 天",
                            days=MAX_FOLLOW_UP_DAYS))
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        if not is_valid_zone(value):
            raise invalid(_("未知的时区：%(tz)s", tz=value))
        return value


def _campaign(info: ValidationInfo) -> Campaign:
    campaign = (info.context or {}).get("campaign")
    assert isinstance(campaign, Campaign), "EventRules are validated with the campaign"
    return campaign


def _range_message(campaign: Campaign) -> str:
    return _("活动日期须在本次活动期间（%(start)s 至 %(end)s）之内",
             start=campaign.first_day.isoformat(), end=campaign.last_day.isoformat())


def known_type(value: str) -> str:
    """An event type the tracker knows."""
    if value not in EVENT_TYPES:
        raise invalid(_("未知的活动类型：%(type)s", type=value))
    return value


def known_status(value: str) -> str:
    """An event status the tracker knows."""
    if value not in EVENT_STATUSES:
        raise invalid(_("未知的状态：%(status)s", status=value))
    return value


def target_in_range(value: int | None) -> int | None:
    """A target number of reporting outlets, when given, between 0 and MAX_TARGET_OUTLETS."""
    if value is not None and not 0 <= value <= MAX_TARGET_OUTLETS:
        raise invalid(target_outlets_message())
    return value


def count_in_range(value: int | None) -> int | None:
    """A column's planned number of instalments, when given, between 1 and MAX_SLOT_COUNT."""
    if value is not None and not 1 <= value <= MAX_SLOT_COUNT:
        raise invalid(_("期数须在 1 至 %(max)d 之间", max=MAX_SLOT_COUNT))
    return value


# The field types both the forms' rules and the plan file use: one check each.
EventType = Annotated[str, AfterValidator(known_type)]
EventStatus = Annotated[str, AfterValidator(known_status)]
TargetOutlets = Annotated[int | None, AfterValidator(target_in_range)]
SlotCount = Annotated[int | None, AfterValidator(count_in_range)]


class EventRules(BaseModel):
    """A planned event against its campaign (the validation context): a title, a known type
    and status, its days within the campaign's, the end after the start, a sane target, and
    for an editorial slot its outlet, genre and days (or period) within the campaign."""

    model_config = ConfigDict(extra="ignore", from_attributes=True,
                              arbitrary_types_allowed=True)

    title: str
    key: str = ""
    type: EventType
    status: EventStatus
    starts_at: datetime
    all_day: bool = False
    ends_at: datetime
    target_outlets: TargetOutlets = None
    slot_outlet: Any = None
    slot_genre: str = ""
    slot_dates: list[date] = []
    slot_ends_on: date | None = None
    slot_weekdays: list[int] = []
    slot_count: SlotCount = None

    @classmethod
    def check(cls, campaign: Campaign, data: EventInput) -> None:
        """Raise PlanningError naming the first field that is wrong."""
        try:
            cls.model_validate(data, context={"campaign": campaign})
        except ValidationError as error:
            raise PlanningError.first_of(error) from error

    @field_validator("title")
    @classmethod
    def _titled(cls, value: str) -> str:
        if not value.strip():
            raise invalid(_("请填写活动名称"))
        return value

    @field_validator("key")
    @classmethod
    def _key_pattern(cls, value: str) -> str:
        return _key(value) if value else value

    @field_validator("starts_at")
    @classmethod
    def _starts_in_campaign(cls, value: datetime, info: ValidationInfo) -> datetime:
        campaign = _campaign(info)
        if not campaign.first_day <= local(value, campaign.timezone).date() <= campaign.last_day:
            raise invalid(_range_message(campaign))
        return value

    @field_validator("ends_at")
    @classmethod
    def _ends_after_start(cls, value: datetime, info: ValidationInfo) -> datetime:
        start = info.data.get("starts_at")
        if start is not None and value < start:
            raise invalid(_("结束时间早于开始时间"))
        campaign = _campaign(info)
        if start is not None and last_day(campaign, start, value,
                                          all_day=info.data.get("all_day", False)) > \
                campaign.last_day:
            raise invalid(_range_message(campaign))
        return value

    @field_validator("slot_dates")
    @classmethod
    def _slot_days_in_campaign(cls, value: list[date], info: ValidationInfo) -> list[date]:
        campaign = _campaign(info)
        if info.data.get("type") == "editorial_slot" and any(
                not campaign.first_day <= day <= campaign.last_day for day in value):
            raise invalid(_range_message(campaign))
        return value

    @model_validator(mode="after")
    def _slot(self, info: ValidationInfo) -> EventRules:
        if self.type != "editorial_slot":
            return self
        if self.slot_outlet is None:
            raise field_error("slot_outlet", _("媒体版面须指定刊发媒体"))
        if self.slot_genre not in SLOT_GENRES:
            raise field_error("slot_genre", _("未知的体裁：%(genre)s", genre=self.slot_genre),
                              self.slot_genre)
        if self.slot_ends_on or self.slot_weekdays or self.slot_count is not None:
            self._check_period(_campaign(info))
        return self

    def _check_period(self, campaign: Campaign) -> None:
        """A column planned as a period: one first day, a count, an end, weekdays that give
        days, and its last day within the campaign."""
        if len(self.slot_dates) > 1:
            raise field_error("slot_dates", _("按期间刊出的专栏只填一个开始日期"))
        first = min(self.slot_dates) if self.slot_dates else \
            local(self.starts_at, campaign.timezone).date()
        if self.slot_ends_on is not None and self.slot_ends_on < first:
            raise field_error("slot_ends_on", _("刊出结束日期早于开始日期"))
        if any(not 1 <= w <= 7 for w in self.slot_weekdays):
            raise field_error("slot_weekdays", _("星期须为 1（周一）至 7（周日）"))
        event_end = last_day(campaign, self.starts_at, self.ends_at, all_day=self.all_day)
        days = plan_days(first, ends_on=self.slot_ends_on, weekdays=self.slot_weekdays,
                         count=self.slot_count,
                         open_end=event_end if event_end > first else campaign.ends_on)
        if days == []:
            raise field_error("slot_weekdays", _("所选星期在刊出期间内没有日期"))
        last = max(days) if days else self.slot_ends_on or first
        if last > campaign.last_day:
            raise field_error("slot_ends_on", _range_message(campaign))


def last_day(campaign: Campaign, starts_at: datetime, ends_at: datetime, *,
             all_day: bool) -> date:
    """An event's last day in the campaign's zone (an all-day end is the midnight after it)."""
    start_day = local(starts_at, campaign.timezone).date()
    end_at = local(ends_at, campaign.timezone)
    end_day = end_at.date()
    if all_day and end_day > start_day and end_at.time() == end_at.time().min:
        end_day -= timedelta(days=1)
    return end_day


def target_outlets_message() -> str:
    return _("目标报道媒体家数须在 0 至 %(max)d 之间", max=MAX_TARGET_OUTLETS)
