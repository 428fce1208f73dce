"""Login and user forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from campaign.core.choices import ROLES, select_choices


class LoginForm(FlaskForm):
    username = StringField(_l("用户名"),
                           validators=[DataRequired(_l("请输入用户名")), Length(max=64)])
    password = PasswordField(_l("密码"), validators=[DataRequired(_l("请输入密码"))])
    remember = BooleanField(_l("记住我"))


class UserForm(FlaskForm):
    username = StringField(_l("用户名"),
                           validators=[DataRequired(_l("请输入用户名")), Length(max=64)])
    display_name = StringField(_l("姓名"), validators=[Optional(), Length(max=120)])
    role = SelectField(_l("角色"), choices=select_choices(ROLES))
    password = PasswordField(_l("密码"), validators=[Optional(), Length(max=200)])
    active = BooleanField(_l("启用"), default=True)


class PasswordChangeForm(FlaskForm):
    current_password = PasswordField(_l("当前密码"),
                                     validators=[DataRequired(_l("请输入当前密码"))])
    new_password = PasswordField(_l("新密码"), validators=[DataRequired(_l("请输入新密码")),
                                                         Length(max=200)])
    confirm = PasswordField(_l("再次输入新密码"), validators=[
        DataRequired(_l("请再次输入新密码")),
        EqualTo("new_password", _l("两次输入的新密码不一致"))])


class ButtonForm(FlaskForm):
    """A form that is only a button (its CSRF token)."""
