"""Withdrawing automatic matches in bulk: one DELETE per chunk of ids, not one per row."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete

from campaign.core.chunks import chunks
from campaign.coverage.cells import NOTED, note_withdrawn
from campaign.coverage.models import Match
from campaign.extensions import db

CHUNK = 500


def withdraw(matches: Sequence[Match]) -> int:
    """Delete these stored, undecided matches with one statement per chunk, noting their
    (event, day) pairs for the dashboards' cells first (so the commit recounts those days, not
    every campaign); the objects leave the session. Returns how many were withdrawn."""
    if not matches:
        return 0
    db.session.flush()
    note_withdrawn(db.session(), [(m.event_id, m.day) for m in matches])
    for part in chunks(sorted(m.id for m in matches), CHUNK):
        db.session.execute(delete(Match).where(Match.id.in_(part)).execution_options(
            synchronize_session=False, **{NOTED: True}))
    for match in matches:
        db.session.expunge(match)
    return len(matches)


class Withdrawals:
    """Matches to withdraw, gathered across chunks of a pass and deleted a full chunk at a
    time (`done` at the end deletes the rest); `count` says how many went."""

    def __init__(self) -> None:
        self.waiting: list[Match] = []
        self.count = 0

    def add(self, matches: Sequence[Match]) -> None:
        self.waiting.extend(matches)
        full = len(self.waiting) - len(self.waiting) % CHUNK
        if full:
            self.count += withdraw(self.waiting[:full])
            self.waiting = self.waiting[full:]

    def done(self) -> int:
        """Withdraw what waits; the number withdrawn in all."""
        self.count += withdraw(self.waiting)
        self.waiting = []
        return self.count
