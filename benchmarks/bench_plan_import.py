"""Plan import beside an archive: linear in the number of events, short write-lock holds, a
quick refusal.

A temporary SQLite database (WAL, as the app runs it) gets the starter directory and an archive:
another campaign with ARCHIVE accepted matches counted in the dashboards' coverage cells (so a
write that recounts every campaign shows). Then, through the web app as an officer: plans of
1,000 and 5,000 events (every fifth an editorial slot, each event inviting three outlets) are
uploaded, the 5,000-event one re-imported with 更新 (every event kept and changed in place: its
title, time and one invitation), copied to another year and deleted, and a 20,000-event plan
(about 5 MB) uploaded; a leader logs in after each step (its own holds are printed too).
Targets, against the 1,000-event plan measured in the same run:

- the 5,000-event plan costs at most 1.5x as much per event (linear, not quadratic);
- no transaction holds SQLite's write lock for 1 s or more: every hold is timed from its
  `BEGIN IMMEDIATE` until its COMMIT is sent, by the app's own watch (`campaign.core.sqlite`),
  so the checks, the writes and the coverage cells' recount before the commit all count (the
  COMMIT itself, a WAL append, does not); the longest of each step is printed with its holder;
- the 20,000-event upload is refused with a message, and takes no write lock (it only reads;
  its time is printed: parsing 4.5 MB of JSON, about as long as importing 5,000 events now).

Exits 1 when a target is missed.

    .venv/bin/python benchmarks/bench_plan_import.py [--archive 30000]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from datetime import date, timedelta
from io import BytesIO
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select

from campaign import create_app
from campaign.articles.models import Article
from campaign.auth.operations import create_user
from campaign.core.sqlite import LOCK_TARGET_SECONDS, LockHold, longest_write_lock
from campaign.coverage.cells import rebuild
from campaign.coverage.models import Match
from campaign.extensions import db
from campaign.planning.models import Campaign, Event, Outlet
from campaign.planning.outlets import load_starter_directory

MAX_GROWTH = 1.5
INVITED = ["安徽日报", "新安晚报", "人民日报"]
PASSWORD = "bench-password-1"


def plan(slug: str, events: int, *, changed: bool = False) -> bytes:
    """A plan of `events` events over a season, outlets from the starter directory; `changed`
    gives every event another title, time and invitation (a re-import that changes all)."""
    rows: list[dict[str, Any]] = []
    invited = [*INVITED[:2], "新华社"] if changed else INVITED
    for n in range(events):
        day = f"2008-{4 + n % 3:02d}-{1 + n % 28:02d}"
        event: dict[str, Any] = {"key": f"e{n}", "title": f"活动{n}{'（改）' if changed else ''}",
                                 "type": "rally", "invited_outlets": invited,
                                 "starts_at": f"{day}T{'10' if changed else '09'}:00",
                                 "keywords": ["宣传月"], "target_outlets": 3}
        if n % 5 == 0:
            event.update(type="editorial_slot", starts_at=day,
                         slot={"outlet": "安徽日报", "genre": "社论", "page": 1})
        rows.append(event)
    return json.dumps({"slug": slug, "name": slug, "starts_on": "2008-04-01",
                       "ends_on": "2008-06-30", "events": rows}, ensure_ascii=False).encode()


def add_archive(matches: int) -> None:
    """Campaign archive-2007: 100 events, `matches` accepted matches of as many articles over 30
    days and every outlet of the directory, counted into the coverage cells."""
    outlets = db.session.scalars(select(Outlet.id)).all()
    campaign = Campaign(slug="archive-2007", name="archive", starts_on=date(2007, 4, 1),
                        ends_on=date(2007, 4, 30))
    db.session.add(campaign)
    db.session.flush()
    events = db.session.execute(insert(Event).returning(Event.id), [
        {"campaign_id": campaign.id, "key": f"a{n}", "title": f"旧活动{n}", "type": "rally",
         "starts_at": _moment(n % 30), "ends_at": _moment(n % 30) + timedelta(hours=2)}
        for n in range(100)]).scalars().all()
    days = [20070401 + n % 30 for n in range(matches)]
    db.session.execute(insert(Article), [
        {"url": f"http://archive.test/{n}", "outlet_id": outlets[n % len(outlets)],
         "title": f"报道{n}", "day": days[n], "page_number": 1 + n % 8} for n in range(matches)])
    articles = db.session.scalars(select(Article.id).order_by(Article.id)).all()
    db.session.execute(insert(Match), [
        {"event_id": events[n % len(events)], "article_id": article, "status": "accepted",
         "day": days[n], "explanation": {}} for n, article in enumerate(articles)])
    rebuild(db.session)
    db.session.commit()


def _moment(day: int) -> Any:
    from datetime import UTC, datetime

    return datetime(2007, 4, 1 + day, 1, tzinfo=UTC)


def upload(client: Any, body: bytes, *, update: bool = False) -> tuple[float, int]:
    started = time.perf_counter()
    data: dict[str, Any] = {"file": (BytesIO(body), "plan.json")}
    if update:
        data["update"] = "y"
    response = client.post("/campaigns/import", data=data, content_type="multipart/form-data")
    return time.perf_counter() - started, response.status_code


def timed(call: Any) -> tuple[float, int]:
    started = time.perf_counter()
    status = call().status_code
    return time.perf_counter() - started, status


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--archive", type=int, default=30_000,
                        help="accepted matches of the archive campaign")
    args = parser.parse_args()
    holds: dict[str, LockHold] = {}
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(tmp) / 'bench.db'}",
                          "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False,
                          "INSTANCE_PATH": tmp, "RATELIMIT_ENABLED": False,
                          "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
        with app.app_context():
            db.create_all()
            load_starter_directory()
            create_user(username="bench-officer", password=PASSWORD, role="officer")
            create_user(username="bench-leader", password=PASSWORD, role="leader")
            db.session.commit()
            add_archive(args.archive)
            cells = db.session.scalar(select(func.count()).select_from(Match))
        client = app.test_client()
        client.post("/login", data={"username": "bench-officer", "password": PASSWORD})

        def step(name: str, call: Any) -> tuple[float, int]:
            longest_write_lock()
            result = call()
            holds[name] = longest_write_lock()
            app.test_client().post("/login", data={"username": "bench-leader",
                                                   "password": PASSWORD})
            holds[f"a login after it ({name})"] = longest_write_lock()
            return result

        small_time, small_status = step("1,000 events", lambda: upload(
            client, plan("bench-1000", 1000)))
        big_time, big_status = step("5,000 events", lambda: upload(
            client, plan("bench-5000", 5000)))
        update_time, update_status = step("5,000 again, all changed, with update",
                                          lambda: upload(client, plan(
                                              "bench-5000", 5000, changed=True), update=True))
        copy_time, copy_status = step("copy to another year", lambda: timed(
            lambda: client.post("/campaigns/bench-5000/copy", data={
                "name": "bench-5000 next", "slug": "bench-5001", "years": 1})))
        delete_time, delete_status = step("delete the copy", lambda: timed(
            lambda: client.post("/campaigns/bench-5001/delete")))
        huge_time, huge_status = step("20,000 events", lambda: upload(
            client, plan("bench-20000", 20000)))
    growth = (big_time / 5000) / (small_time / 1000)
    print(f"archive: {cells:,} accepted matches in another campaign's coverage cells")
    print(f"1,000 events: {small_time:.2f} s ({small_status}); 5,000 events: {big_time:.2f} s "
          f"({big_status}), {growth:.2f}x per event (target <= {MAX_GROWTH}x); re-import "
          f"with update: {update_time:.2f} s ({update_status}); copy: {copy_time:.2f} s "
          f"({copy_status}); delete: {delete_time:.2f} s ({delete_status}); 20,000 events "
          f"refused in {huge_time:.2f} s ({huge_status})")
    for name, hold in holds.items():
        print(f"longest write-lock hold, {name}: {hold.seconds:.3f} s by {hold.holder or '-'}")
    longest = max(holds.values(), key=lambda hold: hold.seconds)
    refusal = holds["20,000 events"]
    print(f"longest of all: {longest.seconds:.3f} s by {longest.holder} "
          f"(target < {LOCK_TARGET_SECONDS:.1f} s)")
    ok = (small_status == big_status == update_status == copy_status == delete_status == 302
          and huge_status == 422 and growth <= MAX_GROWTH
          and longest.seconds < LOCK_TARGET_SECONDS and not refusal.holder)
    print("OK" if ok else "MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
