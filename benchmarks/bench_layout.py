"""The README's deployment layout under issue 17's load: PostgreSQL, `campaign-tracker serve
--workers W --threads T` (gunicorn), USERS logged-in users for --seconds, each waiting --think
seconds between requests, while `campaign-tracker fetch --all` passes write beside them.

One fresh PostgreSQL database is prepared with the real commands — `db upgrade`, `demo`
(its sources pointed at the local demo news site, started as `campaign-tracker demo-site`),
one `fetch --all`, then `bench-data --articles N --force` (three generated campaigns of twelve
events beside the demo's, a tenth of the articles matched, three in ten of those waiting for
review) — and each layout of --layouts (WORKERSxTHREADS, e.g. 2x8,3x4) is served on it in turn.

Two users in three are leaders reading the campaign dashboards and the event dashboards of the
demo campaign and of a generated one; one in three is an officer going through the review
queue of the generated campaign page by page (50 rows a page) and the demo's, with an event
dashboard between. Each user has its own session (real login, CSRF token scraped from the page)
and starts at a random moment of the first --think seconds.

Printed per layout: requests/s, p50/p95 per page kind, errors (any status but 200, any failed
request), fetch passes beside the users, the CPU time the web server's processes (gunicorn's
arbiter and workers) and the simulated users spent per request — a figure that, unlike the
latencies, does not depend on what else the machine runs — and the load average before and
after (the machine may be shared). Exits 1 when any layout has an error or a dashboard or
review p95 over --p95-ms (300 ms, the issue's target).

    .venv/bin/python benchmarks/bench_layout.py [--layouts 2x8] [--users 50] [--seconds 60]
        [--think 1.0] [--articles 100000]
        [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
import threading
import time
from collections import defaultdict
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_load import (  # noqa: E402
    CSRF,
    TROUBLE,
    Fetching,
    command,
    fetch_loop,
    free_port,
    fresh_postgres,
    process,
)

DEMO = ("propaganda-month-2006", ("press-briefing", "rally", "send-off", "editorial-ahrb"))
BENCH = ("bench-2007", tuple(f"event-{n}" for n in range(12)))
LEADER = ("leader", "leader-demo-2006")
OFFICER = ("officer", "officer-demo-2006")
KINDS = ("campaign dashboard", "event dashboard", "review queue")
REVIEW_PAGES = 10  # an officer goes through the first pages of the generated queue
MAX_REQUESTS_PER_USER = 10_000


def cpu_seconds(root: int) -> float:
    """CPU time (user + system) of process `root` and its children so far: the gunicorn
    arbiter and its workers (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(entry.name) == root or int(fields[1]) == root:
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def login(base: str, who: tuple[str, str]) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=30)
    token = CSRF.search(client.get("/login").text)
    if token is None:
        raise RuntimeError("no CSRF token on the login page")
    response = client.post("/login", data={"username": who[0], "password": who[1],
                                           "csrf_token": token.group(1)})
    if response.status_code != 302:
        raise RuntimeError(f"login of {who[0]} failed: {response.status_code}")
    return client


def leader_pages() -> list[tuple[str, str]]:
    """(kind, URL) a leader reads in turn."""
    found = []
    for slug, keys in (DEMO, BENCH):
        found.append(("campaign dashboard", f"/campaigns/{slug}/dashboard"))
        found += [("event dashboard", f"/campaigns/{slug}/events/{key}/dashboard")
                  for key in keys[:4]]
    return found


def officer_pages() -> list[tuple[str, str]]:
    """(kind, URL) an officer reads in turn: the queues page by page, an event between."""
    found = []
    for page in range(1, REVIEW_PAGES + 1):
        found.append(("review queue", f"/campaigns/{BENCH[0]}/review?page={page}"))
        found.append(("event dashboard",
                      f"/campaigns/{BENCH[0]}/events/{BENCH[1][page % 12]}/dashboard"))
    found.append(("review queue", f"/campaigns/{DEMO[0]}/review"))
    return found


@dataclass
class Phase:
    """What the users saw: latencies per page kind, errors."""

    seconds: float = 0.0
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self) -> int:
        return sum(len(v) for v in self.latencies.values())

    def percentile(self, kind: str, p: int) -> float:
        """The p-th percentile latency of a kind in ms (nearest rank)."""
        values = sorted(self.latencies.get(kind, []))
        if not values:
            return float("nan")
        return 1000 * values[min(len(values) - 1, max(0, round(p / 100 * len(values)) - 1))]


