"""Writes to sources. Each function flushes and logs; the caller commits."""

from __future__ import annotations

import logging

from campaign.core.times import utcnow
from campaign.extensions import db
from campaign.sources.models import Source

log = logging.getLogger(__name__)


def request_fetch(source: Source) -> None:
    """Queue `source` for the scheduler's next tick ("fetch now"): it becomes due at once and
    the request is remembered, so the page can show the outcome when the run lands."""
    now = utcnow()
    source.fetch_requested_at = now
    source.next_fetch_at = now
    db.session.flush()
    log.info("fetch requested for source %s", source.id)
