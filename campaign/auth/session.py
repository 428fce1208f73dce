"""Login sessions and the access rule every request passes through.

The rule is global rather than per view, so a new view cannot forget it: every page needs a
login, and every write (any method but GET/HEAD/OPTIONS) needs the officer role at least.
Views that need more (admin pages) or that show edit forms on GET add `role_required`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, ParamSpec

from flask import Flask, abort, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from campaign.extensions import db, login_manager

if TYPE_CHECKING:
    from campaign.auth.models import User

P = ParamSpec("P")

# Endpoints anyone may reach, logged in or not.
PUBLIC_ENDPOINTS = {"auth.login", "static", "core.healthz", "core.set_language", "core.favicon",
                    "digests.unsubscribe_link"}  # the link in every digest mail (signed)
# Writes any logged-in user may make (leaders included).
WRITES_FOR_ALL = {"auth.logout", "core.set_language", "auth.login",
                  # leaders read digests: they choose their own subscriptions
                  "digests.subscriptions_save", "digests.subscriptions_test",
                  "digests.unsubscribe_link"}
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def init_login(app: Flask) -> None:
    """Bind Flask-Login and install the access rule."""
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("请先登录。")
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        from campaign.auth.models import User

        if not user_id.isdigit():
            return None
        return db.session.get(User, int(user_id))

    app.before_request(enforce_access)


def enforce_access() -> ResponseReturnValue | None:
    """Redirect anonymous users to the login page; refuse writes to leaders."""
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
