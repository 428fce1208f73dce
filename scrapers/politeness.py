"""Per-host politeness: a cap on requests in flight and a minimum gap between request starts.

The gate is shared by every thread of a :class:`~scrapers.fetch.Fetcher`, so all state is
guarded by locks. Waiting uses injected ``sleep``/``clock`` callables so tests run fast.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

logger = logging.getLogger(__name__)

__all__ = ["HostGate", "parse_retry_after"]


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
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    current = now or datetime.now(UTC)
    return max(0.0, (when - current).total_seconds())
