"""The write lock held by officers' requests beside a big archive (issue 16.4: no request holds
SQLite's write lock for more than 1 s).

A temporary SQLite database (WAL, as the app runs it) gets the starter directory, a campaign
with one event and an archive of ARTICLES articles over 20 days around it, one in 50 a report of
the event. Then, through the web app as an officer, each of these requests is made, with a
leader's login after each (its own hold is counted too):

- the event's coverage rule saved (its window re-matched: every archive article is in it);
- one report accepted and one rejected (each decision follows the event's stories), 100
  suggestions accepted at once, and that decision undone;
- most reports accepted (in the database), then the rule saved again (stories to follow);
- the event moved a day (re-matched again);
- a clipping list of 2,000 rows imported (no links: manual clippings);
- `campaign-tracker match --full` (every event's window and every article again, in short
  writes) and `campaign-tracker coverage-cells` (every cell recounted, a month per write);
- for the baseline, the same full match as the command ran it before, in one transaction
  (`matching.match_new`; not held to the target).

Every hold is timed from its `BEGIN IMMEDIATE` until its COMMIT is sent, by the app's own watch
(`campaign.core.sqlite`); the longest of each request is printed with its holder, against the
1 s target. Exits 1 when a request fails or a hold reaches the target.

    .venv/bin/python benchmarks/bench_write_lock.py [--articles 30000]
"""

from __future__ import annotations

import argparse
import base64
import random
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, update

from campaign import create_app
from campaign.articles.models import Article, ArticleBody
from campaign.auth.operations import create_user
from campaign.core.sqlite import (
    LOCK_TARGET_SECONDS,
    LockHold,
    longest_write_lock,
    write_transaction,
)
from campaign.coverage.matching import match_new
from campaign.coverage.models import Match
from campaign.extensions import db
from campaign.planning.models import Campaign, Event, Outlet
from campaign.planning.outlets import load_starter_directory

PASSWORD = "bench-password-1"
CHARS = [chr(c) for c in range(0x4E00, 0x4E00 + 2500)]
REPORT = "全省劳动竞赛动员大会今天在合肥召开，省总工会负责同志出席动员大会并讲话。"
DAY = date(2006, 4, 27)


def add_archive(articles: int) -> None:
    """The campaign pm (its event rally on 27 April) and `articles` articles over 20 days
    around it, one in 50 a report of the rally."""
    rng = random.Random(7)
    campaign = Campaign(slug="pm", name="宣传月", starts_on=date(2006, 4, 25),
                        ends_on=date(2006, 5, 25))
    db.session.add(Event(campaign=campaign, key="rally", title="动员大会", type="rally",
                         starts_at=datetime(2006, 4, 27, 1, tzinfo=UTC),
                         ends_at=datetime(2006, 4, 27, 3, tzinfo=UTC),
                         keywords=["动员大会", "劳动竞赛"]))
    db.session.commit()
    outlets = db.session.scalars(select(Outlet.id)).all()
    first = DAY - timedelta(days=7)
    db.session.execute(insert(Article), [
        {"url": f"http://archive.test/{n}", "outlet_id": outlets[n % len(outlets)],
         "title": "全省劳动竞赛动员大会在合肥召开" if n % 50 == 0 else f"标题{n}",
         "day": int((first + timedelta(days=n % 20)).strftime("%Y%m%d"))}
        for n in range(articles)])
    ids = db.session.scalars(select(Article.id).order_by(Article.id)).all()
    db.session.execute(insert(ArticleBody), [
        {"article_id": article_id,
         "text": "".join(rng.choice(CHARS) for _ in range(300)) + (REPORT * 3 if n % 50 == 0
                                                                    else "")}
        for n, article_id in enumerate(ids)])
    db.session.commit()


def sheet(rows: int) -> dict[str, str]:
    """The import step of a clipping list of `rows` manual clippings (dates in the campaign)."""
    lines = ["日期,媒体,标题,版面"] + [
        f"2006-05-{1 + n % 20:02d},安徽日报,剪报{n},第{1 + n % 8}版" for n in range(rows)]
    return {"step": "import", "event": "rally", "filename": "目录.csv",
            "data": base64.b64encode("\n".join(lines).encode()).decode(),
            "map-0": "date", "map-1": "outlet", "map-2": "title", "map-3": "page"}


