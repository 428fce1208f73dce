"""A long e-paper backfill is written a few stories at a time (`ingest.backfill`, issue 16.4:
no write holds SQLite's write lock for long): `fetch --source ID --since D --until D` over 20
days of 3 stories, with parts of 4 items, makes a write transaction per part and stores every
story once; a backfill whose last write fails keeps the days its parts stored, and the next
one walks only the others."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event, func, select

from campaign.articles.incoming import IncomingArticle
from campaign.articles.models import Article
from campaign.extensions import db
from campaign.ingest import backfill, write_phase
from campaign.ingest.collected import Collected
from campaign.ingest.epaper_days import walked_days
from campaign.planning.models import Outlet
from campaign.sources.models import FetchRun, Source
from tests.scrapers.founder_pc import layout_path, publish_pc_days

FIRST = date(2023, 3, 1)
DAYS = [FIRST + timedelta(days=n) for n in range(20)]


@pytest.fixture
def small_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(backfill, "PART_ITEMS", 4)


def _paper(app: Flask, server: Any) -> int:
    publish_pc_days(server, DAYS)
    with app.app_context():
        source = Source(outlet=Outlet(name="职工日报"), type="epaper", name="职工日报",
                        url=server.url("/pc/layout/{yyyy}{mm}/{dd}/node_01.html"), selectors={})
        db.session.add(source)
        db.session.commit()
        return source.id


def _run(app: Flask, args: list[str]) -> tuple[str, list[str]]:
    """Run a command; its output and every SQL statement it sent, in order."""
    with app.app_context():
        engine = db.engine
    statements: list[str] = []

    def watch(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", watch)
    try:
        result = app.test_cli_runner().invoke(args=args)
    finally:
        event.remove(engine, "before_cursor_execute", watch)
    assert result.exit_code == 0, result.output
    return result.output, statements


def _backfill(app: Flask, source_id: int) -> tuple[str, list[str]]:
    """Run the backfill command; its output and the BEGIN statements it sent."""
    output, statements = _run(app, ["fetch", "--source", str(source_id), "--since",
                                    f"{DAYS[0]}", "--until", f"{DAYS[-1]}"])
    return output, [s for s in statements if s.startswith("BEGIN IMMEDIATE")]


def _state(app: Flask, source_id: int) -> tuple[int, int, set[date], list[tuple[str, int]]]:
    """Articles, distinct URLs, days walked, and each run's (outcome, new)."""
    with app.app_context():
        articles = db.session.scalar(select(func.count()).select_from(Article)) or 0
        urls = db.session.scalar(select(func.count(Article.url.distinct()))) or 0
        runs = [(r.outcome, r.new_count) for r in db.session.scalars(
            select(FetchRun).order_by(FetchRun.id))]
        return articles, urls, walked_days(source_id) & set(DAYS), runs


def test_a_backfill_writes_a_transaction_per_part(tmp_path, committed_app, server,
                                                  small_parts):
    """20 days of 3 stories in parts of 4: at least 15 write transactions, every story stored
    once, every day walked, one run counting the 60 new stories."""
    with committed_app(tmp_path) as app:
        source_id = _paper(app, server)
        output, begins = _backfill(app, source_id)
        assert _state(app, source_id) == (60, 60, set(DAYS), [("ok", 60)])
    assert len(begins) >= 15
    assert "new   60" in output


def test_an_interrupted_backfill_keeps_its_parts_days(tmp_path, committed_app, server,
                                                      monkeypatch):
    """In parts of 7 (the last, of 4 stories, written with the run): when the run's own write
    fails, the parts' stories and days stay and the run is recorded failed; the next backfill
    walks only the days not yet walked and stores the rest, each story once."""
    monkeypatch.setattr(backfill, "PART_ITEMS", 7)
    original = write_phase._store
    failures = [1]

    def failing(recordings: Any) -> None:
        if failures:
            failures.pop()
            raise RuntimeError("power cut")
        original(recordings)

    monkeypatch.setattr(write_phase, "_store", failing)
    with committed_app(tmp_path) as app:
        source_id = _paper(app, server)
        _backfill(app, source_id)
        stored, _urls, walked, runs = _state(app, source_id)
        assert 0 < stored < 60 and runs == [("failed", stored)]
        assert walked and walked < set(DAYS)
        server.requests.clear()
        _backfill(app, source_id)
        assert _state(app, source_id)[:3] == (60, 60, set(DAYS))
    fronts = {layout_path(day, 1): day for day in DAYS}
    fetched = {fronts[path] for path in server.paths() if path in fronts}
    assert fetched == set(DAYS) - walked


