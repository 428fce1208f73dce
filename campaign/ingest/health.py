"""How the sources are doing: fine, failing (with the error in words) or silent, items per day,
and the campaign alert about invited outlets that produced nothing.

Everything is counted in SQL (articles grouped by source or outlet and `day`, the last fetch
runs per source through a window function); no article row is loaded.
"""

from __future__ import annotations

import itertools
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from flask import Flask
from sqlalchemy import func, select

from campaign.articles.models import Article, day_number
from campaign.core.times import daterange, local_today, utcnow
from campaign.extensions import db
from campaign.ingest.collected import OUTCOME_LABELS
from campaign.planning.models import Campaign, Outlet
from campaign.sources.models import FetchRun, Source
from campaign.sources.wording import (
    error_in_words,
    label_selector,
    label_source_type,
    run_error_in_words,
    run_summary,
    run_warning_in_words,
)

BAR_DAYS = 14
BAR_LEVELS = 8
MIN_SILENCE = timedelta(days=2)
SILENCE_FACTOR = 3
GAP_RUNS = 20  # the recent runs with new articles the typical gap is taken from
SILENT_RUN_DAYS = 2  # the campaign alert: this many days in a row without an article


# --- one row per source ------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class DayBar:
    """One day of the items-per-day chart."""

    day: date
    count: int
    level: int


@dataclass
class SourceHealth:
    """What the sources page shows about one source."""

    source: Source
    state: str  # fine | failing | silent | pending | disabled
    error: str = ""
    last_new_at: datetime | None = None
    silent_for: timedelta | None = None
    threshold: timedelta = MIN_SILENCE
    bars: list[DayBar] = field(default_factory=list)
    latest_run: FetchRun | None = None
    waiting: bool = False

    @property
    def total_items(self) -> int:
        return sum(bar.count for bar in self.bars)


def sources_health(sources: Sequence[Source], *, now: datetime | None = None,
                   today: date | None = None) -> list[SourceHealth]:
    """The health of each of `sources`, in the same order."""
    now = now or utcnow()
    today = today or local_today()
    ids = [s.id for s in sources]
    counts = daily_counts(ids, today - timedelta(days=BAR_DAYS - 1), today)
    latest = latest_runs(ids)
    last_new = last_new_times(ids)
    gaps = typical_gaps(ids)
    rows = []
    for source in sources:
        row = SourceHealth(source=source, state="fine", latest_run=latest.get(source.id))
        row.bars = _bars(counts.get(source.id, {}), today)
        row.last_new_at = _latest(source.last_new_at, last_new.get(source.id))
        row.threshold = max(SILENCE_FACTOR * gaps[source.id], MIN_SILENCE) \
            if source.id in gaps else MIN_SILENCE
        row.waiting = is_waiting(source, row.latest_run)
        _classify(row, now)
        rows.append(row)
    return rows


def source_health(source: Source) -> SourceHealth:
    """The health of one source."""
    return sources_health([source])[0]


def _classify(row: SourceHealth, now: datetime) -> None:
    source = row.source
    if not source.enabled:
        row.state = "disabled"
    elif source.consecutive_failures > 0:
        row.state = "failing"
        row.error = error_in_words(source.last_error_kind, source.last_error_message)
    elif source.last_success_at is None:
        row.state = "pending"
    else:
        reference = row.last_new_at or source.created_at
        row.silent_for = now - reference
        row.state = "silent" if row.silent_for > row.threshold else "fine"


def _latest(*values: datetime | None) -> datetime | None:
    present = [v for v in values if v is not None]
    return max(present) if present else None


def is_waiting(source: Source, latest: FetchRun | None) -> bool:
    """True while a "fetch now" request has no finished run started after it."""
    requested = source.fetch_requested_at
    if requested is None:
        return False
    return latest is None or latest.finished_at is None or latest.started_at < requested


