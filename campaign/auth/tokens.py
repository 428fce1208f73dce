"""Bearer tokens of users, each for one scope. Functions flush; the caller commits.

- scope "api": reads the JSON API (`Authorization: Bearer …`), issued by admins.
- scope "calendar": reads only the iCalendar feeds. It travels in URLs (calendar clients cannot
  send headers), so it opens nothing else; each user has at most one live calendar token
  (`issue_calendar_token` replaces it, `revoke_calendar_token` ends it).

Deactivating a user revokes all their tokens (`campaign.auth.operations.update_user`).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import secrets
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from campaign.auth.models import ApiToken, User
from campaign.core.times import utcnow
from campaign.extensions import db

log = logging.getLogger(__name__)
PREFIX = "ct_"
TOKEN_SHAPE = re.compile(r"^ct_[A-Za-z0-9_-]{32,64}$")
API, CALENDAR = "api", "calendar"
SCOPES = (API, CALENDAR)
# last_used_at is written at most this often, so a busy client does not write on every read.
TOUCH_EVERY = timedelta(minutes=1)


def hash_token(token: str) -> str:
    """The SHA-256 (hex) under which a token is stored."""
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(user: User, name: str, scope: str = API) -> tuple[ApiToken, str]:
    """A new token of `scope` for `user`; returns the record and the secret, never stored."""
    if scope not in SCOPES:
        raise ValueError(f"unknown token scope {scope!r}")
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name.strip()[:120], scope=scope,
                     token_hash=hash_token(secret), prefix=secret[:10])
    db.session.add(token)
    db.session.flush()
    log.info("issued %s token %s to user %s", scope, token.id, user.id)
    return token, secret


def revoke_token(token: ApiToken) -> None:
    """Refuse `token` from now on (kept, so the list shows when it was revoked)."""
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        db.session.flush()
        log.info("revoked %s token %s", token.scope, token.id)


def live_tokens(user: User, scope: str | None = None) -> list[ApiToken]:
    """The user's tokens not revoked (of `scope`, or of every scope)."""
    query = select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
    if scope is not None:
        query = query.where(ApiToken.scope == scope)
    return list(db.session.scalars(query.order_by(ApiToken.id)))


def revoke_user_tokens(user: User, scope: str | None = None) -> int:
    """Revoke the user's live tokens (of `scope`, or all); returns how many."""
    tokens = live_tokens(user, scope)
    for token in tokens:
        revoke_token(token)
    return len(tokens)


def issue_calendar_token(user: User) -> tuple[ApiToken, str]:
    """The user's calendar-feed token, replacing (revoking) the one they had."""
    revoke_user_tokens(user, CALENDAR)
    return issue_token(user, "日历订阅", CALENDAR)


def revoke_calendar_token(user: User) -> int:
    """End the user's calendar-feed token; returns how many were revoked (0 or 1)."""
    return revoke_user_tokens(user, CALENDAR)


@dataclass(frozen=True)
class TokenCheck:
    """The outcome of checking a presented token: the user, or why there is none."""

    user: User | None
    # missing_token | malformed_token | invalid_token | revoked_token | insufficient_scope
    error: str = ""


def check_token(secret: str | None, scopes: Collection[str] = (API,)) -> TokenCheck:
    """Who `secret` belongs to, if it is a live token of one of `scopes` of an active user."""
    if not secret:
        return TokenCheck(None, "missing_token")
    if not TOKEN_SHAPE.match(secret):
        return TokenCheck(None, "malformed_token")
    digest = hash_token(secret)
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == digest))
    error = _refusal(token, digest, scopes)
    if token is None or error:
        return TokenCheck(None, error or "invalid_token")
    now = utcnow()
    if token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY:
        _touch(token, now)
    return TokenCheck(token.user)


def _refusal(token: ApiToken | None, digest: str, scopes: Collection[str]) -> str:
    """Why a stored token does not open this request ("" when it does)."""
    if token is None or not hmac.compare_digest(token.token_hash, digest):
        return "invalid_token"
    if token.revoked:
        return "revoked_token"
    if not token.user.is_active:
        return "invalid_token"
    return "" if token.scope in scopes else "insufficient_scope"


def _touch(token: ApiToken, now: datetime) -> None:
    """Note the token's use in a savepoint. It is bookkeeping in a read request: on SQLite,
    when the scheduler holds the write lock (or committed since this request's first read) the
    write is refused at once; the read goes on and a later request notes the use."""
    try:
        with db.session.begin_nested():
            token.last_used_at = now
    except OperationalError as error:
        log.info("token %s: last use not noted (%s)", token.id, error.orig)
