"""A web server process whose plan uploads wait at a gate between reading the file and the
rest, for tests that act while an upload is in its reading phase
(`tests/planning/test_plan_import_lock.py`):

    python -m tests.plugins.paused_server PORT GATE

serves the app the environment describes (as `campaign-tracker serve` builds it) with waitress
on 127.0.0.1:PORT. Each upload, once its file is read (accepted or refused), creates
GATE/reading and waits until GATE/resume exists (at most WAIT seconds), then removes both and
goes on. The wait is inside the request's reading transaction, as the rest of the reading is.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from waitress import serve

from campaign import create_app
from campaign.planning import transfer

WAIT = 120.0  # seconds: a bound, so a test that never opens the gate does not hang the server


def gated(read: Callable[[Any], Any], gate: Path) -> Callable[[Any], Any]:
    """`read` (transfer.read_plan_file), then the gate."""

    def read_then_wait(data: Any) -> Any:
        try:
            return read(data)
        finally:
            (gate / "reading").touch()
            deadline = time.monotonic() + WAIT
            while not (gate / "resume").exists() and time.monotonic() < deadline:
                time.sleep(0.02)
            (gate / "resume").unlink(missing_ok=True)
            (gate / "reading").unlink(missing_ok=True)

    return read_then_wait


def main() -> None:
    port, gate = int(sys.argv[1]), Path(sys.argv[2])
    transfer.read_plan_file = gated(transfer.read_plan_file, gate)
    serve(create_app(), host="127.0.0.1", port=port, threads=4, ident="paused")


if __name__ == "__main__":
    main()
