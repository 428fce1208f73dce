"""Users and their roles."""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from campaign.core.dbtypes import UTCDateTime
from campaign.core.times import utcnow
from campaign.extensions import Model

# Each role can do what the roles after it can.
ROLE_RANK = {"leader": 1, "officer": 2, "admin": 3}


class User(UserMixin, Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(120), default="")
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(16), default="officer")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Where digests and alerts are mailed, and the language they are written in.
    email: Mapped[str] = mapped_column(String(254), default="")
    language: Mapped[str] = mapped_column(String(16), default="zh_Hans_CN")

    def set_password(self, password: str) -> None:
        # scrypt by default; tests choose a cheap method through PASSWORD_HASH_METHOD.
        method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def is_active(self) -> bool:  # flask-login asks this
        return self.active

    def has_role(self, role: str) -> bool:
        """True when the user's role is `role` or above it."""
        return ROLE_RANK.get(self.role, 0) >= ROLE_RANK[role]

    @property
    def can_edit(self) -> bool:
        return self.has_role("officer")

    def __repr__(self) -> str:
        return f"<User {self.username} {self.role}>"


class LoginSession(Model):
    """One login of a user. The session cookie (and, with 记住我, the remember cookie) names it
    as "<id>.<secret>"; only the secret's SHA-256 is kept. A revoked row ends both cookies."""

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    secret_hash: Mapped[str] = mapped_column(String(64))
    remember: Mapped[bool] = mapped_column(default=False)
    address: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # A remembered login ends here (14 days after it was issued or last rotated).
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<LoginSession {self.id} of user {self.user_id}>"


class LoginAttempt(Model):
    """The login audit log: who tried, when, from which address, and whether it worked."""

    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The name typed, as typed (cut to 64): failed attempts name users that may not exist.
    username: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True)
    address: Mapped[str] = mapped_column(String(64), default="")
    succeeded: Mapped[bool] = mapped_column(default=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)


class ApiToken(Model):
    """A bearer token of a user, for one scope: "api" (reads the JSON API) or "calendar" (reads
    only the iCalendar feeds; it travels in URLs). Shown once; only its SHA-256 is kept."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    scope: Mapped[str] = mapped_column(String(16), default="api", server_default="api")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The first characters of the token, so a list can tell tokens apart without the secret.
    prefix: Mapped[str] = mapped_column(String(12), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    user: Mapped[User] = relationship()

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None

    def __repr__(self) -> str:
        return f"<ApiToken {self.id} {self.prefix}… of user {self.user_id}>"
