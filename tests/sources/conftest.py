"""Fixtures for the source tests: a fast fetcher for the local HTTP server (`server`, from
tests/plugins/servers.py) that answers their canned feeds and pages."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from scrapers.fetch import Fetcher, FetchSettings


@pytest.fixture
def fetcher() -> Iterator[Fetcher]:
    """A fetcher without politeness delays or retries, with short timeouts."""
    settings = FetchSettings(min_delay=0, retries=0, read_timeout=2, connect_timeout=2,
                             trust_env=False)
    with Fetcher(settings) as instance:
        yield instance


@pytest.fixture
def media_folder(app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A media folder of the test's own (MEDIA_FOLDER)."""
    monkeypatch.setitem(app.config, "MEDIA_FOLDER", str(tmp_path / "media"))
    return tmp_path / "media"