def _bars(counts: dict[int, int], today: date) -> list[DayBar]:
    days = daterange(today - timedelta(days=BAR_DAYS - 1), today)
    values = [counts.get(day_number(d), 0) for d in days]
    top = max(values, default=0)
    return [DayBar(d, n, -(-n * BAR_LEVELS // top) if top else 0) for d, n in zip(days, values,
                                                                                strict=True)]


def daily_counts(source_ids: Iterable[int], first: date, last: date) -> dict[int, dict[int, int]]:
    """Articles per source and day (YYYYMMDD) from `first` to `last`, counted in SQL."""
    ids = list(source_ids)
    if not ids:
        return {}
    query = (select(Article.source_id, Article.day, func.count())
             .where(Article.source_id.in_(ids),
                    Article.day.between(day_number(first), day_number(last)))
             .group_by(Article.source_id, Article.day))
    counts: dict[int, dict[int, int]] = defaultdict(dict)
    for source_id, day, count in db.session.execute(query):
        if source_id is not None and day is not None:  # (they are: the query asks for them)
            counts[source_id][day] = count
    return counts


def latest_runs(source_ids: Iterable[int]) -> dict[int, FetchRun]:
    """The most recent fetch run of each source."""
    ids = list(source_ids)
    if not ids:
        return {}
    rank = func.row_number().over(partition_by=FetchRun.source_id,
                                  order_by=(FetchRun.started_at.desc(), FetchRun.id.desc()))
    ranked = select(FetchRun.id, rank.label("rank")).where(FetchRun.source_id.in_(ids)).subquery()
    query = select(FetchRun).join(ranked, ranked.c.id == FetchRun.id).where(ranked.c.rank == 1)
    return {run.source_id: run for run in db.session.scalars(query)}


def last_new_times(source_ids: Iterable[int]) -> dict[int, datetime]:
    """When each source last brought a new article (its runs, and its articles' first sight)."""
    ids = list(source_ids)
    if not ids:
        return {}
    runs = (select(FetchRun.source_id, func.max(FetchRun.finished_at))
            .where(FetchRun.source_id.in_(ids), FetchRun.new_count > 0)
            .group_by(FetchRun.source_id))
    seen = (select(Article.source_id, func.max(Article.first_seen_at))
            .where(Article.source_id.in_(ids)).group_by(Article.source_id))
    found: dict[int, datetime] = {}
    for query in (runs, seen):
        for source_id, value in db.session.execute(query):
            if value is not None:
                found[source_id] = _latest(found.get(source_id), value) or value
    return found


def typical_gaps(source_ids: Iterable[int]) -> dict[int, timedelta]:
    """The median time between a source's recent runs that found new articles (sources with
    fewer than three such runs have none)."""
    ids = list(source_ids)
    if not ids:
        return {}
    rank = func.row_number().over(partition_by=FetchRun.source_id,
                                  order_by=FetchRun.finished_at.desc())
    ranked = (select(FetchRun.source_id, FetchRun.finished_at, rank.label("rank"))
              .where(FetchRun.source_id.in_(ids), FetchRun.new_count > 0,
                     FetchRun.finished_at.is_not(None))
              .subquery())
    query = select(ranked.c.source_id, ranked.c.finished_at).where(ranked.c.rank <= GAP_RUNS)
    times: dict[int, list[datetime]] = defaultdict(list)
    for source_id, finished in db.session.execute(query):
        times[source_id].append(finished)
    gaps = {}
    for source_id, values in times.items():
        ordered = sorted(values)
        if len(ordered) >= 3:
            # median needs only ordering, + and /, which timedelta has; typeshed wants numbers
            gaps[source_id] = statistics.median(  # type: ignore[type-var]
                b - a for a, b in itertools.pairwise(ordered))
    return gaps


# --- the campaign alert ------------------------------------------------------------------

@dataclass
class SilentOutlet:
    """An outlet invited to a campaign's event with no stored article on some passed days."""

    outlet: Outlet
    runs: list[tuple[date, date]]
    has_source: bool

    @property
    def days(self) -> int:
        return sum((last - first).days + 1 for first, last in self.runs)


def silent_invited_outlets(campaign: Campaign, *, today: date | None = None) -> list[SilentOutlet]:
    """Outlets invited to the campaign's events that stored nothing for two days or more in a
    row during the campaign, counting only days already passed."""
    today = today or local_today(campaign.timezone)
    last = min(campaign.ends_on, today - timedelta(days=1))
    outlets = {o.id: o for event in campaign.events for o in event.invited_outlets}
    if not outlets or last < campaign.starts_on:
        return []
    query = (select(Article.outlet_id, Article.day)
             .where(Article.outlet_id.in_(list(outlets)),
                    Article.day.between(day_number(campaign.starts_on), day_number(last)))
             .group_by(Article.outlet_id, Article.day))
    active: dict[int, set[int]] = defaultdict(set)
    for outlet_id, day in db.session.execute(query):
        if day is not None:  # (it is: the query asks for days in a range)
            active[outlet_id].add(day)
    with_source = set(db.session.scalars(
        select(Source.outlet_id).where(Source.outlet_id.in_(list(outlets)), Source.enabled)))
    days = daterange(campaign.starts_on, last)
    alerts = []
    for outlet in sorted(outlets.values(), key=lambda o: o.name):
        empty = [d for d in days if day_number(d) not in active[outlet.id]]
        runs = [run for run in _runs(empty) if (run[1] - run[0]).days + 1 >= SILENT_RUN_DAYS]
        if runs:
            alerts.append(SilentOutlet(outlet, runs, outlet.id in with_source))
    return alerts


def _runs(days: list[date]) -> list[tuple[date, date]]:
    """Consecutive days grouped into (first, last) runs."""
    runs: list[tuple[date, date]] = []
    for day in days:
        if runs and day - runs[-1][1] == timedelta(days=1):
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def init_app(app: Flask) -> None:
    """Offer the campaign alert and the words of the sources pages to templates of lower
    floors (planning cannot import ingest)."""
    app.jinja_env.globals["source_error_in_words"] = error_in_words
    app.jinja_env.globals["label_source_type"] = label_source_type
    app.jinja_env.globals["label_selector"] = label_selector
    app.jinja_env.globals["fetch_run_summary"] = run_summary
    app.jinja_env.globals["fetch_run_error"] = run_error_in_words
    app.jinja_env.globals["fetch_run_warning"] = run_warning_in_words


def fetch_status(source: Source, *, now: datetime | None = None) -> dict[str, Any]:
    """Where "fetch now" stands for `source`, for the sources page to show or poll.

    Keys: `requested_at` (a pending request, or None), `running` (a worker holds the source),
    `claimed_by`, `next_fetch_at`, `consecutive_failures`, `last_error_kind`,
    `last_error_message`, and `last_run` (None, or a dict with `outcome`, `outcome_label`,
    `trigger`, `new`, `updated`, `duplicate`, `error`, `started_at`, `finished_at`).
    """
    now = now or utcnow()
    run = db.session.scalars(
        select(FetchRun).where(FetchRun.source_id == source.id)
        .order_by(FetchRun.started_at.desc(), FetchRun.id.desc()).limit(1)
    ).first()
    running = source.claimed_by is not None and (
        source.claimed_until is not None and source.claimed_until > now)
    return {
        "requested_at": source.fetch_requested_at,
        "running": running,
        "claimed_by": source.claimed_by if running else None,
        "next_fetch_at": source.next_fetch_at,
        "consecutive_failures": source.consecutive_failures,
        "last_error_kind": source.last_error_kind,
        "last_error_message": source.last_error_message,
        "last_run": _run_dict(run) if run else None,
    }


def _run_dict(run: FetchRun) -> dict[str, Any]:
    return {
        "outcome": run.outcome,
        "outcome_label": str(OUTCOME_LABELS.get(run.outcome, run.outcome)),
        "trigger": run.trigger,
        "new": run.new_count,
        "updated": run.updated_count,
        "duplicate": run.duplicate_count,
        "error": run.error,
        "started_at": run.started_at,
        "finished_at": run.finished_at,
    }
