"""Login sessions and the access rule every request passes through.

The rule is global rather than per view, so a new view cannot forget it: every page needs a
login, and every write (any method but GET/HEAD/OPTIONS) needs the officer role at least.
Views that need more (admin pages) or that show edit forms on GET add `role_required`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, ParamSpec

from flask import Flask, abort, g, redirect, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, user_loaded_from_cookie

from campaign.extensions import db, login_manager

if TYPE_CHECKING:
    from campaign.auth.models import User

P = ParamSpec("P")

# Endpoints anyone may reach, logged in or not.
PUBLIC_ENDPOINTS = {"auth.login", "static", "core.healthz", "core.set_language", "core.favicon",
                    "planning.plan_file_schema",  # the plan format only, no data
                    "digests.unsubscribe_link"}  # the link in every digest mail (signed)
# Writes any logged-in user may make (leaders included): logging in and out, the language, and
# their own account (password, calendar-feed token, 退出所有设备, digest subscriptions).
WRITES_FOR_ALL = {"auth.logout", "core.set_language", "auth.login", "auth.account_password",
                  "auth.account_logout_everywhere", "auth.account_calendar_token",
                  "auth.account_calendar_token_revoke",
                  "tokens.calendar_feed_issue", "tokens.calendar_feed_revoke",
                  "digests.subscriptions_save", "digests.subscriptions_test",
                  "digests.unsubscribe_link",
                  # a background export: whoever may download an export may start one
                  "exports.export_job_start"}
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def init_login(app: Flask) -> None:
    """Bind Flask-Login and install the access rule."""
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("请先登录。")
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def load_user(login_token: str) -> User | None:
        # The session and the remember cookie carry a login's "<id>.<secret>", not a user id.
        from campaign.auth.logins import load_login

        return load_login(login_token)

    user_loaded_from_cookie.connect(_rotate_remember_token, app)
    app.before_request(enforce_access)


def log_in(user: User, *, remember: bool) -> None:
    """Start a server-side login for `user` in this browser (its session and, when asked,
    its remember cookie name the login, not the user)."""
    from campaign.auth.logins import start_login

    token = start_login(user, remember=remember, address=request.remote_addr or "")
    login_user(user, remember=remember)
    session["_user_id"] = token


def current_login_token() -> str:
    """The login this browser's session names ("" when none)."""
    return str(session.get("_user_id") or "")


def _rotate_remember_token(_app: Flask, user: User) -> None:
    """The remember cookie just logged this browser in: replace its login by a new one, so a
    copy of the old cookie is refused from now on, and send the new cookie."""
    from campaign.auth.logins import rotate_login

    fresh = rotate_login(current_login_token())
    if fresh is None:
        return
    db.session.commit()
    session["_user_id"] = fresh
    session["_remember"] = "set"


def enforce_access() -> ResponseReturnValue | None:
    """Redirect anonymous users to the login page; refuse writes to leaders."""
    # Flask-Login caches the user in `g`, which lives as long as the app context: when one
    # context serves several requests (the test suite's), each request checks its own login.
    g.pop("_login_user", None)
    g.pop("_flask_babel", None)  # Flask-Babel's cached locale, which follows the login too
    endpoint = request.endpoint or ""
    if endpoint in PUBLIC_ENDPOINTS or endpoint.startswith("api."):
        return None
    if not current_user.is_authenticated:
        if request.method in SAFE_METHODS:
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        abort(401)
    is_write = request.method not in SAFE_METHODS and endpoint not in WRITES_FOR_ALL
    if is_write and not current_user.can_edit:
        abort(403)
    return None


def role_required(
    role: str,
) -> Callable[[Callable[P, ResponseReturnValue]], Callable[P, ResponseReturnValue]]:
    """Refuse the view (403) to users below `role`."""

    def decorator(view: Callable[P, ResponseReturnValue]) -> Callable[P, ResponseReturnValue]:
        @wraps(view)
        def wrapped(*args: P.args, **kwargs: P.kwargs) -> ResponseReturnValue:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not current_user.has_role(role):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
