"""The forms of the digests pages: a user's address and language, and a campaign's robots."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, ValidationError
from wtforms.validators import DataRequired, Length, Optional, Regexp

from campaign.core.choices import select_choices
from campaign.core.i18n import LANGUAGES

# One address, no spaces or line breaks (they would reach the To: header).
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class SubscriptionForm(FlaskForm):
    email = StringField(_l("电子邮箱"), validators=[
        Optional(), Length(max=254), Regexp(EMAIL, message=_l("请填写有效的电子邮箱地址"))])
    # Not sent: the language stays as it was (the view keeps it).
    language = SelectField(_l("邮件语言"), choices=select_choices(LANGUAGES),
                           validators=[Optional()], validate_choice=False)


def _webhook(_form: FlaskForm, field: StringField) -> None:
    value = str(field.data or "")
    if not re.match(r"^https?://[^\s]+$", value):
        raise ValidationError(_l("请填写以 http:// 或 https:// 开头的网址"))


class RobotForm(FlaskForm):
    name = StringField(_l("名称"), validators=[Length(max=120)])
    kind = SelectField(_l("类型"), choices=select_choices(
        [("wecom", _l("企业微信")), ("dingtalk", _l("钉钉")), ("feishu", _l("飞书"))]),
        validators=[DataRequired()])
    url = StringField(_l("Webhook 地址"), validators=[
        DataRequired(_l("请填写 Webhook 地址")), Length(max=1000), _webhook])
    secret = StringField(_l("加签密钥"), validators=[Length(max=200)])
    keyword = StringField(_l("关键词"), validators=[Length(max=60)])
    digest = BooleanField(_l("发送日报、周报"), default=True)
    alerts = BooleanField(_l("发送提醒"), default=True)
