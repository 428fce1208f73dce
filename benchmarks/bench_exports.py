"""Clipping-list exports at size: rows per second and peak memory for 10,000 and 100,000 rows.

The rows are generated in a temporary SQLite database with bulk Core inserts; the CSV and XLSX
writers then stream them (yield_per queries, openpyxl write-only mode). Peak memory (Python
allocations, tracemalloc) must not grow with the number of rows: the 100,000-row export must
peak below twice the 10,000-row one. For contrast, the peak of holding all 100,000 rows in a
list is printed too.

    .venv/bin/python benchmarks/bench_exports.py [--sizes 10000 100000]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

from campaign import create_app
from campaign.articles.models import Article, ArticleBody
from campaign.coverage.models import Match
from campaign.exports.csvfile import csv_chunks
from campaign.exports.docx import write_compilation
from campaign.exports.rows import ClippingFilter, campaign_events, iter_clipping_rows
from campaign.exports.xlsx import write_xlsx
from campaign.extensions import db
from campaign.planning.models import Campaign, Event, Outlet

CHUNK = 5000
START = datetime(2006, 4, 24, tzinfo=UTC)
CJK = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
TIERS = ("central", "provincial", "municipal", "industry")


def seed(rows: int, n: int, outlets: list[int], rng: random.Random) -> int:
    """A campaign with 10 events and `rows` accepted matches; returns its id."""
    campaign = Campaign(name=f"基准{rows}", slug=f"bench-{rows}", starts_on=date(2006, 4, 25),
                        ends_on=date(2006, 5, 25))
    events = [Event(campaign=campaign, key=f"e{i}", title=f"活动{i}：" + "".join(
        rng.choices(CJK, k=12)), starts_at=START + timedelta(days=i),
        ends_at=START + timedelta(days=i, hours=2)) for i in range(10)]
    db.session.add_all([campaign, *events])
    db.session.flush()
    for first in range(0, rows, CHUNK):
        articles, matches = [], []
        for i in range(first, min(rows, first + CHUNK)):
            published = START + timedelta(minutes=i % 40000)
            local = published + timedelta(hours=8)
            articles.append({
                "id": n + i, "url": f"http://news.test/{n + i}.htm",
                "outlet_id": outlets[i % len(outlets)],
                "title": "".join(rng.choices(CJK, k=rng.randint(10, 30))),
                "published_at": published, "day": int(local.strftime("%Y%m%d")),
                "page_number": i % 8 + 1, "page_name": "要闻", "genre": "消息",
                "author": "记者 " + "".join(rng.choices(CJK, k=2)),
                "source_credit": "", "fingerprint": "", "length": 1000, "is_original": True})
            matches.append({"event_id": events[i % 10].id, "article_id": n + i,
                            "status": "accepted", "score": 1.0, "explanation": {},
                            "auto": True, "day": articles[-1]["day"]})
        db.session.execute(insert(Article.__table__), articles)
        db.session.execute(insert(ArticleBody.__table__), [  # the DOCX prints each opening
            {"article_id": a["id"], "text": "".join(rng.choices(CJK, k=300))}
            for a in articles])
        db.session.execute(insert(Match.__table__), matches)
    db.session.commit()
    return campaign.id


def write_csv(f: ClippingFilter, out: Path) -> int:
    count = 0
    with out.open("w", encoding="utf-8", newline="") as handle:
        for chunk in csv_chunks(iter_clipping_rows(f)):
            handle.write(chunk)
            count += chunk.count("\r\n")
    return count - 1


def write_book(f: ClippingFilter, out: Path) -> int:
    return write_xlsx(iter_clipping_rows(f), out)


def write_document(f: ClippingFilter, out: Path) -> int:
    campaign = db.session.get(Campaign, f.campaign_id)
    assert campaign is not None
    return write_compilation(campaign, campaign_events(campaign, f), iter_clipping_rows(f), out)


def hold_all(f: ClippingFilter, _out: Path) -> int:
    return len(list(iter_clipping_rows(f)))


def measure(fn: Callable[[ClippingFilter, Path], int], f: ClippingFilter, out: Path
            ) -> tuple[int, float, float]:
    """Rows, rows per second (a plain run), and peak MiB (a traced run)."""
    started = time.perf_counter()
    rows = fn(f, out)
    elapsed = time.perf_counter() - started
    tracemalloc.start()
    fn(f, out)
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return rows, rows / elapsed, peak


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    args = parser.parse_args()
    rng = random.Random(2006)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.db'}",
                          "SECRET_KEY": "bench", "INSTANCE_PATH": str(folder),
                          "TIMEZONE": "Asia/Shanghai"})
        with app.app_context(), app.test_request_context():
            db.create_all()
            outlet_objs = [Outlet(name=f"媒体{i}", tier=TIERS[i % 4]) for i in range(40)]
            db.session.add_all(outlet_objs)
            db.session.flush()
            outlets = [o.id for o in outlet_objs]
            started = time.perf_counter()
            campaigns = {}
            offset = 1
            for size in args.sizes:
                campaigns[size] = seed(size, offset, outlets, rng)
                offset += size
            print(f"seeded {sum(args.sizes):,} rows in {time.perf_counter() - started:.1f} s")
            peaks: dict[tuple[str, int], float] = {}
            print(f"{'format':<16}{'rows':>9}{'rows/s':>10}{'peak MiB':>10}")
            cases = [("csv", write_csv, "csv"), ("xlsx", write_book, "xlsx")]
            missed: list[str] = []
            for name, fn, ext in cases:
                for size in args.sizes:
                    f = ClippingFilter(campaign_id=campaigns[size])
                    rows, rate, peak = measure(fn, f, folder / f"out.{ext}")
                    if rows != size:
                        missed.append(f"{name} of {size:,} clippings wrote {rows:,} rows")
                    peaks[name, size] = peak
                    print(f"{name:<16}{rows:>9,}{rate:>10,.0f}{peak:>10.1f}")
            largest = max(args.sizes)
            rows, rate, peak = measure(hold_all, ClippingFilter(campaign_id=campaigns[largest]),
                                       folder / "none")
            print(f"{'list in memory':<16}{rows:>9,}{rate:>10,.0f}{peak:>10.1f}  (for contrast)")
            smallest = min(args.sizes)
            for name, _fn, _ext in cases:
                ratio = peaks[name, largest] / peaks[name, smallest]
                print(f"{name}: peak at {largest:,} rows is {ratio:.2f}x the peak at "
                      f"{smallest:,} (target < 2x)")
                if ratio >= 2:
                    missed.append(f"{name} peak memory grows with the rows ({ratio:.2f}x)")
            missed += docx_against_xlsx(ClippingFilter(campaign_id=campaigns[smallest]), folder)
    for miss in missed:
        print(f"MISSED: {miss}")
    return 1 if missed else 0


# The 报道汇编 may cost at most this many times the XLSX of the same list.
DOCX_BUDGET = 5


def docx_against_xlsx(f: ClippingFilter, folder: Path) -> list[str]:
    """Time the DOCX compilation against the XLSX of the same rows (measured in this run);
    returns what missed its target."""
    started = time.perf_counter()
    rows = write_book(f, folder / "same.xlsx")
    xlsx_s = time.perf_counter() - started
    started = time.perf_counter()
    docx_rows = write_document(f, folder / "same.docx")
    docx_s = time.perf_counter() - started
    print(f"docx 报道汇编 of {rows:,} clippings: {docx_s:.2f} s, xlsx {xlsx_s:.2f} s: "
          f"{docx_s / xlsx_s:.1f}x (target <= {DOCX_BUDGET}x)")
    missed = []
    if docx_rows != rows:
        missed.append(f"the DOCX holds {docx_rows:,} clippings, the XLSX {rows:,}")
    if docx_s > DOCX_BUDGET * xlsx_s:
        missed.append(f"the DOCX costs {docx_s / xlsx_s:.1f}x the XLSX, over {DOCX_BUDGET}x")
    return missed


if __name__ == "__main__":
    sys.exit(main())
