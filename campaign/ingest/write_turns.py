"""Taking turns to write: the threads of one process hold its SQLite write lock one at a time
(`write_turn`), and a write that finds the database busy past its timeout is tried again
(`retrying`)."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import OperationalError

from campaign.core.sqlite import write_transaction
from campaign.extensions import db

log = logging.getLogger(__name__)
R = TypeVar("R")

# SQLite has one writer: threads of this process take turns for their short write phases
# instead of failing each other with "database is locked".
_SQLITE_WRITES = threading.Lock()
WRITE_ATTEMPTS = 4


class write_turn:  # noqa: N801 - used like a function: `with write_turn():`
    """Hold the process's SQLite write lock, and begin transactions with SQLite's (BEGIN
    IMMEDIATE, so the web app's writes make us wait rather than fail); a no-op on PostgreSQL."""

    def __enter__(self) -> None:
        self.locked = db.engine.dialect.name == "sqlite"
        if self.locked:
            _SQLITE_WRITES.acquire()
            self.immediate = write_transaction()
            self.immediate.__enter__()

    def __exit__(self, *_exc: object) -> None:
        if self.locked:
            self.immediate.__exit__(None, None, None)
            _SQLITE_WRITES.release()


def retrying(write: Callable[[], R], what: str) -> R:
    """Run `write` in the write turn and commit; when the database stays busy past its
    timeout, roll back and try again (WRITE_ATTEMPTS in all)."""
    for attempt in range(1, WRITE_ATTEMPTS + 1):
        try:
            with write_turn():
                done = write()
                db.session.commit()
            return done
        except OperationalError:
            db.session.rollback()
            if attempt == WRITE_ATTEMPTS:
                raise
            log.warning("database busy, retrying the write of %s", what)
            time.sleep(0.2 * attempt)
    raise AssertionError("unreachable")  # (the last attempt returns or raises)
