"""The sent-log: every digest and alert is sent at most once per (campaign, kind, period,
recipient), even with two schedulers or a restart.

A sender first claims the row (an INSERT that only one process can win, or a conditional
UPDATE taking over a row whose lease lapsed or whose retry is due) and commits the claim, with
the message itself (in its reader's language), then sends, then records the outcome. A failure
is retried with exponential backoff; after `MAX_TRIES` the row is marked failed, which the
sources page reports. A sender that finds its message no longer wanted (the reader unsubscribed
between tries) raises `Cancelled`: the row ends "cancelled", unsent and not a failure.
Retries are driven by each row's own next-try time (and lease), whatever its period:
`due_keys` finds them, so yesterday's digest that failed at 23:50 or a claim left by a crashed
scheduler is sent from the message stored with the claim.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from campaign.core.sqlite import write_transaction
from campaign.core.times import utcnow
from campaign.digests.channels import SendError
from campaign.digests.models import Delivery
from campaign.extensions import db

log = logging.getLogger(__name__)

MAX_TRIES = 5
RETRY_BASE = timedelta(minutes=1)  # 1, 2, 4, 8 minutes between the five tries
LEASE = timedelta(minutes=5)
RETRY_BATCH = 200  # rows retried in one pass at most (the rest in the next minute's)
FAILED_SHOWN = 20  # the failed deliveries the sources page lists


class Cancelled(Exception):  # noqa: N818 - an outcome, like SendError, not a bug
    """Raised by a sender instead of sending: the message is no longer wanted (its reader
    unsubscribed, was deactivated or changed address since it was claimed)."""


@dataclass(frozen=True)
class Key:
    """What the sent-log row stands for."""

    campaign_id: int
    kind: str
    period: str
    recipient: str


def _where(key: Key) -> list[sa.ColumnElement[bool]]:
    table = Delivery.__table__
    return [table.c.campaign_id == key.campaign_id, table.c.kind == key.kind,
            table.c.period == key.period, table.c.recipient == key.recipient]


def _claimable(now: datetime) -> sa.ColumnElement[bool]:
    """A row a sender may take: its claim's lease lapsed, or its retry is due."""
    table = Delivery.__table__
    return sa.or_(sa.and_(table.c.state == "sending", table.c.lease_until < now),
                  sa.and_(table.c.state == "retry", table.c.next_try_at <= now))


def may_claim(key: Key, *, now: datetime | None = None) -> bool:
    """Whether `key` has no row yet or one a sender may take (a cheap look before the
    message is written; `claim` decides)."""
    now = now or utcnow()
    table = Delivery.__table__
    row = db.session.execute(sa.select(table.c.id, _claimable(now).label("free"))
                             .where(*_where(key))).first()
    return row is None or bool(row.free)


def claim(key: Key, *, worker: str, message: str = "",
          now: datetime | None = None) -> Delivery | None:
    """Claim the row of `key` for `worker`, with `message` (what to send, kept for the
    retries; a row that has one keeps it), and commit; None when it was sent, failed for good,
    is held by a live claim, or waits for its next try."""
    now = now or utcnow()
    table = Delivery.__table__
    db.session.commit()  # end the reading transaction: the claim's begins with the write lock
    with write_transaction():
        try:
            with db.session.begin_nested():
                db.session.execute(table.insert().values(
                    campaign_id=key.campaign_id, kind=key.kind, period=key.period,
                    recipient=key.recipient, state="sending", attempts=0, worker=worker,
                    lease_until=now + LEASE, last_error="", message=message, created_at=now))
        except IntegrityError:
            taken = db.session.execute(
                table.update().where(*_where(key), _claimable(now))
                .values(state="sending", worker=worker, lease_until=now + LEASE,
                        message=sa.case((table.c.message == "", message),
                                        else_=table.c.message)))
            if taken.rowcount != 1:  # type: ignore[attr-defined]
                db.session.rollback()
                return None
        db.session.commit()
    return db.session.scalar(sa.select(Delivery).where(*_where(key))
        # The row was changed by the statements above: never an older copy of the session.
        .execution_options(populate_existing=True))


def record(delivery: Delivery, error: str | None, *, now: datetime | None = None) -> None:
    """Record one try's outcome: sent, or a retry after a doubling pause, or (after
    MAX_TRIES) failed; commits, in a transaction of its own begun with the write lock (other
    senders committed while this one waited on the network)."""
    now = now or utcnow()
    db.session.commit()
    with write_transaction():
        _record(delivery, error, now)
        db.session.commit()


