"""Fixtures for the demo news site tests: one live server per session on an ephemeral port."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

if importlib.util.find_spec("campaign") is None:  # not installed: run from the checkout
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from campaign.demo_site import load_labels, running


@pytest.fixture(scope="session")
def demo_base() -> Iterator[str]:
    with running() as base:
        yield base


@pytest.fixture(scope="session")
def client(demo_base: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=demo_base, timeout=10) as c:
        yield c


@pytest.fixture(scope="session")
def labels() -> list[dict]:
    return load_labels()
