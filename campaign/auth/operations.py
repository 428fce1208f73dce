"""Writes to users. Each function flushes; the caller commits."""

from __future__ import annotations

import logging
import secrets

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from campaign.auth.logins import end_all_logins
from campaign.auth.models import ROLE_RANK, User
from campaign.auth.tokens import revoke_user_tokens
from campaign.extensions import db

log = logging.getLogger(__name__)
MIN_PASSWORD_LENGTH = 8


class UserError(ValueError):
    """A user could not be created or changed; the message says why and names the field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def find_user(username: str) -> User | None:
    """The user with this username (case-insensitive), or None."""
    return db.session.scalar(select(User).where(func.lower(User.username) == username.lower()))


def create_user(
    *, username: str, password: str, role: str, display_name: str = ""
) -> User:
    """Create a user; refuse a taken username, an unknown role or a short password."""
    username = username.strip()
    if not username:
        raise UserError("username", _("用户名不能为空"))
    if find_user(username):
        raise UserError("username", _("用户名 %(name)s 已存在", name=username))
    if role not in ROLE_RANK:
        raise UserError("role", _("未知角色 %(role)s", role=role))
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError("password", _("密码至少 %(n)d 位", n=MIN_PASSWORD_LENGTH))
    user = User(username=username, role=role, display_name=display_name.strip() or username)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    log.info("created user %s with role %s", username, role)
    return user


def update_user(
    user: User, *, role: str, display_name: str, active: bool, password: str = ""
) -> User:
    """Change a user's role, name, active flag and (when given) password. A new role, a new
    password or deactivation ends every login of the user; deactivation also revokes their
    API and calendar tokens."""
    if role not in ROLE_RANK:
        raise UserError("role", _("未知角色 %(role)s", role=role))
    if password and len(password) < MIN_PASSWORD_LENGTH:
        raise UserError("password", _("密码至少 %(n)d 位", n=MIN_PASSWORD_LENGTH))
    credentials_changed = role != user.role or bool(password) or (user.active and not active)
    if user.active and not active:
        revoke_user_tokens(user)
    user.role = role
    user.display_name = display_name.strip() or user.username
    user.active = active
    if password:
        user.set_password(password)
    if credentials_changed:
        end_all_logins(user)
    db.session.flush()
    log.info("updated user %s", user.username)
    return user


def change_own_password(user: User, *, current: str, new: str) -> None:
    """A user changes their own password (the current one must be right); every login of
    theirs ends."""
    if not user.check_password(current):
        raise UserError("current_password", _("当前密码不正确"))
    if len(new) < MIN_PASSWORD_LENGTH:
        raise UserError("new_password", _("密码至少 %(n)d 位", n=MIN_PASSWORD_LENGTH))
    user.set_password(new)
    end_all_logins(user)
    db.session.flush()
    log.info("user %s changed their password", user.username)


def authenticate(username: str, password: str) -> User | None:
    """The active user with these credentials, or None (the same for every failure)."""
    user = find_user(username.strip())
    if user is None:
        # Hash the password anyway, so an unknown name takes as long as a wrong password.
        check_password_hash(_dummy_hash(), password)
        return None
    if not user.check_password(password) or not user.active:
        return None
    return user


def _dummy_hash() -> str:
    """A hash of a random password made with the configured method (once per app)."""
    method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
    cache: dict[str, str] = current_app.extensions.setdefault("dummy_password_hash", {})
    if method not in cache:
        cache[method] = generate_password_hash(secrets.token_hex(16), method=method)
    return cache[method]
