"""Login throttling: failed attempts per client address and per username.

Only failures count, so an office logging in all at once is never slowed down; once either
key has LOGIN_RATE_LIMIT failures in its moving window (default 10 per minute) the login form
answers 429 until the window frees up, right password or not. RATELIMIT_ENABLED=False switches
it off (the test suite does, except for the tests that prove it).

Where the failures are counted is RATELIMIT_STORAGE_URI. The default, `database`, counts the
failed attempts of the login audit log (`login_attempts`, written for every attempt anyway) in
the window: every web process on one database — several gunicorn or waitress processes, on
one machine or several — sees the same counts, and nothing lives in process memory. Any
other value names a store of the `limits` library (the storage layer of Flask-Limiter, used
here without it): `redis://host:6379`, or `memory://`, which is per process.

With `database`, a failure whose audit line could not be written (the database stayed locked
past the busy timeout, or refused the row) is not lost: it is counted in this process's memory
as well, and both counts are asked. Throttling never switches itself off that way; while the
database refuses audit lines, each web process counts those failures on its own.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from flask import Flask, current_app
from limits import RateLimitItem, parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter
from sqlalchemy import ColumnElement, func, select

from campaign.auth.models import LoginAttempt
from campaign.core.times import utcnow
from campaign.extensions import db

DEFAULT_LIMIT = "10 per minute"
DATABASE = "database"


class LoginThrottle(Protocol):
    """What the login view asks of a throttle."""

    def allows(self, address: str, username: str) -> bool: ...

    def failed(self, address: str, username: str, *, recorded: bool) -> None: ...

    def retry_after(self, address: str, username: str) -> int: ...


def _keys(address: str, username: str) -> list[tuple[str, str]]:
    return [("login-address", address or "-"), ("login-user", username.strip().lower())]


@dataclass(frozen=True)
class StoreThrottle:
    """Failures counted in a `limits` store (memory or Redis)."""

    limit: RateLimitItem
    limiter: MovingWindowRateLimiter

    def allows(self, address: str, username: str) -> bool:
        """False when the address or the username has used up its failures."""
        return all(self.limiter.test(self.limit, *key) for key in _keys(address, username))

    def failed(self, address: str, username: str, *, recorded: bool = True) -> None:
        """Count one failed attempt against both keys (whether the audit log has it or not)."""
        for key in _keys(address, username):
            self.limiter.hit(self.limit, *key)

    def retry_after(self, address: str, username: str) -> int:
        """Seconds until both keys allow an attempt again (at least 1)."""
        resets = [self.limiter.get_window_stats(self.limit, *key).reset_time
                  for key in _keys(address, username)]
        return max(1, int(max(resets) - time.time()) + 1)


@dataclass(frozen=True)
class DatabaseThrottle:
    """Failures counted from the login audit log in the database, shared by every process; the
    failures whose audit line could not be written are counted in `unrecorded` (this
    process's memory)."""

    limit: RateLimitItem
    unrecorded: StoreThrottle

    @property
    def window(self) -> timedelta:
        return timedelta(seconds=self.limit.get_expiry())

    def _conditions(self, address: str, username: str) -> list[ColumnElement[bool]]:
        # As the audit log stores them: the address and the name typed, cut to 64.
        return [LoginAttempt.address == (address or "")[:64],
                func.lower(LoginAttempt.username) == username.strip().lower()[:64]]

    def _oldest_counted(self, condition: ColumnElement[bool], now: datetime) -> datetime | None:
        """When the failure that uses up the limit happened (None while under the limit): the
        `amount`-th latest failure in the window."""
        return db.session.scalar(
            select(LoginAttempt.at).where(condition, LoginAttempt.succeeded.is_(False),
                                          LoginAttempt.at > now - self.window)
            .order_by(LoginAttempt.at.desc()).offset(self.limit.amount - 1).limit(1))

    def allows(self, address: str, username: str) -> bool:
        """False when the address or the username has used up its failures (in the audit log,
        or among the failures it could not record)."""
        now = utcnow()
        return self.unrecorded.allows(address, username) and all(
            self._oldest_counted(c, now) is None for c in self._conditions(address, username))

    def failed(self, address: str, username: str, *, recorded: bool = True) -> None:
        """A recorded failure is a row of the audit log already; one that is not is counted
        in this process."""
        if not recorded:
            self.unrecorded.failed(address, username)

    def retry_after(self, address: str, username: str) -> int:
        """Seconds until both keys allow an attempt again (at least 1)."""
        now = utcnow()
        ends = [at + self.window for c in self._conditions(address, username)
                if (at := self._oldest_counted(c, now)) is not None]
        wait = max(1, int((max(ends) - now).total_seconds()) + 1) if ends else 1
        if not self.unrecorded.allows(address, username):
            wait = max(wait, self.unrecorded.retry_after(address, username))
        return wait


def init_login_throttle(app: Flask) -> None:
    """Create this app's throttle (or none when switched off) from its settings."""
    app.config.setdefault("RATELIMIT_ENABLED", True)
    app.config.setdefault("LOGIN_RATE_LIMIT", DEFAULT_LIMIT)
    app.config.setdefault("RATELIMIT_STORAGE_URI", DATABASE)
    throttle: LoginThrottle | None = None
    if app.config["RATELIMIT_ENABLED"] and app.config["LOGIN_RATE_LIMIT"]:
        limit = parse(app.config["LOGIN_RATE_LIMIT"])
        uri = app.config["RATELIMIT_STORAGE_URI"]
        throttle = DatabaseThrottle(limit, _store(limit, "memory://")) if uri == DATABASE \
            else _store(limit, uri)
    app.extensions["login_throttle"] = throttle


def _store(limit: RateLimitItem, uri: str) -> StoreThrottle:
    return StoreThrottle(limit, MovingWindowRateLimiter(storage_from_string(uri)))


def login_throttle() -> LoginThrottle | None:
    """The current app's throttle, None when switched off."""
    return current_app.extensions.get("login_throttle")
