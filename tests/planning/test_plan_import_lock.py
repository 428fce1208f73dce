"""Big plan uploads beside logins and the scheduler (issue 16.4's Done-when): while a web server
process works on a 20,000-event upload (refused) and on a 5,000-event one (imported), logins
and scheduler ticks from another process succeed, on a SQLite file in WAL mode.

The server (`tests/plugins/paused_server.py`) holds each upload at a gate once its file is
read, inside its reading transaction: the logins (right and wrong passwords) and a tick are made
then, so they certainly overlap the upload; after the gate opens, more logins run while the
upload checks and writes. Every one must succeed — what is asserted is that, not how long
anything took — and the server must log no "database is locked" and no 500.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from flask import Flask
from sqlalchemy import func, select

from campaign.auth.models import LoginSession
from campaign.auth.operations import create_user
from campaign.extensions import db
from campaign.planning.models import Event, Outlet
from campaign.planning.outlets import load_starter_directory
from campaign.sources.models import FetchRun, Source
from tests.plugins.apps import scheduler_tick
from tests.security.test_crash_server import free_port

ROOT = Path(__file__).resolve().parents[2]
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
WAIT = 120.0  # seconds: a bound for a busy 2-core machine, not a speed being measured


def plan(events: int) -> bytes:
    rows: list[dict[str, Any]] = [
        {"key": f"e{n}", "title": f"活动{n}", "type": "rally",
         "starts_at": f"2008-05-{1 + n % 28:02d}T09:00",
         "invited_outlets": ["安徽日报", "新安晚报"]}
        for n in range(events)]
    return json.dumps({"slug": f"big-{events}", "name": "大计划", "starts_on": "2008-05-01",
                       "ends_on": "2008-05-31", "events": rows}, ensure_ascii=False).encode()


def _prepare(app: Flask) -> None:
    with app.app_context():
        load_starter_directory()
        create_user(username="planner", password="planner-password", role="officer")
        create_user(username="reader", password="reader-password", role="leader")
        # A due source on a closed port: a tick claims it (a write), its fetch fails fast and
        # the failure is recorded (another write).
        db.session.add(Source(outlet=db.session.scalar(select(Outlet).limit(1)), type="rss",
                              name="due", url="http://127.0.0.1:9/feed.xml", selectors={}))
        db.session.commit()


@contextmanager
def paused_server(app: Flask, gate: Path) -> Iterator[tuple[str, list[str]]]:
    """The gated server on the app's database; yields its base URL and, once it has ended,
    its output lines (in the list)."""
    port, output = free_port(), []
    env = {**os.environ, "CAMPAIGN_INSTANCE": app.config["INSTANCE_PATH"],
           "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], "SECRET_KEY": "lock-test"}
    proc = subprocess.Popen([sys.executable, "-m", "tests.plugins.paused_server", str(port),
                             str(gate)], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            assert proc.poll() is None, proc.stdout.read().decode() if proc.stdout else ""
            try:
                if httpx.get(f"{base}/login", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "the server did not come up"
            time.sleep(0.1)
        yield base, output
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=30)
        output.extend(out.decode(errors="replace").splitlines())


def planner_client(base: str) -> tuple[httpx.Client, str]:
    """An httpx client logged in as the officer, and the import form's CSRF token."""
    client = httpx.Client(base_url=base, timeout=WAIT)
    token = CSRF.search(client.get("/login").text)
    assert token
    response = client.post("/login", data={"username": "planner", "password": "planner-password",
                                           "csrf_token": token.group(1)})
    assert response.status_code == 302
    token = CSRF.search(client.get("/campaigns/import").text)
    assert token
    return client, token.group(1)


def upload(planner: httpx.Client, token: str, body: bytes
           ) -> tuple[threading.Thread, dict[str, int]]:
    """Post the plan from a thread of its own (started); the answer's status lands in the
    dict."""
    answer: dict[str, int] = {}

    def post() -> None:
        answer["status"] = planner.post(
            "/campaigns/import", data={"csrf_token": token},
            files={"file": ("plan.json", body, "application/json")}).status_code

    thread = threading.Thread(target=post)
    thread.start()
    return thread, answer


def wait_for(path: Path) -> None:
    deadline = time.monotonic() + WAIT
    while not path.exists():
        assert time.monotonic() < deadline, f"{path.name} never appeared"
        time.sleep(0.02)


def log_in(app: Flask, password: str = "reader-password") -> int:
    """A login from this process (not the server's), in a browser of its own: the status."""
    return app.test_client().post(
        "/login", data={"username": "reader", "password": password}).status_code


def test_logins_and_ticks_succeed_beside_big_uploads(tmp_path, committed_app):
    """A 20,000-event upload (422) and a 5,000-event upload (302, every event stored), each
    held by the server inside its reading phase while this process logs in twice, fails a
    login and runs a scheduler tick, then let go while this process keeps logging in: every
    login and tick succeeds, and the server logs no "database is locked" and no 500."""
    gate = tmp_path / "gate"
    gate.mkdir()
    with committed_app(tmp_path) as app:
        _prepare(app)
        with paused_server(app, gate) as (base, output):
            planner, token = planner_client(base)
            statuses, ticks, after = [], [], []
            for events in (20000, 5000):
                uploading, answer = upload(planner, token, plan(events))
                wait_for(gate / "reading")
                statuses += [log_in(app), log_in(app, "wrong-password"), log_in(app)]
                ticks.append(scheduler_tick(app))
                (gate / "resume").touch()
                while uploading.is_alive():
                    after.append(log_in(app))
                uploading.join()
                statuses.append(answer["status"])
        with app.app_context():
            stored = db.session.scalar(select(func.count()).select_from(Event))
            runs = db.session.scalar(select(func.count()).select_from(FetchRun))
            logins = db.session.scalar(select(func.count()).select_from(LoginSession))
    assert statuses == [302, 401, 302, 422, 302, 401, 302, 302]
    assert ticks == [1, 1] and runs == 2
    assert set(after) <= {302}
    assert stored == 5000
    assert logins == 4 + len(after) + 1  # this process's, and the planner's
    assert not [line for line in output if "database is locked" in line
                or "unhandled error" in line], output