def commands(app: Any) -> dict[str, tuple[LockHold, float, int]]:
    """`match --full` and `coverage-cells` through the CLI: each one's longest hold, time and
    exit status (0 or 1, printed as the requests' 200 or 500)."""
    done = {}
    for name, args in (("match --full", ["match", "--full"]),
                       ("coverage-cells", ["coverage-cells"])):
        longest_write_lock()
        started = time.perf_counter()
        result = app.test_cli_runner().invoke(args=args)
        elapsed = time.perf_counter() - started
        if result.exit_code:
            print(result.output)
        done[name] = (longest_write_lock(), elapsed, 500 if result.exit_code else 200)
    return done


def one_transaction(app: Any) -> tuple[LockHold, float]:
    """The baseline: `match --full` as it ran before, in one write transaction."""
    with app.app_context():
        longest_write_lock()
        started = time.perf_counter()
        with write_transaction():
            match_new(full=True)
            db.session.commit()
        return longest_write_lock(), time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=30_000)
    args = parser.parse_args()
    holds: dict[str, tuple[LockHold, float, int]] = {}
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
            add_archive(args.articles)
        officer = app.test_client()
        officer.post("/login", data={"username": "bench-officer", "password": PASSWORD})

        def step(name: str, method: str, url: str, data: dict[str, Any] | None = None) -> None:
            longest_write_lock()
            started = time.perf_counter()
            status = officer.open(url, method=method, data=data or {}).status_code
            elapsed = time.perf_counter() - started
            app.test_client().post("/login", data={"username": "bench-leader",
                                                   "password": PASSWORD})
            holds[name] = (longest_write_lock(), elapsed, status)

        def matches(status: str | None = None) -> list[int]:
            with app.app_context():
                query = select(Match.id).order_by(Match.id)
                if status:
                    query = query.where(Match.status == status)
                return list(db.session.scalars(query))

        rule = {"query": "动员大会 OR 劳动竞赛", "use_synonyms": "y", "days_before": "7",
                "days_after": "14"}
        base = "/campaigns/pm"
        step("rule saved", "POST", f"{base}/events/rally/coverage/rule", rule)
        waiting = matches("suggested")
        step("a report accepted", "POST", f"{base}/matches/{waiting[0]}/accept")
        step("a report rejected", "POST", f"{base}/matches/{waiting[1]}/reject")
        step("100 accepted at once", "POST", f"{base}/review/bulk", {
            "action": "accept", "match_ids": [str(i) for i in waiting[2:102]]})
        step("that undone", "POST", f"{base}/review/undo")
        with app.app_context():  # most reports accepted: stories to follow
            db.session.execute(update(Match).where(Match.id.in_(waiting[:-20])).values(
                status="accepted", decided_by_id=1))
            db.session.commit()
        step("rule saved again (stories to follow)", "POST",
             f"{base}/events/rally/coverage/rule", {**rule, "days_after": "13"})
        step("the event moved a day", "POST", f"{base}/events/rally/move",
             {"date": "2006-04-28"})
        step("2,000 clippings imported", "POST", f"{base}/clippings/import", sheet(2000))
        holds.update(commands(app))
        found = len(matches())
        baseline = one_transaction(app)
    print(f"archive: {args.articles:,} articles in the event's window, {found} matches")
    for name, (hold, elapsed, status) in holds.items():
        print(f"{name}: {elapsed:.2f} s ({status}); longest write-lock hold {hold.seconds:.3f} s "
              f"by {hold.holder or '-'}")
    hold, elapsed = baseline
    print(f"baseline, match --full in one transaction as before: {elapsed:.2f} s; "
          f"write-lock hold {hold.seconds:.3f} s")
    longest = max((hold for hold, _e, _s in holds.values()), key=lambda hold: hold.seconds)
    print(f"longest of all: {longest.seconds:.3f} s by {longest.holder} "
          f"(target < {LOCK_TARGET_SECONDS:.1f} s)")
    ok = (all(status in (200, 302) for _h, _e, status in holds.values())
          and longest.seconds < LOCK_TARGET_SECONDS)
    print("OK" if ok else "MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
