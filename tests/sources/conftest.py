"""Fixtures for the source tests: a local HTTP server answering canned feeds and pages, and a
fast fetcher for it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from scrapers.fetch import Fetcher, FetchSettings
from tests.scrapers.scraper_server import LocalServer, serving


@pytest.fixture
def server() -> Iterator[LocalServer]:
    """A running local HTTP server; each test adds the routes it needs."""
    with serving() as local:
        yield local


@pytest.fixture
def fetcher() -> Iterator[Fetcher]:
    """A fetcher without politeness delays or retries, with short timeouts."""
    settings = FetchSettings(min_delay=0, retries=0, read_timeout=2, connect_timeout=2,
                             trust_env=False)
    with Fetcher(settings) as instance:
        yield instance
