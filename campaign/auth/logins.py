"""Logins that the server can end. Functions flush; the caller commits.

A login is a `LoginSession` row. Flask-Login keeps "<id>.<secret>" in the session cookie (and,
with 记住我, in the remember cookie) instead of the user id, and `load_login` checks it on every
request: a row revoked, idle too long, past its remember time, or of an inactive user logs
nobody in, whatever cookie a thief copied.

- Logout revokes the row of that browser (its session and its remember cookie).
- `end_all_logins` revokes every row of a user: 退出所有设备, a password change or reset, a
  role change, deactivation.
- A login without 记住我 ends after `SESSION_IDLE_HOURS` (default 8) without a request.
- A remembered login lasts `REMEMBER_DAYS` (14) and rotates when the remember cookie is used:
  the old row is revoked and a new one (another 14 days) issued.
- `prune_logins` (the scheduler's hourly `logins` job) deletes the lines of the login audit log
  older than `LOGIN_LOG_DAYS` (default 90) and the logins that ended longer ago than that.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import Flask, current_app
from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy.exc import DBAPIError, OperationalError

from campaign.auth.models import LoginAttempt, LoginSession, User
from campaign.core.times import utcnow
from campaign.extensions import db

log = logging.getLogger(__name__)
REMEMBER_DAYS = 14
DEFAULT_IDLE_HOURS = 8.0
DEFAULT_LOG_DAYS = 90
PRUNE_EVERY_SECONDS = 3600.0
# last_seen_at is written at most this often: a reader does not write on every page.
TOUCH_EVERY = timedelta(minutes=1)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def start_login(user: User, *, remember: bool, address: str = "") -> str:
    """A new login of `user`; returns the "<id>.<secret>" the cookies carry."""
    secret = secrets.token_urlsafe(32)
    now = utcnow()
    row = LoginSession(user_id=user.id, secret_hash=_digest(secret), remember=remember,
                       address=address[:64], created_at=now, last_seen_at=now,
                       expires_at=now + timedelta(days=REMEMBER_DAYS) if remember else None)
    db.session.add(row)
    db.session.flush()
    return f"{row.id}.{secret}"


def _row_of(token: str) -> LoginSession | None:
    """The row `token` names, when its secret matches (revoked or not)."""
    number, _, secret = token.partition(".")
    if not number.isascii() or not number.isdigit() or len(number) > 18 or not secret:
        return None
    row = db.session.get(LoginSession, int(number))
    if row is None or not hmac.compare_digest(row.secret_hash, _digest(secret)):
        return None
    return row


def idle_limit() -> timedelta:
    """How long a login without 记住我 lasts without a request (SESSION_IDLE_HOURS)."""
    return timedelta(hours=float(current_app.config.get("SESSION_IDLE_HOURS",
                                                        DEFAULT_IDLE_HOURS)))


def is_live(row: LoginSession, now: datetime) -> bool:
    """Whether the login still opens the app at `now`."""
    if row.revoked_at is not None or not row.user.is_active:
        return False
    if row.remember:
        return row.expires_at is not None and now < row.expires_at
    return now - row.last_seen_at <= idle_limit()


def load_login(token: str) -> User | None:
    """The user of a live login named by `token`, noting its use; None otherwise."""
    row = _row_of(token)
    now = utcnow()
    if row is None or not is_live(row, now):
        return None
    if now - row.last_seen_at > TOUCH_EVERY:
        _touch(row, now)
    return row.user


def _touch(row: LoginSession, now: datetime) -> None:
    """Note the login's use. In a read request on SQLite the write may be refused while the
    scheduler writes: the page is served anyway (the idle clock is a minute coarse)."""
    try:
        with db.session.begin_nested():
            row.last_seen_at = now
        db.session.commit()
    except OperationalError as error:
        db.session.rollback()
        log.info("login %s: last use not noted (%s)", row.id, error.orig)


def rotate_login(token: str) -> str | None:
    """Replace a remembered login by a new one (the remember cookie was used); returns the new
    token, or None when the login is not live."""
    row = _row_of(token)
    if row is None or not is_live(row, utcnow()):
        return None
    row.revoked_at = utcnow()
    fresh = start_login(row.user, remember=True, address=row.address)
    log.info("login %s of user %s rotated", row.id, row.user_id)
    return fresh


def end_login(token: str) -> None:
    """End the login `token` names (logout in one browser)."""
    row = _row_of(token)
    if row is not None and row.revoked_at is None:
        row.revoked_at = utcnow()
        db.session.flush()


def end_all_logins(user: User) -> None:
    """End every login of `user`, on every device."""
    db.session.execute(
        update(LoginSession)
        .where(LoginSession.user_id == user.id, LoginSession.revoked_at.is_(None))
        .values(revoked_at=utcnow()))
    db.session.flush()
    log.info("ended every login of user %s", user.id)


def live_logins(user: User) -> list[LoginSession]:
    """The user's logins that still open the app, newest first."""
    now = utcnow()
    rows = db.session.scalars(
        select(LoginSession)
        .where(LoginSession.user_id == user.id, LoginSession.revoked_at.is_(None))
        .order_by(LoginSession.created_at.desc()))
    return [row for row in rows if is_live(row, now)]


