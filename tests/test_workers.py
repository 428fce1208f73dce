"""`campaign-tracker serve --workers N`: gunicorn's worker processes on Linux, and a clear
refusal where gunicorn cannot run (Windows)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import waitress

from campaign import workers
from campaign.processes import serve_command
from tests.test_up import ROOT, free_port, listening, processes_of

WAIT = 60.0  # a bound for a busy 2-core machine, not a speed being measured


def test_workers_on_windows_are_refused_with_what_to_do_instead(app, monkeypatch):
    """On Windows `serve --workers 2` exits 1 naming the one-`serve`-per-port layout, and
    serves nothing (neither waitress nor gunicorn is started)."""
    started = []
    monkeypatch.setattr(workers.sys, "platform", "win32")
    monkeypatch.setattr(waitress, "serve", lambda *args, **kwargs: started.append(args))
    monkeypatch.setattr(workers, "serve_workers", lambda *args: started.append(args))
    result = app.test_cli_runner().invoke(serve_command, ["--workers", "2"])
    assert result.exit_code == 1, result.output
    assert "one `campaign-tracker serve --port …` per port" in result.output
    assert started == []


def booted(log: Path) -> list[int]:
    text = log.read_text(errors="replace")
    return [int(line.rsplit(":", 1)[1]) for line in text.splitlines()
            if "Booting worker with pid:" in line]


def test_workers_serve_pages_and_sigterm_stops_them_all(tmp_path):
    """`serve --workers 2` boots two worker processes that serve the login page, and SIGTERM
    ends the server with exit 0, its workers and its port with it."""
    port = free_port()
    env = {**os.environ, "CAMPAIGN_INSTANCE": str(tmp_path),
           "DATABASE_URL": f"sqlite:///{tmp_path / 'campaign.db'}", "SECRET_KEY": "workers"}
    subprocess.run([sys.executable, "-m", "campaign.cli", "db", "upgrade"], cwd=ROOT, env=env,
                   check=True, capture_output=True)
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        server = subprocess.Popen([sys.executable, "-m", "campaign.cli", "serve", "--port",
                                   str(port), "--workers", "2", "--threads", "2"],
                                  cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + WAIT
        while len(booted(log)) < 2 or not listening(port):
            assert server.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/login") as page:
            assert page.status == 200
        assert set(booted(log)) <= set(processes_of(tmp_path))
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=30) == 0, log.read_text()
        assert not listening(port)
        assert processes_of(tmp_path) == []
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
        for pid in processes_of(tmp_path):
            os.kill(pid, signal.SIGKILL)
