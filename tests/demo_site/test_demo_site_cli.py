"""The click command and the blocking ``serve`` entry point."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from campaign.demo_site import demo_site_command

ROOT = Path(__file__).resolve().parents[2]


def test_command_is_named_demo_site_with_host_and_port():
    """The click command is 'demo-site' with --host 127.0.0.1 and --port 5050 defaults."""
    assert demo_site_command.name == "demo-site"
    opts = {p.name: p.default for p in demo_site_command.params}
    assert opts == {"host": "127.0.0.1", "port": 5050}


def test_serve_blocks_until_sigterm_and_exits_cleanly():
    """The command prints its URL and sources, serves, and stops cleanly on SIGTERM."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    code = ("import sys; from campaign.demo_site import demo_site_command; "
            f"demo_site_command(['--port', '{port}'])")
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        for _ in range(100):
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        assert r.status_code == 200
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0, err
    assert f"http://127.0.0.1:{port}/" in out and "安徽日报" in out and "rss.xml" in out
    assert "GET /" not in err  # quiet: no per-request log lines
