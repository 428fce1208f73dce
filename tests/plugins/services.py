"""PostgreSQL and Chromium: under CI=true a test that cannot reach its database or launch its
browser FAILS, so a run cannot pass by skipping; elsewhere it skips, and `-rs` shows why."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import NoReturn

import pytest

TRUTHY = {"1", "true", "yes", "on"}


def in_ci(environ: Mapping[str, str] | None = None) -> bool:
    """True when the environment says this is a CI run (CI=true, as CI services set it)."""
    value = (os.environ if environ is None else environ).get("CI", "")
    return value.strip().lower() in TRUTHY


def unavailable(reason: str, environ: Mapping[str, str] | None = None) -> NoReturn:
    """Stop the current test because a service it needs is missing: fail under CI, else skip."""
    if in_ci(environ):
        pytest.fail(f"{reason} (CI=true: a missing service fails the run instead of skipping)",
                    pytrace=False)
    pytest.skip(reason)


def pytest_report_header(config: pytest.Config) -> str:
    if in_ci():
        return "CI=true: a test whose PostgreSQL or Chromium is missing FAILS"
    return "not CI: a test whose PostgreSQL or Chromium is missing is skipped (see -rs)"
