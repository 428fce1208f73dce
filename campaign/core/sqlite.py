"""SQLite runs in WAL mode with a busy timeout, so readers never block the scheduler's writes.

Writers take the write lock when their transaction begins (``BEGIN IMMEDIATE``): a web request
that may write (any method but GET/HEAD/OPTIONS) and code inside `write_transaction()` (the
scheduler's write phases). A deferred transaction that reads first and writes later cannot wait
for the lock: if another process committed after its first read, SQLite refuses the upgrade at
once with "database is locked" (SQLITE_BUSY_SNAPSHOT) whatever the busy timeout. Taking the lock
at BEGIN makes the second writer wait (up to the busy timeout) instead. Readers stay deferred and
never wait: in WAL mode they read their snapshot while a writer writes. A POST that writes
nothing but waits on the network (the admin's "add by URL" probe, a test mail) is marked
`reads_only`; one that waits first and writes after (pasted links fetched, then stored) makes
its writes `briefly`.

No write should hold the lock for more than `LOCK_TARGET_SECONDS` (1 s): every other writer
(a login included) waits behind it. Each hold is timed from `BEGIN IMMEDIATE` until its COMMIT
or ROLLBACK is sent (the COMMIT itself, a WAL append, is not counted); a longer one is logged
as a warning naming the request or thread, and `longest_write_lock()` tells benchmarks the
longest since they last asked.
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar

from sqlalchemy import event
from sqlalchemy.engine import Engine

log = logging.getLogger(__name__)
V = TypeVar("V", bound=Callable[..., Any])
P = ParamSpec("P")
R = TypeVar("R")
BUSY_TIMEOUT_MS = 60_000  # writers queue behind a long write phase rather than fail
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
LOCK_TARGET_SECONDS = 1.0  # the longest a write may hold the lock (issue 16.4)
_HELD_SINCE = "write_lock_held_since"  # in the DBAPI connection's info, while it holds the lock

_IMMEDIATE: ContextVar[bool] = ContextVar("sqlite_begin_immediate", default=False)
_DEFERRED: ContextVar[bool] = ContextVar("sqlite_begin_deferred", default=False)


@contextmanager
def write_transaction() -> Iterator[None]:
    """Transactions begun inside (in this thread) take SQLite's write lock at BEGIN. Use it
    around a write phase that reads before it writes; end any open transaction first."""
    token = _IMMEDIATE.set(True)
    try:
        yield
    finally:
        _IMMEDIATE.reset(token)


@contextmanager
def reading() -> Iterator[None]:
    """Transactions begun inside (in this thread) stay deferred — they read without taking
    SQLite's write lock — even in a request that writes: for the slow reading a request does
    between its short writes (`briefly`). End any open transaction first."""
    token = _DEFERRED.set(True)
    try:
        yield
    finally:
        _DEFERRED.reset(token)


def briefly(write: Callable[[], R]) -> R:
    """End this thread's reading transaction (it must have written nothing) and run `write` in
    a transaction that takes SQLite's write lock at its BEGIN: how a `reads_only` request that
    waited on something slow makes its writes. The caller commits."""
    from campaign.extensions import db

    db.session.rollback()
    with write_transaction():
        return write()


def writes(command: Callable[P, R]) -> Callable[P, R]:
    """Run a command's transactions with the write lock taken at BEGIN (a CLI command that
    reads and then writes, beside a busy scheduler, waits its turn instead of failing)."""
    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with write_transaction():
            return command(*args, **kwargs)

    return wrapper


def reads_only(view: V) -> V:
    """Mark a POST view that writes nothing and may wait on something slow (the network): its
    transactions begin deferred, so it never holds SQLite's write lock while it waits."""
    # A mark on the function, read back with getattr; a function's type has no such attribute.
    view.sqlite_reads_only = True  # type: ignore[attr-defined]
    return view


def _wants_write_lock() -> bool:
    if _IMMEDIATE.get():
        return True
    if _DEFERRED.get():
        return False
    from flask import current_app, has_request_context, request

    if not has_request_context() or request.method in SAFE_METHODS:
        return False
    view = current_app.view_functions.get(request.endpoint or "")
    return not getattr(view, "sqlite_reads_only", False)


def _set_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin: the module's own
    # implicit BEGIN breaks SAVEPOINT and delays locking (SQLAlchemy's pysqlite notes).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


@dataclass(frozen=True)
class LockHold:
    """How long a transaction held SQLite's write lock, and who it was."""

    seconds: float
    holder: str


class _Holds:
    """The longest hold since `longest_write_lock()` last asked (threads write it in turn)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.longest = LockHold(0.0, "")

    def note(self, hold: LockHold) -> None:
        with self.lock:
            if hold.seconds > self.longest.seconds:
                self.longest = hold

    def take(self) -> LockHold:
        with self.lock:
            longest, self.longest = self.longest, LockHold(0.0, "")
            return longest


_holds = _Holds()


def longest_write_lock() -> LockHold:
    """The longest write-lock hold of this process since the last call (0 s when none)."""
    return _holds.take()


def _holder() -> str:
    from flask import has_request_context, request

    if has_request_context():
        return f"{request.method} {request.path}"
    return f"thread {threading.current_thread().name}"


def _begin(connection: Any) -> None:
    immediate = _wants_write_lock()
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
    if immediate:  # the lock is ours from here (BEGIN IMMEDIATE waited for it)
        connection.info[_HELD_SINCE] = time.perf_counter()
    else:  # a pool's reset on return ends a transaction without the rollback event
        connection.info.pop(_HELD_SINCE, None)


def _end(connection: Any) -> None:
    """The transaction ended: time its hold of the write lock, if it had it."""
    began = connection.info.pop(_HELD_SINCE, None)
    if began is None:
        return
    hold = LockHold(time.perf_counter() - began, _holder())
    _holds.note(hold)
    if hold.seconds > LOCK_TARGET_SECONDS:
        log.warning("%s held the database's write lock %.2f s (target %.1f s): other writers "
                    "waited", hold.holder, hold.seconds, LOCK_TARGET_SECONDS)


def install_sqlite_pragmas(engine: Engine) -> None:
    """Set the pragmas on every new SQLite connection of `engine` (no-op on other backends)."""
    if engine.dialect.name != "sqlite":
        return
    if not event.contains(engine, "connect", _set_pragmas):
        event.listen(engine, "connect", _set_pragmas)
        event.listen(engine, "begin", _begin)
        event.listen(engine, "commit", _end)
        event.listen(engine, "rollback", _end)
