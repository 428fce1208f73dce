"""Forms for campaigns, events, outlets and the campaign file upload."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from pydantic import ValidationError as RuleError
from wtforms import (
    BooleanField,
    DateField,
    Field,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import (
    DataRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from campaign.core.choices import (
    EVENT_STATUSES,
    EVENT_TYPES,
    KINDS,
    SLOT_GENRES,
    TIERS,
    select_choices,
)
from campaign.core.times import combine
from campaign.planning.instalments import WEEKDAY_LABELS
from campaign.planning.models import Outlet
from campaign.planning.rules import (
    FIRST_YEAR,
    KEY_PATTERN,
    LAST_YEAR,
    MAX_PERIOD_DAYS,
    MAX_PREPARATION_DAYS,
    MAX_SLOT_COUNT,
    MAX_TARGET_OUTLETS,
    CampaignRules,
    EventInput,
    problems,
    year_message,
)

SPLIT = re.compile(r"[,，、;；\s]+")
DATE_RANGE = re.compile(r"^(\S+?)\s*(?:~|至|到|—|--)\s*(\S+)$")
# A slot range ("4-21~4-26") longer than any campaign is a typo, not thousands of slots.
MAX_RANGE_DAYS = MAX_PREPARATION_DAYS + MAX_PERIOD_DAYS
# The browser's date picker offers the same years the server accepts.
WEEKDAY_VALUES = {str(n) for n in WEEKDAY_LABELS}
YEARS = {"min": f"{FIRST_YEAR}-01-01", "max": f"{LAST_YEAR}-12-31"}


def sane_year(form: FlaskForm, field: Field) -> None:
    """A date field's year is FIRST_YEAR..LAST_YEAR (a typed "0207" or "9999" is refused,
    naming the field, before any date arithmetic overflows)."""
    if field.data is not None and not FIRST_YEAR <= field.data.year <= LAST_YEAR:
        raise ValidationError(year_message(str(field.label.text)))


def campaign_date(label: str, required: DataRequired | Optional) -> DateField:
    """A date field of a campaign or event: `required` (DataRequired or Optional), then a
    year in FIRST_YEAR..LAST_YEAR, which the browser's picker also offers."""
    return DateField(label, validators=[required, sane_year], render_kw=YEARS)


def weekday_choices(form: FlaskForm, field: Field) -> None:
    """Each checked weekday is 1 (Monday) to 7 (Sunday)."""
    if any(value not in WEEKDAY_VALUES for value in field.data or []):
        raise ValidationError(_l("星期须为 1（周一）至 7（周日）"))


class CampaignForm(FlaskForm):
    name = StringField(_l("名称"), validators=[DataRequired(_l("请填写名称")), Length(max=200)])
    slug = StringField(_l("网址标识"),
                       validators=[DataRequired(_l("请填写网址标识")), Length(max=80)])
    starts_on = campaign_date(_l("开始日期"), DataRequired(_l("请填写有效的开始日期")))
    ends_on = campaign_date(_l("结束日期"), DataRequired(_l("请填写有效的结束日期")))
    planning_starts_on = campaign_date(_l("筹备开始日期"), Optional())
    follow_up_ends_on = campaign_date(_l("后续工作截止日期"), Optional())
    timezone = StringField(_l("时区"), default="Asia/Shanghai", validators=[Length(max=64)])
    description = TextAreaField(_l("说明"), validators=[Optional()])
    goals = TextAreaField(_l("宣传目标"), validators=[Optional()])

    def validate(self, extra_validators: Mapping[str, Sequence[Any]] | None = None) -> bool:
        """The fields' own validators, then the campaign's rules (`rules.CampaignRules`, the
        plan file's too), each message on its field."""
        if not super().validate(extra_validators):
            return False
        try:
            CampaignRules.model_validate({name: self[name].data for name in (
                "name", "slug", "starts_on", "ends_on", "planning_starts_on",
                "follow_up_ends_on", "timezone")})
        except RuleError as error:
            for name, message in problems(error):
                self[name].errors = [*self[name].errors, message]
            return False
        return True


