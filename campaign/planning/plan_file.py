"""The plan file format, described once as pydantic models.

The models give every import its per-field messages (in the user's language) and the JSON
Schema the app serves at /plan-schema.json, so officers' own tools can check a plan before it
is imported. The campaign's own fields follow `rules.CampaignRules`, which the campaign form
shares; what needs the database (outlet names, an existing slug) is checked by
`planning.transfer`, and each event, once its times are placed in the campaign's zone, by
`rules.EventRules` against the campaign (as a form's event is).
"""

from __future__ import annotations

from datetime import date, datetime
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
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import ErrorDetails

from campaign.core.choices import EVENT_STATUSES, EVENT_TYPES, SLOT_GENRE_ALIASES, SLOT_GENRES
from campaign.planning.instalments import parse_weekday
from campaign.planning.rules import (
    CampaignRules,
    Day,
    EventStatus,
    EventType,
    Key,
    Name,
    SlotCount,
    TargetOutlets,
    check_year,
    clean_text,
    invalid,
)

# A plan is a calendar of a month or a season: the seed's month has eight events, a year of
# daily columns a few hundred. 5,000 imports in a few seconds; more is a generated file.
MAX_PLAN_EVENTS = 5000


def _none_to_empty(value: Any) -> Any:
    return "" if value is None else value


def _moment(value: str) -> str:
    """An ISO 8601 date or date-time; the zone is placed by the importer."""
    value = value.strip()
    try:
        parsed: date = (date.fromisoformat(value) if len(value) == 10
                        else datetime.fromisoformat(value))
    except ValueError as error:
        raise invalid(_("时间格式应为 ISO 8601：%(value)s", value=value)) from error
    check_year(parsed)
    return value


def _page_text(value: Any) -> Any:
    """Officers write `"page": 1` as often as `"一版"`: a whole number is a page number."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return _none_to_empty(value)


def _weekdays(value: Any) -> Any:
    if value is None:
        return []
    if not isinstance(value, list):
        raise invalid(_('应为星期的列表，如 ["tue", "fri"]'))
    try:
        return sorted({parse_weekday(v) for v in value})
    except ValueError as error:
        raise invalid(_("无法识别的星期：%(value)s", value=str(error))) from error


Text = Annotated[str, BeforeValidator(_none_to_empty), AfterValidator(clean_text)]
Moment = Annotated[str, AfterValidator(clean_text), AfterValidator(_moment),
                   Field(description="ISO 8601: YYYY-MM-DD, or YYYY-MM-DDTHH:MM[:SS][±HH:MM]")]
Page = Annotated[str, BeforeValidator(_page_text), AfterValidator(clean_text),
                 WithJsonSchema({"type": ["string", "integer"],
                                 "description": "版面：\"一版\"、\"A1\" 或页码 1"})]
Weekdays = Annotated[list[int], BeforeValidator(_weekdays),
                     WithJsonSchema({"type": "array",
                                     "items": {"type": ["integer", "string"]},
                                     "description": "ISO 1-7, \"tue\", \"周二\" 或 \"二\""})]


class PlanSlot(BaseModel):
    """Where an editorial slot runs: one or more dates, or a column planned as a period."""

    model_config = ConfigDict(extra="ignore")

    outlet: Name
    genre: Annotated[str, BeforeValidator(_none_to_empty),
                     Field(json_schema_extra={"enum": [*SLOT_GENRES, *SLOT_GENRE_ALIASES]})] = ""
    page: Page = ""
    dates: list[Day] = []
    starts_on: Day | None = None
    ends_on: Day | None = None
    weekdays: Weekdays = []
    count: SlotCount = None

    @field_validator("genre")
    @classmethod
    def _known_genre(cls, value: str) -> str:
        genre = SLOT_GENRE_ALIASES.get(value.strip(), value.strip()) or "other"
        if genre not in SLOT_GENRES:
            raise invalid(_("未知的体裁：%(genre)s", genre=value))
        return genre

    @field_validator("starts_on")
    @classmethod
    def _one_start(cls, value: date | None, info: ValidationInfo) -> date | None:
        dates = info.data.get("dates")
        if value is not None and dates and dates != [value]:
            raise invalid(_("按期间刊出的专栏只填一个开始日期"))
        return value


class PlanEvent(BaseModel):
    """One event of the plan."""

    model_config = ConfigDict(extra="ignore")

    key: Key
    title: Annotated[Name, Field(max_length=300)]
    type: Annotated[EventType, Field(json_schema_extra={"enum": list(EVENT_TYPES)})]
    starts_at: Moment
    ends_at: Annotated[Moment | None, BeforeValidator(lambda v: v or None)] = None
    all_day: bool | None = None
    venue: Annotated[Text, Field(max_length=200)] = ""
    owner: Annotated[Text, Field(max_length=120)] = ""
    status: Annotated[EventStatus, BeforeValidator(lambda v: v or "planned"),
                      Field(json_schema_extra={"enum": list(EVENT_STATUSES)})] = "planned"
    description: Text = ""
    key_messages: Text = ""
    keywords: Annotated[list[Text], BeforeValidator(lambda v: v or [])] = []
    invited_outlets: Annotated[list[Name], BeforeValidator(lambda v: v or [])] = []
    target_outlets: TargetOutlets = None
    slot: PlanSlot | None = None

    @model_validator(mode="after")
    def _slot_for_slot_events(self) -> PlanEvent:
        if self.type == "editorial_slot" and self.slot is None:
            raise invalid(_("媒体版面须指定刊发媒体（slot）"))
        return self

    @property
    def outlet_names(self) -> list[str]:
        return [*self.invited_outlets, *([self.slot.outlet] if self.slot else [])]


class PlanFile(CampaignRules):
    """A campaign plan: the campaign's fields (`rules.CampaignRules`), and its events."""

    model_config = ConfigDict(extra="ignore", title="campaign-tracker plan")

    description: Text = ""
    goals: Text = ""
    events: Annotated[list[PlanEvent],
                      Field(max_length=MAX_PLAN_EVENTS, default_factory=list)]

    @model_validator(mode="after")
    def _unique_keys(self) -> PlanFile:
        seen: set[str] = set()
        for event in self.events:
            if event.key in seen:
                raise invalid(_("标识重复：%(key)s", key=event.key))
            seen.add(event.key)
        return self


