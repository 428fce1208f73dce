"""Forms for sources: edit, import a file, paste a URL, and confirm a proposal."""

from __future__ import annotations

import json

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, HiddenField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from campaign.core.choices import select_choices
from campaign.sources.operations import SELECTOR_KEYS, SourceInput

SOURCE_TYPE_LABELS = {
    "rss": _l("RSS/Atom 订阅源"),
    "html": _l("栏目页（HTML 列表）"),
    "epaper": _l("电子报（数字报）"),
}
SELECTOR_LABELS = {
    "link_selector": _l("文章链接选择器"),
    "title_selector": _l("标题选择器（列表项内）"),
    "date_selector": _l("日期选择器（列表项内）"),
    "next_selector": _l("下一页链接选择器"),
    "article_title": _l("文章页：标题选择器"),
    "article_body": _l("文章页：正文选择器"),
    "article_date": _l("文章页：日期选择器"),
    "article_author": _l("文章页：作者选择器"),
    "article_source": _l("文章页：来源选择器"),
}


def _selector_field(key: str) -> StringField:
    return StringField(SELECTOR_LABELS[key], validators=[Optional(), Length(max=300)])


class SourceForm(FlaskForm):
    outlet = SelectField(_l("媒体"), coerce=int, validate_choice=True)
    name = StringField(_l("名称（可留空）"), validators=[Optional(), Length(max=200)])
    type = SelectField(_l("类型"), choices=select_choices(SOURCE_TYPE_LABELS))
    url = StringField(_l("网址（电子报填日期模式，含 {yyyy} {mm} {dd}）"),
                      validators=[DataRequired(_l("请填写网址")), Length(max=1000)])
    link_selector = _selector_field("link_selector")
    title_selector = _selector_field("title_selector")
    date_selector = _selector_field("date_selector")
    next_selector = _selector_field("next_selector")
    article_title = _selector_field("article_title")
    article_body = _selector_field("article_body")
    article_date = _selector_field("article_date")
    article_author = _selector_field("article_author")
    article_source = _selector_field("article_source")
    interval_minutes = IntegerField(_l("抓取间隔（分钟）"), default=60,
                                    validators=[DataRequired(_l("请填写抓取间隔")),
                                                NumberRange(1, 100000)])
    max_pages = IntegerField(_l("每次最多翻页数"), default=3,
                             validators=[DataRequired(_l("请填写页数")), NumberRange(1, 1000)])
    timezone = StringField(_l("时区"), default="Asia/Shanghai", validators=[Length(max=64)])
    obey_robots = BooleanField(_l("遵守 robots.txt"), default=True)
    enabled = BooleanField(_l("启用"), default=True)

    def selector_fields(self) -> list[StringField]:
        """The selector fields, in the order of SELECTOR_KEYS."""
        return [getattr(self, key) for key in SELECTOR_KEYS]

    def fill_selectors(self, selectors: dict[str, str]) -> None:
        for key in SELECTOR_KEYS:
            getattr(self, key).data = selectors.get(key, "")

    def to_input(self) -> SourceInput:
        """The form's values as a SourceInput."""
        return SourceInput(
            type=self.type.data or "", url=(self.url.data or "").strip(),
            name=self.name.data or "",
            selectors={k: getattr(self, k).data or "" for k in SELECTOR_KEYS},
            interval_minutes=self.interval_minutes.data or 0,
            timezone=(self.timezone.data or "Asia/Shanghai").strip(),
            obey_robots=bool(self.obey_robots.data), enabled=bool(self.enabled.data),
            max_pages=self.max_pages.data or 0,
        )


class ImportSourcesForm(FlaskForm):
    file = FileField(_l("来源文件（TOML 或 OPML）"), validators=[FileRequired(_l("请选择文件"))])


class DiscoverForm(FlaskForm):
    url = StringField(_l("网址"), validators=[DataRequired(_l("请填写网址")), Length(max=1000)])


class ConfirmProposalForm(FlaskForm):
    """A proposal carried through the preview page in hidden fields, with the outlet to use."""

    outlet = SelectField(_l("媒体"), coerce=int, validate_choice=True)
    name = StringField(_l("名称（可留空）"), validators=[Optional(), Length(max=200)])
    type = HiddenField(validators=[DataRequired()])
    url = HiddenField(validators=[DataRequired(), Length(max=1000)])
    selectors = HiddenField(default="{}")

    def selector_dict(self) -> dict[str, str]:
        """The carried selectors; anything that is not a JSON object of texts gives {}."""
        try:
            value = json.loads(self.selectors.data or "{}")
        except (ValueError, RecursionError):  # not JSON, nested too deep, or a huge number
            return {}
        if not isinstance(value, dict):
            return {}
        return {str(k): str(v) for k, v in value.items() if isinstance(v, str)}

    def to_input(self) -> SourceInput:
        return SourceInput(type=self.type.data or "", url=self.url.data or "",
                           name=self.name.data or "", selectors=self.selector_dict(),
                           interval_minutes=30 if self.type.data == "rss" else 60)


class AllowedHostForm(FlaskForm):
    host = StringField(_l("主机名或 IP 地址"),
                       validators=[DataRequired(_l("请填写主机")), Length(max=255)])
    note = StringField(_l("说明（可留空）"), validators=[Optional(), Length(max=200)])
