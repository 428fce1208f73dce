"""Per-host politeness: a cap on requests in flight and a minimum gap between request starts.

The gate is shared by every thread of a :class:`~scrapers.fetch.Fetcher`, so all state is
guarded by locks. Waiting uses injected ``sleep``/``clock`` callables so tests run fast.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

logger = logging.getLogger(__name__)

__all__ = ["HostGate", "freshness_lifetime", "parse_retry_after"]


class _HostState:
    __slots__ = ("min_delay", "next_start", "semaphore")

    def __init__(self, max_in_flight: int, min_delay: float) -> None:
        self.semaphore = threading.BoundedSemaphore(max_in_flight)
        self.next_start = 0.0
        self.min_delay = min_delay


class HostGate:
    """Limit concurrency and request rate per host; thread-safe."""

    def __init__(
        self,
        *,
        max_in_flight: int = 2,
        min_delay: float = 1.0,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Create a gate allowing ``max_in_flight`` requests per host, ``min_delay`` s apart."""
        if max_in_flight < 1:
            raise ValueError("max_in_flight must be at least 1")
        self._max_in_flight = max_in_flight
        self._min_delay = max(0.0, min_delay)
        self._sleep = sleep
        self._clock = clock
        self._lock = threading.Lock()
        self._hosts: dict[str, _HostState] = {}

    def _state(self, host: str) -> _HostState:
        with self._lock:
            state = self._hosts.get(host)
            if state is None:
                state = _HostState(self._max_in_flight, self._min_delay)
                self._hosts[host] = state
            return state

    def set_min_delay(self, host: str, delay: float) -> None:
        """Raise the minimum delay for ``host`` (e.g. from a robots.txt Crawl-delay)."""
        state = self._state(host.lower())
        with self._lock:
            state.min_delay = max(state.min_delay, delay)

    def _reserve_start(self, state: _HostState) -> float:
        """Reserve the next start slot for the host; return how long to wait for it."""
        with self._lock:
            now = self._clock()
            start = max(now, state.next_start)
            state.next_start = start + state.min_delay
            return start - now

    @contextmanager
    def slot(self, host: str) -> Iterator[None]:
        """Hold one of the host's in-flight slots, waiting for the minimum delay first."""
        state = self._state(host.lower())
        state.semaphore.acquire()
        try:
            wait = self._reserve_start(state)
            if wait > 0:
                logger.debug("waiting %.2f s before the next request to %s", wait, host)
                self._sleep(wait)
            yield
        finally:
            state.semaphore.release()


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    return _seconds_until(value, now)


def _seconds_until(http_date: str, now: datetime | None) -> float | None:
    """Seconds from `now` to an HTTP-date (none is UTC), at least 0; None if it is no date."""
    try:
        when = parsedate_to_datetime(http_date)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


_MAX_AGE = re.compile(r"(?:^|,)\s*max-age\s*=\s*\"?(\d+)", re.I)
_NO_STORE = re.compile(r"(?:^|,)\s*(?:no-store|no-cache)\b", re.I)


def freshness_lifetime(headers: Mapping[str, str], *, now: datetime | None = None
                       ) -> float | None:
    """Seconds a response stays fresh by its ``Cache-Control: max-age`` (or ``Expires`` when
    there is none), or None when it says nothing usable; ``headers`` have lower-case names."""
    control = headers.get("cache-control", "")
    if _NO_STORE.search(control):
        return None
    found = _MAX_AGE.search(control)
    if found:
        return float(found.group(1))
    expires = headers.get("expires")
    return _seconds_until(expires, now) if expires else None
