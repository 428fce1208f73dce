"""Plan import speed: linear in the number of events, a short write, a quick refusal.

A temporary SQLite database gets the starter directory; plans of 1,000 and 5,000 events (every
fifth an editorial slot, each event inviting three outlets) are uploaded through the web import
as an officer. Targets, against the 1,000-event plan measured in the same run:
- the 5,000-event plan costs at most 1.5x as much per event (linear, not quadratic);
- the write of the 5,000-event plan holds SQLite's write lock under 1 second — measured from
  the `BEGIN IMMEDIATE` to the COMMIT, so the campaign's checks, the inserts and the coverage
  cells' recount before the commit all count, not only the flush the import logs;
- re-importing it with 更新 (every event kept and changed in place) is reported the same way;
- the 20,000-event upload (about 5 MB) is refused with a message, in less time than the
  5,000-event import.

    .venv/bin/python benchmarks/bench_plan_import.py
"""

from __future__ import annotations

import json
import logging
import re
import sys
import tempfile
import time
from io import BytesIO
from pathlib import Path
from typing import Any

from sqlalchemy import event

from campaign import create_app
from campaign.auth.operations import create_user
from campaign.extensions import db
from campaign.planning.outlets import load_starter_directory

MAX_GROWTH = 1.5
MAX_WRITE_SECONDS = 1.0
INVITED = ["安徽日报", "新安晚报", "人民日报"]


def plan(slug: str, events: int) -> bytes:
    """A plan of `events` events over a season, outlets from the starter directory."""
    rows: list[dict[str, Any]] = []
    for n in range(events):
        day = f"2008-{4 + n % 3:02d}-{1 + n % 28:02d}"
        event: dict[str, Any] = {"key": f"e{n}", "title": f"活动{n}", "type": "rally",
                                 "starts_at": f"{day}T09:00", "invited_outlets": INVITED,
                                 "keywords": ["宣传月"], "target_outlets": 3}
        if n % 5 == 0:
            event.update(type="editorial_slot", starts_at=day,
                         slot={"outlet": "安徽日报", "genre": "社论", "page": 1})
        rows.append(event)
    return json.dumps({"slug": slug, "name": slug, "starts_on": "2008-04-01",
                       "ends_on": "2008-06-30", "events": rows}, ensure_ascii=False).encode()


class FlushTimer(logging.Handler):
    """Reads the flush time the import logs."""

    def __init__(self) -> None:
        super().__init__()
        self.seconds = 0.0

    def emit(self, record: logging.LogRecord) -> None:
        found = re.search(r"flush ([\d.]+) s", record.getMessage())
        if found:
            self.seconds = float(found.group(1))


class LockTimer:
    """The longest time a transaction held SQLite's write lock: from its BEGIN IMMEDIATE to
    its COMMIT (or ROLLBACK)."""

    def __init__(self, engine: Any) -> None:
        self.began: dict[int, float] = {}
        self.longest = 0.0
        event.listen(engine, "before_cursor_execute", self._statement)
        event.listen(engine, "commit", self._end)
        event.listen(engine, "rollback", self._end)

    def _statement(self, conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement == "BEGIN IMMEDIATE":
            self.began[id(conn.connection.dbapi_connection)] = time.perf_counter()

    def _end(self, conn: Any) -> None:
        began = self.began.pop(id(conn.connection.dbapi_connection), None)
        if began is not None:
            self.longest = max(self.longest, time.perf_counter() - began)

    def reset(self) -> float:
        longest, self.longest = self.longest, 0.0
        return longest


def upload(client: Any, body: bytes, *, update: bool = False) -> tuple[float, int]:
    started = time.perf_counter()
    data: dict[str, Any] = {"file": (BytesIO(body), "plan.json")}
    if update:
        data["update"] = "y"
    response = client.post("/campaigns/import", data=data, content_type="multipart/form-data")
    return time.perf_counter() - started, response.status_code


def main() -> int:
    timer = FlushTimer()
    logging.getLogger("campaign.planning.transfer").addHandler(timer)
    logging.getLogger("campaign.planning.transfer").setLevel(logging.INFO)
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(tmp) / 'bench.db'}",
                          "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False,
                          "INSTANCE_PATH": tmp, "RATELIMIT_ENABLED": False,
                          "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
        with app.app_context():
            db.create_all()
            load_starter_directory()
            create_user(username="bench-officer", password="bench-password-1", role="officer")
            db.session.commit()
            lock = LockTimer(db.engine)
        client = app.test_client()
        client.post("/login", data={"username": "bench-officer",
                                    "password": "bench-password-1"})
        small_time, small_status = upload(client, plan("bench-1000", 1000))
        lock.reset()
        big_time, big_status = upload(client, plan("bench-5000", 5000))
        write_time, flush_time = lock.reset(), timer.seconds
        update_time, update_status = upload(client, plan("bench-5000", 5000), update=True)
        update_lock = lock.reset()
        huge_time, huge_status = upload(client, plan("bench-20000", 20000))
    growth = (big_time / 5000) / (small_time / 1000)
    print(f"1,000 events: {small_time:.2f} s ({small_status}); 5,000 events: {big_time:.2f} s "
          f"({big_status}), {growth:.2f}x per event (target <= {MAX_GROWTH}x); "
          f"write lock held by the 5,000-event import: {write_time:.2f} s (its flush "
          f"{flush_time:.2f} s; target < {MAX_WRITE_SECONDS} s); re-import with update: "
          f"{update_time:.2f} s ({update_status}), write lock {update_lock:.2f} s; "
          f"20,000 events refused in {huge_time:.2f} s ({huge_status})")
    ok = (small_status == big_status == update_status == 302 and huge_status == 422
          and growth <= MAX_GROWTH and write_time < MAX_WRITE_SECONDS and huge_time < big_time)
    print("OK" if ok else "MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
