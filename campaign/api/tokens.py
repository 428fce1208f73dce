"""Issuing, revoking and checking API tokens. Functions flush; the caller commits."""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from campaign.api.models import ApiToken
from campaign.auth.models import User
from campaign.core.times import utcnow
from campaign.extensions import db

log = logging.getLogger(__name__)
PREFIX = "ct_"
TOKEN_SHAPE = re.compile(r"^ct_[A-Za-z0-9_-]{32,64}$")
# last_used_at is written at most this often, so a busy client does not write on every read.
TOUCH_EVERY = timedelta(minutes=1)


def hash_token(token: str) -> str:
    """The SHA-256 (hex) under which a token is stored."""
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for `user`; returns the record and the secret, which is never stored."""
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name.strip()[:120], token_hash=hash_token(secret),
                     prefix=secret[:10])
    db.session.add(token)
    db.session.flush()
    log.info("issued API token %s to user %s", token.id, user.id)
    return token, secret


def issue_calendar_feed(user: User) -> str:
    """A new calendar-feed token of `user` (any role: a write to their own account); the ones
    issued before are revoked, so the user has one live feed link. Returns the secret."""
    revoke_calendar_feed(user)
    token, secret = issue_token(user, "日历订阅")
    token.calendar_feed = True
    db.session.flush()
    return secret


def revoke_calendar_feed(user: User) -> int:
    """Revoke the user's live calendar-feed tokens; returns how many."""
    live = db.session.scalars(select(ApiToken).where(
        ApiToken.user_id == user.id, ApiToken.calendar_feed, ApiToken.revoked_at.is_(None))).all()
    for token in live:
        revoke_token(token)
    return len(live)


def revoke_token(token: ApiToken) -> None:
    """Refuse `token` from now on (kept, so the list shows when it was revoked)."""
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        db.session.flush()
        log.info("revoked API token %s", token.id)


@dataclass(frozen=True)
class TokenCheck:
    """The outcome of checking a presented token: the user, or why there is none."""

    user: User | None
    error: str = ""  # missing_token | malformed_token | invalid_token | revoked_token
    calendar_only: bool = False  # a calendar-feed token: good for the feed alone


def check_token(secret: str | None) -> TokenCheck:
    """Who `secret` belongs to, if it is a live token of an active user."""
    if not secret:
        return TokenCheck(None, "missing_token")
    if not TOKEN_SHAPE.match(secret):
        return TokenCheck(None, "malformed_token")
    digest = hash_token(secret)
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == digest))
    if token is None or not hmac.compare_digest(token.token_hash, digest):
        return TokenCheck(None, "invalid_token")
    if token.revoked:
        return TokenCheck(None, "revoked_token")
    if not token.user.is_active:
        return TokenCheck(None, "invalid_token")
    now = utcnow()
    if token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY:
        _touch(token, now)
    return TokenCheck(token.user, calendar_only=token.calendar_feed)


def _touch(token: ApiToken, now: datetime) -> None:
    """Note the token's use in a savepoint. It is bookkeeping in a read request: on SQLite,
    when the scheduler holds the write lock (or committed since this request's first read) the
    write is refused at once; the read goes on and a later request notes the use."""
    try:
        with db.session.begin_nested():
            token.last_used_at = now
    except OperationalError as error:
        log.info("API token %s: last use not noted (%s)", token.id, error.orig)


def bearer_secret(header: str | None) -> tuple[str | None, bool]:
    """The token of an `Authorization: Bearer …` header, and whether the header was well formed
    (a missing header is well formed and has no token)."""
    if not header:
        return None, True
    scheme, _, value = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not value.strip() or " " in value.strip():
        return None, False
    return value.strip(), True