class CopyCampaignForm(FlaskForm):
    years = IntegerField(_l("顺延年数"), default=1,
                         validators=[DataRequired(_l("请填写年数")), NumberRange(-50, 50)])
    name = StringField(_l("新名称"), validators=[DataRequired(_l("请填写名称")), Length(max=200)])
    slug = StringField(_l("新网址标识"),
                       validators=[DataRequired(_l("请填写网址标识")), Length(max=80)])


class ImportCampaignForm(FlaskForm):
    file = FileField(_l("活动文件（JSON）"))
    # The confirmation step (create the missing outlets) posts the file's text back.
    plan_text = HiddenField()
    update = BooleanField(_l("已存在时更新"))
    create_outlets = BooleanField(_l("新建名录中没有的媒体"))

    def validate_file(self, field: FileField) -> None:
        if not field.data and not self.plan_text.data:
            raise ValidationError(_l("请选择文件"))

    def plan_bytes(self) -> bytes:
        """The uploaded file, or the text the confirmation step posted back."""
        if self.file.data:
            return bytes(self.file.data.read())
        return (self.plan_text.data or "").encode("utf-8", "surrogatepass")


class OutletForm(FlaskForm):
    name = StringField(_l("媒体名称"),
                       validators=[DataRequired(_l("请填写媒体名称")), Length(max=120)])
    aliases = StringField(_l("别名（用逗号分隔）"), validators=[Optional(), Length(max=500)])
    tier = SelectField(_l("级别"), choices=select_choices(TIERS))
    kind = SelectField(_l("类型"), choices=select_choices(KINDS))
    region = StringField(_l("地区"), validators=[Optional(), Length(max=64)])


def split_words(text: str | None) -> list[str]:
    """Keywords or names typed with commas, 顿号 or spaces between them."""
    return [w for w in SPLIT.split(text or "") if w]


def parse_dates(text: str | None, *, year: int) -> list[date]:
    """Dates typed as "2006-04-21, 4-24, 04-26~04-28": ranges expand, a missing year is
    `year`. Raises ValueError naming the piece that is not a date."""
    days: list[date] = []
    for raw in re.split(r"[,，、;；\n]+", text or ""):
        piece = raw.strip()
        if not piece:
            continue
        match = DATE_RANGE.match(piece)
        if match:
            first, last = _one_date(match.group(1), year), _one_date(match.group(2), year)
            if last < first or (last - first).days >= MAX_RANGE_DAYS:
                raise ValueError(piece)
            days.extend(first + timedelta(days=i) for i in range((last - first).days + 1))
        else:
            days.append(_one_date(piece, year))
    return sorted(set(days))


def _one_date(text: str, year: int) -> date:
    try:
        numbers = [int(n) for n in re.findall(r"\d+", text)]
        if len(numbers) == 3:
            return date(numbers[0], numbers[1], numbers[2])
        if len(numbers) == 2:
            return date(year, numbers[0], numbers[1])
    except (ValueError, OverflowError):  # 2006-13-01, or a year past C's int
        pass
    raise ValueError(text)


