"""Forms of the coverage pages: an event's coverage rule and a manual clipping."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import URL, DataRequired, Length, NumberRange, Optional, Regexp

from campaign.core.choices import ARTICLE_GENRES, select_choices

MAX_WINDOW_DAYS = 60


class CoverageRuleForm(FlaskForm):
    """The query, synonyms, window and outlets that recognise an event's coverage."""

    query = TextAreaField(_l("检索式"), validators=[Optional(), Length(max=2000)])
    use_synonyms = BooleanField(_l("同时匹配同义词"), default=True)
    days_before = IntegerField(
        _l("活动前（天）"), validators=[Optional(), NumberRange(
            0, MAX_WINDOW_DAYS, _l("请填写 0 至 %(max)d 之间的天数", max=MAX_WINDOW_DAYS))])
    days_after = IntegerField(
        _l("活动后（天）"), validators=[Optional(), NumberRange(
            0, MAX_WINDOW_DAYS, _l("请填写 0 至 %(max)d 之间的天数", max=MAX_WINDOW_DAYS))])
    outlets = SelectMultipleField(_l("只统计这些媒体"), coerce=int, validators=[Optional()])


class ClippingForm(FlaskForm):
    """Coverage with no URL: a print page, a TV or radio report, a WeChat post."""

    outlet_id = SelectField(_l("媒体"), coerce=int,
                            validators=[DataRequired(_l("请选择媒体"))])
    published_on = DateField(_l("刊播日期"),
                             validators=[DataRequired(_l("请填写有效的日期"))])
    page = StringField(_l("版面"), validators=[Optional(), Length(max=32)])
    genre = SelectField(_l("体裁"), choices=select_choices([("", "—"), *ARTICLE_GENRES.items()]),
                        validators=[Optional()])
    title = StringField(_l("标题"), validators=[DataRequired(_l("请填写标题")), Length(max=500)])
    url = StringField(_l("链接（如有）"), validators=[
        Optional(), Length(max=1000), URL(message=_l("请填写以 http:// 或 https:// 开头的链接")),
        Regexp(r"(?i)^https?://", message=_l("请填写以 http:// 或 https:// 开头的链接"))])
    note = TextAreaField(_l("备注"), validators=[Optional(), Length(max=2000)])
    file = FileField(_l("扫描件或截图（PNG、JPEG、WebP、PDF）"))
