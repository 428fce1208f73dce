"""robots.txt rules through ``protego``, cached per host with a time-to-live.

RFC 9309 §2.3.1: a robots.txt that is missing or answers 4xx allows everything; one that answers
5xx or cannot be reached (timeout, refused connection) disallows everything until it answers
again. Such a failure is remembered only briefly (``error_ttl``), so the next fetch of the site
asks again instead of trusting a stale answer for an hour.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from protego import Protego

logger = logging.getLogger(__name__)

__all__ = ["RobotsCache", "RobotsUnreachable", "RobotsVerdict", "robots_url"]

# A loader returns the robots.txt text, or None when the site has none (everything allowed),
# and raises RobotsUnreachable when the server errs or cannot be reached (everything disallowed).
RobotsLoader = Callable[[str], str | None]


class RobotsUnreachable(Exception):  # noqa: N818 - a state of the site, reported in words
    """robots.txt answered 5xx or could not be fetched: ``reason`` in words, and ``outcome``,
    the fetch outcome to report for pages of the site meanwhile (e.g. a connection error)."""

    def __init__(self, reason: str, *, outcome: str = "robots_disallowed") -> None:
        super().__init__(reason)
        self.reason = reason
        self.outcome = outcome


def robots_url(url: str) -> str:
    """Return the robots.txt URL for the scheme and host of ``url``."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/robots.txt"


@dataclass(frozen=True, slots=True)
class RobotsVerdict:
    """May a URL be fetched, why not when the site could not say, and the asked delay."""

    allowed: bool
    unreachable: RobotsUnreachable | None = None
    crawl_delay: float | None = None


@dataclass(frozen=True, slots=True)
class _Entry:
    expires: float
    rules: Protego | None
    unreachable: RobotsUnreachable | None = None  # robots.txt unreadable: everything disallowed


class RobotsCache:
    """Answer "may this agent fetch this URL?" with one robots.txt download per host and TTL."""

    def __init__(
        self,
        loader: RobotsLoader,
        *,
        agent: str,
        ttl: float = 3600.0,
        error_ttl: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Use ``loader`` to download robots.txt files and match rules for ``agent``; a read
        robots.txt is kept ``ttl`` seconds, an unreachable one ``error_ttl``."""
        self._loader = loader
        self._agent = agent
        self._ttl = ttl
        self._error_ttl = error_ttl
        self._clock = clock
        self._lock = threading.Lock()
        self._host_locks: dict[str, threading.Lock] = {}
        self._entries: dict[str, _Entry] = {}

    def _host_lock(self, key: str) -> threading.Lock:
        with self._lock:
            return self._host_locks.setdefault(key, threading.Lock())

    def _entry(self, key: str) -> _Entry:
        with self._host_lock(key):
            entry = self._entries.get(key)
            if entry is not None and entry.expires > self._clock():
                return entry
            try:
                text = self._loader(key)
            except RobotsUnreachable as error:
                logger.info("robots.txt %s unreachable, disallowing the host: %s", key, error)
                entry = _Entry(self._clock() + self._error_ttl, None, error)
            else:
                entry = _Entry(self._clock() + self._ttl, Protego.parse(text) if text else None)
            self._entries[key] = entry
            return entry

    def verdict(self, url: str) -> RobotsVerdict:
        """Everything the host's robots.txt says of ``url``, read from one cache entry (so the
        answers agree even if the entry expires meanwhile)."""
        entry = self._entry(robots_url(url))
        if entry.unreachable is not None:
            return RobotsVerdict(allowed=False, unreachable=entry.unreachable)
        if entry.rules is None:
            return RobotsVerdict(allowed=True)
        delay = entry.rules.crawl_delay(self._agent)
        return RobotsVerdict(allowed=bool(entry.rules.can_fetch(url, self._agent)),
                             crawl_delay=float(delay) if delay is not None else None)

    def unreachable(self, url: str) -> RobotsUnreachable | None:
        """Why the host's robots.txt could not be read (so nothing may be fetched), or None."""
        return self._entry(robots_url(url)).unreachable

    def allowed(self, url: str) -> bool:
        """Return True unless the host's robots.txt disallows ``url`` for our agent, or could
        not be read (5xx, timeout, no connection)."""
        entry = self._entry(robots_url(url))
        if entry.unreachable is not None:
            return False
        if entry.rules is None:
            return True
        return bool(entry.rules.can_fetch(url, self._agent))

    def crawl_delay(self, url: str) -> float | None:
        """Return the Crawl-delay the host's robots.txt asks of our agent, if any."""
        rules = self._entry(robots_url(url)).rules
        if rules is None:
            return None
        delay = rules.crawl_delay(self._agent)
        return float(delay) if delay is not None else None

    def clear(self) -> None:
        """Forget every cached robots.txt."""
        with self._lock:
            self._entries.clear()
