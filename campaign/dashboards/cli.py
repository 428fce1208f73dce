"""`bench-data`: fill the configured database with generated coverage for dashboard benchmarks.

Rows go in with Core `insert()` executemany in chunks (never the ORM one object at a time), so
a million articles take a few minutes at most. Everything it writes is recognisable (campaign
slugs `bench-*`, outlet names `基准媒体*`, article URLs under `http://bench.invalid/`), and it
refuses a database holding anything else unless told `--force`.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

import click
from flask.cli import with_appcontext
from sqlalchemy import Insert, Table, func, insert, inspect, not_, select, text
from sqlalchemy.engine import CursorResult

from campaign.articles.models import day_number
from campaign.core.chunks import chunks
from campaign.extensions import db

BENCH_URL = "http://bench.invalid/"
BENCH_OUTLET = "基准媒体"
BENCH_SLUG = "bench-"
BENCH_LEADER = ("bench-leader", "bench-leader-password")
BEIJING = ZoneInfo("Asia/Shanghai")
FIRST_DAY = date(2006, 1, 1)
DAYS = 3 * 365  # articles spread over three years; each campaign is one month of them
CHUNK = 20_000
SQLITE_CACHE_KIB = 512 * 1024
# Outlets per tier: a provincial media world (cf. DOMAIN.md).
OUTLET_TIERS = {"central": 10, "provincial": 30, "municipal": 60, "industry": 15, "other": 5}
EVENT_TYPES = ("press_briefing", "send_off", "rally", "editorial_slot", "broadcast", "notice")
EVENTS_PER_CAMPAIGN = 12
STATUSES = ("accepted",) * 6 + ("suggested",) * 3 + ("rejected",)


@dataclass(frozen=True)
class BenchSummary:
    outlets: int
    articles: int
    matches: int
    clippings: int


def non_bench_rows() -> int:
    """Rows the benchmark did not write (campaigns, outlets, articles)."""
    from campaign.articles.models import Article
    from campaign.planning.models import Campaign, Outlet

    counts = [
        select(func.count()).select_from(Campaign).where(not_(Campaign.slug.startswith(BENCH_SLUG))),
        select(func.count()).select_from(Outlet).where(not_(Outlet.name.startswith(BENCH_OUTLET))),
        select(func.count()).select_from(Article).where(not_(Article.url.startswith(BENCH_URL))),
    ]
    return sum(db.session.scalar(q) or 0 for q in counts)


def _insert_all(table: Table, rows: Iterator[dict[str, Any]]) -> int:
    total = 0
    for chunk in chunks(rows, CHUNK):
        db.session.execute(insert(table), chunk)
        total += len(chunk)
    return total


def _inserted_id(statement: Insert) -> int:
    """Run one INSERT and return the new row's id."""
    # Session.execute is typed to return a Result for any statement; an INSERT's is a
    # CursorResult, which knows the inserted key.
    key = cast("CursorResult[Any]", db.session.execute(statement)).inserted_primary_key
    if key is None:  # only a many-row INSERT has no single key
        raise RuntimeError("the INSERT gave no primary key")
    return int(key[0])


def _clear_bench_data() -> None:
    """Remove an earlier run's rows (cascades take matches, clippings, events, slots)."""
    from campaign.articles.models import Article
    from campaign.coverage.models import Clipping, Match
    from campaign.planning.models import (
        Campaign,
        EditorialSlot,
        Event,
        Outlet,
        event_invited_outlets,
    )
    from campaign.reprints.models import ReprintGroup

    campaigns = select(Campaign.id).where(Campaign.slug.startswith(BENCH_SLUG))
    events = select(Event.id).where(Event.campaign_id.in_(campaigns))
    for table, condition in (
        (Match.__table__, Match.event_id.in_(events)),
        (Clipping.__table__, Clipping.event_id.in_(events)),
        (EditorialSlot.__table__, EditorialSlot.event_id.in_(events)),
        (event_invited_outlets, event_invited_outlets.c.event_id.in_(events)),
        (Event.__table__, Event.id.in_(events)),
        (Campaign.__table__, Campaign.slug.startswith(BENCH_SLUG)),
        (Article.__table__, Article.url.startswith(BENCH_URL)),
        (ReprintGroup.__table__, ~select(Article.id).where(
            Article.reprint_group_id == ReprintGroup.id).exists()),
        (Outlet.__table__, Outlet.name.startswith(BENCH_OUTLET)),
    ):
        db.session.execute(table.delete().where(condition))


