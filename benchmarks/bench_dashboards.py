"""Dashboard speed: each dashboard endpoint's server time at 10,000 and 1,000,000 articles.

For each size a temporary SQLite database is filled by `campaign-tracker bench-data` (a tenth
as many matches as articles, across 3 campaigns); then, through the test client as a logged-in
leader, each endpoint is requested a few times and the median kept. The larger database may
cost at most 1.5x the smaller. In the same run the daily counts of the busiest campaign are
computed twice: by the endpoint's query (its coverage cells, counted ahead per day and outlet,
summed per day and tier) and by grouping on `date(published_at)` with no index to help; the
endpoint's query must be 5x faster.

    .venv/bin/python benchmarks/bench_dashboards.py [--articles 10000,1000000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import text

from campaign import create_app
from campaign.dashboards.cli import BENCH_LEADER
from campaign.dashboards.cube import daily
from campaign.dashboards.filters import DashboardFilters
from campaign.dashboards.queries import Scope
from campaign.extensions import db
from campaign.planning.models import Campaign

MAX_GROWTH = 1.5
MIN_SPEEDUP = 5.0

# Daily counts without the day columns: grouped on the (UTC) date of `published_at`, and the
# campaign's period found on `published_at` too, which has no index: the articles of the whole
# table are read (CROSS JOIN keeps SQLite's join order: articles first), then their accepted
# matches of the campaign's events. (The endpoint's counts add the campaign's manual clippings;
# the check below allows for them.)
NAIVE_DAILY = text("""
    SELECT date(a.published_at) AS d, o.tier, count(DISTINCT a.id) AS n
    FROM articles a CROSS JOIN matches m CROSS JOIN events e JOIN outlets o ON o.id = a.outlet_id
    WHERE m.article_id = a.id AND e.id = m.event_id AND e.campaign_id = :campaign
      AND m.status = 'accepted' AND a.published_at >= :start AND a.published_at < :end
    GROUP BY date(a.published_at), o.tier ORDER BY d
""")



def median_seconds(action: Callable[[], Any], repeat: int) -> float:
    action()  # warm the caches (and the SQLite page cache) first
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def build(folder: Path, articles: int) -> tuple[Any, float]:
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.db'}",
                      "SECRET_KEY": "bench", "INSTANCE_PATH": str(folder),
                      "WTF_CSRF_ENABLED": False, "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
                      "TIMEZONE": "Asia/Shanghai"})
    with app.app_context():
        db.create_all()
    started = time.perf_counter()
    result = app.test_cli_runner().invoke(args=["bench-data", "--articles", str(articles)])
    if result.exit_code != 0:
        raise SystemExit(result.output)
    return app, time.perf_counter() - started


def busiest(app: Any) -> tuple[str, str]:
    """The campaign with the most accepted matches, and its busiest event."""
    with app.app_context():
        row = db.session.execute(text("""
            SELECT c.slug, e.key, count(*) AS n FROM matches m
            JOIN events e ON e.id = m.event_id JOIN campaigns c ON c.id = e.campaign_id
            WHERE m.status = 'accepted' GROUP BY c.slug, e.key ORDER BY n DESC LIMIT 1""")).one()
        return row.slug, row.key


def endpoint_times(app: Any, repeat: int) -> dict[str, float]:
    slug, key = busiest(app)
    client = app.test_client()
    client.post("/login", data={"username": BENCH_LEADER[0], "password": BENCH_LEADER[1]})
    urls = {
        "campaign dashboard": f"/campaigns/{slug}/dashboard",
        "campaign dashboard, filtered": f"/campaigns/{slug}/dashboard?tier=municipal&type=rally",
        "event dashboard": f"/campaigns/{slug}/events/{key}/dashboard",
        "pieces of one day": f"/campaigns/{slug}/dashboard/pieces?event={key}&kind=page_one",
    }

    def get(url: str) -> Callable[[], None]:
        def action() -> None:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
        return action

    return {name: median_seconds(get(url), repeat) for name, url in urls.items()}


def daily_times(app: Any, repeat: int) -> tuple[float, float]:
    """(the endpoint's query that yields the daily counts, the date(published_at) grouping)
    for one campaign."""
    slug, _ = busiest(app)
    with app.app_context():
        campaign = db.session.scalar(db.select(Campaign).where(Campaign.slug == slug))
        assert campaign is not None
        scope = Scope(campaign, DashboardFilters())
        indexed = median_seconds(lambda: daily(scope), repeat)
        period = (campaign.first_day - timedelta(days=3), campaign.ends_on + timedelta(days=9))
        params = {"campaign": campaign.id, "start": f"{period[0]} 00:00:00",
                  "end": f"{period[1]} 00:00:00"}
        naive = median_seconds(lambda: db.session.execute(NAIVE_DAILY, params).all(), repeat)
        clippings = db.session.scalar(text(
            "SELECT count(*) FROM clippings c JOIN events e ON e.id = c.event_id "
            "WHERE e.campaign_id = :campaign"), params)
        naive_total = sum(r.n for r in db.session.execute(NAIVE_DAILY, params)) + clippings
        if sum(n for _, _, n in daily(scope)) != naive_total:
            raise SystemExit("the two daily counts disagree")
        return indexed, naive


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", default="10000,1000000",
                        help="two sizes, comma-separated (default: 10000,1000000)")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    sizes = [int(s) for s in args.articles.split(",")]
    results: dict[int, dict[str, float]] = {}
    for size in sizes:
        with tempfile.TemporaryDirectory() as folder:
            app, seconds = build(Path(folder), size)
            print(f"{size:>9,} articles generated in {seconds:.1f} s", flush=True)
            results[size] = endpoint_times(app, args.repeat)
            indexed, naive = daily_times(app, args.repeat)
            results[size]["daily counts (endpoint's query)"] = indexed
            results[size]["daily counts (date(published_at))"] = naive
            with app.app_context():
                db.engine.dispose()
    return report(sizes, results)


def report(sizes: list[int], results: dict[int, dict[str, float]]) -> int:
    small, large = sizes[0], sizes[-1]
    names = list(results[small])
    print(f"\n{'median server time, ms':<38}{small:>12,}{large:>12,}{'ratio':>8}")
    failed = []
    for name in names:
        a, b = results[small][name] * 1000, results[large][name] * 1000
        print(f"{name:<38}{a:>12.1f}{b:>12.1f}{b / a:>7.2f}x")
        if not name.startswith("daily") and b > a * MAX_GROWTH:
            failed.append(f"{name}: {b / a:.2f}x > {MAX_GROWTH}x")
    naive = results[large]["daily counts (date(published_at))"]
    speedup = naive / results[large]["daily counts (endpoint's query)"]
    print(f"daily counts (endpoint's query) at {large:,} articles: {speedup:.1f}x faster "
          "than date(published_at)")
    if speedup < MIN_SPEEDUP:
        failed.append(f"the endpoint's daily counts at {large:,}: only {speedup:.1f}x faster")
    for line in failed:
        print(f"FAIL {line}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
