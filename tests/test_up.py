"""`campaign-tracker up` — what `make run` starts — end to end: the web app, the demo news site
and the scheduler come up together, the demo's articles reach the database by themselves, and
Ctrl-C (SIGINT) stops all three."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WAIT = 120.0  # a bound for a busy 2-core machine, not a speed being measured
DEMO_ARTICLES = 240


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def articles(database: Path) -> int:
    try:
        with sqlite3.connect(database) as connection:
            return int(connection.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.Error:
        return 0


def processes_of(instance: Path) -> list[int]:
    """Processes whose environment names this instance folder (Linux /proc)."""
    marker = f"CAMPAIGN_INSTANCE={instance}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and marker in (entry / "environ").read_bytes().split(b"\0"):
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def cli(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "-m", "campaign.cli", *args], cwd=ROOT, env=env,
                   check=True, capture_output=True)


def test_up_fetches_the_demo_by_itself_and_ctrl_c_stops_everything(tmp_path):
    """After `db upgrade` and `demo`, `up` serves the login page, the scheduler fetches every
    demo article from the demo site without anyone asking, and SIGINT ends `up` and its three
    children (both ports close)."""
    web, demo = free_port(), free_port()
    database = tmp_path / "campaign.db"
    env = {**os.environ, "CAMPAIGN_INSTANCE": str(tmp_path), "DATABASE_URL":
           f"sqlite:///{database}", "DEMO_SITE_URL": f"http://127.0.0.1:{demo}",
           "SCHEDULER_TICK_SECONDS": "1"}
    cli(env, "db", "upgrade")
    cli(env, "demo")
    # Its output goes to a file: a pipe nobody reads fills up (the demo site and the scheduler
    # log every request) and would stop the very processes the test waits for.
    log = tmp_path / "up.log"
    with log.open("wb") as out:
        up = subprocess.Popen([sys.executable, "-m", "campaign.cli", "up", "--port", str(web)],
                              cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + WAIT
        while articles(database) < DEMO_ARTICLES and time.monotonic() < deadline:
            assert up.poll() is None, log.read_text(errors="replace")[-4000:]
            time.sleep(1)
        assert articles(database) == DEMO_ARTICLES, log.read_text(errors="replace")[-4000:]
        with urllib.request.urlopen(f"http://127.0.0.1:{web}/login") as page:
            assert page.status == 200
        assert listening(demo)
        assert len(processes_of(tmp_path)) >= 4  # up, the web app, the demo site, the scheduler
        up.send_signal(signal.SIGINT)
        assert up.wait(timeout=30) == 0
        assert not listening(web) and not listening(demo)
        assert processes_of(tmp_path) == []  # the scheduler too
    finally:
        if up.poll() is None:
            up.kill()
            up.wait()
        for pid in processes_of(tmp_path):  # children a killed `up` could not stop
            os.kill(pid, signal.SIGKILL)
