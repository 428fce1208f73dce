"""robots.txt rules through ``protego``, cached per host with a time-to-live."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from protego import Protego

logger = logging.getLogger(__name__)

__all__ = ["RobotsCache", "robots_url"]

# A loader returns the robots.txt text, or None when the site has none (everything allowed).
RobotsLoader = Callable[[str], str | None]


def robots_url(url: str) -> str:
    """Return the robots.txt URL for the scheme and host of ``url``."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/robots.txt"


@dataclass(frozen=True, slots=True)
class _Entry:
    expires: float
    rules: Protego | None


class RobotsCache:
    """Answer "may this agent fetch this URL?" with one robots.txt download per host and TTL."""

    def __init__(
        self,
        loader: RobotsLoader,
        *,
        agent: str,
        ttl: float = 3600.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Use ``loader`` to download robots.txt files and match rules for ``agent``."""
        self._loader = loader
        self._agent = agent
        self._ttl = ttl
        self._clock = clock
        self._lock = threading.Lock()
        self._host_locks: dict[str, threading.Lock] = {}
        self._entries: dict[str, _Entry] = {}

    def _host_lock(self, key: str) -> threading.Lock:
        with self._lock:
            return self._host_locks.setdefault(key, threading.Lock())

    def _rules(self, key: str) -> Protego | None:
        with self._host_lock(key):
            entry = self._entries.get(key)
            if entry is not None and entry.expires > self._clock():
                return entry.rules
            text = self._loader(key)
            rules = Protego.parse(text) if text else None
            self._entries[key] = _Entry(self._clock() + self._ttl, rules)
            return rules

    def allowed(self, url: str) -> bool:
        """Return True unless the host's robots.txt disallows ``url`` for our agent."""
        rules = self._rules(robots_url(url))
        if rules is None:
            return True
        return bool(rules.can_fetch(url, self._agent))

    def crawl_delay(self, url: str) -> float | None:
        """Return the Crawl-delay the host's robots.txt asks of our agent, if any."""
        rules = self._rules(robots_url(url))
        if rules is None:
            return None
        delay = rules.crawl_delay(self._agent)
        return float(delay) if delay is not None else None

    def clear(self) -> None:
        """Forget every cached robots.txt."""
        with self._lock:
            self._entries.clear()
