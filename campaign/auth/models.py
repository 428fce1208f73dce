"""Users and their roles."""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column
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