def _walk(counts: list[int]) -> Collected:
    """A walk of days 1, 2, … of March 2023 adding `counts` items each, every day walked."""
    walk = Collected()
    for number, count in enumerate(counts, start=1):
        day = date(2023, 3, number)
        walk.items += [IncomingArticle(url=f"http://paper.test/{number}/{n}", title="标题",
                                       body="正文") for n in range(count)]
        walk.day_spans.append((day, count))
        walk.days_walked[day] = count
    return walk


def test_a_walk_is_cut_in_parts_whose_days_are_whole(monkeypatch):
    """Days of 3, 0, 5 and 2 items in parts of 4: parts of 4 and 4 written first, 2 items
    left for the run; a day is carried by the part being filled once its last item is placed
    (day 3, whose last item filled a part, by the next), so no day is remembered before all
    its items are stored; given back, the walk is whole again."""
    monkeypatch.setattr(backfill, "PART_ITEMS", 4)
    walk = _walk([3, 0, 5, 2])
    items = list(walk.items)
    parts = backfill.split_days(walk)
    assert [len(p.items) for p in parts.waiting] == [4, 4] and len(walk.items) == 2
    assert [sorted(d.day for d in p.days_walked) for p in parts.waiting] == [[1, 2], []]
    assert sorted(d.day for d in walk.days_walked) == [3, 4]
    assert [i for p in parts.waiting for i in p.items] + walk.items == items
    backfill.give_back(walk, parts.waiting)
    assert walk.items == items and sorted(d.day for d in walk.days_walked) == [1, 2, 3, 4]


def test_a_short_walk_is_not_cut(monkeypatch):
    """A walk of no more than PART_ITEMS items, or of one day, is written with its run."""
    monkeypatch.setattr(backfill, "PART_ITEMS", 4)
    assert backfill.split_days(_walk([2, 2])).waiting == []
    assert backfill.split_days(_walk([9])).waiting == []


def test_a_lists_items_are_cut_in_parts_in_their_order(monkeypatch):
    """A feed's or list's 10 items (no days) in parts of 4: parts of 4 and 4 written first,
    2 left for the run, in their order; 4 items are written with the run."""
    monkeypatch.setattr(backfill, "PART_ITEMS", 4)
    walk = Collected(items=[IncomingArticle(url=f"http://site.test/{n}", title="标题",
                                            body="正文") for n in range(10)])
    items = list(walk.items)
    parts = backfill.split_days(walk)
    assert [len(p.items) for p in parts.waiting] == [4, 4] and len(walk.items) == 2
    assert [i for p in parts.waiting for i in p.items] + walk.items == items
    assert backfill.split_days(Collected(items=items[:4])).waiting == []


def test_a_long_feed_is_written_a_part_at_a_time(tmp_path, committed_app, server, small_parts):
    """An RSS source bringing 10 new entries, in parts of 4: articles are inserted in three
    write transactions (two parts and the run), each entry stored once, one run counting 10."""
    from tests.plugins.apps import feed
    from tests.scrapers.scraper_server import Reply

    server.route("/long.xml", Reply(body=feed(server.url(""), "long", 10),
                                    content_type="application/rss+xml"))
    with committed_app(tmp_path) as app:
        with app.app_context():
            source = Source(outlet=Outlet(name="职工网"), type="rss", name="职工网",
                            url=server.url("/long.xml"), selectors={})
            db.session.add(source)
            db.session.commit()
            source_id = source.id
        inserting = _inserting(app, ["fetch", "--source", str(source_id)])
        assert _state(app, source_id)[:2] == (10, 10)
        assert _state(app, source_id)[3] == [("ok", 10)]
    assert len(inserting) == 3


def _inserting(app: Flask, args: list[str]) -> set[int]:
    """Run a command; the numbers of its write transactions that inserted articles."""
    begins, inserting = 0, set()
    for statement in _run(app, args)[1]:
        if statement.startswith("BEGIN IMMEDIATE"):
            begins += 1
        elif statement.startswith("INSERT INTO articles "):
            inserting.add(begins)
    return inserting