class EventForm(FlaskForm):
    title = StringField(_l("活动名称"),
                        validators=[DataRequired(_l("请填写活动名称")), Length(max=300)])
    key = StringField(_l("标识（英文，可留空）"), validators=[
        Optional(), Length(max=80),
        Regexp(KEY_PATTERN, message=_l("标识只能包含小写字母、数字、- 和 _"))])
    type = SelectField(_l("类型"), choices=select_choices(EVENT_TYPES))
    status = SelectField(_l("状态"), choices=select_choices(EVENT_STATUSES))
    start_date = campaign_date(_l("开始日期"), DataRequired(_l("请填写有效的开始日期")))
    start_time = TimeField(_l("开始时间"), validators=[Optional()])
    end_date = campaign_date(_l("结束日期"), Optional())
    end_time = TimeField(_l("结束时间"), validators=[Optional()])
    all_day = BooleanField(_l("全天"))
    venue = StringField(_l("地点"), validators=[Optional(), Length(max=200)])
    owner = StringField(_l("负责人/单位"), validators=[Optional(), Length(max=120)])
    description = TextAreaField(_l("说明"), validators=[Optional()])
    key_messages = TextAreaField(_l("核心信息"), validators=[Optional()])
    keywords = StringField(_l("关键词（用逗号或顿号分隔）"), validators=[Optional()])
    invited_outlets = SelectMultipleField(_l("邀请媒体"), coerce=int, validate_choice=True)
    target_outlets = IntegerField(_l("目标报道媒体家数"), validators=[Optional(), NumberRange(
        0, MAX_TARGET_OUTLETS,
        _l("目标报道媒体家数须在 0 至 %(max)d 之间", max=MAX_TARGET_OUTLETS))])
    slot_outlet = SelectField(_l("刊发媒体"), coerce=int, validate_choice=False)
    slot_genre = SelectField(_l("体裁"), choices=select_choices(SLOT_GENRES))
    slot_page = StringField(_l("版面（如：一版）"), validators=[Optional(), Length(max=32)])
    slot_dates = TextAreaField(_l("刊出日期（专栏可填多个，如 4-21, 4-24~4-26）"),
                               validators=[Optional()])
    # A column planned as a period: one date above, then an end, a weekday rhythm or a count.
    slot_ends_on = campaign_date(_l("到"), Optional())
    # Strings checked here, so a forged value gets a message in Chinese, not WTForms' own.
    slot_weekdays = SelectMultipleField(
        _l("每周刊出"), choices=select_choices({str(n): w for n, w in WEEKDAY_LABELS.items()}),
        validate_choice=False, validators=[weekday_choices],
        widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())
    slot_count = IntegerField(_l("期数"), validators=[Optional(), NumberRange(
        1, MAX_SLOT_COUNT, _l("期数须在 1 至 %(max)d 之间", max=MAX_SLOT_COUNT))])

    def to_input(self, tz: str, outlets_by_id: Mapping[int, Outlet]) -> EventInput:
        """The form's values as an EventInput; ValueError("field") for an unparseable value."""
        # Called on a validated form only, where DataRequired has refused an empty start date.
        start_day: date = self.start_date.data  # type: ignore[assignment]
        end_day: date = self.end_date.data or start_day
        start_time = None if self.all_day.data else self.start_time.data
        all_day = start_time is None
        if start_time is None:
            starts_at = combine(start_day, time(0), tz)
            ends_at = combine(end_day, time(0), tz) + timedelta(days=1)
        else:
            starts_at = combine(start_day, start_time, tz)
            end_time = self.end_time.data or (
                datetime.combine(start_day, start_time) + timedelta(hours=2)
            ).time()
            ends_at = combine(end_day, end_time, tz)
        try:
            slot_dates = parse_dates(self.slot_dates.data, year=start_day.year)
        except ValueError as error:
            raise ValueError("slot_dates", str(error)) from error
        return EventInput(
            key=(self.key.data or "").strip(), title=self.title.data or "",
            type=self.type.data or "other", status=self.status.data or "planned",
            starts_at=starts_at, ends_at=ends_at, all_day=all_day,
            venue=self.venue.data or "", owner=self.owner.data or "",
            description=self.description.data or "", key_messages=self.key_messages.data or "",
            keywords=split_words(self.keywords.data),
            invited_outlets=[outlets_by_id[i] for i in self.invited_outlets.data or []
                             if i in outlets_by_id],
            target_outlets=self.target_outlets.data,
            slot_outlet=outlets_by_id.get(self.slot_outlet.data or 0),
            slot_genre=self.slot_genre.data or "other", slot_page=self.slot_page.data or "",
            slot_dates=slot_dates, slot_ends_on=self.slot_ends_on.data,
            slot_weekdays=[int(w) for w in self.slot_weekdays.data or []],
            slot_count=self.slot_count.data,
        )


class CampaignEditorsForm(FlaskForm):
    # Choices are the officers, filled in by the view; none chosen: every officer may edit.
    editors = SelectMultipleField(_l("仅限这些干部编辑"), coerce=int, validate_choice=True)
