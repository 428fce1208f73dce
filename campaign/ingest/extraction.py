"""Reading fetched pages: the CPU-bound half of a fetch run, in worker processes or in place.

`read_page` turns a fetched article page into its `ExtractedArticle` and the MinHash
signature of its body (so the write phase only stores it). A `PageReader` runs it, and the
e-paper parser, for the fetch threads: `ReadInProcesses` on a `ProcessPool` (the scheduler's
and `fetch`'s, sized by EXTRACT_PROCESSES), `ReadInThread` in the calling thread (EXTRACT_
PROCESSES=0, and `fetch_source`). Either way a page whose reading raises, kills its worker or
hangs past the timeout comes back as a `PageRead` with an error: skipped and counted by the
run, never an exception that ends it. The database is never touched here: what is read goes
back to the fetch thread, and the write phase stores it in this process.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ParamSpec, Protocol, TypeVar

from campaign.articles.store import body_fingerprint
from campaign.ingest.pool import ProcessPool, WorkerError
from campaign.reprints.signatures import compute_signature
from scrapers.extract import ExtractedArticle, extract_article

log = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")

PAGE_TIMEOUT = 120.0  # seconds one page may take in a worker before it is killed


@dataclass(frozen=True, slots=True)
class PageJob:
    """A fetched article page to read: its bytes, where they came from, the source's article
    selectors and time zone."""

    url: str
    body: bytes
    headers: Mapping[str, str]
    selectors: Mapping[str, str] | None = None
    tz: str = "Asia/Shanghai"


@dataclass(frozen=True, slots=True)
class PageRead:
    """What reading a page gave: the article and its body's fingerprint and stored signature,
    or the kind of error (``config_error``: the source's selectors; ``parse_error``: the
    page broke the parser, its worker or the timeout) and what it said."""

    article: ExtractedArticle | None
    fingerprint: str = ""
    signature: bytes | None = None
    error_kind: str | None = None
    error: str | None = None


def read_page(job: PageJob) -> PageRead:
    """Extract the article of a fetched page and sign its body; never raises."""
    try:
        article = extract_article(job.body, job.url, headers=job.headers,
                                  selectors=job.selectors, tz=job.tz)
    except ValueError as exc:  # unknown selector keys in the source's settings
        return PageRead(None, error_kind="config_error", error=str(exc))
    except Exception as exc:  # a page that breaks the parser is skipped, not the run
        log.exception("reading %s failed", job.url)
        return PageRead(None, error_kind="parse_error", error=f"{type(exc).__name__}: {exc}")
    body = article.text.strip()
    fingerprint = body_fingerprint(body)
    signature = compute_signature(body).to_bytes() if fingerprint else None
    return PageRead(article, fingerprint, signature)


def sign_bodies(bodies: Mapping[str, str]) -> dict[str, bytes]:
    """The stored MinHash signature of each body, by its fingerprint (the keys)."""
    return {fingerprint: compute_signature(body).to_bytes()
            for fingerprint, body in bodies.items()}


PageTask = Callable[[PageJob], PageRead]


class PageReader(Protocol):
    """Runs the CPU-bound reading of pages for the fetch threads; thread-safe."""

    def read(self, job: PageJob) -> PageRead:
        """Read one page (see `read_page`); never raises."""

    def call(self, fn: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs) -> R:
        """Run another parser (an e-paper article's); its exceptions, and `WorkerError`
        when its worker is lost, are raised to the caller."""

    def close(self) -> None:
        """Let go of any processes."""


class ReadInThread:
    """Reads pages in the calling thread."""

    def read(self, job: PageJob) -> PageRead:
        """Read `job` here."""
        return read_page(job)

    def call(self, fn: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs) -> R:
        """Run `fn` here."""
        return fn(*args, **kwargs)

    def close(self) -> None:
        """Nothing to let go of."""


class ReadInProcesses:
    """Reads pages on a pool of `processes` worker processes (see `ProcessPool`)."""

    def __init__(self, processes: int, *, timeout: float = PAGE_TIMEOUT,
                 task: PageTask = read_page) -> None:
        """A reader on `processes` workers; `task` is the module-level function that reads a
        page in a worker (`read_page`)."""
        self.pool = ProcessPool(processes, timeout=timeout, preload=[__name__])
        self.task = task

    def read(self, job: PageJob) -> PageRead:
        """Read `job` in a worker; a lost worker (or a task that raised) makes a
        `parse_error`."""
        try:
            return self.pool.call(self.task, job)
        except WorkerError as exc:
            log.warning("page %s: %s", job.url, exc)
            return PageRead(None, error_kind="parse_error", error=str(exc))
        except Exception as exc:  # read_page never raises; another task might
            log.exception("reading %s failed", job.url)
            return PageRead(None, error_kind="parse_error", error=f"{type(exc).__name__}: {exc}")

    def call(self, fn: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs) -> R:
        """Run `fn` in a worker."""
        return self.pool.call(fn, *args, **kwargs)

    def close(self) -> None:
        """Stop the workers."""
        self.pool.close()


def page_reader(config: Mapping[str, Any]) -> PageReader:
    """The reader a scheduler or `fetch` uses: EXTRACT_PROCESSES workers, or the fetch threads
    themselves when it is 0."""
    processes = int(config.get("EXTRACT_PROCESSES", 0))
    return ReadInProcesses(processes) if processes > 0 else ReadInThread()
