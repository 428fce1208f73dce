"""DingTalk's "at most 20 messages a minute" per robot, held across processes: two
schedulers and a `digest --send` post to one robot through the same count, kept in the
database (`RobotSend`).

A sender takes a slot under a lock — SQLite's write lock (BEGIN IMMEDIATE), or on PostgreSQL
a transaction-level advisory lock on the robot — counts the robot's sends of the last minute,
and records its own when there is room; otherwise it sleeps until the oldest is a minute old
and tries again. The excess is delayed, never dropped.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from campaign.core.sqlite import write_transaction
from campaign.digests.channels import DINGTALK_PER_MINUTE
from campaign.digests.models import RobotSend
from campaign.extensions import db


class DatabaseRateLimit:
    """At most `count` messages per `seconds` to one webhook, counted in the database; a
    sender waits for a slot. `wait` commits the caller's transaction (it takes a lock)."""

    def __init__(self, count: int, seconds: float, *,
                 clock: Callable[[], float] = time.time,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.count, self.seconds, self.clock, self.sleep = count, seconds, clock, sleep

    def wait(self, key: str) -> None:
        """Block until one more message to `key` stays within the limit, and count it."""
        while (pause := self.take(key)) is not None:
            self.sleep(pause)

    def take(self, key: str) -> float | None:
        """Count a message to `key` if there is room (None), else the seconds until a slot
        frees."""
        robot = hashlib.sha256(key.encode()).hexdigest()
        db.session.commit()  # the next transaction begins with the lock
        with write_transaction():
            if db.session.get_bind().dialect.name == "postgresql":
                db.session.execute(sa.select(sa.func.pg_advisory_xact_lock(
                    int.from_bytes(bytes.fromhex(robot[:16]), "big", signed=True))))
            now = datetime.fromtimestamp(self.clock(), UTC)
            window = timedelta(seconds=self.seconds)
            db.session.execute(sa.delete(RobotSend).where(RobotSend.robot == robot,
                                                          RobotSend.sent_at <= now - window))
            sent = db.session.scalars(sa.select(RobotSend.sent_at).where(
                RobotSend.robot == robot).order_by(RobotSend.sent_at.desc())
                .limit(self.count)).all()
            if len(sent) < self.count:
                db.session.add(RobotSend(robot=robot, sent_at=now))
                db.session.commit()
                return None
            db.session.commit()  # the old rows' deletion
        return max((sent[-1] + window - now).total_seconds(), 0.01)


ROBOT_LIMIT = DatabaseRateLimit(DINGTALK_PER_MINUTE, 60.0)
