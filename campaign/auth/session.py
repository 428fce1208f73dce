"""Login sessions and the access rule every request passes through.

The rule is global rather than per view, so a new view cannot forget it: every page needs a
login, and every write (any method but GET/HEAD/OPTIONS) needs the officer role at least.
Views that need more (admin pages) or that show edit forms on GET add `role_required`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, ParamSpec

from flask import Flask, abort, g, redirect, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, user_loaded_from_cookie
from sqlalchemy.exc import OperationalError

from campaign.extensions import db, login_manager

if TYPE_CHECKING:
    from campaign.auth.logins import Attempt
    from campaign.auth.models import User

log = logging.getLogger(__name__)
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


def log_in_briefly(user: User, *, remember: bool, attempt: Attempt) -> None:
    """`log_in` and the attempt's audit line in a short write transaction of their own (the
    password was checked in a reading one). The login's row must be written (the busy timeout
    running out is a 503, nothing written); the audit line may fail alone, with a warning."""
    from campaign.auth.logins import record_attempt
    from campaign.core.sqlite import write_transaction

    if db.session().in_transaction():  # its BEGIN would not take the lock: a programming error
        raise RuntimeError("end the reading transaction before log_in_briefly")
    with write_transaction():
        db.session.connection()  # BEGIN IMMEDIATE: waits for the write lock
        log_in(user, remember=remember)
        record_attempt(attempt, succeeded=True)
        db.session.commit()


def current_login_token() -> str:
    """The login this browser's session names ("" when none)."""
    return str(session.get("_user_id") or "")


def _rotate_remember_token(_app: Flask, user: User) -> None:
    """The remember cookie just logged this browser in: replace its login by a new one, so a
    copy of the old cookie is refused from now on, and send the new cookie. The rotation is a
    short write transaction of its own; when the database stays locked past the busy timeout
    the page is still served (the old login is live) and the next request tries again."""
    from campaign.auth.logins import rotate_login
    from campaign.core.errors import is_lock_timeout
    from campaign.core.sqlite import write_transaction

    old = current_login_token()
    db.session.rollback()  # end this request's reading snapshot: nothing was written
    try:
        with write_transaction():
            fresh = rotate_login(old)
            db.session.commit()
    except OperationalError as error:
        db.session.rollback()
        if not is_lock_timeout(error):
            raise
        log.warning("remember cookie of user %s not rotated, database busy (%s)", user.id,
                    error.orig)
        # Flask-Login's session marks (`_id`, or strong protection ends the session on the next
        # request) without the login: the next request comes back through the remember cookie.
        login_user(user, fresh=False)
        session.pop("_user_id", None)
        return
    if fresh is None:
        return
    # The session must carry Flask-Login's marks as after a login (`_id` above all: without it
    # strong session protection ends the session on the next request, remember cookie and all).
    login_user(user, remember=True, fresh=False)
    session["_user_id"] = fresh


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
