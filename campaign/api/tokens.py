"""The API's side of tokens: reading the `Authorization: Bearer …` header. Tokens themselves
(issuing, scopes, revoking, checking) live in `campaign.auth.tokens`, re-exported here."""

from __future__ import annotations

from campaign.auth.tokens import (
    API,
    CALENDAR,
    TokenCheck,
    check_token,
    hash_token,
    issue_token,
    revoke_token,
)

__all__ = ["API", "CALENDAR", "TokenCheck", "bearer_secret", "check_token", "hash_token",
           "issue_token", "revoke_token"]


def bearer_secret(header: str | None) -> tuple[str | None, bool]:
    """The token of an `Authorization: Bearer …` header, and whether the header was well formed
    (a missing header is well formed and has no token)."""
    if not header:
        return None, True
    scheme, _, value = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not value.strip() or " " in value.strip():
        return None, False
    return value.strip(), True
