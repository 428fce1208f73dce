"""Fixtures for the source tests: a local HTTP server answering canned feeds and pages."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.scrapers.scraper_server import LocalServer, serving


@pytest.fixture
def server() -> Iterator[LocalServer]:
    """A running local HTTP server; each test adds the routes it needs."""
    with serving() as local:
        yield local