def _outlets() -> list[tuple[int, str]]:
    from campaign.planning.models import Outlet

    rows = [{"name": f"{BENCH_OUTLET}{tier}{i:03d}", "tier": tier, "kind": "newspaper",
             "region": "安徽", "aliases": [], "created_at": datetime.now(UTC)}
            for tier, n in OUTLET_TIERS.items() for i in range(n)]
    _insert_all(Outlet.__table__, iter(rows))
    return [(r.id, r.tier) for r in db.session.execute(
        select(Outlet.id, Outlet.tier).where(Outlet.name.startswith(BENCH_OUTLET))
        .order_by(Outlet.id))]


def _campaigns(rng: random.Random, outlets: list[tuple[int, str]]) -> list[tuple[int, date]]:
    """Three campaigns of a month each, 12 events apiece; returns (event id, event day)."""
    from campaign.planning.models import Campaign, EditorialSlot, Event, event_invited_outlets

    now = datetime.now(UTC)
    events: list[tuple[int, date]] = []
    for year_index in range(3):
        start = FIRST_DAY + timedelta(days=365 * year_index + 114)  # late April
        campaign_id = _inserted_id(insert(Campaign).values(
            name=f"基准宣传月{2006 + year_index}", slug=f"{BENCH_SLUG}{2006 + year_index}",
            starts_on=start, ends_on=start + timedelta(days=30), timezone="Asia/Shanghai",
            description="", goals="", created_at=now, updated_at=now))
        for n in range(EVENTS_PER_CAMPAIGN):
            day = start + timedelta(days=n * 2 + 1)
            starts = datetime.combine(day, time(9), tzinfo=BEIJING)
            event_type = EVENT_TYPES[n % len(EVENT_TYPES)]
            event_id = _inserted_id(insert(Event).values(
                campaign_id=campaign_id, key=f"event-{n}", title=f"基准活动{n}",
                type=event_type, starts_at=starts, ends_at=starts + timedelta(hours=2),
                all_day=False, venue="", owner="", status="held", description="",
                key_messages="", keywords=[], target_outlets=10, created_at=now,
                updated_at=now, sequence=0))
            invited = rng.sample(outlets, 8)
            db.session.execute(insert(event_invited_outlets),
                               [{"event_id": event_id, "outlet_id": o} for o, _ in invited])
            if event_type == "editorial_slot":
                db.session.execute(insert(EditorialSlot).values(
                    event_id=event_id, outlet_id=invited[0][0], planned_on=day,
                    genre="editorial", page="一版"))
            events.append((event_id, day))
    return events


def _reprint_layout(rng: random.Random, count: int) -> dict[int, tuple[int, bool]]:
    """Which articles are copies of one story: index -> (group number, is original). One story
    in a hundred is reprinted by 2-8 outlets over the following articles."""
    layout: dict[int, tuple[int, bool]] = {}
    i, group = 0, 0
    while i < count:
        if rng.random() < 0.01:
            size = rng.randrange(3, 10)
            for k in range(min(size, count - i)):
                layout[i + k] = (group, k == 0)
            group, i = group + 1, i + size
        else:
            i += 1
    return layout


