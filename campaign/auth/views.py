"""Login, logout and the user list (admins)."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, logout_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from campaign.auth.forms import LoginForm, UserForm
from campaign.auth.logins import Attempt, end_login, record_failure
from campaign.auth.models import User
from campaign.auth.operations import (
    UserError,
    authenticate,
    create_user,
    find_user,
    update_user,
)
from campaign.auth.ratelimit import login_throttle
from campaign.auth.session import current_login_token, log_in, log_in_briefly, role_required
from campaign.core.sqlite import reads_only
from campaign.core.values import safe_next
from campaign.extensions import db

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
@reads_only  # the password check only reads: the login's two rows get a short write of their own
def login() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("core.index"))
    form = LoginForm()
    if form.validate_on_submit():
        username, address = form.username.data or "", request.remote_addr or ""
        throttle = login_throttle()
        if throttle is not None and not throttle.allows(address, username):
            return _too_many_attempts(form, throttle.retry_after(address, username))
        user = authenticate(username, form.password.data or "")
        known = user or find_user(username.strip())
        attempt = Attempt(username, known.id if known else None, address)
        db.session.rollback()  # end the reading snapshot (nothing was written) before the write
        if user is not None:
            log_in_briefly(user, remember=bool(form.remember.data), attempt=attempt)
            return redirect(safe_next(request.args.get("next")) or url_for("core.index"))
        recorded = record_failure(attempt)
        if throttle is not None:
            throttle.failed(address, username, recorded=recorded)
        # One message for every failure, so the page does not tell which usernames exist.
        flash(_("用户名或密码不正确。"), "error")
        return render_template("auth/login.html", form=form), 401
    return render_template("auth/login.html", form=form)


def _too_many_attempts(form: LoginForm, retry_after: int) -> Response:
    """429 on the login page, saying when to try again."""
    flash(_("登录失败次数过多，请 %(n)d 秒后再试。", n=retry_after), "error")
    response = make_response(render_template("auth/login.html", form=form), 429)
    response.headers["Retry-After"] = str(retry_after)
    return response


@bp.post("/logout")
def logout() -> ResponseReturnValue:
    """End this browser's login on the server (its session and remember cookie)."""
    end_login(current_login_token())
    db.session.commit()
    logout_user()
    flash(_("您已退出登录。"), "info")
    return redirect(url_for("auth.login"))


@bp.get("/users")
@role_required("admin")
def user_list() -> ResponseReturnValue:
    users = db.session.scalars(select(User).order_by(User.username)).all()
    return render_template("auth/users.html", users=users)


@bp.route("/users/new", methods=["GET", "POST"])
@role_required("admin")
def user_new() -> ResponseReturnValue:
    form = UserForm()
    if form.validate_on_submit():
        try:
            create_user(
                username=form.username.data or "",
                password=form.password.data or "",
                role=form.role.data or "officer",
                display_name=form.display_name.data or "",
            )
        except UserError as error:
            getattr(form, error.field).errors = [str(error)]
        else:
            db.session.commit()
            flash(_("用户已创建。"), "success")
            return redirect(url_for("auth.user_list"))
    status = 422 if form.errors else 200
    return render_template("auth/user_form.html", form=form, user=None), status


@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
@role_required("admin")
def user_edit(user_id: int) -> ResponseReturnValue:
    user = db.session.get(User, user_id) or abort(404)
    form = UserForm(obj=user)
    form.username.render_kw = {"readonly": True}
    if form.validate_on_submit():
        if user.id == current_user.id and (form.role.data != "admin" or not form.active.data):
            form.role.errors = [_("不能降低或停用自己的管理员账号。")]
        else:
            try:
                update_user(
                    user,
                    role=form.role.data or user.role,
                    display_name=form.display_name.data or "",
                    active=bool(form.active.data),
                    password=form.password.data or "",
                )
            except UserError as error:
                getattr(form, error.field).errors = [str(error)]
            else:
                if user.id == current_user.id and form.password.data:
                    # A new password ends every login, this one too: log this browser in anew.
                    log_in(user, remember=False)
                db.session.commit()
                flash(_("用户已更新。"), "success")
                return redirect(url_for("auth.user_list"))
    status = 422 if form.errors else 200
    return render_template("auth/user_form.html", form=form, user=user), status
