"""The local HTTP server (tests/scrapers/scraper_server.py) that the tests of fetching, the
media pass, the settings and the security checks talk to instead of the network."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.scrapers.scraper_server import LocalServer, serving


@pytest.fixture
def server() -> Iterator[LocalServer]:
    """A running local HTTP server; each test adds the routes it needs (robots.txt is absent,
    a 404, unless the test adds one)."""
    with serving() as local:
        yield local
