"""Fixtures for the scraper tests: a local HTTP server and a fast fetcher."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # the project may not be installed into the virtualenv
    sys.path.insert(0, str(ROOT))

from scraper_server import LocalServer, serving  # noqa: E402

from scrapers.fetch import Fetcher, FetchSettings  # noqa: E402


@pytest.fixture
def server() -> Iterator[LocalServer]:
    """A running local HTTP server; robots.txt is absent (404) unless a test adds one."""
    with serving() as local:
        yield local


@pytest.fixture
def sleeps() -> list[float]:
    """Collects the delays a fetcher asked to sleep instead of sleeping."""
    return []


@pytest.fixture
def fetcher(sleeps: list[float]) -> Iterator[Fetcher]:
    """A fast fetcher for tests: short timeouts, no politeness delay, recorded sleeps."""
    settings = FetchSettings(
        connect_timeout=2.0,
        read_timeout=2.0,
        min_delay=0.0,
        retries=2,
        trust_env=False,
    )
    with Fetcher(settings, sleep=sleeps.append) as instance:
        yield instance
