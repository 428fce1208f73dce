"""SQLite runs in WAL mode with a busy timeout, so readers never block the scheduler's writes.

Writers take the write lock when their transaction begins (``BEGIN IMMEDIATE``): a web request
that may write (any method but GET/HEAD/OPTIONS) and code inside `write_transaction()` (the
scheduler's write phases). A deferred transaction that reads first and writes later cannot wait
for the lock: if another process committed after its first read, SQLite refuses the upgrade at
once with "database is locked" (SQLITE_BUSY_SNAPSHOT) whatever the busy timeout. Taking the lock
at BEGIN makes the second writer wait (up to the busy timeout) instead. Readers stay deferred and
never wait: in WAL mode they read their snapshot while a writer writes. A POST that writes
nothing but waits on the network (the admin's "add by URL" probe) is marked `reads_only`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, ParamSpec, TypeVar

from sqlalchemy import event
from sqlalchemy.engine import Engine

V = TypeVar("V", bound=Callable[..., Any])
P = ParamSpec("P")
R = TypeVar("R")
BUSY_TIMEOUT_MS = 60_000  # writers queue behind a long write phase rather than fail
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

_IMMEDIATE: ContextVar[bool] = ContextVar("sqlite_begin_immediate", default=False)


@contextmanager
def write_transaction() -> Iterator[None]:
    """Transactions begun inside (in this thread) take SQLite's write lock at BEGIN. Use it
    around a write phase that reads before it writes; end any open transaction first."""
    token = _IMMEDIATE.set(True)
    try:
        yield
    finally:
        _IMMEDIATE.reset(token)


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


def _begin(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE" if _wants_write_lock() else "BEGIN")


def install_sqlite_pragmas(engine: Engine) -> None:
    """Set the pragmas on every new SQLite connection of `engine` (no-op on other backends)."""
    if engine.dialect.name != "sqlite":
        return
    if not event.contains(engine, "connect", _set_pragmas):
        event.listen(engine, "connect", _set_pragmas)
        event.listen(engine, "begin", _begin)
