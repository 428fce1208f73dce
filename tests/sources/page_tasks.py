"""Page-reading tasks for the extraction-process tests, run in real worker processes: each
reads a page as `read_page` does, except the pages whose URL names a misfortune. Kept apart
from the test modules so that a worker imports little more than the reader itself."""

from __future__ import annotations

import os
import time

from campaign.ingest.extraction import PageJob, PageRead, read_page


def dying_read(job: PageJob) -> PageRead:
    """Read the page; a page whose URL says "crash" ends its worker process at once, as a
    parser crashing in C would."""
    if "crash" in job.url:
        os._exit(3)
    return read_page(job)


def hanging_read(job: PageJob) -> PageRead:
    """Read the page; a page whose URL says "hang" holds its worker for a minute."""
    if "hang" in job.url:
        time.sleep(60)
    return read_page(job)


def die() -> None:
    """End the worker process at once."""
    os._exit(3)


def fail(message: str) -> None:
    """Raise in the worker."""
    raise LookupError(message)


def worker_pid() -> int:
    """The process id of the worker that runs this."""
    return os.getpid()