def plan_schema() -> dict[str, Any]:
    """The JSON Schema of a plan file (served by the app, linked from the README)."""
    schema = PlanFile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


def read_plan(data: dict[str, Any] | bytes | str) -> PlanFile:
    """The plan in a parsed file or the file's bytes; ValidationError lists every problem."""
    if isinstance(data, dict):
        return PlanFile.model_validate(data)
    return PlanFile.model_validate_json(data)


def error_lines(error: ValidationError, raw: Any = None) -> list[str]:
    """Each problem as "where: field: message", the event named by its position and key."""
    return [_error_line(detail, raw) for detail in error.errors(include_url=False)]


def _error_line(detail: ErrorDetails, raw: Any) -> str:
    loc = [part for part in detail["loc"] if not (isinstance(part, str) and "[" in part)]
    where = _("文件") if detail["type"] == "json_invalid" else _("活动")
    if len(loc) >= 2 and loc[0] == "events" and isinstance(loc[1], int):
        where = _event_where(loc[1], raw)
        loc = loc[2:]
        if loc and loc[0] == "slot":
            where, loc = f"{where}.slot", loc[1:]
    field = ".".join(str(part) for part in loc) or _field_of(detail)
    return f"{where}: {field}: {_message(detail)}"


def _field_of(detail: ErrorDetails) -> str:
    return "json" if detail["type"] == "json_invalid" else "event"


def _event_where(index: int, raw: Any) -> str:
    where = _("第 %(n)d 个活动", n=index + 1)
    events = raw.get("events") if isinstance(raw, dict) else None
    event = events[index] if isinstance(events, list) and index < len(events) else None
    key = event.get("key") if isinstance(event, dict) else None
    if isinstance(key, str) and key:
        where = _("%(where)s（%(key)s）", where=where, key=key[:80])
    return where


def _message(detail: ErrorDetails) -> str:
    kind, context = detail["type"], detail.get("ctx") or {}
    if kind == "plan":
        return detail["msg"]
    if kind == "json_invalid":
        return _("不是有效的 JSON：%(error)s", error=str(context.get("error", "")))
    if kind in ("too_long", "string_too_long"):
        return _("过长：最多 %(max)s", max=context.get("max_length", ""))
    if kind.startswith(("date_", "datetime_")):
        return _("日期格式应为 YYYY-MM-DD：%(value)s", value=str(detail.get("input"))[:40])
    family = kind.split("_", 1)[0]
    simple = _SIMPLE_MESSAGES.get(kind) or _SIMPLE_MESSAGES.get(family)
    return simple() if simple else _("值无效：%(reason)s", reason=detail["msg"])


_SIMPLE_MESSAGES = {
    "missing": lambda: _("缺少必填字段"),
    "string_type": lambda: _("应为文本"),
    "string_pattern_mismatch": lambda: _("标识只能包含小写字母、数字、- 和 _"),
    "bool_type": lambda: _("应为 true 或 false"),
    "bool_parsing": lambda: _("应为 true 或 false"),
    "list_type": lambda: _("应为列表"),
    "model_type": lambda: _("应为对象"),
    "model_attributes_type": lambda: _("应为对象"),
    "dict_type": lambda: _("应为对象"),
    "int": lambda: _("应为整数"),
    "float": lambda: _("应为整数"),
}
