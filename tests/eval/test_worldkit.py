"""The worlds' shared server (eval/worlds/worldkit): `serve.py --stop` ends a server started
with `--background`, even one started from a shell's background job, which ignores SIGINT
(every `make eval &` left its worlds' servers running before)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SERVE = ROOT / "eval" / "worlds" / "jinqiu-2011" / "serve.py"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # (a child of this test that has exited stays a zombie until reaped: not running)
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().split()[2] != "Z"


def test_stop_ends_a_server_started_with_sigint_ignored(tmp_path: Path) -> None:
    """Started as a background job does it (SIGINT ignored), the server listens, and
    `--stop` ends it and removes its serve.json."""
    (tmp_path / "www").mkdir()
    (tmp_path / "www" / "index.html").write_text("<p>ok</p>", "utf-8")
    (tmp_path / "sources.toml").write_text('url = "http://127.0.0.1:{PORT}/"\n', "utf-8")
    command = ["sh", "-c", 'trap "" INT; exec "$@"', "sh", sys.executable, str(SERVE),
               "--dir", str(tmp_path), "--port", "0", "--background"]
    subprocess.run(command, check=True, capture_output=True, timeout=60)
    pid = json.loads((tmp_path / "serve.json").read_text("utf-8"))["pid"]
    try:
        assert _alive(pid)
        subprocess.run([sys.executable, str(SERVE), "--dir", str(tmp_path), "--stop"],
                       check=True, capture_output=True, timeout=60)
        deadline = time.monotonic() + 10
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _alive(pid)
        assert not (tmp_path / "serve.json").exists()
    finally:
        if _alive(pid):
            os.kill(pid, 9)
