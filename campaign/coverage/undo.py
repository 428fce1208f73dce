"""Undoing the last review decision: what a decision changed, kept small enough for the
session cookie, and put back as it was.

A decision record holds the campaign, the officer, the matches that were suggested and
undecided before (ids only: the queue's usual case), the matches that had another state (id,
status, decider, time) and the matches a move created. Undo touches only matches still as
that officer's decision left them: a match someone decided again since is left alone."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select

from campaign.auth.models import User
from campaign.coverage.models import Match
from campaign.extensions import db
from campaign.planning.models import Campaign, Event

log = logging.getLogger(__name__)

UndoRecord = dict[str, Any]


def before_decision(campaign: Campaign, user: User, matches: Sequence[Match]) -> UndoRecord:
    """The state of ``matches`` before a decision on them, as an undo record."""
    plain = [m.id for m in matches if m.status == "suggested" and m.decided_by_id is None]
    other = [[m.id, m.status, m.decided_by_id,
              m.decided_at.isoformat() if m.decided_at else None]
             for m in matches if m.id not in plain]
    return {"campaign": campaign.id, "user": user.id, "suggested": plain, "other": other,
            "created": []}


def note_created(record: UndoRecord, match: Match, *, existed: bool) -> None:
    """Add the match a move accepted for the other event: removed on undo when the move made
    it, else put back (its prior state must then be in the record already)."""
    if not existed:
        record["created"].append(match.id)


def undo_decision(campaign: Campaign, user: User, record: UndoRecord | None) -> int:
    """Put back what the recorded decision changed; how many matches were restored."""
    if not record or record.get("campaign") != campaign.id or record.get("user") != user.id:
        return 0
    ids = [*record["suggested"], *(row[0] for row in record["other"]), *record["created"]]
    found = {m.id: m for m in db.session.scalars(select(Match).join(Match.event).where(
        Match.id.in_(ids), Event.campaign_id == campaign.id))}
    restored = 0
    for match_id in record["created"]:
        match = found.get(match_id)
        if match is not None and match.decided_by_id == user.id:
            db.session.delete(match)
            restored += 1
    for match_id in record["suggested"]:
        restored += _restore(found.get(match_id), user, "suggested", None, None)
    for match_id, status, decider, at in record["other"]:
        when = datetime.fromisoformat(at) if at else None
        restored += _restore(found.get(match_id), user, status, decider, when)
    db.session.flush()
    log.info("%s undid a decision on %s matches of campaign %s", user.username, restored,
             campaign.id)
    return restored


def _restore(match: Match | None, user: User, status: str, decider: int | None,
             when: datetime | None) -> int:
    if match is None or match.decided_by_id != user.id:
        return 0
    match.status, match.decided_by_id, match.decided_at = status, decider, when
    return 1
