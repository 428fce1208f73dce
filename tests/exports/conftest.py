"""The exports read the coverage world of tests/plugins/worlds.py (the API reads it too)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.plugins.worlds import World


@pytest.fixture
def world(coverage_world: World) -> Any:
    """The 2006 month in small (tests/plugins/worlds.py: coverage_world)."""
    return coverage_world
