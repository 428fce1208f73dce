"""Load on loopback: leaders reading dashboards while fetch passes write, on SQLite and PostgreSQL.

For each database a temporary instance is prepared with the real commands — `db upgrade`,
`demo` (pointed at the local demo news site, started as `campaign-tracker demo-site`) and one
`fetch --all`, so the dashboards have data — then `campaign-tracker serve` (waitress, 8
threads) is started and USERS simulated leaders, each logged in with its own session (the CSRF
token scraped from the login page), GET the campaign dashboard, the event dashboards, the
events' coverage pages and the pieces lists as fast as the server answers them:

* first for a quiet baseline (nothing else running; a third of --seconds, at most 15 s),
* then for --seconds while `campaign-tracker fetch --all` runs against the demo site again and
  again (each pass claims every source, re-reads it and writes its fetch runs and state).

Printed per database: requests per second, p50/p95 latency, errors (any status but 200, any
failed request; there must be none) and whether the server or a fetch pass logged an
OperationalError ("database is locked"). With --database-url (default: $TEST_DATABASE_URL) the
same is run on a fresh PostgreSQL database next to SQLite and a table compares the two.

The load generator is a bounded pool of Python threads with one httpx client each: it logs in
with cookies and CSRF tokens where wrk would need Lua, needs no new dependency (locust brings
gevent), and a user's request costs the client far less than the server's page. It shares the
machine's cores with the server, so the figures are a floor. Traffic goes to 127.0.0.1 only;
every loop is bounded in time and count.

    .venv/bin/python benchmarks/bench_load.py [--seconds 60] [--users 20]
        [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
SLUG = "propaganda-month-2006"
LEADER = ("leader", "leader-demo-2006")
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
TROUBLE = re.compile(r"OperationalError|database is locked|Traceback")
MAX_REQUESTS_PER_USER = 100_000
MAX_FETCH_PASSES = 500
EVENT_KEYS = ("press-briefing", "rally", "send-off", "editorial-ahrb")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def command(env: dict[str, str], *args: str, timeout: float = 300) -> str:
    """Run `campaign-tracker ARGS`; its output (raises on failure)."""
    done = subprocess.run([sys.executable, "-m", "campaign.cli", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout + done.stderr


@contextmanager
def process(env: dict[str, str], log: Path, *args: str,
            ready_url: str) -> Iterator[subprocess.Popen[bytes]]:
    """`campaign-tracker ARGS` in the background (output to `log`) until the block ends; the
    block gets the process."""
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "campaign.cli", *args], cwd=ROOT,
                                env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 60
            while True:
                if proc.poll() is not None:
                    raise RuntimeError(f"{args[0]} exited: {log.read_text()[-2000:]}")
                try:
                    httpx.get(ready_url, timeout=2)
                    break
                except httpx.TransportError:
                    if time.monotonic() > deadline:
                        raise RuntimeError(f"{args[0]} did not come up") from None
                    time.sleep(0.2)
            yield proc
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@contextmanager
def fresh_postgres(url: str) -> Iterator[str]:
    """A new PostgreSQL database on the server of `url` (its URL), dropped afterwards."""
    name = f"ct_load_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield sa.engine.make_url(url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@dataclass
class Phase:
    """What the users saw during one phase."""

    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def percentile(self, p: int) -> float:
        """The p-th percentile latency in ms."""
        if len(self.latencies) < 2:
            return 1000 * (self.latencies[0] if self.latencies else 0.0)
        return 1000 * statistics.quantiles(self.latencies, n=100, method="inclusive")[p - 1]


def logged_in(base: str) -> httpx.Client:
    """A leader's session of its own."""
    client = httpx.Client(base_url=base, timeout=30)
    token = CSRF.search(client.get("/login").text)
    if token is None:
        raise RuntimeError("no CSRF token on the login page")
    response = client.post("/login", data={"username": LEADER[0], "password": LEADER[1],
                                           "csrf_token": token.group(1)})
    if response.status_code != 302:
        raise RuntimeError(f"login failed: {response.status_code}")
    return client


def pages() -> list[str]:
    """The GET pages a leader reads."""
    campaign = f"/campaigns/{SLUG}"
    return [f"{campaign}/dashboard",
            *(f"{campaign}/events/{key}/dashboard" for key in EVENT_KEYS),
            *(f"{campaign}/events/{key}/coverage" for key in EVENT_KEYS[:2]),
            f"{campaign}/dashboard/pieces?kind=page_one",
            f"{campaign}/dashboard?tier=provincial"]


def run_users(clients: list[httpx.Client], seconds: float) -> Phase:
    """Every client reads pages in a loop for `seconds`."""
    phase = Phase()
    urls = pages()
    deadline = time.monotonic() + seconds

    def user(n: int, client: httpx.Client) -> None:
        mine: list[float] = []
        bad: list[str] = []
        for i in range(MAX_REQUESTS_PER_USER):
            if time.monotonic() >= deadline:
                break
            url = urls[(n + i) % len(urls)]
            started = time.perf_counter()
            try:
                response = client.get(url)
            except httpx.HTTPError as exc:
                bad.append(f"{url}: {type(exc).__name__}")
                continue
            mine.append(time.perf_counter() - started)
            if response.status_code != 200:
                bad.append(f"{url}: {response.status_code}")
        with phase.lock:
            phase.latencies += mine
            phase.errors += bad

    started = time.monotonic()
    threads = [threading.Thread(target=user, args=(n, c)) for n, c in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 120)
    phase.seconds = time.monotonic() - started
    return phase


@dataclass
class Fetching:
    """Fetch passes run beside the users."""

    passes: int = 0
    failed: list[str] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)


