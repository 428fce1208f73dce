"""The form that issues an API token."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange

from campaign.core.values import MAX_INT_PARAM


class IssueTokenForm(FlaskForm):
    user_id = SelectField(_l("用户"), coerce=int, validators=[DataRequired(_l("请选择用户"))])
    name = StringField(_l("用途"), validators=[DataRequired(_l("请填写用途，如“报表系统”")),
                                             Length(max=120)])


class RevokeTokenForm(FlaskForm):
    token_id = IntegerField(validators=[DataRequired(), NumberRange(min=1, max=MAX_INT_PARAM)])
