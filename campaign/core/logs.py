"""Logging of the processes (serve, up and its children, the scheduler, every command): one
line per record on standard error, with an ISO 8601 timestamp, the level and the logger name,
at the LOG_LEVEL setting. `create_app` never calls this: tests keep pytest's own capture."""

from __future__ import annotations

import logging
from datetime import datetime

# Libraries that write a line per tick, per request or per day without an e-paper issue: quiet
# unless the operator asked for DEBUG.
NOISY = ("apscheduler", "httpx", "scrapers.epaper", "alembic")
_HANDLER_NAME = "campaign-tracker"


class IsoFormatter(logging.Formatter):
    """Timestamps as 2026-05-01T09:30:00.123+08:00 (local time with its offset)."""

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:  # noqa: N802
        return datetime.fromtimestamp(record.created).astimezone().isoformat(
            timespec="milliseconds")


def configure_logging(level: str) -> None:
    """Send the root logger's records at `level` (a name such as "INFO") and above to standard
    error; a second call in the same process changes nothing."""
    root = logging.getLogger()
    if any(handler.get_name() == _HANDLER_NAME for handler in root.handlers):
        return
    handler = logging.StreamHandler()
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(IsoFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(level)
    if level != "DEBUG":
        for name in NOISY:
            logging.getLogger(name).setLevel(max(logging.WARNING, root.level))
