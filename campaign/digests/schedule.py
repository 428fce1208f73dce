"""The digest job of the scheduler process: once a minute, a pass of `sending.run_pass`.

The fetch scheduler (`ingest.scheduler.run_scheduler`) sits on a lower floor and cannot
import this; the `scheduler` command hands it this job."""

from __future__ import annotations

import logging
from collections.abc import Callable

from flask import Flask

from campaign.digests.sending import run_pass
from campaign.extensions import db
from campaign.ingest.claims import worker_name

log = logging.getLogger(__name__)

DIGEST_TICK_SECONDS = 60.0


def digest_job(app: Flask, *, worker: str | None = None) -> Callable[[], None]:
    """The job: one pass in its own app context; an error is logged, never raised (it must
    not stop the scheduler)."""
    name = worker or worker_name()

    def job() -> None:
        with app.app_context():
            try:
                run_pass(worker=name)
            except Exception:
                db.session.rollback()
                log.exception("digest pass failed")

    return job