def run_users(users: list[tuple[httpx.Client, list[tuple[str, str]]]], seconds: float,
              think: float) -> Phase:
    """Each user requests its pages in turn for `seconds`, waiting `think` s between."""
    phase = Phase()
    deadline = time.monotonic() + seconds
    rng = random.Random(17)  # start offsets, not secrets
    offsets = [rng.uniform(0, think) for _ in users]

    def user(n: int, client: httpx.Client, urls: list[tuple[str, str]]) -> None:
        mine: dict[str, list[float]] = defaultdict(list)
        bad: list[str] = []
        time.sleep(offsets[n])
        for i in range(MAX_REQUESTS_PER_USER):
            if time.monotonic() >= deadline:
                break
            kind, url = urls[(n + i) % len(urls)]
            started = time.perf_counter()
            try:
                response = client.get(url)
            except httpx.HTTPError as exc:
                bad.append(f"{url}: {type(exc).__name__}")
            else:
                mine[kind].append(time.perf_counter() - started)
                if response.status_code != 200:
                    bad.append(f"{url}: {response.status_code}")
            time.sleep(think)
        with phase.lock:
            for kind, values in mine.items():
                phase.latencies[kind] += values
            phase.errors += bad

    started = time.monotonic()
    threads = [threading.Thread(target=user, args=(n, c, urls))
               for n, (c, urls) in enumerate(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 120)
    phase.seconds = time.monotonic() - started
    return phase


@dataclass
class Result:
    layout: str
    phase: Phase
    fetching: Fetching
    trouble: list[str]
    load_before: float
    load_after: float
    server_cpu: float  # seconds of CPU the web server's processes used in the phase
    client_cpu: float  # ... and this process (the users)

    def cpu_ms(self, seconds: float) -> float:
        """CPU milliseconds per request."""
        return 1000 * seconds / max(1, self.phase.count())

    def misses(self, p95_ms: float) -> list[str]:
        found = [f"{len(self.phase.errors)} errors"] if self.phase.errors else []
        found += [f"{kind} p95 {self.phase.percentile(kind, 95):.0f} ms > {p95_ms:.0f}"
                  for kind in KINDS if not self.phase.percentile(kind, 95) <= p95_ms]
        found += [f"{len(self.fetching.failed)} failed fetch passes"] if self.fetching.failed \
            else []
        found += [f"{len(self.trouble)} tracebacks/errors in the server log"] if self.trouble \
            else []
        return found


def prepare(env: dict[str, str], articles: int) -> None:
    command(env, "db", "upgrade")
    command(env, "demo")
    print(f"  demo: {command(env, 'fetch', '--all').strip().splitlines()[-1]}")
    if articles:
        started = time.monotonic()
        out = command(env, "bench-data", "--articles", str(articles), "--force", timeout=1800)
        print(f"  bench-data --articles {articles}: {time.monotonic() - started:.0f} s; "
              f"{out.strip().splitlines()[-1]}")


def run_layout(layout: str, env: dict[str, str], args: argparse.Namespace,
               work: Path) -> Result:
    """Serve one WORKERSxTHREADS layout, load it with fetch passes beside it."""
    workers, threads = (int(n) for n in layout.lower().split("x"))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = work / f"serve-{layout}.log"
    with ExitStack() as stack:
        server = stack.enter_context(process(env, log, "serve", "--port", str(port),
                                             "--workers", str(workers), "--threads",
                                             str(threads), ready_url=f"{base}/login"))
        officers = args.users // 3
        users = [(login(base, OFFICER), officer_pages()) for _ in range(officers)]
        users += [(login(base, LEADER), leader_pages()) for _ in range(args.users - officers)]
        for client, _ in users:
            stack.callback(client.close)
        run_users(users, min(10.0, args.seconds / 3), args.think)  # warm up every worker
        load_before = os.getloadavg()[0]
        fetching = Fetching()
        fetcher = threading.Thread(target=fetch_loop, args=(env, fetching, args.seconds))
        fetcher.start()
        server_cpu, client_cpu = cpu_seconds(server.pid), time.process_time()
        phase = run_users(users, args.seconds, args.think)
        server_cpu = cpu_seconds(server.pid) - server_cpu
        client_cpu = time.process_time() - client_cpu
        fetching.stop.set()
        fetcher.join(timeout=args.seconds + 120)
        load_after = os.getloadavg()[0]
    trouble = [line for line in log.read_text(errors="replace").splitlines()
               if TROUBLE.search(line)]
    return Result(layout, phase, fetching, trouble, load_before, load_after, server_cpu,
                  client_cpu)


def report(results: list[Result], args: argparse.Namespace) -> bool:
    print(f"\n{args.users} users ({args.users // 3} officers), {args.seconds:.0f} s, "
          f"{args.think:g} s between requests, PostgreSQL, `fetch --all` passes beside them\n")
    width = 20
    print(f"{'workers x threads':30}" + "".join(f"{r.layout:>{width}}" for r in results))
    rows = [("requests/s", lambda r: f"{r.phase.count() / r.phase.seconds:.1f}"),
            *((f"{kind} p50 / p95 ms",
               lambda r, k=kind: f"{r.phase.percentile(k, 50):.0f} / "
                                 f"{r.phase.percentile(k, 95):.0f}") for kind in KINDS),
            ("requests, errors", lambda r: f"{r.phase.count()}, {len(r.phase.errors)}"),
            ("fetch passes (failed)",
             lambda r: f"{r.fetching.passes} ({len(r.fetching.failed)})"),
            ("CPU ms/request: web / users",
             lambda r: f"{r.cpu_ms(r.server_cpu):.1f} / {r.cpu_ms(r.client_cpu):.1f}"),
            ("load average before/after", lambda r: f"{r.load_before:.1f} / {r.load_after:.1f}")]
    for label, cell in rows:
        print(f"{label:30}" + "".join(f"{cell(r):>{width}}" for r in results))
    ok = True
    for r in results:
        for problem in [*r.phase.errors[:5], *r.fetching.failed[:3], *r.trouble[:5]]:
            print(f"  {r.layout}: {problem}")
        misses = r.misses(args.p95_ms)
        print(f"{r.layout}: " + ("; ".join(misses) if misses else
                                 f"met (0 errors, every p95 <= {args.p95_ms:.0f} ms)"))
        ok &= not misses and r.fetching.passes > 0
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--layouts", default="2x8",
                        help="comma-separated WORKERSxTHREADS layouts to serve in turn")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--think", type=float, default=1.0,
                        help="seconds each user waits between requests")
    parser.add_argument("--articles", type=int, default=100_000,
                        help="bench-data articles beside the demo (0: the demo alone)")
    parser.add_argument("--p95-ms", type=float, default=300.0)
    parser.add_argument("--database-url", default=os.environ.get("TEST_DATABASE_URL", ""),
                        help="the PostgreSQL server (a fresh database is made on it)")
    args = parser.parse_args()
    if not args.database_url.startswith("postgresql"):
        parser.error("a PostgreSQL --database-url (or TEST_DATABASE_URL) is needed")
    args.users = max(3, min(args.users, 200))
    args.seconds = max(5.0, min(args.seconds, 600.0))
    layouts = [x.strip() for x in args.layouts.split(",") if x.strip()]
    work = Path(tempfile.mkdtemp(prefix="bench-layout-"))
    results = []
    demo_port = free_port()
    try:
        with fresh_postgres(args.database_url) as url, ExitStack() as stack:
            env = {**os.environ, "CAMPAIGN_INSTANCE": str(work), "SECRET_KEY": "bench-layout",
                   "DATABASE_URL": url, "DEMO_SITE_URL": f"http://127.0.0.1:{demo_port}",
                   "FETCH_MIN_DELAY": "0", "FETCH_RETRIES": "0",
                   "SOURCE_ALLOW_HOSTS": f"127.0.0.1:{demo_port}",
                   "FETCH_WORKERS": "5", "FETCH_MAX_PER_HOST": "5", "EXTRACT_PROCESSES": "1"}
            stack.enter_context(process(env, work / "demo-site.log", "demo-site", "--port",
                                        str(demo_port),
                                        ready_url=f"http://127.0.0.1:{demo_port}/"))
            print(f"preparing PostgreSQL in {work}")
            prepare(env, args.articles)
            for layout in layouts:
                print(f"serving {layout} (workers x threads)")
                results.append(run_layout(layout, env, args, work))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if report(results, args) else 1


if __name__ == "__main__":
    sys.exit(main())