def _record(delivery: Delivery, error: str | None, now: datetime) -> None:
    delivery.attempts += 1
    delivery.lease_until = None
    if error is None:
        delivery.state, delivery.sent_at, delivery.next_try_at = "sent", now, None
    elif delivery.attempts >= MAX_TRIES:
        delivery.state, delivery.last_error, delivery.next_try_at = "failed", error, None
        log.error("delivery %s %s %s to %s failed for good: %s", delivery.campaign_id,
                  delivery.kind, delivery.period, delivery.recipient, error)
    else:
        delivery.state, delivery.last_error = "retry", error
        delivery.next_try_at = now + RETRY_BASE * 2 ** (delivery.attempts - 1)
        log.warning("delivery %s %s to %s: try %s failed (%s); again at %s", delivery.kind,
                    delivery.period, delivery.recipient, delivery.attempts, error,
                    delivery.next_try_at)


def cancel(delivery: Delivery, reason: str, *, now: datetime | None = None) -> None:
    """End a claimed row without sending: "cancelled" (never retried, not reported as a
    failure), with the reason kept in `last_error`; commits like `record`. Not a try."""
    db.session.commit()
    with write_transaction():
        delivery.state, delivery.last_error = "cancelled", reason
        delivery.lease_until = delivery.next_try_at = None
        db.session.commit()
    log.info("delivery %s %s to %s cancelled at %s: %s", delivery.kind, delivery.period,
             delivery.recipient, now or utcnow(), reason)


def deliver(key: Key, message: Callable[[], str], send: Callable[[Delivery], None], *,
            worker: str, now: datetime | None = None) -> str:
    """Unless `key` was dealt with, write its `message`, claim it with the message, `send`
    the claimed row, record the outcome. Returns "sent", "retry", "failed", "cancelled" (the
    sender found it no longer wanted) or "skipped" (someone else has it, or it is done, or its
    next try is not due)."""
    if not may_claim(key, now=now):
        return "skipped"
    delivery = claim(key, worker=worker, message=message(), now=now)
    if delivery is None:
        return "skipped"
    return _attempt(delivery, send, now=now)


def _attempt(delivery: Delivery, send: Callable[[Delivery], None], *,
             now: datetime | None) -> str:
    try:
        send(delivery)
    except Cancelled as reason:
        cancel(delivery, str(reason), now=now)
    except SendError as error:
        record(delivery, str(error), now=now)
    except Exception as error:  # a bug in one message must not stop the others
        log.exception("delivery %s to %s", delivery.kind, delivery.recipient)
        record(delivery, f"{type(error).__name__}: {error}", now=now)
    else:
        record(delivery, None, now=now)
    return delivery.state


def due_keys(*, now: datetime | None = None, limit: int = RETRY_BATCH) -> list[Key]:
    """The rows whose retry is due or whose claim's lease lapsed, of any period, oldest
    first (only those holding their message: what to send is not made up again)."""
    now = now or utcnow()
    table = Delivery.__table__
    rows = db.session.execute(
        sa.select(table.c.campaign_id, table.c.kind, table.c.period, table.c.recipient)
        .where(_claimable(now), table.c.message != "")
        .order_by(sa.func.coalesce(table.c.next_try_at, table.c.lease_until), table.c.id)
        .limit(limit)).all()
    return [Key(*row) for row in rows]


def retry_due(send: Callable[[Delivery], None], *, worker: str,
              now: datetime | None = None) -> list[str]:
    """Claim and send again every row that is due (`due_keys`) from its stored message; the
    outcomes."""
    outcomes = []
    for key in due_keys(now=now):
        delivery = claim(key, worker=worker, now=now)
        if delivery is not None:  # another sender took it in between
            outcomes.append(_attempt(delivery, send, now=now))
    return outcomes


def failed_deliveries(limit: int = FAILED_SHOWN) -> list[Delivery]:
    """The latest deliveries that failed for good, newest first (the sources page)."""
    return list(db.session.scalars(
        sa.select(Delivery).where(Delivery.state == "failed")
        .order_by(Delivery.created_at.desc(), Delivery.id.desc()).limit(limit)))