def fetch_loop(env: dict[str, str], fetching: Fetching, seconds: float) -> None:
    """`campaign-tracker fetch --all` again and again until told to stop (bounded)."""
    deadline = time.monotonic() + seconds
    for _ in range(MAX_FETCH_PASSES):
        if fetching.stop.is_set() or time.monotonic() >= deadline:
            return
        try:
            output = command(env, "fetch", "--all", timeout=max(30.0, seconds))
        except (RuntimeError, subprocess.TimeoutExpired) as exc:
            fetching.failed.append(str(exc)[-500:])
            continue
        if TROUBLE.search(output):
            fetching.failed.append(output[-500:])
        fetching.passes += 1


@dataclass
class Result:
    name: str
    quiet: Phase
    loaded: Phase
    fetching: Fetching
    server_trouble: list[str]


def run_backend(name: str, database_url: str | None, args: argparse.Namespace,
                work: Path) -> Result:
    """Prepare an instance on this database, serve it and load it."""
    instance = work / name
    instance.mkdir()
    demo_port, web_port = free_port(), free_port()
    env = {**os.environ, "CAMPAIGN_INSTANCE": str(instance), "SECRET_KEY": "bench-load",
           "DATABASE_URL": database_url or f"sqlite:///{instance / 'campaign.db'}",
           "DEMO_SITE_URL": f"http://127.0.0.1:{demo_port}", "FETCH_MIN_DELAY": "0",
           "FETCH_RETRIES": "0", "SOURCE_ALLOW_HOSTS": f"127.0.0.1:{demo_port}",
           "FETCH_WORKERS": "5", "FETCH_MAX_PER_HOST": "5"}
    base = f"http://127.0.0.1:{web_port}"
    with ExitStack() as stack:
        stack.enter_context(process(env, instance / "demo-site.log", "demo-site", "--port",
                                    str(demo_port), ready_url=f"http://127.0.0.1:{demo_port}/"))
        command(env, "db", "upgrade")
        command(env, "demo")
        print(f"  {name}: {command(env, 'fetch', '--all').strip().splitlines()[-1]}")
        server_log = instance / "serve.log"
        stack.enter_context(process(env, server_log, "serve", "--port", str(web_port),
                                    "--threads", "8", ready_url=f"{base}/login"))
        clients = [logged_in(base) for _ in range(args.users)]
        for client in clients:
            stack.callback(client.close)
        run_users(clients, 2.0)  # warm up: templates, caches
        quiet = run_users(clients, min(15.0, args.seconds / 3))
        fetching = Fetching()
        fetcher = threading.Thread(target=fetch_loop, args=(env, fetching, args.seconds))
        fetcher.start()
        loaded = run_users(clients, args.seconds)
        fetching.stop.set()
        fetcher.join(timeout=args.seconds + 120)
        trouble = [line for line in server_log.read_text(errors="replace").splitlines()
                   if TROUBLE.search(line)]
    return Result(name, quiet, loaded, fetching, trouble)


def report(results: list[Result], users: int) -> bool:
    """Print the table; True when nothing failed."""
    print(f"\n{users} users, GET only, loopback; 'quiet' = nothing else running, "
          "'+ fetch' = `fetch --all` passes running beside them\n")
    head = f"{'':28}" + "".join(f"{r.name:>24}" for r in results)
    print(head)
    rows = [
        ("requests/s, quiet", lambda r: f"{r.quiet.rps:.1f}"),
        ("requests/s, + fetch", lambda r: f"{r.loaded.rps:.1f}"),
        ("p50 ms, quiet / + fetch", lambda r: f"{r.quiet.percentile(50):.0f} / "
                                              f"{r.loaded.percentile(50):.0f}"),
        ("p95 ms, quiet / + fetch", lambda r: f"{r.quiet.percentile(95):.0f} / "
                                              f"{r.loaded.percentile(95):.0f}"),
        ("requests (+ fetch)", lambda r: str(len(r.loaded.latencies))),
        ("errors (quiet, + fetch)", lambda r: f"{len(r.quiet.errors)}, {len(r.loaded.errors)}"),
        ("fetch passes (failed)", lambda r: f"{r.fetching.passes} ({len(r.fetching.failed)})"),
        ("server log: locked/500s", lambda r: str(len(r.server_trouble))),
    ]
    for label, cell in rows:
        print(f"{label:28}" + "".join(f"{cell(r):>24}" for r in results))
    ok = True
    for r in results:
        for problem in [*r.quiet.errors[:5], *r.loaded.errors[:5], *r.fetching.failed[:3],
                        *r.server_trouble[:5]]:
            print(f"  {r.name}: {problem}")
        ok &= not (r.quiet.errors or r.loaded.errors or r.fetching.failed or r.server_trouble)
        ok &= r.fetching.passes > 0
    print("\nerrors: none" if ok else "\nFAILED: errors above")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="length of the loaded phase")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--database-url", default=os.environ.get("TEST_DATABASE_URL", ""),
                        help="a PostgreSQL server to run on too (a fresh database is made)")
    args = parser.parse_args()
    args.seconds = max(5.0, min(args.seconds, 600.0))
    args.users = max(1, min(args.users, 100))
    work = Path(tempfile.mkdtemp(prefix="bench-load-"))
    results = []
    try:
        print(f"preparing SQLite (WAL) in {work}")
        results.append(run_backend("SQLite (WAL)", None, args, work))
        if args.database_url:
            print("preparing PostgreSQL")
            with fresh_postgres(args.database_url) as url:
                results.append(run_backend("PostgreSQL", url, args, work))
        else:
            print("no --database-url (or TEST_DATABASE_URL): PostgreSQL skipped")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if report(results, args.users) else 1


if __name__ == "__main__":
    sys.exit(main())
