"""Login throttling: failed attempts per client address and per username.

Only failures count, so an office logging in all at once is never slowed down; once either
key has LOGIN_RATE_LIMIT failures in its moving window (default 10 per minute) the login form
answers 429 until the window frees up, right password or not. Counters live in the storage
named by RATELIMIT_STORAGE_URI (the `limits` library): `memory://` (the default) is per
process, which fits the single waitress process `serve` and `up` run; several web processes
need a shared store such as `redis://host:6379`. RATELIMIT_ENABLED=False switches it off
(the test suite does, except for the tests that prove it).

`limits` is the storage and strategy layer of Flask-Limiter, used here without Flask-Limiter:
its extension object keeps one storage and one on/off switch for every app a process creates
(the test suite creates many) and counts requests before the view knows whether the password
was right.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from flask import Flask, current_app
from limits import RateLimitItem, parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

DEFAULT_LIMIT = "10 per minute"


@dataclass(frozen=True)
class LoginThrottle:
    """The failure limit and where its counters live."""

    limit: RateLimitItem
    limiter: MovingWindowRateLimiter

    def keys(self, address: str, username: str) -> list[tuple[str, str]]:
        return [("login-address", address or "-"), ("login-user", username.strip().lower())]

    def allows(self, address: str, username: str) -> bool:
        """False when the address or the username has used up its failures."""
        return all(self.limiter.test(self.limit, *key) for key in self.keys(address, username))

    def failed(self, address: str, username: str) -> None:
        """Count one failed attempt against both keys."""
        for key in self.keys(address, username):
            self.limiter.hit(self.limit, *key)

    def retry_after(self, address: str, username: str) -> int:
        """Seconds until both keys allow an attempt again (at least 1)."""
        resets = [self.limiter.get_window_stats(self.limit, *key).reset_time
                  for key in self.keys(address, username)]
        return max(1, int(max(resets) - time.time()) + 1)


def init_login_throttle(app: Flask) -> None:
    """Create this app's throttle (or none when switched off) from its settings."""
    app.config.setdefault("RATELIMIT_ENABLED", True)
    app.config.setdefault("LOGIN_RATE_LIMIT", DEFAULT_LIMIT)
    app.config.setdefault("RATELIMIT_STORAGE_URI", "memory://")
    throttle = None
    if app.config["RATELIMIT_ENABLED"] and app.config["LOGIN_RATE_LIMIT"]:
        storage = storage_from_string(app.config["RATELIMIT_STORAGE_URI"])
        throttle = LoginThrottle(parse(app.config["LOGIN_RATE_LIMIT"]),
                                 MovingWindowRateLimiter(storage))
    app.extensions["login_throttle"] = throttle


def login_throttle() -> LoginThrottle | None:
    """The current app's throttle, None when switched off."""
    return current_app.extensions.get("login_throttle")