def _articles(rng: random.Random, count: int, outlets: list[tuple[int, str]], *, first_id: int,
              groups: dict[int, tuple[int, bool]], group_base: int) -> Iterator[dict[str, Any]]:
    """`count` articles spread evenly over DAYS days, in day order (ids known by day)."""
    per_day = max(count // DAYS, 1)
    now = datetime.now(UTC)
    for i in range(count):
        day = FIRST_DAY + timedelta(days=min(i // per_day, DAYS - 1))
        published = datetime.combine(day, time(rng.randrange(6, 22), rng.randrange(60)),
                                     tzinfo=BEIJING)
        group, original = groups.get(i, (None, True))
        yield {"id": first_id + i, "url": f"{BENCH_URL}a/{first_id + i}",
               "outlet_id": rng.choice(outlets)[0], "source_id": None,
               "title": f"基准稿件{first_id + i}", "intro_title": "", "subtitle": "",
               "published_at": published, "day": day_number(day),
               "page_number": rng.randrange(1, 9), "page_name": "", "genre": "消息",
               "author": "", "editor": "", "source_credit": "", "fingerprint": "",
               "length": 1000,
               "reprint_group_id": None if group is None else group_base + group,
               "is_original": original, "first_seen_at": now, "updated_at": now}


def _reprint_groups(layout: dict[int, tuple[int, bool]]) -> int:
    """Insert the layout's reprint groups with consecutive ids and their sizes; returns the
    first id."""
    from campaign.reprints.models import ReprintGroup

    sizes: dict[int, int] = {}
    for group, _ in layout.values():
        sizes[group] = sizes.get(group, 0) + 1
    start = (db.session.scalar(select(func.max(ReprintGroup.id))) or 0) + 1
    now = datetime.now(UTC)
    _insert_all(ReprintGroup.__table__,
                ({"id": start + group, "size": size, "created_at": now}
                 for group, size in sorted(sizes.items())))
    return start


def _matches(rng: random.Random, count: int, events: list[tuple[int, date]],
             article_count: int, first_id: int) -> Iterator[dict[str, Any]]:
    """`count` matches of articles from D-2 to D+7 around their event's day."""
    per_day = max(article_count // DAYS, 1)
    seen: set[tuple[int, int]] = set()
    now = datetime.now(UTC)
    while len(seen) < count:
        event_id, day = rng.choice(events)
        offset = rng.randrange(-2, 8)
        index = (day - FIRST_DAY).days + offset
        article = first_id + index * per_day + rng.randrange(per_day)
        if (event_id, article) in seen or article >= first_id + article_count:
            continue
        seen.add((event_id, article))
        status = rng.choice(STATUSES)
        yield {"event_id": event_id, "article_id": article, "status": status, "score": 0.5,
               "explanation": {}, "auto": True, "decided_by_id": None,
               "decided_at": now if status != "suggested" else None, "matched_at": now,
               "day": day_number(day + timedelta(days=offset))}


def _clippings(rng: random.Random, events: list[tuple[int, date]],
               outlets: list[tuple[int, str]]) -> int:
    from campaign.coverage.models import Clipping

    now = datetime.now(UTC)
    rows = ({"event_id": event_id, "outlet_id": rng.choice(outlets)[0],
             "published_on": day + timedelta(days=rng.randrange(0, 3)), "page": "",
             "page_number": rng.choice((1, 2, None)), "genre": "消息", "title": "电视新闻",
             "note": "", "created_at": now} for event_id, day in events for _ in range(3))
    return _insert_all(Clipping.__table__, rows)


def _leader() -> None:
    from campaign.auth.operations import create_user, find_user

    if find_user(BENCH_LEADER[0]) is None:
        create_user(username=BENCH_LEADER[0], password=BENCH_LEADER[1], role="leader",
                    display_name="基准领导")


def fill_bench_data(articles: int, seed: int = 2006) -> BenchSummary:
    """Replace the bench rows: outlets, 3 campaigns, `articles` articles, articles/10 matches,
    and count the coverage cells again."""
    from campaign.articles.models import Article
    from campaign.coverage.cells import rebuild
    from campaign.coverage.models import Match

    rng = random.Random(seed)  # noqa: S311  (generated data, not secrets)
    _clear_bench_data()
    outlets = _outlets()
    events = _campaigns(rng, outlets)
    first_id = (db.session.scalar(select(func.max(Article.id))) or 0) + 1
    layout = _reprint_layout(rng, articles)
    group_base = _reprint_groups(layout)
    _insert_all(Article.__table__, _articles(rng, articles, outlets, first_id=first_id,
                                             groups=layout, group_base=group_base))
    matches = _insert_all(Match.__table__, _matches(rng, articles // 10, events, articles,
                                                    first_id))
    clippings = _clippings(rng, events, outlets)
    _leader()
    rebuild(db.session())  # the dashboards' coverage cells
    return BenchSummary(len(outlets), articles, matches, clippings)


@click.command("bench-data")
@click.option("--articles", type=click.IntRange(min=100), default=10_000, show_default=True,
              help="How many articles to generate (and a tenth as many matches).")
@click.option("--force", is_flag=True, help="Run even on a database holding other data.")
@click.option("--seed", type=int, default=2006, show_default=True)
@with_appcontext
def bench_data_command(articles: int, force: bool, seed: int) -> None:
    """Fill the configured database with generated coverage for the dashboard benchmark."""
    if "articles" not in inspect(db.engine).get_table_names():
        raise click.ClickException("the database has no tables: run `db upgrade` first")
    others = non_bench_rows()
    if others and not force:
        raise click.ClickException(
            f"{db.engine.url.render_as_string()} holds {others} rows that are not bench data; "
            "use an empty database, or --force")
    started = datetime.now(UTC)
    if db.engine.dialect.name == "sqlite":  # one long transaction: keep its pages in memory
        db.session.execute(text(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}"))
    summary = fill_bench_data(articles, seed)
    db.session.commit()
    with db.engine.connect() as connection:
        # Statistics for the query planner, as after any bulk load.
        connection.exec_driver_sql("ANALYZE")
        connection.commit()
        if db.engine.dialect.name == "sqlite":  # fold the big write-ahead log into the file
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    seconds = (datetime.now(UTC) - started).total_seconds()
    click.echo(f"{summary.articles} articles, {summary.matches} matches, "
               f"{summary.clippings} clippings, {summary.outlets} outlets "
               f"in 3 campaigns: {seconds:.1f} s")
