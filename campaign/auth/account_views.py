"""A user's own account (我的账号): their password, their logins with 退出所有设备, their
calendar-feed token; and the login audit log (admins). Every user, leaders included, may
write to their own account (`campaign.auth.session.WRITES_FOR_ALL`)."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, logout_user
from sqlalchemy import select

from campaign.auth.forms import ButtonForm, PasswordChangeForm
from campaign.auth.logins import end_all_logins, live_logins
from campaign.auth.models import LoginAttempt, User
from campaign.auth.operations import UserError, change_own_password
from campaign.auth.session import current_login_token, log_in, role_required
from campaign.auth.tokens import CALENDAR, issue_calendar_token, live_tokens, revoke_calendar_token
from campaign.auth.views import bp
from campaign.extensions import db

AUDIT_PAGE = 200


def _me() -> User:
    user: User = current_user._get_current_object()
    return user


def _page(form: PasswordChangeForm | None = None, calendar_secret: str | None = None
          ) -> str:
    user = _me()
    return render_template(
        "auth/account.html", form=form or PasswordChangeForm(), button=ButtonForm(),
        logins=live_logins(user), this_login=current_login_token().partition(".")[0],
        calendar_tokens=live_tokens(user, CALENDAR), calendar_secret=calendar_secret)


@bp.get("/account")
def account() -> ResponseReturnValue:
    """The user's own account page."""
    return _page()


@bp.post("/account/password")
def account_password() -> ResponseReturnValue:
    """Change one's own password; every other login of the user ends."""
    form = PasswordChangeForm()
    if form.validate_on_submit():
        try:
            change_own_password(_me(), current=form.current_password.data or "",
                                new=form.new_password.data or "")
        except UserError as error:
            getattr(form, error.field).errors = [str(error)]
        else:
            log_in(_me(), remember=False)
            db.session.commit()
            flash(_("密码已修改，其他设备上的登录已退出。"), "success")
            return redirect(url_for("auth.account"))
    return _page(form), 422


@bp.post("/account/logout-everywhere")
def account_logout_everywhere() -> ResponseReturnValue:
    """End every login of the user, this browser's too (退出所有设备)."""
    if ButtonForm().validate_on_submit():
        end_all_logins(_me())
        db.session.commit()
        logout_user()
        flash(_("已在所有设备上退出登录。"), "info")
    return redirect(url_for("auth.login"))


@bp.post("/account/calendar-token")
def account_calendar_token() -> ResponseReturnValue:
    """Issue the user's calendar-feed token (replacing the old one) and show it once."""
    if not ButtonForm().validate_on_submit():
        return redirect(url_for("auth.account"))
    _token, secret = issue_calendar_token(_me())
    db.session.commit()
    return _page(calendar_secret=secret)


@bp.post("/account/calendar-token/revoke")
def account_calendar_token_revoke() -> ResponseReturnValue:
    """End the user's calendar-feed token: subscribed calendars stop updating."""
    if ButtonForm().validate_on_submit() and revoke_calendar_token(_me()):
        db.session.commit()
        flash(_("日历订阅令牌已吊销。"), "success")
    return redirect(url_for("auth.account"))


@bp.get("/admin/logins")
@role_required("admin")
def login_audit() -> ResponseReturnValue:
    """The login audit log: the latest attempts, who, when, from where, success or failure."""
    attempts = db.session.scalars(
        select(LoginAttempt).order_by(LoginAttempt.at.desc(), LoginAttempt.id.desc())
        .limit(AUDIT_PAGE)).all()
    return render_template("auth/logins.html", attempts=attempts, limit=AUDIT_PAGE)