@dataclass(frozen=True)
class Attempt:
    """A login attempt as the audit log keeps it: the name typed, the user it names (None for
    an unknown name) and the client's address."""

    username: str
    user_id: int | None
    address: str

    def row(self, *, succeeded: bool) -> LoginAttempt:
        return LoginAttempt(username=self.username.strip()[:64], user_id=self.user_id,
                            address=self.address[:64], succeeded=succeeded, at=utcnow())


def record_attempt(attempt: Attempt, *, succeeded: bool) -> bool:
    """Write a line of the login audit log in a savepoint of the current transaction; False
    (and a warning) when the database refuses that line, which then fails nothing else."""
    try:
        with db.session.begin_nested():
            db.session.add(attempt.row(succeeded=succeeded))
    except DBAPIError as error:
        log.warning("login of %r from %s: audit line not written (%s)", attempt.username[:64],
                    attempt.address, error.orig)
        return False
    return True


def record_failure(attempt: Attempt) -> bool:
    """The audit line of a failed login in a short write transaction of its own (after the
    password check, which only reads). False when it could not be written: still locked after
    the busy timeout, or refused; the throttle then counts the failure in this process."""
    from campaign.core.sqlite import write_transaction

    if db.session().in_transaction():  # its BEGIN would not take the lock: a programming error
        raise RuntimeError("end the reading transaction before record_failure")
    try:
        with write_transaction():
            db.session.connection()  # BEGIN IMMEDIATE: waits for the write lock
            written = record_attempt(attempt, succeeded=False)
            db.session.commit()
    except OperationalError as error:
        db.session.rollback()
        log.warning("failed login of %r from %s: audit line not written (%s)",
                    attempt.username[:64], attempt.address, error.orig)
        return False
    return written


def kept_for() -> timedelta:
    """How long login audit lines and ended logins are kept (LOGIN_LOG_DAYS)."""
    return timedelta(days=int(current_app.config.get("LOGIN_LOG_DAYS", DEFAULT_LOG_DAYS)))


def prune_logins(now: datetime | None = None) -> tuple[int, int]:
    """Delete the login audit lines older than `kept_for()` and the logins that ended longer
    ago than that (revoked, past their remember time, or idle since); a login that still opens
    the app is never deleted. Returns (logins, attempts) deleted; flushes."""
    now = now or utcnow()
    cutoff = now - kept_for()
    ended = or_(
        LoginSession.revoked_at < cutoff,
        and_(LoginSession.remember.is_(True), LoginSession.expires_at < cutoff),
        # An idle login ended `idle_limit()` after its last use.
        and_(LoginSession.remember.is_(False),
             LoginSession.last_seen_at < cutoff - idle_limit()),
    )
    # A DELETE's result is a CursorResult, which has rowcount; execute() is typed as Result.
    logins = int(db.session.execute(delete(LoginSession).where(ended)
                                    ).rowcount)  # type: ignore[attr-defined]
    attempts = int(db.session.execute(delete(LoginAttempt).where(LoginAttempt.at < cutoff)
                                      ).rowcount)  # type: ignore[attr-defined]
    db.session.flush()
    if logins or attempts:
        log.info("pruned %d ended logins and %d login audit lines older than %s",
                 logins, attempts, cutoff.date())
    return logins, attempts


def prune_job(app: Flask) -> Callable[[], None]:
    """The scheduler's job: `prune_logins` in its own app context and write transaction; an
    error is logged, never raised (it must not stop the scheduler)."""
    from campaign.core.sqlite import write_transaction

    def job() -> None:
        with app.app_context():
            try:
                with write_transaction():
                    prune_logins()
                    db.session.commit()
            except Exception:
                db.session.rollback()
                log.exception("pruning old logins failed")
            finally:
                db.session.remove()

    return job
